// DF030 implicit-database-url: `DataFlow()` with no URL. The generated nodes then connect to
// `config.database.url or ":memory:"` — in-memory SQLite — and never read DATABASE_URL, while
// dialect detection does read it (reference §1.4, §0.1 #14). Test files are left alone (an
// in-memory database is what tests usually want), and so are calls that pass `config=` or
// `**settings`, which can carry the URL.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { addImportEdit, hasModuleImport } from '../fixes/importEdit';
import { foreignDataFlowClass, hasConfigOrSpread, isTestFile } from './constructorKwargs';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF030',
  name: 'implicit-database-url',
  defaultSeverity: 'warning',
  summary: 'DataFlow() without a database URL: the generated nodes use in-memory SQLite, not DATABASE_URL',
  fix: 'unsafe',
});

export const implicitDatabaseUrlRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    if (isTestFile(ctx.file.uri)) return [];
    if (ctx.facts.instances.length && foreignDataFlowClass(ctx.file)) return []; // some other class named DataFlow
    const out: Finding[] = [];
    for (const inst of ctx.facts.instances) {
      if (inst.url || hasConfigOrSpread(ctx.file, inst)) continue;
      if (inst.kwargs.some((k) => (k.name === 'test_mode' || k.name === 'tdd_mode') && k.value.k === 'bool' && k.value.v)) continue;
      const name = inst.binding ? `${inst.binding} = DataFlow(...)` : 'DataFlow(...)';
      const f = finding(SPEC, severity, { start: inst.span.start, end: inst.argsSpan.start }, `${name} has no database URL: DataFlow 2.20's generated nodes then connect to ":memory:" (in-memory SQLite, gone when the process ends) and never read DATABASE_URL for CRUD; if DATABASE_URL is set, dialect detection still reads it, so e.g. PostgreSQL SQL runs against the in-memory SQLite database ("no such table"). Pass the URL explicitly: DataFlow(os.environ["DATABASE_URL"]), or DataFlow(":memory:") if in-memory SQLite is what you want.`);
      out.push(withFix(f, {
        fix: () => {
          const open = inst.argsSpan.start + 1;
          const hasArgs = ctx.file.text.slice(open, inst.argsSpan.end - 1).trim().length > 0;
          const edits = [{ span: { start: open, end: open }, newText: `os.environ["DATABASE_URL"]${hasArgs ? ', ' : ''}` }];
          if (!hasModuleImport(ctx.file, 'os')) edits.push(addImportEdit(ctx.file, 'import os'));
          return { title: 'Pass os.environ["DATABASE_URL"] as the database URL', isPreferred: true, edits: [{ uri: ctx.file.uri, edits }] };
        },
      }));
    }
    return out;
  },
};
