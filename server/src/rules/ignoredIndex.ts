// DF005 ignored-index: indexes the user declared that DataFlow 2.20 never creates (reference §2.5):
// - `__indexes__ = [...]` on the model class is silently ignored (only `__dataflow__["indexes"]`
//   is read);
// - two unnamed `__dataflow__` indexes that start with the same field get the same default name
//   (`idx_<table>_<first field>`), and `CREATE INDEX IF NOT EXISTS` skips the second one — even a
//   UNIQUE one.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { moveLegacyIndexesFix, nameIndexFix } from '../fixes/ignoredIndexFix';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF005',
  name: 'ignored-index',
  defaultSeverity: 'warning',
  summary: 'An index DataFlow 2.20 never creates (__indexes__, or a default-name collision)',
  fix: 'unsafe',
});

export const ignoredIndexRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const cls of ctx.facts.classes) {
      if (!cls.modelDecoratorOf && !ctx.workspace.isModel(cls, ctx.file.uri)) continue;
      if (cls.legacyIndexes) {
        const n = cls.indexes.filter((i) => i.source === 'legacy').length;
        const message = `DataFlow 2.20 ignores __indexes__ on ${cls.name}: ${n === 1 ? 'this index is' : `these ${n} indexes are`} never created. Declare them in __dataflow__ = {"indexes": [...]}.`;
        const start = cls.legacyIndexes.statementSpan.start;
        out.push(withFix(finding(SPEC, severity, { start, end: start + '__indexes__'.length }, message), moveLegacyIndexesFix(ctx, cls)));
      }
      const byFirst = new Map<string, number>();
      for (const ix of cls.indexes) {
        if (ix.source !== 'dataflow' || ix.name || !ix.fields.length) continue;
        const first = ix.fields[0];
        const seen = byFirst.get(first) ?? 0;
        byFirst.set(first, seen + 1);
        if (seen === 0) continue;
        const message = `This unnamed index on ${cls.name} gets the same default name as an earlier one starting with "${first}" (idx_<table>_${first}); DataFlow creates it with IF NOT EXISTS, so it is never created${ix.unique ? ' — and its UNIQUE constraint never applies' : ''}. Give it a "name".`;
        out.push(withFix(finding(SPEC, severity, ix.span, message), nameIndexFix(ctx, cls, ix)));
      }
    }
    return out;
  },
};
