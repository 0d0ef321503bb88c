/**
 * How Python values are represented when the evaluator hands them to this layer, and how
 * node outputs come back.
 *
 * - None → null, bool → boolean, int/float → number (bigint for ints beyond 2^53), str → string,
 *   bytes → Uint8Array, list/tuple → array, dict → plain object (insertion order = Python order).
 * - datetime / date / Decimal → the wrapper classes below (outputs never contain them: DataFlow
 *   turns datetimes into isoformat() strings; dates/Decimals are stored as TEXT).
 * - A callable model default → CallableDefault (evaluated at INSERT time).
 *
 * Python distinguishes 3 from 3.0; JS does not: a whole float is a FloatNumber (python/floatNumber.ts),
 * from the evaluator (toPlain's 'whole' floats) and from REAL columns (nodes/common.ts rowToOutput);
 * a fractional float is a plain number.
 */
import { floatRepr } from '../../python/numeric';
import { FloatNumber } from '../../python/floatNumber';

export class PyDateTime {
  /** `iso` is what Python's isoformat() would print (naive unless it carries an offset). */
  constructor(readonly iso: string) {}
  toString(): string {
    return this.iso;
  }
}

export class PyDate {
  constructor(readonly iso: string) {}
  toString(): string {
    return this.iso;
  }
}

export class PyDecimal {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** uuid.UUID: `hex` is str(uuid), the canonical 8-4-4-4-12 lower-case form. */
export class PyUUID {
  constructor(readonly hex: string) {}
  toString(): string {
    return this.hex;
  }
}

/** A callable default such as `datetime.now` or a user function; `produce` yields the value. */
export class CallableDefault {
  constructor(
    readonly name: string,
    readonly produce: () => PyValue,
  ) {}
}

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyDateTime
  | PyDate
  | PyDecimal
  | PyUUID
  | CallableDefault
  | FloatNumber
  | PyValue[]
  | PyDict;

export interface PyDict {
  [key: string]: PyValue;
}

export function isPyDict(v: unknown): v is PyDict {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Uint8Array) &&
    !(v instanceof PyDateTime) &&
    !(v instanceof PyDate) &&
    !(v instanceof PyDecimal) &&
    !(v instanceof PyUUID) &&
    !(v instanceof CallableDefault) &&
    !(v instanceof FloatNumber)
  );
}

/** Python's truthiness for the values this layer sees. */
export function truthy(v: PyValue | undefined): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof FloatNumber) return v.value !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (isPyDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python type name of a value, for error messages. */
export function pyTypeName(v: PyValue | undefined): string {
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
  if (v instanceof PyUUID) return 'UUID';
  if (v instanceof CallableDefault) return 'function';
  return 'dict';
}

/** Python's repr() for the values this layer prints in messages. */
export function pyRepr(v: PyValue | undefined): string {
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
  if (v instanceof PyUUID) return `UUID('${v.hex}')`;
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
export function pyJsonDumps(v: PyValue): string {
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
  if (isPyDict(v)) return '{' + Object.entries(v).map(([k, x]) => `${pyJsonDumps(k)}: ${pyJsonDumps(x)}`).join(', ') + '}';
  throw new TypeError(`Object of type ${pyTypeName(v)} is not JSON serializable`);
}

/** Shallow copy of a dict preserving order. */
export function copyDict(d: PyDict): PyDict {
  return { ...d };
}
