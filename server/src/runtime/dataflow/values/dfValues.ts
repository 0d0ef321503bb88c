/**
 * DataFlow's values (DfValue, DfRecord): how Python values are represented when the evaluator hands
 * them to this layer, and how node outputs come back. Not the evaluator's PyValue / PyDict
 * (runtime/python/values.ts), which are Python objects.
 *
 * - None → null, bool → boolean, int/float → number (bigint for ints beyond 2^53), str → string,
 *   bytes → Uint8Array, list/tuple → array, dict → plain object (insertion order = Python order).
 * - datetime / date / Decimal / UUID → the host value classes (runtime/shared/hostValues.ts; outputs never contain them: DataFlow
 *   turns datetimes into isoformat() strings; dates/Decimals are stored as TEXT).
 * - A callable model default → CallableDefault (evaluated at INSERT time).
 *
 * Python distinguishes 3 from 3.0; JS does not: a whole float is a FloatNumber (python/floatNumber.ts),
 * from the evaluator (toPlain's 'whole' floats) and from REAL columns (nodes/common.ts rowToOutput);
 * a fractional float is a plain number.
 */
import { floatRepr } from '../../python/numeric';
import { FloatNumber } from '../../python/floatNumber';
import { HostUUID, PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';

/** A callable default such as `datetime.now` or a user function; `produce` yields the value. */
export class CallableDefault {
  constructor(
    readonly name: string,
    readonly produce: () => DfValue,
  ) {}
}

export type DfValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyDateTime
  | PyDate
  | PyDecimal
  | HostUUID
  | CallableDefault
  | FloatNumber
  | DfValue[]
  | DfRecord;

export interface DfRecord {
  [key: string]: DfValue;
}

export function isDfRecord(v: unknown): v is DfRecord {
  if (typeof v !== 'object' || v === null) return false;
  // An object literal (nearly every record; bulk data has 100,000) is none of the classes below.
  if (Object.getPrototypeOf(v) === Object.prototype) return true;
  return (
    !Array.isArray(v) &&
    !(v instanceof Uint8Array) &&
    !(v instanceof PyDateTime) &&
    !(v instanceof PyDate) &&
    !(v instanceof PyDecimal) &&
    !(v instanceof HostUUID) &&
    !(v instanceof CallableDefault) &&
    !(v instanceof FloatNumber)
  );
}

/** Python's truthiness for the values this layer sees. */
export function truthy(v: DfValue | undefined): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof FloatNumber) return v.value !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (isDfRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python type name of a value, for error messages. */
export function pyTypeName(v: DfValue | undefined): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof FloatNumber) return 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof PyDateTime) return 'datetime';
  if (v instanceof PyDate) return 'date';
  if (v instanceof PyDecimal) return 'Decimal';
  if (v instanceof HostUUID) return 'UUID';
  if (v instanceof CallableDefault) return 'function';
  return 'dict';
}

/** Python's repr() for the values this layer prints in messages. */
export function pyRepr(v: DfValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof FloatNumber) return floatRepr(v.value);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return pyStrRepr(v);
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  if (v instanceof Uint8Array) return "b'" + Buffer.from(v).toString('latin1') + "'";
  if (v instanceof PyDateTime) return `datetime.datetime.fromisoformat('${v.iso}')`;
  if (v instanceof PyDate) return `datetime.date.fromisoformat('${v.iso}')`;
  if (v instanceof PyDecimal) return `Decimal('${v.text}')`;
  if (v instanceof HostUUID) return `UUID('${v.hex}')`;
  if (v instanceof CallableDefault) return `<function ${v.name}>`;
  return '{' + Object.entries(v).map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ') + '}';
}

function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(q === "'" ? /'/g : /"/g, q === "'" ? "\\'" : '\\"');
  return q + body + q;
}

/** Python json.dumps() with default separators (", " and ": "), as DataFlow binds dict/list values. */
export function pyJsonDumps(v: DfValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || v instanceof FloatNumber) {
    const n = Number(v);
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    // float.__repr__ for a float (5.0, 1e-05, 1e+16), the digits for an int
    return typeof v === 'number' && Number.isInteger(v) ? String(v) : floatRepr(n);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (Array.isArray(v)) return '[' + v.map(pyJsonDumps).join(', ') + ']';
  if (isDfRecord(v)) return '{' + Object.entries(v).map(([k, x]) => `${pyJsonDumps(k)}: ${pyJsonDumps(x)}`).join(', ') + '}';
  throw new TypeError(`Object of type ${pyTypeName(v)} is not JSON serializable`);
}

/** Shallow copy of a dict preserving order. */
export function copyDict(d: DfRecord): DfRecord {
  return { ...d };
}
