import type { SqlParam } from '../../db/types';
import { MAX_BIND_PARAMS, valuesPlaceholders } from '../../db/valuesList';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError, dbMessage } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { asyncpgCodecRefusal, bindsThroughAsyncpg, checkAsyncpgBind, codecCanRefuse, columnType } from '../values/asyncpgBindCheck';
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

/** The model's datetime fields, found once per model. */
function datetimeFieldsOf(model: RuntimeModel): string[] {
  let names = datetimeFieldNames.get(model);
  if (!names) {
    names = [...new Set(model.fields.map((f) => f.name))].filter((n) => fieldOf(model, n)?.type === 'datetime');
    datetimeFieldNames.set(model, names);
  }
  return names;
}

/**
 * convertRecordDatetimes for callers that only read the record: the record itself when no
 * datetime field of it holds a string that parses (a copy as convertRecordDatetimes makes
 * otherwise), so 100,000 plain records are not copied one by one.
 */
export function recordWithDatetimes(model: RuntimeModel, rec: DfRecord): DfRecord {
  return withDatetimes(model, datetimeFieldsOf(model), rec);
}

function withDatetimes(model: RuntimeModel, names: readonly string[], rec: DfRecord): DfRecord {
  for (const n of names) {
    const v = Object.prototype.hasOwnProperty.call(rec, n) ? rec[n] : undefined;
    if (typeof v === 'string' && parsePythonIsoDatetime(v) !== undefined) return convertRecordDatetimes(model, rec);
  }
  return rec;
}

/** How one column's values are bound in a multi-row INSERT. */
export interface ColumnBinder {
  /** asyncpg's check of the value at its parameter position, then bindValue with the column's field. */
  bind: (v: DfValue, position: number) => SqlParam;
  /** A str binds as it is: asyncpg's codec for the column takes any str (or nothing is checked), and bindValue returns it. */
  takesStrings: boolean;
}

/**
 * One binder per column of a multi-row INSERT: asyncpg's check of the value at its parameter
 * position (checkAsyncpgBind, which throws, is only reached when the codec refuses the value),
 * then bindValue with the column's field, both looked up once per statement, not per value (and
 * no check at all for a column whose codec takes every value, or off PostgreSQL URLs).
 */
export function columnBinders(ctx: ExecutionContext, model: RuntimeModel, columns: readonly string[]): ColumnBinder[] {
  const checks = bindsThroughAsyncpg(ctx);
  const nativeArrays = model.useNativeArrays;
  return columns.map((c) => {
    const type = columnType(model, c);
    const field = fieldOf(model, c);
    if (!checks || !codecCanRefuse(type)) return { bind: (v) => bindValue(v, field, nativeArrays), takesStrings: true };
    return {
      bind: (v, position) => {
        if (asyncpgCodecRefusal(v, type) !== undefined) checkAsyncpgBind(ctx, model, c, v, position);
        return bindValue(v, field, nativeArrays);
      },
      // the codecs refuse a str for its type, never for its text (asyncpgCodecRefusal)
      takesStrings: asyncpgCodecRefusal('', type) === undefined,
    };
  });
}

/**
 * Binds the records [from, to) to the columns, row by row and column by column as DataFlow passes
 * them (a refused value is reported at its own position, the first in that order). A record whose
 * keys come in the columns' order (the usual case: records built alike) is read key by key with
 * for…in; the others by column name. A str for a column that takes any str is stored as it is.
 */
export function bindRows(binders: readonly ColumnBinder[], columns: readonly string[], records: readonly DfRecord[], from: number, to: number): SqlParam[] {
  const k = columns.length;
  const bind = binders.map((b) => b.bind);
  const takesStrings = binders.map((b) => b.takesStrings);
  const params: SqlParam[] = new Array((to - from) * k);
  let p = 0;
  for (let i = from; i < to; i++) {
    const rec = records[i];
    let c = 0;
    for (const key in rec) {
      if (c === k || key !== columns[c]) break;
      const v = rec[key];
      params[p + c] = typeof v === 'string' && takesStrings[c] ? v : bind[c](v ?? null, p + c + 1);
      c++;
    }
    for (; c < k; c++) {
      const v = rec[columns[c]];
      params[p + c] = typeof v === 'string' && takesStrings[c] ? v : bind[c](v ?? null, p + c + 1);
    }
    p += k;
  }
  return params;
}

/**
 * The text of a multi-row INSERT for a batch of `rows` records: `prefix` + the VALUES rows +
 * `suffix`, built once per batch length (every full batch has the same text, and sending the same
 * string again spares the rewriting of kailash's placeholders its work: sqlPlaceholders.ts).
 */
export function batchTexts(prefix: string, columns: number, suffix = ''): (rows: number) => string {
  const texts = new Map<number, string>();
  return (rows) => {
    let text = texts.get(rows);
    if (text === undefined) {
      text = prefix + valuesPlaceholders(rows, columns) + suffix;
      texts.set(rows, text);
    }
    return text;
  };
}

/** Whether every value is a dict (a plain loop: Array.prototype.every with a callback costs more on 100,000 records). */
export function allRecords(values: readonly DfValue[]): values is DfRecord[] {
  for (let i = 0; i < values.length; i++) if (!isDfRecord(values[i])) return false;
  return true;
}

/**
 * The keys later records have beyond `columns` (the first record's keys), in the order met: what
 * BulkCreate drops. Keys in the columns' order (the usual case) are compared in place, not looked
 * up. The bulk nodes' loops over every record live in plain functions like this one, not in the
 * async node functions: V8 does not switch a running async function to optimized code in the
 * middle of its loop, so such a loop ran unoptimized in a node that runs once (5 ms instead of
 * 0.8 ms for 100,000 records).
 */
export function keysBeyond(records: readonly DfRecord[], columns: readonly string[]): string[] {
  const known = new Set(columns);
  const beyond = new Set<string>();
  for (let i = 1; i < records.length; i++) {
    let c = 0;
    for (const k in records[i]) if (k !== columns[c++] && !known.has(k)) beyond.add(k);
  }
  return [...beyond];
}

/** The [from, to) index ranges of consecutive batches of `size` over `count` items. */
export function batchRanges(count: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < count; i += size) out.push([i, Math.min(i + size, count)]);
  return out;
}

/** recordWithDatetimes for each record: the list itself when no record needs converting. */
export function recordsWithDatetimes(model: RuntimeModel, recs: DfRecord[]): DfRecord[] {
  const names = datetimeFieldsOf(model);
  if (names.length === 0) return recs;
  let out: DfRecord[] | undefined;
  for (let i = 0; i < recs.length; i++) {
    const r = withDatetimes(model, names, recs[i]);
    if (r !== recs[i]) (out ??= recs.slice())[i] = r;
  }
  return out ?? recs;
}

export function assertParamBudget(params: readonly SqlParam[]): void {
  if (params.length > MAX_BIND_PARAMS) {
    throw new DataFlowNodeError(`one batch needs ${params.length} bind parameters; PostgreSQL allows ${MAX_BIND_PARAMS}. Lower batch_size.`);
  }
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

