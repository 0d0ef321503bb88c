import type { SqlParam } from '../../db/types';
import { MAX_BIND_PARAMS, valuesPlaceholders } from '../../db/valuesList';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError, dbMessage } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { asyncpgCodecRefusal, bindsThroughAsyncpg, checkAsyncpgBind, columnType } from '../values/asyncpgBindCheck';
import { bindValue } from '../values/bindValue';
import { parsePythonIsoDatetime } from '../values/isoDatetime';
import { isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { isEmptyParam, parseJsonParam } from './common';

/** `data`, auto-mapped from `records`, `rows` or `documents` when data is empty. */
export function bulkData(inputs: DfRecord): DfValue[] {
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

export function batchSizeOf(inputs: DfRecord): number {
  const b = inputs.batch_size;
  return typeof b === 'number' && Number.isInteger(b) && b > 0 ? b : 1000;
}

/** filter (or the deprecated conditions) with the JSON-string fix DataFlow applies. */
export function bulkFilter(inputs: DfRecord, a: string, b: string): DfRecord {
  const pick = !isEmptyParam(inputs[a]) ? inputs[a] : inputs[b] ?? {};
  const p = parseJsonParam(pick, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  return isDfRecord(p) ? p : {};
}

export function convertRecordDatetimes(model: RuntimeModel, rec: DfRecord): DfRecord {
  const out: DfRecord = { ...rec };
  for (const [k, v] of Object.entries(out)) if (fieldOf(model, k)?.type === 'datetime' && typeof v === 'string') out[k] = parsePythonIsoDatetime(v) ?? v;
  return out;
}

const datetimeFieldNames = new WeakMap<RuntimeModel, string[]>();

/**
 * convertRecordDatetimes for callers that only read the record: the record itself when no
 * datetime field of it holds a string that parses (a copy as convertRecordDatetimes makes
 * otherwise), so 100,000 plain records are not copied one by one.
 */
export function recordWithDatetimes(model: RuntimeModel, rec: DfRecord): DfRecord {
  let names = datetimeFieldNames.get(model);
  if (!names) {
    names = [...new Set(model.fields.map((f) => f.name))].filter((n) => fieldOf(model, n)?.type === 'datetime');
    datetimeFieldNames.set(model, names);
  }
  for (const n of names) {
    const v = Object.prototype.hasOwnProperty.call(rec, n) ? rec[n] : undefined;
    if (typeof v === 'string' && parsePythonIsoDatetime(v) !== undefined) return convertRecordDatetimes(model, rec);
  }
  return rec;
}

/**
 * One binder per column of a multi-row INSERT: asyncpg's check of the value at its parameter
 * position (checkAsyncpgBind, which throws, is only reached when the codec refuses the value),
 * then bindValue with the column's field, both looked up once per statement, not per value.
 */
export function columnBinders(ctx: ExecutionContext, model: RuntimeModel, columns: readonly string[]): ((v: DfValue, position: number) => SqlParam)[] {
  const checks = bindsThroughAsyncpg(ctx);
  return columns.map((c) => {
    const type = columnType(model, c);
    const field = fieldOf(model, c);
    return (v, position) => {
      if (checks && asyncpgCodecRefusal(v, type) !== undefined) checkAsyncpgBind(ctx, model, c, v, position);
      return bindValue(v, field, model.useNativeArrays);
    };
  });
}

/**
 * Binds one batch of records to the columns (row by row, column by column, as DataFlow passes
 * them) and returns the parameters and the VALUES text, cached by batch length in `texts`
 * (every full batch has the same text).
 */
export function bindBatch(
  binders: readonly ((v: DfValue, position: number) => SqlParam)[],
  columns: readonly string[],
  batch: readonly DfRecord[],
  texts: Map<number, string>,
): { params: SqlParam[]; values: string } {
  const k = columns.length;
  const params: SqlParam[] = new Array(batch.length * k);
  let p = 0;
  for (const rec of batch) {
    for (let c = 0; c < k; c++) {
      params[p] = binders[c](rec[columns[c]] ?? null, p + 1);
      p++;
    }
  }
  let values = texts.get(batch.length);
  if (values === undefined) {
    values = valuesPlaceholders(batch.length, k);
    texts.set(batch.length, values);
  }
  return { params, values };
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

