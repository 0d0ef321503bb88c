/** Object protocols: subscripts and slices. */
import {
  PyBytes,
  PyClass,
  PyDict,
  PyException,
  PyInstance,
  PyList,
  PyOpaque,
  PyRange,
  PySlice,
  PyTuple,
  PyTypeAlias,
  PyValue,
  SourceLocation,
  builtinExceptionClasses,
  makeException,
  pyErr,
} from '../values';
import { HostObject } from '../host';
import { activeInterp, callSync } from './equality';
import { typeName, Interp, unsupported, opaqueUse } from '../runtime';
import { call, callHost } from './calls';
import { toArray } from './iteration';

export function toIndex(v: PyValue, what = 'indices'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyInstance && v.cls.lookup('__index__') !== undefined && activeInterp) return toIndex(callSync(activeInterp, v.cls.lookup('__index__')!, [v], undefined), what);
  throw pyErr('TypeError', `${what} must be integers or slices, not ${typeName(v)}`);
}

/** Resolves a slice against a length: [start, stop, step, count]. */
export function sliceIndices(s: PySlice, n: number): [number, number, number, number] {
  const step = s.step === null ? 1 : toIndex(s.step, 'slice indices');
  if (step === 0) throw pyErr('ValueError', 'slice step cannot be zero');
  const clamp = (v: PyValue, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    let i = toIndex(v, 'slice indices');
    if (i < 0) i += n;
    return i < lo ? lo : i > hi ? hi : i;
  };
  let start: number;
  let stop: number;
  if (step > 0) {
    start = clamp(s.start, 0, 0, n);
    stop = clamp(s.stop, n, 0, n);
  } else {
    start = clamp(s.start, n - 1, -1, n - 1);
    stop = clamp(s.stop, -1, -1, n - 1);
  }
  let count = 0;
  if (step > 0 ? start < stop : start > stop) count = Math.floor((stop - start - (step > 0 ? 1 : -1)) / step) + 1;
  return [start, stop, step, count];
}

function sliceArray<T>(xs: readonly T[], s: PySlice): T[] {
  const [start, stop, step, count] = sliceIndices(s, xs.length);
  if (step === 1) return xs.slice(start, Math.max(start, stop));
  const out = new Array<T>(count);
  for (let i = 0, j = start; i < count; i++, j += step) out[i] = xs[j];
  return out;
}

export function getItem(interp: Interp, obj: PyValue, key: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (obj instanceof PyList || obj instanceof PyTuple) {
    if (typeof key === 'number') {
      const xs = obj.items;
      const i = key < 0 ? key + xs.length : key;
      if (i >= 0 && i < xs.length) return xs[i];
      throw pyErr('IndexError', `${obj instanceof PyList ? 'list' : 'tuple'} index out of range`);
    }
    if (key instanceof PySlice) return obj instanceof PyList ? new PyList(sliceArray(obj.items, key)) : new PyTuple(sliceArray(obj.items, key));
    const i = toIndex(key, `${obj instanceof PyList ? 'list' : 'tuple'} indices`);
    return getItem(interp, obj, i, loc);
  }
  if (obj instanceof PyDict) {
    const v = obj.get(key);
    if (v !== undefined) return v;
    const miss = (obj as PyDict & { missing?: (k: PyValue) => PyValue | Promise<PyValue> }).missing;
    if (miss) return miss.call(obj, key);
    throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [key]));
  }
  if (typeof obj === 'string') {
    if (key instanceof PySlice) {
      if (/[\ud800-\udfff]/.test(obj)) return sliceArray(Array.from(obj), key).join('');
      const [start, stop, step, count] = sliceIndices(key, obj.length);
      if (step === 1) return obj.slice(start, Math.max(start, stop));
      let out = '';
      for (let i = 0, j = start; i < count; i++, j += step) out += obj[j];
      return out;
    }
    const chars = /[\ud800-\udfff]/.test(obj) ? Array.from(obj) : obj;
    let i = toIndex(key, 'string indices');
    if (i < 0) i += chars.length;
    if (i >= 0 && i < chars.length) return chars[i];
    throw pyErr('IndexError', 'string index out of range');
  }
  if (obj instanceof PyRange) {
    if (key instanceof PySlice) {
      const [start, , step, count] = sliceIndices(key, obj.length);
      const s = obj.start + start * obj.step;
      const st = obj.step * step;
      return new PyRange(s, s + count * st, st);
    }
    let i = toIndex(key, 'range indices');
    if (i < 0) i += obj.length;
    if (i >= 0 && i < obj.length) return obj.at(i);
    throw pyErr('IndexError', 'range object index out of range');
  }
  if (obj instanceof PyInstance) {
    const m = obj.cls.lookup('__getitem__');
    if (m !== undefined) return call(interp, m, [obj, key], null, loc);
    if (obj.cls.lookup('__class_getitem__') !== undefined) throw unsupported('__class_getitem__', loc);
  }
  if (obj instanceof HostObject) return callHost(interp, loc, () => obj.getItem(key, interp.hostContext(loc)));
  if (obj instanceof PyClass || obj instanceof PyTypeAlias) return genericAlias(interp, obj, key, loc);
  if (obj instanceof PyBytes) {
    if (key instanceof PySlice) return new PyBytes(Uint8Array.from(sliceArray([...obj.data], key)));
    let i = toIndex(key, 'byte indices');
    if (i < 0) i += obj.data.length;
    if (i >= 0 && i < obj.data.length) return obj.data[i];
    throw pyErr('IndexError', 'index out of range');
  }
  if (obj instanceof PyOpaque) throw opaqueUse(obj, 'subscript', loc);
  throw pyErr('TypeError', `'${typeName(obj)}' object is not subscriptable`);
}

