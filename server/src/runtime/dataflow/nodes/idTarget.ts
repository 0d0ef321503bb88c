import type { RuntimeModel } from '../schema';
import { isDfRecord, type DfValue, type DfRecord } from '../values/dfValues';
import { coerceRecordId, parseJsonParam } from './common';

/**
 * The record id of Read/Update/Delete: `conditions.id` / `filter.id` > `record_id` > `id`.
 * Every other filter key is ignored. Returns null when there is none.
 */
export function targetId(model: RuntimeModel, conditions: DfValue | undefined, inputs: DfRecord, op: 'read' | 'update' | 'delete'): DfValue {
  const cond = parseJsonParam(conditions, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  if (isDfRecord(cond) && 'id' in cond) return coerceRecordId(model, cond.id);
  const recordId = inputs.record_id;
  if (recordId !== undefined && recordId !== null) return coerceRecordId(model, recordId);
  const id = inputs.id;
  if (id === undefined || id === null) return null;
  if (op === 'update' && typeof id === 'string' && (id.endsWith('_update') || id.length >= 50)) return null;
  return coerceRecordId(model, id);
}
