/**
 * Conversions at the host boundary.
 *
 * toPlain(v):
 *   None → null, bool → boolean, int → number (bigint beyond 2^53), float → number
 *   (or FloatNumber with { floats: 'marker' }), str → string, list/tuple/set/frozenset → array,
 *   dict → plain object when every key is a str, otherwise a Map (or an object with
 *   json.dumps-style string keys with { nonStringKeys: 'stringify' }),
 *   bytes → Uint8Array, datetime/date/Decimal → PyDateTime/PyDate/PyDecimal (runtime/shared/hostValues.ts),
 *   UUID → its string, timedelta → seconds, Enum member → toPlain(value),
 *   dataclass instance → object of its fields, HostObject → its toPlain(),
 *   anything else (functions, classes, other instances, opaque values) → the PyValue itself.
 *
 * fromPlain(x, hints):
 *   null/undefined → None, boolean → bool, number → int when integral else float (a hint or a
 *   FloatNumber marker forces float), bigint → int, string → str, array → list, Set → set,
 *   Map / plain object → dict, Uint8Array → bytes, Date / PyDateTime → datetime, PyDate → date,
 *   PyDecimal → Decimal, PyValues (PyObject instances) pass through.
 */
import { PyDate, PyDateTime, PyDecimal, HostUUID } from '../shared/hostValues';
import { PyBytes, PyClass, PyDict, PyFloat, PyInstance, PyList, PyObject, PySet, PyTuple, PyValue, normInt, ClassAnnotation, DecoratorInfo, SourceLocation } from './values';
import { HostObject } from './host';
import { convertHooks } from './runtime';
import { PyDateTimeObj, PyDecimalObj, PyTimeDelta, PyUUID, parseIsoDateTime } from './stdlib';
import { floatRepr } from './numeric';

import { FloatNumber, floatValue } from './floatNumber';

export { FloatNumber };

export interface ToPlainOptions {
  /** 'number' (default), 'marker' (floats become FloatNumber) or 'whole' (whole floats become FloatNumber, fractional ones numbers). */
  floats?: 'number' | 'marker' | 'whole';
  /** Dicts with a non-str key: 'map' (default) or 'stringify' (json.dumps-style keys). */
  nonStringKeys?: 'map' | 'stringify';
}

export interface FromPlainHints {
  /** Return true when the number at `path` must be a float even if integral. */
  isFloat?: (path: readonly (string | number)[], value: number) => boolean;
  /** The Python value of a JS Error inside the data (a failed node entry's `_exception`). */
  error?: (e: Error) => PyValue;
}

export function toPlain(v: PyValue, opts: ToPlainOptions = {}, seen = new Map<object, unknown>()): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return v;
  }
  if (v === null) return null;
  if (v instanceof PyFloat) return opts.floats === 'marker' ? new FloatNumber(v.v) : opts.floats === 'whole' ? floatValue(v.v) : v.v;
  const cached = seen.get(v);
  if (cached !== undefined) return cached;
  if (v instanceof PyList || v instanceof PyTuple) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v.items) out.push(toPlain(x, opts, seen));
    return out;
  }
  if (v instanceof PySet) return v.values().map((x) => toPlain(x, opts, seen));
  if (v instanceof PyDict) {
    const entries = v.entries();
    if (entries.every(([k]) => typeof k === 'string') || opts.nonStringKeys === 'stringify') {
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const [k, x] of entries) {
        const key = typeof k === 'string' ? k : k === null ? 'null' : k === true ? 'true' : k === false ? 'false' : k instanceof PyFloat ? floatRepr(k.v) : String(toPlain(k, opts, seen));
        const val = toPlain(x, opts, seen);
        if (key === '__proto__') Object.defineProperty(out, key, { value: val, enumerable: true, writable: true, configurable: true });
        else out[key] = val;
      }
      return out;
    }
    const m = new Map<unknown, unknown>();
    seen.set(v, m);
    for (const [k, x] of entries) m.set(toPlain(k, opts, seen), toPlain(x, opts, seen));
    return m;
  }
  if (v instanceof PyBytes) return v.data;
  if (v instanceof PyDateTimeObj) return v.dateOnly ? new PyDate(v.isoformat()) : new PyDateTime(v.isoformat());
  if (v instanceof PyDecimalObj) return new PyDecimal(v.text);
  if (v instanceof PyUUID) return v.str();
  if (v instanceof PyTimeDelta) return v.us / 1e6;
  if (v instanceof PyInstance) {
    if (v.cls.enumMembers) return toPlain(v.dict.get('_value_') ?? null, opts, seen);
    const fields = v.cls.lookup('__dataclass_fields__');
    if (fields instanceof PyDict) {
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const f of fields.keys()) out[String(f)] = toPlain(v.dict.get(String(f)) ?? null, opts, seen);
      return out;
    }
    return v;
  }
  if (v instanceof HostObject) return v.toPlain();
  return v;
}