/** list[int], dict[str, Any], Optional[int] (when typing names are PyTypeAlias), user generics. */
function genericAlias(interp: Interp, base: PyClass | PyTypeAlias, key: PyValue, loc: SourceLocation | undefined): PyValue {
  const args = key instanceof PyTuple ? key.items : [key];
  if (base instanceof PyTypeAlias) {
    const special = (base as PyTypeAlias & { subscript?: (args: PyValue[]) => PyValue }).subscript;
    if (special) return special(args);
    return new PyTypeAlias(base.name, args, base.origin);
  }
  if (base.enumMembers) {
    // Color["RED"]
    for (const m of base.enumMembers) if (m.dict.get('_name_') === key) return m;
    throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [key]));
  }
  const cg = base.lookup('__class_getitem__');
  if (cg !== undefined) throw unsupported('__class_getitem__', loc);
  void interp;
  return new PyTypeAlias(base.module === 'builtins' ? base.name : `${base.module}.${base.qualname}`, args, base);
}

export function setItem(interp: Interp, obj: PyValue, key: PyValue, value: PyValue, loc: SourceLocation | undefined): void | Promise<void> {
  if (obj instanceof PyDict) {
    obj.set(key, value);
    if ((obj.map.size & 0xffff) === 0) interp.checkSize(obj.map.size, loc);
    return;
  }
  if (obj instanceof PyList) {
    if (key instanceof PySlice) {
      const arr = toArray(interp, value, loc);
      if (arr instanceof Promise) throw unsupported('slice assignment from an asynchronous iterable', loc);
      const [start, stop, step, count] = sliceIndices(key, obj.items.length);
      if (step === 1) {
        obj.items.splice(start, Math.max(0, stop - start), ...arr);
        return;
      }
      if (arr.length !== count) throw pyErr('ValueError', `attempt to assign sequence of size ${arr.length} to extended slice of size ${count}`);
      for (let i = 0, j = start; i < count; i++, j += step) obj.items[j] = arr[i];
      return;
    }
    let i = toIndex(key, 'list indices');
    if (i < 0) i += obj.items.length;
    if (i < 0 || i >= obj.items.length) throw pyErr('IndexError', 'list assignment index out of range');
    obj.items[i] = value;
    return;
  }
  if (obj instanceof PyInstance) {
    const m = obj.cls.lookup('__setitem__');
    if (m !== undefined) {
      const r = call(interp, m, [obj, key, value], null, loc);
      if (r instanceof Promise) return r.then(() => undefined);
      return;
    }
  }
  if (obj instanceof HostObject) {
    try {
      const r = obj.setItem(key, value, interp.hostContext(loc));
      if (r instanceof Promise) return r.catch((e) => Promise.reject(interp.hostError(e, loc)));
      return;
    } catch (e) {
      throw interp.hostError(e, loc);
    }
  }
  if (obj instanceof PyOpaque) throw opaqueUse(obj, 'item assignment', loc);
  throw pyErr('TypeError', `'${typeName(obj)}' object does not support item assignment`);
}

export function delItem(interp: Interp, obj: PyValue, key: PyValue, loc: SourceLocation | undefined): void {
  if (obj instanceof PyDict) {
    if (!obj.delete(key)) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [key]));
    return;
  }
  if (obj instanceof PyList) {
    if (key instanceof PySlice) {
      const [start, stop, step, count] = sliceIndices(key, obj.items.length);
      if (step === 1) {
        obj.items.splice(start, Math.max(0, stop - start));
        return;
      }
      const drop = new Set<number>();
      for (let i = 0, j = start; i < count; i++, j += step) drop.add(j);
      obj.items = obj.items.filter((_, i) => !drop.has(i));
      return;
    }
    let i = toIndex(key, 'list indices');
    if (i < 0) i += obj.items.length;
    if (i < 0 || i >= obj.items.length) throw pyErr('IndexError', 'list assignment index out of range');
    obj.items.splice(i, 1);
    return;
  }
  if (obj instanceof PyInstance) {
    const m = obj.cls.lookup('__delitem__');
    if (m !== undefined) {
      callSync(interp, m, [obj, key], loc);
      return;
    }
  }
  if (obj instanceof HostObject) {
    try {
      obj.delItem(key, interp.hostContext(loc));
      return;
    } catch (e) {
      throw interp.hostError(e, loc);
    }
  }
  if (obj instanceof PyOpaque) throw opaqueUse(obj, 'item deletion', loc);
  throw pyErr('TypeError', `'${typeName(obj)}' object does not support item deletion`);
}
