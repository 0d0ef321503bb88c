// Where a node config (or an express call) names model fields and gives them values: filters,
// bulk records, SET fields, sort keys, conflict targets, upsert parts and Create's flat keys.
import type { ExpressFact } from '../model/facts';
import { dictGet, strValue, type SExpr, type Span } from '../model/staticExpr';
import type { RuleContext } from './ruleContext';
import { resolveValue, type CheckedNode } from './nameCheck';

export type FieldPlace = 'filter' | 'data' | 'fields' | 'order_by' | 'sort' | 'conflict_on' | 'where' | 'update' | 'create' | 'flat';

export interface FieldRef {
  place: FieldPlace;
  /** The config key the reference sits under (`filter`, `conditions`, `records`, ...). */
  param: string;
  field: string;
  span: Span;
  /** The literal (or expression) given to the field, for filter/data/fields/where/update/create/flat. */
  value?: SExpr;
  /** Index of the record inside `data` (0 = the record whose keys become the INSERT's columns). */
  record?: number;
}

const FILTER_PARAMS = ['filter', 'conditions'];
const DATA_PARAMS = ['data', 'records', 'rows', 'documents'];
const FIELDS_PARAMS: Record<string, string[]> = { Update: ['fields', 'updates'], BulkUpdate: ['fields', 'update'] };
const CONFLICT_PARAMS = ['conflict_on', 'conflict_columns', 'conflict_fields'];

function dictKeys(ctx: RuleContext, d: SExpr | undefined, place: FieldPlace, param: string, at: { offset: number; fn?: string }, out: FieldRef[], record?: number): void {
  const v = resolveValue(ctx, d, at.offset, at.fn);
  if (!v || v.k !== 'dict') return;
  for (const e of v.entries) {
    const k = strValue(e.key ?? undefined);
    if (k === undefined || !e.key) continue;
    if (place === 'filter' && (k.startsWith('$') || k.includes('.'))) continue;
    out.push({ place, param, field: k, span: e.key.span, value: e.value, record });
  }
}

function listItems(ctx: RuleContext, e: SExpr | undefined, at: { offset: number; fn?: string }): SExpr[] {
  const v = resolveValue(ctx, e, at.offset, at.fn);
  return v && (v.k === 'list' || v.k === 'tuple') ? v.items : [];
}

/** Field references of a generated node's config. */
export function nodeFieldRefs(ctx: RuleContext, n: CheckedNode, flatKeys: (key: string) => boolean): FieldRef[] {
  const out: FieldRef[] = [];
  const cfg = n.config;
  if (!cfg || cfg.k !== 'dict') return out;
  const at = { offset: n.fact.span.start, fn: n.fact.functionName };
  const op = n.op;
  if (op !== 'Create' && op !== 'Read' && op !== 'Upsert') {
    for (const p of FILTER_PARAMS) { const e = dictGet(cfg, p); if (e) dictKeys(ctx, e.value, 'filter', p, at, out); }
  }
  if (op.startsWith('Bulk')) {
    for (const p of DATA_PARAMS) {
      const e = dictGet(cfg, p);
      if (!e) continue;
      listItems(ctx, e.value, at).forEach((item, i) => dictKeys(ctx, item, 'data', p, at, out, i));
    }
  }
  for (const p of FIELDS_PARAMS[op] ?? []) { const e = dictGet(cfg, p); if (e) dictKeys(ctx, e.value, 'fields', p, at, out); }
  if (op === 'List') {
    for (const item of listItems(ctx, dictGet(cfg, 'order_by')?.value, at)) {
      const s = strValue(item);
      if (s !== undefined) out.push({ place: 'order_by', param: 'order_by', field: s.replace(/^[-+]/, ''), span: item.span });
      else if (item.k === 'dict') dictKeys(ctx, item, 'order_by', 'order_by', at, out);
    }
    for (const item of listItems(ctx, dictGet(cfg, 'sort')?.value, at)) {
      const f = dictGet(item, 'field')?.value;
      const s = strValue(f);
      if (s !== undefined && f) out.push({ place: 'sort', param: 'sort', field: s, span: f.span });
    }
  }
  if (op === 'Upsert' || op === 'BulkUpsert') {
    for (const p of CONFLICT_PARAMS) {
      for (const item of listItems(ctx, dictGet(cfg, p)?.value, at)) {
        const s = strValue(item);
        if (s !== undefined) out.push({ place: 'conflict_on', param: p, field: s, span: item.span });
      }
    }
  }
  if (op === 'Upsert') for (const p of ['where', 'update', 'create'] as const) { const e = dictGet(cfg, p); if (e) dictKeys(ctx, e.value, p, p, at, out); }
  if (op === 'Create' || op === 'Update') {
    for (const e of cfg.entries) {
      const k = strValue(e.key ?? undefined);
      if (k !== undefined && e.key && flatKeys(k)) out.push({ place: 'flat', param: k, field: k, span: e.key.span, value: e.value });
    }
  }
  return out;
}

/** Field references of a `db.express.<op>("Model", ...)` call. */
export function expressFieldRefs(ctx: RuleContext, ex: ExpressFact): FieldRef[] {
  const out: FieldRef[] = [];
  const at = { offset: ex.span.start, fn: ex.functionName };
  const arg = (i: number, name: string) => ex.args[i] ?? ex.kwargs.find((k) => k.name === name)?.value;
  switch (ex.op) {
    case 'list': case 'count': case 'find_one': dictKeys(ctx, arg(1, 'filter'), 'filter', 'filter', at, out); break;
    case 'create': dictKeys(ctx, arg(1, 'data'), 'data', 'data', at, out, 0); break;
    case 'update': dictKeys(ctx, arg(2, 'fields'), 'fields', 'fields', at, out); break;
    case 'bulk_create': case 'bulk_upsert':
      listItems(ctx, arg(1, 'records'), at).forEach((item, i) => dictKeys(ctx, item, 'data', 'records', at, out, i));
      break;
    default: break;
  }
  return out;
}
