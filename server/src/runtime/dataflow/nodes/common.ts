import type { QueryResult, SqlParam } from '../../db/types';
import { OID } from '../../db/valueParsers';
import type { ExecutionContext } from '../context';
import { databaseQueryFailed } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { pgTimestampToIso } from '../values/isoDatetime';
import { FloatNumber, floatValue } from '../../python/floatNumber';
import { CallableDefault, isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';

/** Run a statement; driver errors become `Database query failed: ...` (AsyncSQLDatabaseNode). */
export async function runSql(ctx: ExecutionContext, sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
  try {
    return await ctx.query(sql, params);
  } catch (e) {
    throw databaseQueryFailed(e);
  }
}

/** A database row as DataFlow outputs it: datetimes as isoformat() strings, JSON decoded. */
const tsColumnsOf = new WeakMap<QueryResult, { ts: Set<string>; floats: Set<string> }>();

export function rowToOutput(result: QueryResult, row: Record<string, unknown>): DfRecord {
  // The timestamp columns of a result, computed once per result rather than once per row.
  let cols = tsColumnsOf.get(result);
  if (!cols) {
    const of = (...oids: number[]) => new Set(result.fields.filter((f) => oids.includes(f.dataTypeID)).map((f) => f.name));
    cols = { ts: of(OID.TIMESTAMP, OID.TIMESTAMPTZ), floats: of(OID.FLOAT4, OID.FLOAT8) };
    tsColumnsOf.set(result, cols);
  }
  const out: DfRecord = {};
  for (const [k, v] of Object.entries(row)) {
    if (cols.ts.has(k) && typeof v === 'string') out[k] = pgTimestampToIso(v);
    // asyncpg returns a REAL / DOUBLE PRECISION value as a Python float: 8.0, not 8.
    else if (cols.floats.has(k) && typeof v === 'number') out[k] = floatValue(v);
    else out[k] = toPyValue(v);
  }
  return out;
}

/**
 * DataFlow's `_deserialize_json_fields` (core/nodes.py, Create / Read / Update only): a JSON text
 * from the database is parsed back for a field annotated as the bare builtin `list` or `dict`
 * (`Optional[...]` / `| None` unwrapped); `List[str]`, `Dict[str, Any]` and every other node keep
 * the text asyncpg returns (recorded: test/conformance/cases/field_types, test/fixtures/runtime/idtypes).
 */
export function deserializeJsonFields(model: RuntimeModel, row: DfRecord): DfRecord {
  const out: DfRecord = { ...row };
  for (const f of model.fields) {
    const v = out[f.name];
    if (typeof v !== 'string' || !isBareJsonAnnotation(f.annotation)) continue;
    try {
      out[f.name] = JSON.parse(v) as DfValue;
    } catch {
      /* DataFlow keeps a text it cannot parse */
    }
  }
  return out;
}

function isBareJsonAnnotation(annotation: string | undefined): boolean {
  if (!annotation) return false;
  let a = annotation.replace(/\s+/g, '');
  const opt = /^(?:typing\.)?Optional\[(.*)\]$/.exec(a) ?? /^(?:typing\.)?Union\[(.*),None\]$/.exec(a) ?? /^(?:typing\.)?Union\[None,(.*)\]$/.exec(a);
  if (opt) a = opt[1];
  else a = a.replace(/^None\|/, '').replace(/\|None$/, '');
  return a === 'list' || a === 'dict';
}

function toPyValue(v: unknown): DfValue {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return new Uint8Array(v);
  return v as DfValue;
}

/** DataFlow's _serialize_datetime_fields: datetimes → isoformat(), recursing into dicts (not lists). */
export function serializeDatetimes(d: DfRecord): DfRecord {
  const out: DfRecord = {};
  for (const [k, v] of Object.entries(d)) out[k] = serializeValue(v);
  return out;
}

function serializeValue(v: DfValue): DfValue {
  if (v instanceof PyDateTime) return v.iso;
  if (v instanceof CallableDefault) return null;
  if (isDfRecord(v)) return serializeDatetimes(v);
  return v;
}

/** Values of PyDate / PyDecimal stay objects in echoes; give them their text form for outputs. */
export function plainOutput(d: DfRecord): DfRecord {
  const out: DfRecord = {};
  for (const [k, v] of Object.entries(d)) out[k] = v instanceof PyDate || v instanceof PyDecimal ? v.toString() : v;
  return out;
}

/** `_coerce_record_id`: int ids via int(), str ids via str(). */
export function coerceRecordId(model: RuntimeModel, v: DfValue): DfValue {
  if (v === null) return null;
  if (model.idType === 'int') {
    if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
    if (v instanceof FloatNumber) return v.value;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') return v;
    if (typeof v === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) return Number(v.replace(/_/g, '').trim());
    return v;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** JSON text a caller may have passed for a dict/list parameter (DataFlow json.loads it). */
export function parseJsonParam<T extends DfValue>(v: DfValue | undefined, fallback: T, accept: (x: unknown) => boolean): DfValue {
  if (typeof v !== 'string') return v === undefined ? fallback : v;
  if (!v.trim()) return fallback;
  try {
    const parsed: unknown = JSON.parse(v);
    return accept(parsed) ? (parsed as DfValue) : fallback;
  } catch {
    return fallback;
  }
}

/** DataFlow's is_empty(): None, {}, or a blank / "{}" / "[]" string. */
export function isEmptyParam(v: DfValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (isDfRecord(v) && Object.keys(v).length === 0) return true;
  if (typeof v === 'string' && (!v.trim() || v.trim() === '{}' || v.trim() === '[]')) return true;
  return false;
}

/** Column list for SELECT/RETURNING: id, declared fields, created_at, updated_at[, deleted_at]. */
export function selectColumns(model: RuntimeModel, includeDeletedAt: boolean): string[] {
  const cols = ['id'];
  for (const f of model.fields) if (!['id', 'created_at', 'updated_at'].includes(f.name)) cols.push(f.name);
  cols.push('created_at', 'updated_at');
  if (includeDeletedAt && model.softDelete && !fieldOf(model, 'deleted_at')) cols.push('deleted_at');
  return cols;
}

export function invalidateCaches(ctx: ExecutionContext, model: RuntimeModel): void {
  ctx.services.queryCache.invalidateModel(model.name);
}
