/**
 * asyncpg's parameter type checks (issue 10 §2.1; docs/dataflow-2.20.md, "asyncpg's parameter
 * type checks"). On PostgreSQL DataFlow binds every value through asyncpg, whose codec for the
 * column's type refuses a Python value of another type before the statement is sent
 * (asyncpg/protocol/prepared_stmt.pyx `_encode_bind_msg`: "invalid input for query argument $n:
 * <repr> (<codec error>)"), where PostgreSQL itself would cast the text. The runtime binds text and
 * would let PostgreSQL cast it, so it checks here, on both backends, so that a run fails where
 * production fails. The column type is the one DataFlow creates for the field (ddl/generateDdl.ts).
 */
import type { ExecutionContext } from '../context';
import { asyncpgInvalidArgument, databaseQueryFailed } from '../errors';
import { fieldOf, type PyTypeName, type RuntimeModel } from '../schema';
import { FloatNumber } from '../../python/floatNumber';
import { viaAsyncpg } from '../kailashSql';
import { pyRepr, pyTypeName as typeName, type DfValue } from './dfValues';
import { PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';

/**
 * The codec error asyncpg raises for `v` bound to the column DataFlow created for `field`, or
 * undefined when asyncpg accepts it. Only the refusals recorded with the real DataFlow are modelled:
 * str into TIMESTAMP / INTEGER / REAL / BOOLEAN, a fractional number into INTEGER, and anything but
 * str into the TEXT column of a Decimal field.
 */
export function asyncpgCodecRefusal(v: DfValue | undefined, type: PyTypeName | undefined): string | undefined {
  if (v === undefined || v === null || !type) return undefined;
  // The value's Python type name only goes into a refusal: bulk nodes check every value they bind.
  switch (type) {
    case 'datetime':
      // pgproto/codecs/datetime.pyx timestamp_encode
      return v instanceof PyDateTime || v instanceof PyDate ? undefined : `expected a datetime.date or datetime.datetime instance, got '${typeName(v)}'`;
    case 'int':
      if (typeof v === 'string') return `'str' object cannot be interpreted as an integer`;
      if (typeof v === 'number' && !Number.isInteger(v)) return `'float' object cannot be interpreted as an integer`;
      return undefined;
    case 'float':
      return typeof v === 'string' ? `must be real number, not str` : undefined;
    case 'bool':
      return typeof v === 'string' ? `a boolean is required (got type str)` : undefined;
    case 'bytes':
      return typeof v === 'string' ? `a bytes-like object is required, not 'str'` : undefined;
    case 'date':
      // DataFlow creates TEXT for date fields (recorded: field_types_plain).
      return typeof v === 'string' ? undefined : `expected str, got ${typeName(v)}`;
    case 'Decimal':
      // DataFlow creates TEXT for Decimal fields; asyncpg's text codec takes str only.
      return typeof v === 'string' ? undefined : `expected str, got ${typeName(v)}`;
    default:
      return undefined;
  }
}

/**
 * Whether asyncpgCodecRefusal can refuse any value for a column of `type` (the cases of its
 * switch): the codecs of str, dict, list and other columns take every value, so bulk binders skip
 * the check for them.
 */
export function codecCanRefuse(type: PyTypeName | undefined): boolean {
  switch (type) {
    case 'datetime':
    case 'int':
    case 'float':
    case 'bool':
    case 'bytes':
    case 'date':
    case 'Decimal':
      return true;
    default:
      return false;
  }
}

/**
 * Throws what DataFlow's node raises when asyncpg refuses the value bound at $`position`
 * ("Database query failed: invalid input for query argument $n: ..."), and notes the quirk. Only
 * for a DataFlow whose URL is PostgreSQL's: DataFlow's SQLite path (aiosqlite) binds anything.
 */
export function checkAsyncpgBind(ctx: ExecutionContext, model: RuntimeModel, column: string, v: DfValue | undefined, position: number, typeProcessed = false): void {
  const type = columnType(model, column);
  // Create / Update / Upsert run TypeAwareFieldProcessor first (core/nodes.py:1949, :2727, :3627):
  // str / int / float for a Decimal field become Decimal(str(value)), which asyncpg then refuses.
  if (typeProcessed && type === 'Decimal' && (typeof v === 'string' || typeof v === 'number' || v instanceof FloatNumber) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(String(v).trim())) {
    v = new PyDecimal(String(v).trim());
  }
  // ... and a bytes value for a BYTEA field is bound as str(value) (recorded: field_types_plain), which asyncpg's bytea codec refuses.
  if (typeProcessed && type === 'bytes' && v instanceof Uint8Array) v = bytesRepr(v);
  const refusal = asyncpgCodecRefusal(v, type);
  if (!refusal || !bindsThroughAsyncpg(ctx)) return;
  ctx.quirk(
    'asyncpg-parameter-type',
    `asyncpg refuses to bind ${pyRepr(v as DfValue)} (${typeName(v as DfValue)}) to ${model.name}.${column} (${type === 'Decimal' ? 'the TEXT column of a Decimal field' : `a ${type} column`}): DataFlow fails this statement on PostgreSQL, where PostgreSQL itself would have cast the value. Pass a value of the column's Python type.`,
    { model: model.name },
  );
  throw databaseQueryFailed(asyncpgInvalidArgument(position, valueRepr(v as DfValue), refusal));
}

/** The Python type of a column: its field's, TIMESTAMP for the columns DataFlow adds. */
export function columnType(model: RuntimeModel, column: string): PyTypeName | undefined {
  const f = fieldOf(model, column);
  if (f) return f.type;
  return column === 'created_at' || column === 'updated_at' || column === 'deleted_at' ? 'datetime' : undefined;
}

function bindsThroughAsyncpg(ctx: ExecutionContext): boolean {
  return viaAsyncpg(ctx.services.settings.url);
}

/**
 * Checks for a statement compiled in one go (a List/Count filter): collected while the builder
 * runs and applied after it, so the builder's own ValueErrors come first, as asyncpg only sees the
 * parameters when the finished statement is executed.
 */
export function deferredBindChecks(ctx: ExecutionContext, model: RuntimeModel): { add: (column: string, v: DfValue, position: number, op: string) => void; run: () => void } {
  const pending: [string, DfValue, number, string][] = [];
  return {
    add: (column, v, position, op) => void pending.push([column, v, position, op]),
    run: () => {
      // PostgreSQL refuses an operator for a cast parameter when it prepares the statement, before
      // asyncpg encodes any value: the statement is sent and fails there, as in production.
      if (pending.filter(([column, v, , op]) => castOperandFails(ctx, model, column, v, op)).length) return;
      for (const [column, v, position] of pending) {
        checkAsyncpgBind(ctx, model, column, v, position);
        // asyncpg's text codec for a TEXT column: a float is refused (an int or a bool is cast first, above).
        const type = columnType(model, column);
        if (((typeof v === 'number' && !Number.isInteger(v)) || v instanceof FloatNumber) && type !== undefined && pgTypeOf(type) === 'text' && bindsThroughAsyncpg(ctx)) {
          refuse(ctx, model, column, v, type, position, 'expected str, got float');
        }
      }
    },
  };
}

/** The PostgreSQL type name of the column DataFlow creates for a field type (as PostgreSQL prints it). */
function pgTypeOf(t: PyTypeName): string {
  switch (t) {
    case 'int': return 'integer';
    case 'float': return 'real';
    case 'bool': return 'boolean';
    case 'datetime': return 'timestamp without time zone';
    case 'dict':
    case 'list': return 'jsonb';
    case 'bytes': return 'bytea';
    default: return 'text';
  }
}

const PG_OPERATOR: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=', $in: '=', $nin: '<>' };

/**
 * kailash's AsyncSQLDatabaseNode writes every bool parameter as `$n::boolean` and every int as
 * `$n::integer` (kailash/nodes/data/async_sql.py:1618, :1621; the runtime sends the same text,
 * dataflow/kailashSql.ts), so a filter comparing a column of another type with an int or a bool
 * fails in PostgreSQL itself: "operator does not exist: text = integer" (recorded:
 * filter_value_types, express_errors, bulk_value_types). Notes the quirk and says so; the statement
 * is then sent and PostgreSQL refuses it.
 */
function castOperandFails(ctx: ExecutionContext, model: RuntimeModel, column: string, v: DfValue, op: string): boolean {
  const type = columnType(model, column);
  if (type === undefined || !bindsThroughAsyncpg(ctx)) return false;
  const cast = typeof v === 'boolean' ? 'boolean' : (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' ? 'integer' : undefined;
  if (!cast) return false;
  const col = pgTypeOf(type);
  const fits = cast === 'boolean' ? col === 'boolean' : col === 'integer' || col === 'real';
  if (fits) return false;
  ctx.quirk(
    'kailash-integer-cast',
    `kailash casts an ${cast === 'boolean' ? 'bool' : 'int'} parameter to ${cast}; compared with ${model.name}.${column} (${col}) PostgreSQL has no operator ${col} ${PG_OPERATOR[op] ?? '='} ${cast}, so DataFlow fails this filter. Pass a value of the column's type.`,
    { model: model.name },
  );
  return true;
}

function refuse(ctx: ExecutionContext, model: RuntimeModel, column: string, v: DfValue, type: PyTypeName, position: number, refusal: string): never {
  ctx.quirk(
    'asyncpg-parameter-type',
    `asyncpg refuses to bind ${pyRepr(v)} (${typeName(v)}) to ${model.name}.${column} (a ${pgTypeOf(type)} column): DataFlow fails this statement on PostgreSQL. Pass a value of the column's Python type.`,
    { model: model.name },
  );
  throw databaseQueryFailed(asyncpgInvalidArgument(position, valueRepr(v), refusal));
}

/** repr(v) as asyncpg's message shows it: Python's repr of a date and of bytes, pyRepr otherwise. */
function valueRepr(v: DfValue): string {
  if (v instanceof PyDate) {
    const [y, m, d] = v.iso.split('-').map(Number);
    return `datetime.date(${y}, ${m}, ${d})`;
  }
  if (v instanceof Uint8Array) return bytesRepr(v);
  return pyRepr(v);
}

/** repr(bytes): printable ASCII as it is; tab, newline, return, backslash and quote escaped; other bytes as hex escapes. */
function bytesRepr(b: Uint8Array): string {
  let out = "b'";
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + "'";
}

/** For the bulk nodes' binders (nodes/bulkCommon.ts columnBinders), which ask once per statement. */
export { bindsThroughAsyncpg };
