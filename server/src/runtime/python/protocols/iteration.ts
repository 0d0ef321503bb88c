/** Object protocols: iteration. */
import {
  ArrayIterator,
  IterResult,
  ListIterator,
  PyBytes,
  PyClass,
  PyCoroutine,
  PyDict,
  PyException,
  PyInstance,
  PyIterator,
  PyList,
  PyOpaque,
  PyRange,
  PySet,
  PyTuple,
  PyValue,
  RangeIterator,
  STOP,
  SourceLocation,
  pyErr,
} from '../values';
import { HostObject } from '../host';
import { Interp, unsupported, opaqueUse, typeName } from '../runtime';
import { callMethod } from './calls';
import { callSync } from './equality';

class HostIterator extends PyIterator {
  private it: Iterator<PyValue> | AsyncIterator<PyValue>;
  constructor(
    src: Iterable<PyValue> | AsyncIterable<PyValue>,
    private readonly interp: Interp,
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
    this.it = Symbol.asyncIterator in src ? (src as AsyncIterable<PyValue>)[Symbol.asyncIterator]() : (src as Iterable<PyValue>)[Symbol.iterator]();
  }
  next(): IterResult | Promise<IterResult> {
    let r: IteratorResult<PyValue> | Promise<IteratorResult<PyValue>>;
    try {
      r = this.it.next();
    } catch (e) {
      throw this.interp.hostError(e, this.loc);
    }
    if (r instanceof Promise) return r.then((x) => (x.done ? STOP : (x.value ?? null)), (e) => Promise.reject(this.interp.hostError(e, this.loc)));
    return r.done ? STOP : (r.value ?? null);
  }
}

class InstanceIterator extends PyIterator {
  constructor(
    private readonly obj: PyValue,
    private readonly interp: Interp,
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  next(): IterResult | Promise<IterResult> {
    try {
      const r = callMethod(this.interp, this.obj, '__next__', [], null, this.loc);
      if (r instanceof Promise) return r.catch((e) => (e instanceof PyException && e.pyTypes.includes('StopIteration') ? STOP : Promise.reject(e)));
      return r;
    } catch (e) {
      if (e instanceof PyException && e.pyTypes.includes('StopIteration')) return STOP;
      throw e;
    }
  }
}

/** Characters of a string as Python sees them (code points). */
export function strChars(s: string): string[] {
  // fast path: no surrogates
  if (!/[\ud800-\udfff]/.test(s)) return s.split('');
  return Array.from(s);
}

export function iter(interp: Interp, v: PyValue, loc: SourceLocation | undefined): PyIterator {
  if (typeof v === 'object' && v !== null) {
    if (v instanceof PyList) return new ListIterator(v);
    if (v instanceof PyRange) return new RangeIterator(v);
    if (v instanceof PyTuple) return new ArrayIterator(v.items, 'tuple_iterator');
    if (v instanceof PyDict) return new ArrayIterator(v.keys(), 'dict_keyiterator');
    if (v instanceof PySet) return new ArrayIterator(v.values(), 'set_iterator');
    if (v instanceof PyIterator) return v;
    if (v instanceof PyBytes) return new ArrayIterator([...v.data], 'bytes_iterator');
    if (v instanceof HostObject) {
      let src: Iterable<PyValue> | AsyncIterable<PyValue> | undefined;
      try {
        src = v.iter(interp.hostContext(loc));
      } catch (e) {
        throw interp.hostError(e, loc);
      }
      if (src === undefined) throw pyErr('TypeError', `'${v.typeName}' object is not iterable`);
      return new HostIterator(src, interp, loc);
    }
    if (v instanceof PyInstance) {
      const it = v.cls.lookup('__iter__');
      if (it !== undefined) {
        const r = callSync(interp, it, [v], loc);
        if (r === v || (r instanceof PyInstance && r.cls.lookup('__next__') !== undefined)) return new InstanceIterator(r, interp, loc);
        return iter(interp, r, loc);
      }
      if (v.cls.lookup('__next__') !== undefined) throw pyErr('TypeError', `'${v.cls.name}' object is not iterable`);
      if (v.cls.lookup('__getitem__') !== undefined) throw unsupported('iteration through __getitem__', loc);
    }
    if (v instanceof PyClass && v.enumMembers) return new ArrayIterator(v.enumMembers);
    if (v instanceof PyOpaque) throw opaqueUse(v, 'iteration', loc);
    if (v instanceof PyCoroutine) throw pyErr('TypeError', `'coroutine' object is not iterable`);
  }
  if (typeof v === 'string') return new ArrayIterator(strChars(v), 'str_ascii_iterator');
  throw pyErr('TypeError', `'${typeName(v)}' object is not iterable`);
}

/** Drains an iterable into an array (async-aware). */
export function toArray(interp: Interp, v: PyValue, loc: SourceLocation | undefined): PyValue[] | Promise<PyValue[]> {
  if (v instanceof PyList) return v.items.slice();
  if (v instanceof PyTuple) return v.items.slice();
  if (typeof v === 'string') return strChars(v);
  if (v instanceof PyRange) {
    const n = v.length;
    interp.checkSize(n, loc);
    const out = new Array<PyValue>(n);
    for (let i = 0; i < n; i++) out[i] = v.start + i * v.step;
    return out;
  }
  if (v instanceof PyDict) return v.keys();
  if (v instanceof PySet) return v.values();
  const it = iter(interp, v, loc);
  const out: PyValue[] = [];
  for (;;) {
    const x = it.next();
    if (x instanceof Promise) return drainAsync(interp, it, out, x, loc);
    if (x === STOP) return out;
    out.push(x);
    if ((out.length & 0xffff) === 0) interp.checkSize(out.length, loc);
  }
}

async function drainAsync(interp: Interp, it: PyIterator, out: PyValue[], first: Promise<IterResult>, loc: SourceLocation | undefined): Promise<PyValue[]> {
  let x: IterResult | Promise<IterResult> = first;
  for (;;) {
    if (x instanceof Promise) x = await x;
    if (x === STOP) return out;
    out.push(x);
    if ((out.length & 0xffff) === 0) interp.checkSize(out.length, loc);
    x = it.next();
  }
}