export function fromPlain(x: unknown, hints: FromPlainHints = {}, path: (string | number)[] = []): PyValue {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'boolean':
    case 'string':
      return x;
    case 'bigint':
      return normInt(x);
    case 'number':
      if (Number.isInteger(x) && Number.isSafeInteger(x) && !(hints.isFloat && hints.isFloat(path, x))) return Object.is(x, -0) ? 0 : x;
      return new PyFloat(x);
    case 'object':
      break;
    default:
      throw new TypeError(`fromPlain: cannot convert a ${typeof x}`);
  }
  if (x instanceof PyObject) return x;
  if (x instanceof FloatNumber) return new PyFloat(x.value);
  if (x instanceof Error && hints.error) return hints.error(x);
  if (Array.isArray(x)) return new PyList(x.map((e, i) => fromPlain(e, hints, [...path, i])));
  if (x instanceof Uint8Array) return new PyBytes(x);
  if (x instanceof Map) {
    const d = new PyDict();
    for (const [k, e] of x) d.set(fromPlain(k), fromPlain(e, hints, [...path, String(k)]));
    return d;
  }
  if (x instanceof Set) return PySet.of([...x].map((e) => fromPlain(e, hints, path)));
  if (x instanceof Date) return parseIsoDateTime(x.toISOString().replace('Z', ''), false);
  if (x instanceof PyDateTime) return parseIsoDateTime(x.iso, false);
  if (x instanceof PyDate) return parseIsoDateTime(x.iso, true);
  if (x instanceof PyDecimal) return new PyDecimalObj(x.text);
  if (x instanceof HostUUID) return new PyUUID(x.hex.replace(/-/g, ''));
  const d = new PyDict();
  for (const [k, e] of Object.entries(x as Record<string, unknown>)) d.set(k, fromPlain(e, hints, [...path, k]));
  return d;
}

convertHooks.toPlain = (v) => toPlain(v);
convertHooks.fromPlain = (x) => fromPlain(x);

/** A host-friendly description of a class (e.g. a DataFlow model). */
export interface ClassInfo {
  name: string;
  qualname: string;
  module: string;
  bases: string[];
  /** Own annotations in order (see PyClass.allAnnotations() for inherited ones). */
  annotations: ClassAnnotation[];
  /** Class attributes (evaluated) by name, including dunders such as __dataflow__ and __tablename__. */
  attributes: Map<string, PyValue>;
  decorators: DecoratorInfo[];
  loc: SourceLocation | undefined;
  classKwargs: Map<string, PyValue> | undefined;
}

export function describeClass(cls: PyClass): ClassInfo {
  const attributes = new Map<string, PyValue>();
  for (const [k, v] of cls.ns) if (k !== '__module__' && k !== '__qualname__') attributes.set(k, v);
  return {
    name: cls.name,
    qualname: cls.qualname,
    module: cls.module,
    bases: cls.bases.map((b) => b.name),
    annotations: cls.annotations,
    attributes,
    decorators: cls.decorators,
    loc: cls.loc,
    classKwargs: cls.classKwargs,
  };
}
