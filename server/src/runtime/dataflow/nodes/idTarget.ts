import type { RuntimeModel } from '../schema';
import { isPyDict, type PyValue, type PyDict } from '../values/pyValues';
import { coerceRecordId, parseJsonParam } from './common';

/**
 * The record id of Read/Update/Delete: `conditions.id` / `filter.id` > `record_id` > `id`.
 * Every other filter key is ignored. Returns null when there is none.
 */
export function targetId(model: RuntimeModel, conditions: PyValue | undefined, inputs: PyDict, op: 'read' | 'update' | 'delete'): PyValue {
  const cond = parseJsonParam(conditions, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  if (isPyDict(cond) && 'id' in cond) return coerceRecordId(model, cond.id);
  const recordId = inputs.record_id;
  if (recordId !== undefined && recordId !== null) return coerceRecordId(model, recordId);
  const id = inputs.id;
  if (id === undefined || id === null) return null;
  if (op === 'update' && typeof id === 'string' && (id.endsWith('_update') || id.length >= 50)) return null;
  return coerceRecordId(model, id);
}
