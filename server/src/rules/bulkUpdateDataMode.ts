// DF024 bulk-update-data-mode: BulkUpdateNode with `data=[{"id": ..., ...}]` and no `fields`. That
// is not one statement: DataFlow 2.20 runs one UPDATE per record in a Python loop and skips records
// without "id" (reference §0.1 item 11, §3.3 BulkUpdateNode, addendum). When every record sets the
// same values, filter + fields does it in one statement.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { namesIn, type SExpr } from '../model/staticExpr';
import { dataflowNodes } from './nodeContext';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { atMost, configIsStatic, entryOf, isEmptyDict, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF024',
  name: 'bulk-update-data-mode',
  defaultSeverity: 'warning',
  summary: 'BulkUpdateNode in data mode: one UPDATE per record, not one statement',
  fix: 'none',
});

/** The non-id keys every record sets to the same value, when all records are visible. */
function sameValues(ctx: RuleContext, data: SExpr): string[] | undefined {
  const text = (e: SExpr) => ctx.file.text.slice(e.span.start, e.span.end);
  const keysOf = (d: SExpr) => (d.k === 'dict' && !d.truncated && d.entries.every((e) => e.key?.k === 'str') ? d.entries.filter((e) => (e.key as { v: string }).v !== 'id') : undefined);
  if (data.k === 'list' && data.items.length > 1 && !data.truncated) {
    const first = keysOf(data.items[0]);
    if (!first || !first.length) return undefined;
    for (const r of data.items.slice(1)) {
      const ks = keysOf(r);
      if (!ks || ks.length !== first.length) return undefined;
      for (const e of first) {
        const o = ks.find((x) => (x.key as { v: string }).v === (e.key as { v: string }).v);
        if (!o || text(o.value) !== text(e.value)) return undefined;
      }
    }
    return first.map((e) => (e.key as { v: string }).v);
  }
  if (data.k === 'comp' && data.kind === 'list') {
    const ks = keysOf(data.elt);
    if (!ks || !ks.length) return undefined;
    const bound = new Set<string>();
    for (const c of data.clauses) if (c.kind === 'for') for (const n of namesIn(c.target)) bound.add(n);
    for (const e of ks) for (const n of namesIn(e.value)) if (bound.has(n)) return undefined;
    return ks.map((e) => (e.key as { v: string }).v);
  }
  return undefined;
}

export const bulkUpdateDataModeRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'BulkUpdate') continue;
      const data = entryOf(node.config, 'data', 'records', 'rows', 'documents');
      if (!data) continue;
      const at = node.fact;
      const fields = entryOf(node.config, 'fields', 'update');
      if (fields && !isEmptyDict(valueAt(ctx, fields.value, at))) continue;
      if (!fields && !configIsStatic(ctx, node)) continue;
      const v = valueAt(ctx, data.value, at);
      if (!v || (v.k === 'list' && v.items.length <= 1 && !v.truncated)) continue;
      const same = sameValues(ctx, v);
      const advice = same
        ? `Every record sets the same ${same.map((k) => `"${k}"`).join(', ')}: use {"filter": {"id": {"$in": ids}}, "fields": {...}} — one UPDATE statement.`
        : 'When the records share their new values, {"filter": {...}, "fields": {...}} does it in one UPDATE statement.';
      const message = `${at.nodeType} with "data" and no "fields" runs one UPDATE per record in a Python loop (records without "id" are skipped), not one bulk statement. ${advice}`;
      out.push(finding(SPEC, same ? severity : atMost(severity, 'information'), reportAt(data.key?.span, at.span, at.config?.span ?? at.span), message));
    }
    return out;
  },
};
