// Python's ==, ordering and `in` over DataFlow-layer values (what SwitchNode's conditions and
// MergeNode's key matching compute). Ordering between unorderable types throws a TypeError.
import { FloatNumber } from '../../python/floatNumber';
import { isDfRecord, pyTypeName, type DfValue } from '../../dataflow/values/dfValues';
import { PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof FloatNumber) return v.value;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyDecimal) return Number(v.text);
  return undefined;
}

function typeError(op: string, a: unknown, b: unknown): Error {
  return Object.assign(new TypeError(`'${op}' not supported between instances of '${pyTypeName(a as DfValue)}' and '${pyTypeName(b as DfValue)}'`), { pythonType: 'TypeError' });
}

export function pyEq(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => pyEq(v, b[i]));
  if ((a instanceof PyDateTime && b instanceof PyDateTime) || (a instanceof PyDate && b instanceof PyDate)) return a.iso === b.iso;
  if (isDfRecord(a) && isDfRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEq(a[k], b[k]));
  }
  return a === b;
}

/** Negative / zero / positive like Python's <, ==, > (TypeError when Python cannot order them). */
export function pyCompare(a: unknown, b: unknown, op: string): number {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!pyEq(a[i], b[i])) return pyCompare(a[i], b[i], op);
    return a.length - b.length;
  }
  if ((a instanceof PyDateTime && b instanceof PyDateTime) || (a instanceof PyDate && b instanceof PyDate)) return a.iso < b.iso ? -1 : a.iso > b.iso ? 1 : 0;
  throw typeError(op, a, b);
}

/** `item in container`. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw Object.assign(new TypeError(`'in <string>' requires string as left operand, not ${pyTypeName(item as DfValue)}`), { pythonType: 'TypeError' });
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (isDfRecord(container)) return Object.keys(container).some((k) => pyEq(k, item));
  throw Object.assign(new TypeError(`argument of type '${pyTypeName(container as DfValue)}' is not iterable`), { pythonType: 'TypeError' });
}
