// The type conversion kailash's Node._validate_config applies to a config value whose parameter
// has a declared type (kailash/nodes/base.py): `${name}` template strings are left alone, None is
// left alone for an optional parameter, a value that is not already of the type becomes
// `type(value)`. A ValueError / TypeError of that call is "Configuration parameter 'x' must be of
// type T, got U. Conversion failed: <error>"; any other error propagates as it is. Node.__init__
// then prefixes "Failed to initialize node '<id>': " (NodeRegistry.create adds that).
import { FloatNumber } from '../../python/floatNumber';
import { DataFlowNodeError } from '../errors';
import { isDfRecord, pyRepr, pyTypeName, type DfValue } from '../values/dfValues';
import { PyDate, PyDateTime, PyDecimal, HostUUID } from '../../shared/hostValues';

/** The declared types converted here. */
export type ConvertedType = 'int' | 'list' | 'UUID' | 'date';

/** Node._is_template_expression */
export function isTemplateExpression(v: DfValue): boolean {
  return typeof v === 'string' && /^\$\{[^}]+\}$/.test(v);
}

/** isinstance(value, type) */
function isInstance(type: ConvertedType, v: DfValue): boolean {
  switch (type) {
    case 'int':
      return typeof v === 'bigint' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
    case 'list':
      return Array.isArray(v);
    case 'UUID':
      return v instanceof HostUUID;
    case 'date':
      return v instanceof PyDate || v instanceof PyDateTime; // datetime is a date subclass
  }
}

/** A Python exception raised by `type(value)`: `caught` for ValueError / TypeError. */
class ConversionError extends Error {
  constructor(
    message: string,
    readonly caught: boolean,
  ) {
    super(message);
  }
}

const valueError = (m: string) => new ConversionError(m, true);
const typeError = (m: string) => new ConversionError(m, true);
/** AttributeError & co.: not caught by _validate_config. */
const otherError = (m: string) => new ConversionError(m, false);

/** type(value).__name__ as Python prints it in "not 'X'" messages. */
function qualifiedTypeName(v: DfValue): string {
  if (v instanceof PyDateTime) return 'datetime.datetime';
  if (v instanceof PyDate) return 'datetime.date';
  if (v instanceof PyDecimal) return 'decimal.Decimal';
  if (v instanceof HostUUID) return 'uuid.UUID';
  return pyTypeName(v);
}

/** int(x) for a str: optional sign, digits with single underscores between them, surrounding whitespace. */
function intFromString(s: string, base: 10 | 16): bigint | undefined {
  const digits = base === 10 ? '[0-9]' : '[0-9a-fA-F]';
  const m = new RegExp(`^\\s*([+-]?)(${digits}(?:_?${digits})*)\\s*$`).exec(s);
  if (!m) return undefined;
  const n = BigInt((base === 16 ? '0x' : '') + m[2].replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

function toInt(v: DfValue): DfValue {
  if (v instanceof FloatNumber) v = v.value;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw valueError('cannot convert float NaN to integer');
    if (!Number.isFinite(v)) throw otherError('cannot convert float infinity to integer');
    return Math.trunc(v);
  }
  if (v instanceof PyDecimal) {
    const n = Number(v.text);
    if (Number.isFinite(n)) return Math.trunc(n);
  }
  if (typeof v === 'string') {
    const n = intFromString(v, 10);
    if (n === undefined) throw valueError(`invalid literal for int() with base 10: ${pyRepr(v)}`);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${qualifiedTypeName(v)}'`);
}

function toList(v: DfValue): DfValue {
  if (typeof v === 'string') return Array.from(v);
  if (isDfRecord(v)) return Object.keys(v);
  if (v instanceof Uint8Array) return Array.from(v);
  throw typeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** uuid.UUID(hex) (CPython 3.11): only a str has the .replace() it starts with. */
function toUuid(v: DfValue): DfValue {
  if (typeof v !== 'string') {
    if (v instanceof Uint8Array) throw typeError("a bytes-like object is required, not 'str'");
    throw otherError(`'${pyTypeName(v)}' object has no attribute 'replace'`);
  }
  const hex = v.replace(/urn:/g, '').replace(/uuid:/g, '').replace(/^[{}]+|[{}]+$/g, '').replace(/-/g, '');
  if ([...hex].length !== 32) throw valueError('badly formed hexadecimal UUID string');
  const n = intFromString(hex, 16);
  if (n === undefined) throw valueError(`invalid literal for int() with base 16: ${pyRepr(hex)}`);
  if (n < 0n || n >= 1n << 128n) throw valueError('int is out of range (need a 128-bit value)');
  const h = n.toString(16).padStart(32, '0');
  return new HostUUID(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
}

/** datetime.date(value): one positional argument is the year, so only an int gets further (recorded: field_types_plain). */
function toDate(v: DfValue): DfValue {
  if (typeof v === 'bigint' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) throw typeError("function missing required argument 'month' (pos 2)");
  throw typeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/**
 * The value _validate_config leaves in the config for a parameter of `type` (the same value when
 * no conversion applies). Throws DataFlowNodeError (NodeConfigurationError) where it raises.
 */
export function convertConfigValue(name: string, type: ConvertedType, value: DfValue): DfValue {
  if (isTemplateExpression(value)) return value;
  // None for a required parameter would go to type(None); whether DataFlow's Optional[T] fields
  // (declared required) reach that is not recorded, so None is left alone as before.
  if (value === null) return value;
  if (isInstance(type, value)) return value;
  try {
    if (type === 'int') return toInt(value);
    if (type === 'list') return toList(value);
    if (type === 'date') return toDate(value);
    return toUuid(value);
  } catch (e) {
    if (!(e instanceof ConversionError)) throw e;
    const message = e.caught ? `Configuration parameter '${name}' must be of type ${type}, got ${pyTypeName(value)}. Conversion failed: ${e.message}` : e.message;
    throw new DataFlowNodeError(message, { errorType: 'NodeConfigurationError' });
  }
}
