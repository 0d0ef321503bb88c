import { quoteIdent } from '../../db/quoteIdent';
import { DataFlowNodeError } from '../errors';
import { bindValue } from '../values/bindValue';
import { isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { ParamList } from './sqlParams';
import type { BindCheck } from './compileFilter';

/** The condition `$nin: []` (and `$nin` of only None) compiles to: it selects every row. */
export const MATCHES_EVERY_ROW = '1 = 1';

const SINGLE_OPS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=', $ne: '!=' };

/**
 * BulkOperations._build_where_clause (§4.2): only single-key operator dicts are understood.
 * `$in: []` → `1 = 0`, `$nin: []` → `1 = 1`; values de-duplicated, None dropped; >10,000 raises.
 * Any other dict (multi-key, `$eq`, `$like`, `$null`, ...) falls through to `"f" = <the dict>`.
 */
export function compileBulkFilter(filter: DfRecord, params: ParamList, check?: BindCheck): string[] {
  const conds: string[] = [];
  for (const [field, value] of Object.entries(filter)) {
    const col = quoteIdent(field);
    if (isDfRecord(value) && Object.keys(value).length === 1) {
      const [op, opValue] = Object.entries(value)[0];
      if (op === '$in' || op === '$nin') {
        const list = Array.isArray(opValue) ? dedupe(opValue) : [opValue];
        if (list.length > 10000) {
          throw new DataFlowNodeError(`${op} list has ${list.length} values; the maximum is 10000`, { errorType: 'ValueError' });
        }
        if (list.length === 0) {
          conds.push(op === '$in' ? '1 = 0' : MATCHES_EVERY_ROW);
          continue;
        }
        list.forEach((v, i) => check?.(field, v, params.next + i, op));
        const ph = list.map((v) => params.add(bindValue(v)));
        conds.push(`${col} ${op === '$in' ? 'IN' : 'NOT IN'} (${ph.join(', ')})`);
        continue;
      }
      if (op in SINGLE_OPS) {
        if (opValue !== null) check?.(field, opValue, params.next, op);
        conds.push(`${col} ${SINGLE_OPS[op]} ${params.add(bindValue(opValue))}`);
        continue;
      }
    }
    if (value !== null && !isDfRecord(value)) check?.(field, value, params.next, '$eq');
    conds.push(`${col} = ${params.add(bindValue(value))}`);
  }
  return conds;
}

function dedupe(values: DfValue[]): DfValue[] {
  const seen = new Set<string>();
  const out: DfValue[] = [];
  for (const v of values) {
    if (v === null) continue;
    const key = typeof v + ':' + (typeof v === 'object' ? JSON.stringify(v) : String(v));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}
