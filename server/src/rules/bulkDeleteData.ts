// DF022 bulk-delete-data: `BulkDeleteNode` given `data` (or its aliases records/rows/documents).
// DataFlow 2.20 never deletes by `data`: the node passes only `filter` (or `conditions`) as the
// criteria, so with an empty filter it fails ("empty filter requires confirmed=True"), and with
// `confirmed: True` it runs `DELETE FROM "t"` — the whole table (reference §0.1 item 8, §3.3).
import type { SeverityName } from '../settings';
import type { Finding, Fix } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { SExpr } from '../model/staticExpr';
import { dataflowNodes, type ResolvedNode } from './nodeContext';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { configIsStatic, connectedInputs, entryOf, hasHiddenKeys, isEmptyDict, removeEntriesEdits, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF022',
  name: 'bulk-delete-data',
  defaultSeverity: 'error',
  summary: 'BulkDeleteNode given data: never used to delete (fails, or deletes the whole table with confirmed=True)',
  fix: 'unsafe',
});

const DATA_KEYS = ['data', 'records', 'rows', 'documents'];

/** Does `data` hold records (dicts with an id) or ids? undefined when we cannot tell. */
function dataKind(ctx: RuleContext, data: SExpr, node: ResolvedNode): 'records' | 'ids' | undefined {
  const v = valueAt(ctx, data, node.fact);
  if (!v) return undefined;
  if (v.k === 'list' || v.k === 'tuple') {
    if (!v.items.length || v.truncated) return undefined;
    if (v.items.every((i) => i.k === 'dict')) return 'records';
    if (v.items.every((i) => i.k === 'num' || i.k === 'str')) return 'ids';
    return undefined;
  }
  if (v.k === 'comp') {
    if (v.elt.k === 'dict') return 'records';
    if (v.elt.k === 'subscript' && v.elt.index.k === 'str' && v.elt.index.v === 'id') return 'ids';
    if (v.elt.k === 'attr' && v.elt.attr === 'id') return 'ids';
    return undefined;
  }
  if (v.k === 'name' && /(^|_)ids$/i.test(v.id)) return 'ids';
  return undefined;
}

function fixFor(ctx: RuleContext, node: ResolvedNode, filterEmpty: boolean): { fix?: () => Fix; reason?: string } {
  const cfg = node.fact.config;
  if (!cfg || cfg.k !== 'dict' || cfg !== node.config) return { reason: 'the config is not written in the add_node call' };
  if (!filterEmpty) return { reason: 'the node already has a filter: delete the data entry' };
  if (hasHiddenKeys(cfg)) return { reason: 'the config has ** entries' };
  const i = cfg.entries.findIndex((e) => e.key?.k === 'str' && DATA_KEYS.includes(e.key.v));
  const data = cfg.entries[i];
  const kind = dataKind(ctx, data.value, node);
  if (!kind) return { reason: 'cannot tell whether data holds records or ids' };
  const text = ctx.file.text;
  const src = text.slice(data.value.span.start, data.value.span.end);
  let ids: string;
  const lit = data.value;
  if (kind === 'ids') ids = src;
  else if ((lit.k === 'list' || lit.k === 'tuple') && lit.items.every((r) => r.k === 'dict' && entryOf(r, 'id'))) {
    ids = `[${lit.items.map((r) => { const e = entryOf(r, 'id')!; return text.slice(e.value.span.start, e.value.span.end); }).join(', ')}]`;
  } else ids = `[r["id"] for r in ${src}]`;
  const kw = node.fact.configFromKeywords;
  const filterText = kw ? `filter={"id": {"$in": ${ids}}}` : `"filter": {"id": {"$in": ${ids}}}`;
  const drop = cfg.entries
    .map((e, j) => ({ e, j }))
    .filter(({ e, j }) => j !== i && e.key?.k === 'str' && (e.key.v === 'confirmed' || e.key.v === 'filter' || e.key.v === 'conditions' || DATA_KEYS.includes(e.key.v)));
  return {
    fix: () => {
      const edits = [{ span: data.span, newText: filterText }, ...removeEntriesEdits(cfg.entries, new Set(drop.map((d) => d.j)))];
      return { title: 'Delete by id: filter {"id": {"$in": ...}} instead of data', isPreferred: true, edits: [{ uri: ctx.file.uri, edits }] };
    },
  };
}

export const bulkDeleteDataRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'BulkDelete') continue;
      const data = entryOf(node.config, ...DATA_KEYS);
      const at = node.fact;
      const inputs = connectedInputs(ctx, at);
      // data fed by a connection (add_connection(..., "bulk_delete", "data")) is ignored the same way.
      const fed = data ? undefined : DATA_KEYS.find((k) => inputs.has(k));
      if (!data && !fed) continue;
      const dataValue = valueAt(ctx, data?.value, at);
      // An empty data list next to a filter changes nothing.
      if ((dataValue?.k === 'list' || dataValue?.k === 'tuple') && !dataValue.items.length && !dataValue.truncated) continue;
      const filterEntry = entryOf(node.config, 'filter') ?? entryOf(node.config, 'conditions');
      const filterValue = valueAt(ctx, filterEntry?.value, at);
      const filterAtRunTime = inputs.has('filter') || inputs.has('conditions') || inputs.has('*');
      const filterEmpty = !filterAtRunTime && (!filterEntry ? configIsStatic(ctx, node) : isEmptyDict(filterValue));
      const filterKnown = filterAtRunTime || (!filterEntry && configIsStatic(ctx, node)) || filterValue?.k === 'dict' || isEmptyDict(filterValue);
      const confirmed = valueAt(ctx, entryOf(node.config, 'confirmed')?.value, at);
      const key = data?.key?.k === 'str' ? data.key.v : fed ?? 'data';
      let consequence: string;
      if (!filterKnown) consequence = 'the filter alone decides which rows are deleted';
      else if (!filterEmpty) consequence = 'the filter alone decides which rows are deleted, whatever the data lists';
      else if (confirmed?.k === 'bool' && confirmed.v) consequence = `with an empty filter and confirmed=True it runs DELETE with no WHERE clause: every ${node.model} row is deleted, not the listed ones`;
      else if (confirmed && !(confirmed.k === 'bool')) consequence = 'with an empty filter it either fails ("empty filter requires confirmed=True") or, when confirmed is true, deletes the whole table';
      else consequence = 'with an empty filter it fails ("Bulk delete with empty filter requires confirmed=True"), and adding confirmed=True would delete the whole table';
      const message = `${at.nodeType} never deletes by "${key}"${fed ? ' (connected as an input)' : ''}: ${consequence}. Delete by id with {"filter": {"id": {"$in": ids}}} (what db.express.bulk_delete does).`;
      if (!data) {
        const typeSpan = at.nodeTypeExpr && at.nodeTypeExpr.span.start >= at.span.start ? at.nodeTypeExpr.span : at.span;
        out.push(withFix(finding(SPEC, severity, typeSpan, message), { reason: 'the data comes from a connection: connect the ids to "filter" as {"id": {"$in": ids}} instead' }));
        continue;
      }
      const span = reportAt(data.key?.span ? { start: data.key.span.start, end: data.key.span.end } : undefined, at.span, at.config?.span ?? at.span);
      out.push(withFix(finding(SPEC, severity, span, message), fixFor(ctx, node, filterEmpty)));
    }
    return out;
  },
};
