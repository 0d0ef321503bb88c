import type { SqlParam } from '../../db/types';
import { DataFlowNodeError, dbMessage } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { parsePythonIsoDatetime } from '../values/isoDatetime';
import { isPyDict, type PyDict, type PyValue } from '../values/pyValues';
import { isEmptyParam, parseJsonParam } from './common';

/** PostgreSQL's wire limit on bind parameters per statement. */
export const MAX_BIND_PARAMS = 65535;

/** `data`, auto-mapped from `records`, `rows` or `documents` when data is empty. */
export function bulkData(inputs: PyDict): PyValue[] {
  let data = inputs.data;
  if ((data === undefined || (Array.isArray(data) && data.length === 0)) && !('data' in inputs && Array.isArray(data) && data.length)) {
    for (const alias of ['records', 'rows', 'documents']) {
      const v = inputs[alias];
      if (Array.isArray(v) && v.length) {
        data = v;
        break;
      }
    }
  }
  return Array.isArray(data) ? data : [];
}

export function batchSizeOf(inputs: PyDict): number {
  const b = inputs.batch_size;
  return typeof b === 'number' && Number.isInteger(b) && b > 0 ? b : 1000;
}

/** filter (or the deprecated conditions) with the JSON-string fix DataFlow applies. */
export function bulkFilter(inputs: PyDict, a: string, b: string): PyDict {
  const pick = !isEmptyParam(inputs[a]) ? inputs[a] : inputs[b] ?? {};
  const p = parseJsonParam(pick, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  return isPyDict(p) ? p : {};
}

export function convertRecordDatetimes(model: RuntimeModel, rec: PyDict): PyDict {
  const out: PyDict = { ...rec };
  for (const [k, v] of Object.entries(out)) if (fieldOf(model, k)?.type === 'datetime' && typeof v === 'string') out[k] = parsePythonIsoDatetime(v) ?? v;
  return out;
}

export function assertParamBudget(params: readonly SqlParam[]): void {
  if (params.length > MAX_BIND_PARAMS) {
    throw new DataFlowNodeError(`one batch needs ${params.length} bind parameters; PostgreSQL allows ${MAX_BIND_PARAMS}. Lower batch_size.`);
  }
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The error of a failed bulk operation: BulkOperations' own catch prefixes a database failure with
 * "Bulk <op> operation failed: " (dataflow/features/bulk.py:608, :881, :1341, :1803); the
 * validation failures it returns before its statements carry no prefix.
 */
export function bulkFailure(op: 'create' | 'update' | 'delete' | 'upsert', e: unknown): string {
  const message = dbMessage(e);
  return message.startsWith('Database query failed') ? `Bulk ${op} operation failed: ${message}` : message;
}

