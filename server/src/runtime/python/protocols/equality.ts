/** Object protocols: truthiness, equality and hashing. */
import {
  Kwargs,
  PyBoundMethod,
  PyBytes,
  PyClass,
  PyDict,
  PyFloat,
  PyInstance,
  PyList,
  PyObject,
  PyOpaque,
  PyRange,
  PySet,
  PyTuple,
  PyTypeAlias,
  PyValue,
  SourceLocation,
  hashHooks,
  UnhashableError,
} from '../values';
import { HostObject } from '../host';
import { numCompare, numOf } from '../numeric';
import { Interp, opaqueUse, unsupported, builtinTypes } from '../runtime';
import { call } from './calls';
import { repr } from './text';

export function truthy(interp: Interp, v: PyValue): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
    case 'bigint':
      return v !== 0n;
    case 'object':
      if (v === null) return false;
      if (v instanceof PyList) return v.items.length > 0;
      if (v instanceof PyDict) return v.map.size > 0;
      if (v instanceof PyFloat) return v.v !== 0 && !Number.isNaN(v.v) ? true : Number.isNaN(v.v);
      if (v instanceof PyTuple) return v.items.length > 0;
      if (v instanceof PySet) return v.map.size > 0;
      if (v instanceof PyRange) return v.length > 0;
      if (v instanceof PyBytes) return v.data.length > 0;
      if (v instanceof HostObject) return v.truthy();
      if (v instanceof PyInstance) {
        const b = v.cls.lookup('__bool__');
        if (b !== undefined) return truthy(interp, callSync(interp, b, [v], undefined));
        const l = v.cls.lookup('__len__');
        if (l !== undefined) return truthy(interp, callSync(interp, l, [v], undefined));
        return true;
      }
      if (v instanceof PyOpaque) throw opaqueUse(v, 'truth value', interp.currentLoc());
      return true;
  }
  return true;
}

/** Calls a Python callable and requires a synchronous result (implicit special-method calls). */
export function callSync(interp: Interp, fn: PyValue, args: PyValue[], loc: SourceLocation | undefined, kwargs: Kwargs | null = null): PyValue {
  interp.noYield++;
  try {
    const r = call(interp, fn, args, kwargs, loc);
    if (r instanceof Promise) {
      r.catch(() => undefined);
      throw unsupported('asynchronous work inside an implicitly called special method or key function', loc ?? interp.currentLoc());
    }
    return r;
  } finally {
    interp.noYield--;
  }
}

export function eq(interp: Interp, a: PyValue, b: PyValue): boolean {
  if (a === b) return !(a instanceof PyFloat && Number.isNaN(a.v));
  switch (typeof a) {
    case 'string':
      if (typeof b === 'string') return false;
      break;
    case 'number':
      if (typeof b === 'number') return false;
      break;
  }
  if (a === null || b === null) {
    const other = a === null ? b : a;
    if (!(other instanceof PyInstance) && !(other instanceof HostObject)) return false;
  }
  const na = numOf(a);
  if (na !== undefined) {
    const nb = numOf(b);
    if (nb !== undefined) return numCompare(na, nb) === 0;
  }
  if (typeof a === 'object' && a !== null) {
    // list == approx([...]): the builtin's __eq__ says NotImplemented, so the host object's answers.
    if (b instanceof HostObject && !(a instanceof HostObject) && !(a instanceof PyInstance)) return b.equals(a);
    if (a instanceof PyList) return b instanceof PyList && seqEq(interp, a.items, b.items);
    if (a instanceof PyTuple) return b instanceof PyTuple && seqEq(interp, a.items, b.items);
    if (a instanceof PyDict) {
      if (!(b instanceof PyDict) || a.map.size !== b.map.size) return false;
      for (const [h, v] of a.map) {
        const e = b.map.get(h);
        if (e === undefined || !eq(interp, v, e)) return false;
      }
      return true;
    }
    if (a instanceof PySet) {
      if (!(b instanceof PySet) || a.map.size !== b.map.size) return false;
      for (const h of a.map.keys()) if (!b.map.has(h)) return false;
      return true;
    }
    if (a instanceof PyRange) return b instanceof PyRange && a.length === b.length && (a.length === 0 || (a.start === b.start && (a.length === 1 || a.step === b.step)));
    if (a instanceof PyBytes) return b instanceof PyBytes && Buffer.from(a.data).equals(Buffer.from(b.data));
    if (a instanceof PyInstance) {
      const r = instanceEq(interp, a, b);
      if (r !== undefined) return r;
    }
    if (a instanceof HostObject && a.equals(b)) return true;
    if (a instanceof PyTypeAlias && b instanceof PyTypeAlias) return repr(interp, a) === repr(interp, b);
    if (a instanceof PyBoundMethod && b instanceof PyBoundMethod) return a.self === b.self && a.func === b.func;
  }
  if (b instanceof PyInstance) {
    const r = instanceEq(interp, b, a);
    if (r !== undefined) return r;
  }
  if (b instanceof HostObject) return b.equals(a);
  return false;
}

function instanceEq(interp: Interp, a: PyInstance, b: PyValue): boolean | undefined {
  const m = a.cls.lookup('__eq__');
  if (m !== undefined) {
    const r = callSync(interp, m, [a, b], undefined);
    if (r instanceof PyObject && r.typeName === 'NotImplementedType') return undefined;
    return truthy(interp, r);
  }
  if (a.cls.enumMembers && enumMixin(a.cls)) {
    const v = a.dict.get('_value_');
    if (v !== undefined && !(b instanceof PyInstance && b.cls === a.cls)) return eq(interp, v, b);
  }
  return undefined;
}

export function enumMixin(cls: PyClass): 'str' | 'int' | undefined {
  for (const c of cls.mro) {
    if (c === builtinTypes.get('str')) return 'str';
    if (c === builtinTypes.get('int')) return 'int';
  }
  return undefined;
}

function seqEq(interp: Interp, x: PyValue[], y: PyValue[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!eq(interp, x[i], y[i])) return false;
  return true;
}

export let activeInterp: Interp | undefined;
export function setActiveInterp(i: Interp | undefined): void {
  activeInterp = i;
}

hashHooks.instanceKey = (v) => {
  if (v instanceof HostObject) return v.hashKey();
  if (v instanceof PyInstance) {
    if (v.cls.enumMembers && enumMixin(v.cls)) {
      const val = v.dict.get('_value_');
      if (val !== undefined) return hashHooksKey(val);
    }
    const h = v.cls.lookup('__hash__');
    if (h === null) throw new UnhashableError(v.cls.name);
    if (v.cls.lookup('__eq__') !== undefined && h === undefined) {
      const dc = v.cls.lookup('__dataclass_fields__');
      if (dc === undefined) throw new UnhashableError(v.cls.name);
    }
    if (h !== undefined && activeInterp) {
      const r = callSync(activeInterp, h, [v], undefined);
      return Symbol.for('\u0000H' + String(r));
    }
    return v;
  }
  if (v instanceof PyOpaque) throw unsupported(`hashing '${v.description}'`, activeInterp?.currentLoc());
  return v;
};
function hashHooksKey(v: PyValue): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof PyFloat ? v.v : v;
}
