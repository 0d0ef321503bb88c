// DF025 heterogeneous-bulk-create: BulkCreateNode/BulkUpsertNode `data` whose records have
// different keys. DataFlow 2.20 takes the column list from data[0] only, so a key that only later
// records have is silently dropped (reference §0.1 item 10, §3.3 BulkCreateNode).
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { SExpr, Span } from '../model/staticExpr';
import { dataflowNodes } from './nodeContext';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { entryOf, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF025',
  name: 'heterogeneous-bulk-create',
  defaultSeverity: 'warning',
  summary: 'Bulk create/upsert records with different keys (keys missing from the first record are dropped)',
  fix: 'none',
});

interface Keys { keys: Map<string, Span>; spreads: string[] }

/** The static keys of a dict literal, and the text of its `**` entries; undefined when keys are computed. */
function keysOf(ctx: RuleContext, d: SExpr): Keys | undefined {
  if (d.k !== 'dict' || d.truncated) return undefined;
  const keys = new Map<string, Span>();
  const spreads: string[] = [];
  for (const e of d.entries) {
    if (!e.key) spreads.push(ctx.file.text.slice(e.value.span.start, e.value.span.end).replace(/\s+/g, ''));
    else if (e.key.k === 'str') keys.set(e.key.v, e.key.span);
    else return undefined;
  }
  return { keys, spreads };
}

/** Keys present in one branch of a conditional dict and not in the other (`**({"a": 1} if c else {})`). */
function conditionalKeys(ctx: RuleContext, e: SExpr): string[] {
  if (e.k !== 'cond') return [];
  const a = keysOf(ctx, e.body), b = keysOf(ctx, e.orelse);
  if (!a || !b || a.spreads.length || b.spreads.length) return [];
  const out: string[] = [];
  for (const k of a.keys.keys()) if (!b.keys.has(k)) out.push(k);
  for (const k of b.keys.keys()) if (!a.keys.has(k)) out.push(k);
  return out;
}

export const heterogeneousBulkCreateRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'BulkCreate' && node.op !== 'BulkUpsert') continue;
      const data = entryOf(node.config, 'data', 'records', 'rows', 'documents');
      if (!data) continue;
      const at = node.fact;
      const v = valueAt(ctx, data.value, at);
      if (!v) continue;
      const fallback = reportAt(data.key?.span, at.span, at.config?.span ?? at.span);
      const tail = `${at.nodeType} takes its columns from the first record only, so ${'$KEYS'} silently dropped from every record that has ${'$IT'}. Give every record the same keys (None where there is no value).`;
      const say = (keys: string[]) => tail.replace('$KEYS', `${keys.map((k) => `"${k}"`).join(', ')} ${keys.length === 1 ? 'is' : 'are'}`).replace('$IT', keys.length === 1 ? 'it' : 'them');
      if (v.k === 'list' && v.items.length > 1 && !v.truncated) {
        const sets = v.items.map((r) => keysOf(ctx, r));
        if (sets.some((s) => !s)) continue;
        const first = sets[0]!;
        if (sets.some((s) => s!.spreads.join('|') !== first.spreads.join('|'))) continue;
        for (let i = 1; i < sets.length; i++) {
          const extra = [...sets[i]!.keys.entries()].filter(([k]) => !first.keys.has(k));
          if (!extra.length) continue;
          const message = `Record ${i + 1} has ${extra.map(([k]) => `"${k}"`).join(', ')}, which the first record lacks: ${say(extra.map(([k]) => k))}`;
          out.push(finding(SPEC, severity, reportAt(extra[0][1], at.span, fallback), message));
          break;
        }
        continue;
      }
      if (v.k === 'comp' && v.kind === 'list') {
        const optional: string[] = [];
        let where: Span | undefined;
        if (v.elt.k === 'dict') {
          for (const e of v.elt.entries) {
            if (e.key) continue;
            const ks = conditionalKeys(ctx, e.value);
            if (ks.length && !where) where = e.span;
            optional.push(...ks);
          }
        } else if (v.elt.k === 'cond') {
          optional.push(...conditionalKeys(ctx, v.elt));
          where = v.elt.span;
        }
        if (!optional.length) continue;
        const list = optional.map((k) => `"${k}"`).join(', ');
        const message = `The records get ${list} only under a condition: ${at.nodeType} takes its columns from the first record only, so when the first record lacks ${optional.length === 1 ? 'it, it is' : 'them, they are'} dropped from every record. Give every record the same keys (None where there is no value).`;
        out.push(finding(SPEC, severity, reportAt(where, at.span, fallback), message));
      }
    }
    return out;
  },
};
