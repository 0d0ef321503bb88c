/**
 * Builtin functions, builtin types (int, str, list...) and the methods of str/list/dict/set/tuple.
 */
import { PyGenerator } from './generatorObject';
import {
  ArrayIterator,
  BaseException,
  ELLIPSIS,
  Kwargs,
  ListIterator,
  NativeFn,
  PyBoundMethod,
  PyBuiltin,
  PyBytes,
  PyClass,
  PyClassMethod,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyDeque,
  PyList,
  PyObject,
  PyProperty,
  PyRange,
  PySet,
  PySlice,
  PyStaticMethod,
  PyTuple,
  PyValue,
  STOP,
  IterResult,
  SourceLocation,
  builtinExceptionClasses,
  identityId,
  isExceptionClass,
  makeException,
  normInt,
  pyErr,
  hashKey,
} from './values';
import {
  Interp,
  MethodImpl,
  NO_ATTR,
  builtinTypes,
  call,
  callSync,
  cmp,
  compare,
  contains,
  eq,
  format,
  getAttr,
  getItem,
  getAttrOpt,
  isCallable,
  isInstance,
  iter,
  len,
  methodTables,
  repr,
  setAttr,
  delAttr,
  str,
  strChars,
  toArray,
  toIndex,
  truthy,
  typeName,
  typeOf,
  unsupported,
  binop,
  awaitValue,
} from './runtime';
import { HostObject } from './host';
import { makeDynamicClass } from './dynamicClass';
import { floatRepr, numOf, parseFloatText, parseIntText, roundFloat, roundHalfEven, intOp, toBig } from './numeric';

const then = <T, R>(v: T | Promise<T>, fn: (x: T) => R | Promise<R>): R | Promise<R> => (v instanceof Promise ? v.then(fn) : fn(v));

function kw(kwargs: Kwargs | null, name: string): PyValue | undefined {
  return kwargs ? kwargs.get(name) : undefined;
}

function arg(args: PyValue[], kwargs: Kwargs | null, i: number, name: string): PyValue | undefined {
  if (i < args.length) return args[i];
  return kw(kwargs, name);
}

function noKwargs(fname: string, kwargs: Kwargs | null, allowed: string[] = []): void {
  if (!kwargs) return;
  for (const k of kwargs.keys()) if (!allowed.includes(k)) throw pyErr('TypeError', `${fname}() got an unexpected keyword argument '${k}'`);
}

function needStr(v: PyValue, what: string): string {
  if (typeof v !== 'string') throw pyErr('TypeError', `${what} must be str, not ${typeName(v)}`);
  return v;
}

export const NotImplemented = new (class extends PyObject {
  get typeName(): string {
    return 'NotImplementedType';
  }
})();

// ---------------------------------------------------------------------------------------------
// Lazy iterators

class MapIterator extends PyIterator {
  constructor(
    private readonly interp: Interp,
    private readonly fn: PyValue,
    private readonly its: PyIterator[],
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  override get typeName(): string {
    return 'map';
  }
  next(): IterResult | Promise<IterResult> {
    return then(nextAll(this.its), (xs) => (xs === STOP ? STOP : call(this.interp, this.fn, xs, null, this.loc)));
  }
}

function nextAll(its: PyIterator[]): PyValue[] | typeof STOP | Promise<PyValue[] | typeof STOP> {
  const out: PyValue[] = [];
  for (let i = 0; i < its.length; i++) {
    const x = its[i].next();
    if (x instanceof Promise) {
      const idx = i;
      return x.then(async (v) => {
        if (v === STOP) return STOP;
        out.push(v);
        for (let j = idx + 1; j < its.length; j++) {
          const y = await its[j].next();
          if (y === STOP) return STOP;
          out.push(y);
        }
        return out;
      });
    }
    if (x === STOP) return STOP;
    out.push(x);
  }
  return out;
}

class FilterIterator extends PyIterator {
  constructor(
    private readonly interp: Interp,
    private readonly fn: PyValue,
    private readonly it: PyIterator,
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  override get typeName(): string {
    return 'filter';
  }
  next(): IterResult | Promise<IterResult> {
    for (;;) {
      const x = this.it.next();
      if (x instanceof Promise)
        return x.then((v): IterResult | Promise<IterResult> => {
          if (v === STOP) return STOP;
          const r = this.test(v);
          return r === NO_MATCH ? this.next() : (r as IterResult | Promise<IterResult>);
        });
      if (x === STOP) return STOP;
      const r = this.test(x);
      if (r instanceof Promise) return r;
      if (r !== NO_MATCH) return r;
    }
  }
  private test(x: PyValue): PyValue | typeof NO_MATCH | Promise<IterResult> {
    const keep = this.fn === null ? x : call(this.interp, this.fn, [x], null, this.loc);
    if (keep instanceof Promise) return keep.then((k) => (truthy(this.interp, k) ? x : this.next())) as Promise<IterResult>;
    return truthy(this.interp, keep) ? x : NO_MATCH;
  }
}
const NO_MATCH: unique symbol = Symbol('NO_MATCH');

class EnumerateIterator extends PyIterator {
  constructor(
    private readonly it: PyIterator,
    private i: number,
  ) {
    super();
  }
  override get typeName(): string {
    return 'enumerate';
  }
  next(): IterResult | Promise<IterResult> {
    const x = this.it.next();
    if (x instanceof Promise) return x.then((v) => (v === STOP ? STOP : new PyTuple([this.i++, v])));
    if (x === STOP) return STOP;
    return new PyTuple([this.i++, x]);
  }
}

class ZipIterator extends PyIterator {
  constructor(
    private readonly its: PyIterator[],
    private readonly strict: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return 'zip';
  }
  next(): IterResult | Promise<IterResult> {
    if (this.its.length === 0) return STOP;
    if (this.strict) {
      const out: PyValue[] = [];
      let stopped = 0;
      for (const it of this.its) {
        const x = it.next();
        if (x instanceof Promise) throw unsupported('zip(strict=True) over asynchronous iterators', undefined);
        if (x === STOP) stopped++;
        else out.push(x);
      }
      if (stopped === this.its.length) return STOP;
      if (stopped) throw pyErr('ValueError', 'zip() arguments have different lengths');
      return new PyTuple(out);
    }
    return then(nextAll(this.its), (xs) => (xs === STOP ? STOP : new PyTuple(xs)));
  }
}

class ReversedIterator extends ArrayIterator {
  override get typeName(): string {
    return 'reversed';
  }
}

// ---------------------------------------------------------------------------------------------
// Dict views (live)

export class DictView extends HostObject {
  constructor(
    readonly dict: PyDict,
    readonly kind: 'keys' | 'values' | 'items',
  ) {
    super();
  }
  override get typeName(): string {
    return `dict_${this.kind}`;
  }
  items(): PyValue[] {
    if (this.kind === 'keys') return this.dict.keys();
    if (this.kind === 'values') return this.dict.values();
    return this.dict.entries().map(([k, v]) => new PyTuple([k, v]));
  }
  override iter(): Iterable<PyValue> {
    return this.items();
  }
  override len(): number {
    return this.dict.size;
  }
  override contains(v: PyValue): boolean | undefined {
    if (this.kind === 'keys') return this.dict.has(v);
    return undefined;
  }
  override repr(): string {
    const i = activeInterpRef.interp;
    return `${this.typeName}([${this.items()
      .map((x) => (i ? repr(i, x) : String(x)))
      .join(', ')}])`;
  }
  override equals(other: PyValue): boolean {
    const i = activeInterpRef.interp;
    if (!i) return false;
    if (other instanceof DictView && other.kind === this.kind) return eq(i, PySet.of(this.items()), PySet.of(other.items()));
    if (other instanceof PySet && this.kind !== 'values') return eq(i, PySet.of(this.items()), other);
    return false;
  }
  override binaryOp(op: string, other: PyValue): PyValue | undefined {
    const i = activeInterpRef.interp;
    if (!i || this.kind === 'values') return undefined;
    const o = other instanceof DictView ? PySet.of(other.items()) : other;
    if (o instanceof PySet) return binop(i, op, PySet.of(this.items()), o, undefined) as PyValue;
    return undefined;
  }
  override toPlain(): unknown {
    return this.items();
  }
}

export const activeInterpRef: { interp: Interp | undefined } = { interp: undefined };

// ---------------------------------------------------------------------------------------------
// super()

class PySuper extends HostObject {
  constructor(
    private readonly cls: PyClass,
    private readonly self: PyValue,
  ) {
    super();
  }
  override get typeName(): string {
    return 'super';
  }
  override getAttr(name: string): PyValue | undefined {
    const objCls = this.self instanceof PyClass ? this.self : this.self instanceof PyInstance ? this.self.cls : undefined;
    if (!objCls) return undefined;
    const mro = objCls.mro;
    const start = mro.indexOf(this.cls);
    for (let i = start + 1; i < mro.length; i++) {
      const v = mro[i].ns.get(name);
      if (v === undefined) continue;
      if (v instanceof PyFunction || v instanceof PyBuiltin) return this.self instanceof PyClass ? v : new PyBoundMethod(this.self, v);
      if (v instanceof PyClassMethod) return new PyBoundMethod(objCls, v.func);
      if (v instanceof PyStaticMethod) return v.func;
      return v;
    }
    if (name === '__init__') return new PyBuiltin('object.__init__', () => null);
    if (name === '__init_subclass__') return new PyBuiltin('object.__init_subclass__', () => null);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Builtin types

function bt(name: string, construct: NativeFn, isInst: (v: PyValue) => boolean, bases: PyClass[] = []): PyClass {
  const c = new PyClass(name, bases, new Map(), { construct, isInstance: isInst }, name, 'builtins');
  builtinTypes.set(name, c);
  return c;
}

/** int(x) / int(x, base) */
export function toInt(interp: Interp, v: PyValue, base?: PyValue): PyValue {
  if (base !== undefined && base !== null) {
    const b = toIndex(base);
    const s = needStr(v, 'int() argument');
    const r = parseIntText(s, b);
    if (r === undefined) throw pyErr('ValueError', `invalid literal for int() with base ${b}: ${repr(interp, s)}`);
    return r;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) {
    if (!Number.isFinite(v.v)) throw pyErr(Number.isNaN(v.v) ? 'ValueError' : 'OverflowError', Number.isNaN(v.v) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
    const t = Math.trunc(v.v);
    return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : normInt(BigInt(t));
  }
  if (typeof v === 'string') {
    const r = parseIntText(v, 10);
    if (r === undefined) throw pyErr('ValueError', `invalid literal for int() with base 10: ${repr(interp, v)}`);
    return r;
  }
  if (v instanceof PyInstance) {
    for (const m of ['__int__', '__index__']) {
      const f = v.cls.lookup(m);
      if (f !== undefined) return callSync(interp, f, [v], undefined);
    }
    if (v.cls.enumMembers) return toInt(interp, v.dict.get('_value_') ?? null);
  }
  if (v instanceof HostObject) {
    const r = v.binaryOp('int', null, false);
    if (r !== undefined) return r;
  }
  throw pyErr('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
}

export function toFloat(interp: Interp, v: PyValue): PyFloat {
  if (v instanceof PyFloat) return v;
  if (typeof v === 'number') return new PyFloat(v);
  if (typeof v === 'bigint') return new PyFloat(Number(v));
  if (typeof v === 'boolean') return new PyFloat(v ? 1 : 0);
  if (typeof v === 'string') {
    const r = parseFloatText(v);
    if (r === undefined) throw pyErr('ValueError', `could not convert string to float: ${repr(interp, v)}`);
    return new PyFloat(r);
  }
  if (v instanceof PyInstance) {
    const f = v.cls.lookup('__float__');
    if (f !== undefined) return callSync(interp, f, [v], undefined) as PyFloat;
    if (v.cls.enumMembers) return toFloat(interp, v.dict.get('_value_') ?? null);
  }
  if (v instanceof HostObject) {
    const r = v.binaryOp('float', null, false);
    if (r instanceof PyFloat) return r;
  }
  throw pyErr('TypeError', `float() argument must be a string or a real number, not '${typeName(v)}'`);
}

function dictFrom(interp: Interp, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyDict | Promise<PyDict> {
  const d = new PyDict();
  const addKw = () => {
    if (kwargs) for (const [k, v] of kwargs) d.set(k, v);
    return d;
  };
  const src = args[0];
  if (src === undefined) return addKw();
  if (src instanceof PyDict) {
    for (const [k, v] of src.entries()) d.set(k, v);
    return addKw();
  }
  if (src instanceof PyInstance || (src instanceof HostObject && !(src instanceof DictView))) {
    const keys = getAttrOpt(interp, src, 'keys', loc);
    if (keys !== NO_ATTR) {
      return then(call(interp, keys as PyValue, [], null, loc), (ks) =>
        then(toArray(interp, ks, loc), async (karr) => {
          for (const k of karr) {
            const v = await Promise.resolve(callSyncOrAsync(interp, src, k, loc));
            d.set(k, v);
          }
          return addKw();
        }),
      );
    }
  }
  return then(toArray(interp, src, loc), (items) => {
    items.forEach((it, i) => {
      const pair = it instanceof PyTuple || it instanceof PyList ? it.items : undefined;
      if (!pair) {
        const arr = toArray(interp, it, loc);
        if (arr instanceof Promise || arr.length !== 2) throw pyErr('ValueError', `dictionary update sequence element #${i} has length ${arr instanceof Promise ? '?' : arr.length}; 2 is required`);
        d.set(arr[0], arr[1]);
        return;
      }
      if (pair.length !== 2) throw pyErr('ValueError', `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
      d.set(pair[0], pair[1]);
    });
    return addKw();
  });
}

function callSyncOrAsync(interp: Interp, obj: PyValue, key: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  // A host object's obj[key] is its getItem (it has no __getitem__ attribute to read).
  if (obj instanceof HostObject) return getItem(interp, obj, key, loc);
  return call(interp, getAttr(interp, obj, '__getitem__', loc) as PyValue, [key], null, loc);
}

export function installBuiltinTypes(): void {
  if (builtinTypes.size) return;
  const object = bt('object', () => new PyInstance(builtinTypes.get('object')!), () => true);
  void object;
  const intC = bt('int', (a, k) => (a.length === 0 ? 0 : toInt(activeInterpRef.interp!, a[0], a[1] ?? kw(k, 'base'))), (v) => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean');
  bt('bool', (a) => (a.length ? truthy(activeInterpRef.interp!, a[0]) : false), (v) => typeof v === 'boolean', [intC]);
  bt('float', (a) => (a.length ? toFloat(activeInterpRef.interp!, a[0]) : new PyFloat(0)), (v) => v instanceof PyFloat);
  bt(
    'str',
    (a, k) => {
      if (a.length === 0) return '';
      const v = a[0];
      if (v instanceof PyBytes && (a.length > 1 || kw(k, 'encoding'))) return Buffer.from(v.data).toString('utf8');
      return str(activeInterpRef.interp!, v);
    },
    (v) => typeof v === 'string',
  );
  bt('list', (a, _k, ctx) => (a.length ? then(toArray(activeInterpRef.interp!, a[0], ctx.loc), (xs) => new PyList(xs)) : new PyList([])), (v) => v instanceof PyList && !(v instanceof PyDeque));
  bt('tuple', (a, _k, ctx) => (a.length ? then(toArray(activeInterpRef.interp!, a[0], ctx.loc), (xs) => new PyTuple(xs)) : new PyTuple([])), (v) => v instanceof PyTuple);
  bt('set', (a, _k, ctx) => (a.length ? then(toArray(activeInterpRef.interp!, a[0], ctx.loc), (xs) => PySet.of(xs)) : new PySet()), (v) => v instanceof PySet && !v.frozen);
  bt('frozenset', (a, _k, ctx) => (a.length ? then(toArray(activeInterpRef.interp!, a[0], ctx.loc), (xs) => PySet.of(xs, true)) : new PySet(true)), (v) => v instanceof PySet && v.frozen);
  bt('dict', (a, k, ctx) => dictFrom(activeInterpRef.interp!, a, k, ctx.loc), (v) => v instanceof PyDict);
  bt('range', (a) => makeRange(a), (v) => v instanceof PyRange);
  bt(
    'bytes',
    (a) => {
      const v = a[0];
      if (v === undefined) return new PyBytes(new Uint8Array());
      if (typeof v === 'string') return new PyBytes(Uint8Array.from(Buffer.from(v, 'utf8')));
      if (typeof v === 'number') return new PyBytes(new Uint8Array(v));
      if (v instanceof PyList || v instanceof PyTuple) return new PyBytes(Uint8Array.from(v.items.map((x) => toIndex(x))));
      throw pyErr('TypeError', `cannot convert '${typeName(v)}' object to bytes`);
    },
    (v) => v instanceof PyBytes,
  );
  bt('NoneType', () => null, (v) => v === null);
  bt(
    'type',
    (a, _k, ctx) => {
      if (a.length === 1) return typeOf(activeInterpRef.interp!, a[0]);
      if (a.length === 3) return makeDynamicClass(activeInterpRef.interp!, a, ctx.loc);
      throw pyErr('TypeError', 'type() takes 1 or 3 arguments');
    },
    (v) => v instanceof PyClass,
  );
  bt('function', () => null, (v) => v instanceof PyFunction);
  bt('slice', (a) => (a.length === 1 ? new PySlice(null, a[0], null) : new PySlice(a[0] ?? null, a[1] ?? null, a[2] ?? null)), (v) => v instanceof PySlice);
  bt('property', (a, k) => new PyProperty(a[0] ?? kw(k, 'fget') ?? null, a[1] ?? kw(k, 'fset') ?? null), (v) => v instanceof PyProperty);
  bt('staticmethod', (a) => new PyStaticMethod(a[0]), (v) => v instanceof PyStaticMethod);
  bt('classmethod', (a) => new PyClassMethod(a[0]), (v) => v instanceof PyClassMethod);
  // dict.fromkeys
  builtinTypes.get('dict')!.ns.set(
    'fromkeys',
    new PyStaticMethod(
      new PyBuiltin('fromkeys', (a, _k, ctx) => then(toArray(activeInterpRef.interp!, a[0], ctx.loc), (keys) => PyDict.fromEntries(keys.map((x) => [x, a[1] ?? null])))),
    ),
  );
  // BaseException.__init__ sets args; __str__ is handled by exceptionMessage
  BaseException.ns.set(
    '__init__',
    new PyBuiltin('BaseException.__init__', (a) => {
      const self = a[0];
      if (self instanceof PyInstance) self.dict.set('args', new PyTuple(a.slice(1)));
      return null;
    }),
  );
  BaseException.ns.set(
    'with_traceback',
    new PyBuiltin('with_traceback', (a) => a[0]),
  );
  BaseException.ns.set(
    'add_note',
    new PyBuiltin('add_note', () => null),
  );
}

function makeRange(a: PyValue[]): PyRange {
  const ints = a.map((x) => {
    if (x instanceof PyFloat) throw pyErr('TypeError', `'float' object cannot be interpreted as an integer`);
    return toIndex(x);
  });
  let start = 0;
  let stop: number;
  let step = 1;
  if (ints.length === 1) stop = ints[0];
  else if (ints.length === 2) [start, stop] = ints;
  else if (ints.length === 3) [start, stop, step] = ints;
  else throw pyErr('TypeError', `range expected at most 3 arguments, got ${ints.length}`);
  if (step === 0) throw pyErr('ValueError', 'range() arg 3 must not be zero');
  return new PyRange(start, stop, step);
}

// ---------------------------------------------------------------------------------------------
// Builtin functions

function minMax(interp: Interp, name: 'min' | 'max', args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  noKwargs(name, kwargs, ['key', 'default']);
  const key = kw(kwargs, 'key') ?? null;
  const dflt = kw(kwargs, 'default');
  const items = args.length === 1 ? toArray(interp, args[0], loc) : args;
  if (args.length === 0) throw pyErr('TypeError', `${name} expected at least 1 argument, got 0`);
  return then(items, (xs) => {
    if (xs.length === 0) {
      if (dflt !== undefined) return dflt;
      throw pyErr('ValueError', `${name}() iterable argument is empty`);
    }
    return then(keysOf(interp, xs, key, loc), (keys) => {
      let best = 0;
      for (let i = 1; i < xs.length; i++) {
        if (name === 'max' ? compare(interp, '>', keys[i], keys[best], loc) : compare(interp, '<', keys[i], keys[best], loc)) best = i;
      }
      return xs[best];
    });
  });
}

function keysOf(interp: Interp, xs: PyValue[], key: PyValue, loc: SourceLocation | undefined): PyValue[] | Promise<PyValue[]> {
  if (key === null) return xs;
  const out = new Array<PyValue>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const k = call(interp, key, [xs[i]], null, loc);
    if (k instanceof Promise) {
      const idx = i;
      return k.then(async (kv) => {
        out[idx] = kv;
        for (let j = idx + 1; j < xs.length; j++) out[j] = await call(interp, key, [xs[j]], null, loc);
        return out;
      });
    }
    out[i] = k;
  }
  return out;
}

export function sortValues(interp: Interp, xs: PyValue[], key: PyValue, reverse: boolean, loc: SourceLocation | undefined): PyValue[] | Promise<PyValue[]> {
  return then(keysOf(interp, xs, key, loc), (keys) => {
    const idx = xs.map((_, i) => i);
    let allNum = true;
    let allStr = true;
    for (const k of keys) {
      if (typeof k !== 'number') allNum = false;
      if (typeof k !== 'string') allStr = false;
    }
    let cmpFn: (a: number, b: number) => number;
    if (allNum) cmpFn = (a, b) => (keys[a] as number) - (keys[b] as number);
    else if (allStr) cmpFn = (a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : (keys[a] as string) > (keys[b] as string) ? 1 : 0);
    else
      cmpFn = (a, b) => {
        if (compare(interp, '<', keys[a], keys[b], loc)) return -1;
        if (compare(interp, '<', keys[b], keys[a], loc)) return 1;
        return 0;
      };
    idx.sort(reverse ? (a, b) => cmpFn(b, a) : cmpFn);
    return idx.map((i) => xs[i]);
  });
}

function sumValues(interp: Interp, xs: PyValue[], start: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (typeof start === 'string') throw pyErr('TypeError', "sum() can't sum strings [use ''.join(seq) instead]");
  let acc: PyValue = start;
  let i = 0;
  // integers
  for (; i < xs.length; i++) {
    const x = xs[i];
    if (typeof acc === 'number' && typeof x === 'number') {
      const s: number = acc + x;
      if (Number.isSafeInteger(s)) {
        acc = s;
        continue;
      }
    }
    if ((typeof acc === 'number' || acc instanceof PyFloat) && (x instanceof PyFloat || typeof x === 'number')) break;
    const r = binop(interp, '+', acc, x, loc);
    if (r instanceof Promise) {
      const idx = i;
      return r.then((v) => sumValues(interp, xs.slice(idx + 1), v, loc));
    }
    acc = r;
  }
  if (i === xs.length) return acc;
  // floats: Neumaier compensated summation (CPython 3.12)
  let f = acc instanceof PyFloat ? acc.v : Number(acc);
  let c = 0;
  let isFloat = acc instanceof PyFloat;
  for (; i < xs.length; i++) {
    const x = xs[i];
    let xv: number;
    if (x instanceof PyFloat) {
      xv = x.v;
      isFloat = true;
    } else if (typeof x === 'number' || typeof x === 'boolean') xv = Number(x);
    else {
      const base: PyValue = isFloat ? new PyFloat(f + c) : f + c;
      return sumValues(interp, xs.slice(i), base, loc);
    }
    const t = f + xv;
    if (Math.abs(f) >= Math.abs(xv)) c += f - t + xv;
    else c += xv - t + f;
    f = t;
  }
  const total = Number.isFinite(c) && c !== 0 ? f + c : f;
  return isFloat ? new PyFloat(total) : total;
}

function roundValue(interp: Interp, x: PyValue, nd: PyValue | undefined): PyValue {
  if (nd === undefined || nd === null) {
    if (x instanceof PyFloat) return roundHalfEven(x.v);
    if (typeof x === 'number' || typeof x === 'bigint') return x;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (x instanceof HostObject) {
      const r = x.binaryOp('round', null, false);
      if (r !== undefined) return r;
    }
    throw pyErr('TypeError', `type ${typeName(x)} doesn't define __round__ method`);
  }
  const n = toIndex(nd);
  if (x instanceof PyFloat) return new PyFloat(roundFloat(x.v, n));
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') {
    const v = typeof x === 'boolean' ? (x ? 1 : 0) : x;
    if (n >= 0) return v;
    const p = 10n ** BigInt(-n);
    const big = toBig(v);
    let q = big / p;
    let r = big % p;
    if (r < 0n) {
      r += p;
      q -= 1n;
    }
    const twice = 2n * r;
    if (twice > p || (twice === p && q % 2n !== 0n)) q += 1n;
    return normInt(q * p);
  }
  if (x instanceof HostObject) {
    const r = x.binaryOp('round', n, false);
    if (r !== undefined) return r;
  }
  void interp;
  throw pyErr('TypeError', `type ${typeName(x)} doesn't define __round__ method`);
}

export function makeBuiltins(interp: Interp): Map<string, PyValue> {
  installBuiltinTypes();
  const b = new Map<string, PyValue>();
  const def = (name: string, fn: NativeFn) => b.set(name, new PyBuiltin(name, fn));
  for (const [k, v] of builtinTypes) if (k !== 'NoneType' && k !== 'function') b.set(k, v);
  for (const [k, v] of builtinExceptionClasses) b.set(k, v);
  b.set('None', null);
  b.set('True', true);
  b.set('False', false);
  b.set('Ellipsis', ELLIPSIS);
  b.set('NotImplemented', NotImplemented);
  b.set('__debug__', true);

  def('print', (args, kwargs) => {
    noKwargs('print', kwargs, ['sep', 'end', 'file', 'flush']);
    const sepV = kw(kwargs, 'sep');
    const endV = kw(kwargs, 'end');
    const sep = sepV === undefined || sepV === null ? ' ' : needStr(sepV, 'sep');
    const end = endV === undefined || endV === null ? '\n' : needStr(endV, 'end');
    const text = args.map((a) => str(interp, a)).join(sep) + end;
    interp.write(text, interp.currentLoc());
    return null;
  });
  def('len', (a, _k, ctx) => len(interp, a[0], ctx.loc));
  def('repr', (a) => repr(interp, a[0]));
  def('ascii', (a) => repr(interp, a[0]).replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
  def('abs', (a) => {
    const x = a[0];
    if (typeof x === 'number') return Math.abs(x);
    if (typeof x === 'bigint') return x < 0n ? normInt(-x) : x;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (x instanceof PyFloat) return new PyFloat(Math.abs(x.v));
    if (x instanceof PyInstance) {
      const m = x.cls.lookup('__abs__');
      if (m !== undefined) return call(interp, m, [x], null, undefined);
    }
    if (x instanceof HostObject) {
      const r = x.binaryOp('abs', null, false);
      if (r !== undefined) return r;
    }
    throw pyErr('TypeError', `bad operand type for abs(): '${typeName(x)}'`);
  });
  def('round', (a, k) => roundValue(interp, a[0], arg(a, k, 1, 'ndigits')));
  def('divmod', (a) => {
    const [x, y] = a;
    return new PyTuple([binop(interp, '//', x, y, undefined) as PyValue, binop(interp, '%', x, y, undefined) as PyValue]);
  });
  def('pow', (a, k) => {
    const mod = arg(a, k, 2, 'mod');
    if (mod !== undefined && mod !== null) {
      const base = toBig(toInt(interp, a[0]) as number | bigint);
      let e = toBig(toInt(interp, a[1]) as number | bigint);
      const m = toBig(toInt(interp, mod) as number | bigint);
      if (e < 0n) throw unsupported('pow() with a negative exponent and a modulus', undefined);
      let r = 1n;
      let bb = ((base % m) + m) % m;
      while (e > 0n) {
        if (e & 1n) r = (r * bb) % m;
        bb = (bb * bb) % m;
        e >>= 1n;
      }
      return normInt(r);
    }
    return binop(interp, '**', a[0], a[1], undefined);
  });
  def('min', (a, k, ctx) => minMax(interp, 'min', a, k, ctx.loc));
  def('max', (a, k, ctx) => minMax(interp, 'max', a, k, ctx.loc));
  def('sum', (a, k, ctx) => then(toArray(interp, a[0], ctx.loc), (xs) => sumValues(interp, xs, arg(a, k, 1, 'start') ?? 0, ctx.loc)));
  def('sorted', (a, k, ctx) => {
    noKwargs('sorted', k, ['key', 'reverse']);
    if (a.length !== 1) throw pyErr('TypeError', `sorted expected 1 argument, got ${a.length}`);
    return then(toArray(interp, a[0], ctx.loc), (xs) => then(sortValues(interp, xs, kw(k, 'key') ?? null, truthy(interp, kw(k, 'reverse') ?? false), ctx.loc), (ys) => new PyList(ys)));
  });
  def('reversed', (a, _k, ctx) => {
    const v = a[0];
    if (v instanceof PyList || v instanceof PyTuple) return new ReversedIterator(v.items.slice().reverse());
    if (v instanceof PyInstance) {
      const m = v.cls.lookup('__reversed__');
      if (m !== undefined) return call(interp, m, [v], null, ctx.loc);
    }
    if (typeof v === 'string' || v instanceof PyRange || v instanceof PyDict || v instanceof DictView) return then(toArray(interp, v, ctx.loc), (xs) => new ReversedIterator(xs.reverse()));
    throw pyErr('TypeError', `'${typeName(v)}' object is not reversible`);
  });
  def('enumerate', (a, k, ctx) => new EnumerateIterator(iter(interp, arg(a, k, 0, 'iterable') ?? null, ctx.loc), toIndex(arg(a, k, 1, 'start') ?? 0)));
  def('zip', (a, k, ctx) => new ZipIterator(a.map((x) => iter(interp, x, ctx.loc)), truthy(interp, kw(k, 'strict') ?? false)));
  def('map', (a, _k, ctx) => {
    if (a.length < 2) throw pyErr('TypeError', 'map() must have at least two arguments.');
    return new MapIterator(interp, a[0], a.slice(1).map((x) => iter(interp, x, ctx.loc)), ctx.loc);
  });
  def('filter', (a, _k, ctx) => new FilterIterator(interp, a[0], iter(interp, a[1], ctx.loc), ctx.loc));
  def('any', (a, _k, ctx) => anyAll(interp, iter(interp, a[0], ctx.loc), true));
  def('all', (a, _k, ctx) => anyAll(interp, iter(interp, a[0], ctx.loc), false));
  def('iter', (a, _k, ctx) => {
    if (a.length > 1) throw unsupported('iter() with a sentinel', ctx.loc);
    return iter(interp, a[0], ctx.loc);
  });
  def('next', (a, _k, ctx) => {
    const it = a[0];
    if (!(it instanceof PyIterator)) {
      if (it instanceof PyInstance && it.cls.lookup('__next__') !== undefined) return call(interp, it.cls.lookup('__next__')!, [it], null, ctx.loc);
      throw pyErr('TypeError', `'${typeName(it)}' object is not an iterator`);
    }
    return then(it.next(), (x) => {
      if (x === STOP) {
        if (a.length > 1) return a[1];
        if (it instanceof PyGenerator) throw it.stopError();
        throw pyErr('StopIteration');
      }
      return x;
    });
  });
  def('isinstance', (a, _k, ctx) => {
    if (a.length !== 2) throw pyErr('TypeError', `isinstance expected 2 arguments, got ${a.length}`);
    return isInstance(interp, a[0], a[1], ctx.loc);
  });
  def('issubclass', (a) => {
    const [c, t] = a;
    if (!(c instanceof PyClass)) throw pyErr('TypeError', 'issubclass() arg 1 must be a class');
    const ts = t instanceof PyTuple ? t.items : [t];
    return ts.some((x) => x instanceof PyClass && (x === builtinTypes.get('object') || c.mro.includes(x)));
  });
  def('callable', (a) => isCallable(a[0]));
  def('hasattr', (a, _k, ctx) => {
    try {
      const r = getAttrOpt(interp, a[0], needStr(a[1], 'attribute name'), ctx.loc);
      if (r instanceof Promise) return r.then(
        () => true,
        () => false,
      );
      return r !== NO_ATTR;
    } catch (e) {
      if (e instanceof PyException && e.pyTypes.includes('AttributeError')) return false;
      throw e;
    }
  });
  def('getattr', (a, _k, ctx) => {
    const name = needStr(a[1], 'attribute name');
    if (a.length > 2) {
      try {
        const r = getAttrOpt(interp, a[0], name, ctx.loc);
        if (r === NO_ATTR) {
          if (a[0] instanceof PyInstance && a[0].cls.lookup('__getattr__') !== undefined) return getAttr(interp, a[0], name, ctx.loc);
          return a[2];
        }
        if (r instanceof Promise) return r.catch((e) => (e instanceof PyException && e.pyTypes.includes('AttributeError') ? a[2] : Promise.reject(e)));
        return r;
      } catch (e) {
        if (e instanceof PyException && e.pyTypes.includes('AttributeError')) return a[2];
        throw e;
      }
    }
    return getAttr(interp, a[0], name, ctx.loc);
  });
  def('setattr', (a, _k, ctx) => then(setAttr(interp, a[0], needStr(a[1], 'attribute name'), a[2], ctx.loc), () => null));
  def('delattr', (a, _k, ctx) => {
    delAttr(interp, a[0], needStr(a[1], 'attribute name'), ctx.loc);
    return null;
  });
  def('id', (a) => {
    const v = a[0];
    return typeof v === 'object' && v !== null ? identityId(v) * 16 : typeof v === 'number' ? v * 32 + 7 : 1;
  });
  def('hash', (a) => {
    const h = hashKey(a[0]);
    if (typeof h === 'number') return Number.isInteger(h) ? h : Math.trunc(h * 1e6);
    if (typeof h === 'string') {
      let x = 0;
      for (let i = 0; i < h.length; i++) x = (x * 31 + h.charCodeAt(i)) | 0;
      return x;
    }
    if (typeof h === 'object' && h !== null) return identityId(h);
    return 0;
  });
  def('ord', (a) => {
    const s = needStr(a[0], 'ord() argument');
    const cs = Array.from(s);
    if (cs.length !== 1) throw pyErr('TypeError', `ord() expected a character, but string of length ${cs.length} found`);
    return cs[0].codePointAt(0)!;
  });
  def('chr', (a) => String.fromCodePoint(toIndex(a[0])));
  def('hex', (a) => {
    const v = toBig(toInt(interp, a[0]) as number | bigint);
    return (v < 0n ? '-0x' : '0x') + (v < 0n ? -v : v).toString(16);
  });
  def('oct', (a) => {
    const v = toBig(toInt(interp, a[0]) as number | bigint);
    return (v < 0n ? '-0o' : '0o') + (v < 0n ? -v : v).toString(8);
  });
  def('bin', (a) => {
    const v = toBig(toInt(interp, a[0]) as number | bigint);
    return (v < 0n ? '-0b' : '0b') + (v < 0n ? -v : v).toString(2);
  });
  def('format', (a, _k, ctx) => format(interp, a[0], a[1] === undefined ? '' : needStr(a[1], 'format spec'), ctx.loc));
  def('vars', (a, _k, ctx) => {
    const v = a[0];
    if (v === undefined) throw unsupported('vars() without arguments', ctx.loc);
    return getAttr(interp, v, '__dict__', ctx.loc);
  });
  def('super', (a, _k, ctx) => {
    if (a.length < 2) throw unsupported('super() outside a method', ctx.loc);
    const cls = a[0];
    if (!(cls instanceof PyClass)) throw pyErr('TypeError', 'super() argument 1 must be a type');
    return new PySuper(cls, a[1]);
  });
  for (const name of ['open', 'exec', 'eval', 'compile', 'input', '__import__', 'globals', 'locals', 'breakpoint', 'memoryview', 'bytearray', 'complex', 'dir', 'help', 'exit', 'quit']) {
    def(name, (_a, _k, ctx) => {
      if (name === 'exit' || name === 'quit') throw pyErr('SystemExit', ...(_a.length ? [_a[0]] : []) as [PyValue]);
      throw unsupported(`${name}()`, ctx.loc, 'this builtin is not available in the evaluator');
    });
  }
  b.set('__build_class__', new PyBuiltin('__build_class__', (_a, _k, ctx) => {
    throw unsupported('__build_class__', ctx.loc);
  }));
  void awaitValue;
  return b;
}

function anyAll(interp: Interp, it: PyIterator, isAny: boolean): PyValue | Promise<PyValue> {
  for (;;) {
    const x = it.next();
    if (x instanceof Promise) return x.then((v) => (v === STOP ? !isAny : truthy(interp, v) === isAny ? isAny : anyAll(interp, it, isAny)));
    if (x === STOP) return !isAny;
    if (truthy(interp, x) === isAny) return isAny;
  }
}

// ---------------------------------------------------------------------------------------------
// str methods

const WS = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function stripChars(s: string, chars: PyValue | undefined, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : needStr(chars, 'strip arg');
  let i = 0;
  let j = s.length;
  if (left) while (i < j && set.includes(s[i])) i++;
  if (right) while (j > i && set.includes(s[j - 1])) j--;
  return s.slice(i, j);
}

function splitWs(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && WS.includes(s[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      let rest = s.slice(i);
      rest = stripChars(rest, undefined, false, true);
      out.push(rest);
      return out;
    }
    let j = i;
    while (j < n && !WS.includes(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function pyIndexArgs(s: string, a: PyValue[]): [number, number] {
  const n = s.length;
  const norm = (v: PyValue | undefined, d: number) => {
    if (v === undefined || v === null) return d;
    let i = toIndex(v);
    if (i < 0) i = Math.max(0, i + n);
    return Math.min(i, n);
  };
  return [norm(a[1], 0), norm(a[2], n)];
}

function affix(s: string, a: PyValue[], prefix: boolean): boolean {
  const [start, end] = pyIndexArgs(s, a);
  const sub = s.slice(start, end);
  const test = (p: PyValue) => (prefix ? sub.startsWith(needStr(p, prefix ? 'startswith arg' : 'endswith arg')) : sub.endsWith(needStr(p, 'endswith arg')));
  const x = a[0];
  if (x instanceof PyTuple) return x.items.some(test);
  if (typeof x !== 'string') throw pyErr('TypeError', `${prefix ? 'startswith' : 'endswith'} first arg must be str or a tuple of str, not ${typeName(x)}`);
  return test(x);
}

function titleCase(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase();
    out += isLetter ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = isLetter;
  }
  return out;
}

/** str.format */
export function strFormat(interp: Interp, fmt: string, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): string {
  let out = '';
  let auto = 0;
  let i = 0;
  const n = fmt.length;
  const resolveField = (fieldName: string): PyValue => {
    const m = /^([^.[]*)(.*)$/.exec(fieldName)!;
    let first = m[1];
    let rest = m[2];
    let v: PyValue;
    if (first === '') {
      v = args[auto];
      if (auto >= args.length) throw pyErr('IndexError', `Replacement index ${auto} out of range for positional args tuple`);
      auto++;
    } else if (/^\d+$/.test(first)) {
      const k = parseInt(first, 10);
      if (k >= args.length) throw pyErr('IndexError', `Replacement index ${k} out of range for positional args tuple`);
      v = args[k];
    } else {
      const got = kwargs?.get(first);
      if (got === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [first]));
      v = got;
    }
    while (rest) {
      const am = /^\.([A-Za-z_]\w*)/.exec(rest);
      if (am) {
        const r = getAttr(interp, v, am[1], loc);
        if (r instanceof Promise) throw unsupported('asynchronous attribute in str.format', loc);
        v = r;
        rest = rest.slice(am[0].length);
        continue;
      }
      const im = /^\[([^\]]*)\]/.exec(rest);
      if (im) {
        const key = /^\d+$/.test(im[1]) ? parseInt(im[1], 10) : im[1];
        const d = v;
        let r: PyValue | undefined;
        if (d instanceof PyDict) r = d.get(key);
        else if ((d instanceof PyList || d instanceof PyTuple) && typeof key === 'number') r = d.items[key];
        if (r === undefined) throw new PyException(makeException(builtinExceptionClasses.get(d instanceof PyDict ? 'KeyError' : 'IndexError')!, [key]));
        v = r;
        rest = rest.slice(im[0].length);
        continue;
      }
      throw pyErr('ValueError', `Invalid format field ${fieldName}`);
    }
    void first;
    first = '';
    return v;
  };
  while (i < n) {
    const ch = fmt[i];
    if (ch === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      // find matching }
      let depth = 1;
      let j = i + 1;
      while (j < n && depth) {
        if (fmt[j] === '{') depth++;
        else if (fmt[j] === '}') depth--;
        if (depth) j++;
      }
      if (j >= n) throw pyErr('ValueError', "Single '{' encountered in format string");
      const body = fmt.slice(i + 1, j);
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(body);
      if (!m) throw pyErr('ValueError', `Invalid format field ${body}`);
      let v = resolveField(m[1]);
      if (m[2] === 'r') v = repr(interp, v);
      else if (m[2] === 's') v = str(interp, v);
      else if (m[2] === 'a') v = repr(interp, v);
      let spec = m[3] ?? '';
      if (spec.includes('{')) spec = strFormat(interp, spec, args.slice(auto), kwargs, loc);
      out += format(interp, v, spec, loc);
      i = j + 1;
      continue;
    }
    if (ch === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw pyErr('ValueError', "Single '}' encountered in format string");
    }
    out += ch;
    i++;
  }
  return out;
}

const S = methodTables.str;
S.format = (interp, s: string, a, k, loc) => strFormat(interp, s, a, k, loc);
S.format_map = (interp, s: string, a, _k, loc) => {
  const d = a[0];
  if (!(d instanceof PyDict)) throw unsupported('format_map with a non-dict mapping', loc);
  return strFormat(interp, s, [], new Map(d.entries().map(([k, v]) => [String(k), v])), loc);
};
S.join = (interp, s: string, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'string') throw pyErr('TypeError', `sequence item ${i}: expected str instance, ${typeName(xs[i])} found`);
    const r = (xs as string[]).join(s);
    if (r.length > 1_000_000) interp.checkSize(r.length, loc);
    return r;
  });
S.split = (_i, s: string, a, k) => {
  const sep = arg(a, k, 0, 'sep') ?? null;
  const max = toIndex(arg(a, k, 1, 'maxsplit') ?? -1);
  if (sep === null) return new PyList(splitWs(s, max));
  const p = needStr(sep, 'separator');
  if (p === '') throw pyErr('ValueError', 'empty separator');
  const parts = s.split(p);
  if (max >= 0 && parts.length > max + 1) return new PyList([...parts.slice(0, max), parts.slice(max).join(p)]);
  return new PyList(parts);
};
S.rsplit = (_i, s: string, a, k) => {
  const sep = arg(a, k, 0, 'sep') ?? null;
  const max = toIndex(arg(a, k, 1, 'maxsplit') ?? -1);
  if (sep === null) {
    if (max < 0) return new PyList(splitWs(s, -1));
    const rev = splitWs([...s].reverse().join(''), max).map((x) => [...x].reverse().join(''));
    return new PyList(rev.reverse());
  }
  const p = needStr(sep, 'separator');
  if (p === '') throw pyErr('ValueError', 'empty separator');
  const parts = s.split(p);
  if (max >= 0 && parts.length > max + 1) return new PyList([parts.slice(0, parts.length - max).join(p), ...parts.slice(parts.length - max)]);
  return new PyList(parts);
};
S.splitlines = (_i, s: string, a) => {
  const keep = a[0] === true;
  const out: string[] = [];
  const re = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    out.push(s.slice(last, keep ? m.index + m[0].length : m.index));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return new PyList(out);
};
S.strip = (_i, s: string, a) => stripChars(s, a[0], true, true);
S.lstrip = (_i, s: string, a) => stripChars(s, a[0], true, false);
S.rstrip = (_i, s: string, a) => stripChars(s, a[0], false, true);
S.lower = (_i, s: string) => s.toLowerCase();
S.upper = (_i, s: string) => s.toUpperCase();
S.casefold = (_i, s: string) => s.toLowerCase();
S.swapcase = (_i, s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
S.title = (_i, s: string) => titleCase(s);
S.capitalize = (_i, s: string) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s);
S.replace = (interp, s: string, a, k, loc) => {
  const old = needStr(a[0], 'replace() argument 1');
  const nw = needStr(a[1], 'replace() argument 2');
  const count = toIndex(arg(a, k, 2, 'count') ?? -1);
  let r: string;
  if (count < 0) r = old === '' ? nw + [...s].join(nw) + (s ? nw : '') : s.split(old).join(nw);
  else {
    r = s;
    let out = '';
    let rest = s;
    let c = 0;
    while (c < count) {
      const idx = rest.indexOf(old);
      if (idx < 0) break;
      out += rest.slice(0, idx) + nw;
      rest = rest.slice(idx + old.length);
      c++;
      if (old === '') {
        if (!rest) break;
        out += rest[0];
        rest = rest.slice(1);
      }
    }
    r = out + rest;
  }
  if (r.length > 1_000_000) interp.checkSize(r.length, loc);
  return r;
};
S.startswith = (_i, s: string, a) => affix(s, a, true);
S.endswith = (_i, s: string, a) => affix(s, a, false);
S.find = (_i, s: string, a) => {
  const [st, en] = pyIndexArgs(s, a);
  const i = s.slice(0, en).indexOf(needStr(a[0], 'find arg'), st);
  return i;
};
S.rfind = (_i, s: string, a) => {
  const [st, en] = pyIndexArgs(s, a);
  const sub = needStr(a[0], 'rfind arg');
  const i = s.slice(0, en).lastIndexOf(sub);
  return i >= st ? i : -1;
};
S.index = (i, s: string, a, k, l) => {
  const r = S.find(i, s, a, k, l) as number;
  if (r < 0) throw pyErr('ValueError', 'substring not found');
  return r;
};
S.rindex = (i, s: string, a, k, l) => {
  const r = S.rfind(i, s, a, k, l) as number;
  if (r < 0) throw pyErr('ValueError', 'substring not found');
  return r;
};
S.count = (_i, s: string, a) => {
  const [st, en] = pyIndexArgs(s, a);
  const sub = needStr(a[0], 'count arg');
  const hay = s.slice(st, en);
  if (sub === '') return hay.length + 1;
  return hay.split(sub).length - 1;
};
S.zfill = (_i, s: string, a) => {
  const w = toIndex(a[0]);
  if (s.length >= w) return s;
  const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
  const body = sign ? s.slice(1) : s;
  return sign + '0'.repeat(w - s.length) + body;
};
const padFn = (where: 'center' | 'ljust' | 'rjust'): MethodImpl => (_i, s: string, a) => {
  const w = toIndex(a[0]);
  const fill = a[1] === undefined ? ' ' : needStr(a[1], 'fill character');
  const n = [...s].length;
  if (n >= w) return s;
  const pad = w - n;
  if (where === 'ljust') return s + fill.repeat(pad);
  if (where === 'rjust') return fill.repeat(pad) + s;
  const left = Math.floor(pad / 2) + (pad & w & 1);
  return fill.repeat(left) + s + fill.repeat(pad - left);
};
S.center = padFn('center');
S.ljust = padFn('ljust');
S.rjust = padFn('rjust');
S.isdigit = (_i, s: string) => s.length > 0 && /^[0-9\u0660-\u0669\u00b2\u00b3\u00b9]+$/.test(s);
S.isdecimal = (_i, s: string) => s.length > 0 && /^\p{Nd}+$/u.test(s);
S.isnumeric = (_i, s: string) => s.length > 0 && /^[\p{N}]+$/u.test(s);
S.isalpha = (_i, s: string) => s.length > 0 && /^\p{L}+$/u.test(s);
S.isalnum = (_i, s: string) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s);
S.isspace = (_i, s: string) => s.length > 0 && [...s].every((c) => WS.includes(c));
S.islower = (_i, s: string) => /\p{Ll}/u.test(s) && s === s.toLowerCase();
S.isupper = (_i, s: string) => /\p{Lu}/u.test(s) && s === s.toUpperCase();
S.istitle = (_i, s: string) => /\p{L}/u.test(s) && titleCase(s) === s;
S.isidentifier = (_i, s: string) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s);
S.isascii = (_i, s: string) => /^[\x00-\x7f]*$/.test(s);
S.isprintable = (_i, s: string) => !/[\x00-\x1f\x7f]/.test(s);
S.encode = (_i, s: string, a, k) => {
  const enc = String(arg(a, k, 0, 'encoding') ?? 'utf-8').toLowerCase();
  if (enc === 'ascii' || enc === 'latin-1' || enc === 'latin1') return new PyBytes(Uint8Array.from(Buffer.from(s, 'latin1')));
  return new PyBytes(Uint8Array.from(Buffer.from(s, 'utf8')));
};
S.partition = (_i, s: string, a) => {
  const sep = needStr(a[0], 'partition arg');
  const i = s.indexOf(sep);
  return i < 0 ? new PyTuple([s, '', '']) : new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
};
S.rpartition = (_i, s: string, a) => {
  const sep = needStr(a[0], 'rpartition arg');
  const i = s.lastIndexOf(sep);
  return i < 0 ? new PyTuple(['', '', s]) : new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
};
S.removeprefix = (_i, s: string, a) => {
  const p = needStr(a[0], 'removeprefix arg');
  return p && s.startsWith(p) ? s.slice(p.length) : s;
};
S.removesuffix = (_i, s: string, a) => {
  const p = needStr(a[0], 'removesuffix arg');
  return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
};
S.expandtabs = (_i, s: string, a) => s.replace(/\t/g, ' '.repeat(a[0] === undefined ? 8 : toIndex(a[0])));
S.__len__ = (_i, s: string) => [...s].length;
S.__contains__ = (_i, s: string, a) => s.includes(needStr(a[0], "'in <string>' left operand"));

// ---------------------------------------------------------------------------------------------
// list methods

const L = methodTables.list;
const DQ = methodTables.deque;
/** A deque bounded by maxlen drops from the other end, as CPython's does. */
function bound(d: PyDeque, fromLeft: boolean): void {
  if (d.maxlen === null) return;
  while (d.items.length > d.maxlen) {
    if (fromLeft) d.items.shift();
    else d.items.pop();
  }
}
L.append = (interp, l: PyList, a) => {
  if (a.length !== 1) throw pyErr('TypeError', `list.append() takes exactly one argument (${a.length} given)`);
  const items = l.items;
  items.push(a[0]);
  if ((items.length & 0xfffff) === 0) interp.checkSize(items.length, undefined);
  return null;
};
L.extend = (interp, l: PyList, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    interp.checkSize(l.items.length + xs.length, loc);
    for (const x of xs) l.items.push(x);
    return null;
  });
L.insert = (interp, l: PyList, a) => {
  let i = toIndex(a[0]);
  const n = l.items.length;
  if (i < 0) i = Math.max(0, i + n);
  if (i > n) i = n;
  l.items.splice(i, 0, a[1]);
  void interp;
  return null;
};
L.pop = (_i, l: PyList, a) => {
  const n = l.items.length;
  if (n === 0) throw pyErr('IndexError', 'pop from empty list');
  let i = a.length ? toIndex(a[0]) : n - 1;
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw pyErr('IndexError', 'pop index out of range');
  return l.items.splice(i, 1)[0];
};
L.remove = (interp, l: PyList, a) => {
  const i = l.items.findIndex((x) => eq(interp, x, a[0]));
  if (i < 0) throw pyErr('ValueError', 'list.remove(x): x not in list');
  l.items.splice(i, 1);
  return null;
};
L.index = (interp, l: PyList | PyTuple, a) => {
  const n = l.items.length;
  let st = a[1] === undefined ? 0 : toIndex(a[1]);
  let en = a[2] === undefined ? n : toIndex(a[2]);
  if (st < 0) st = Math.max(0, st + n);
  if (en < 0) en = Math.max(0, en + n);
  for (let i = st; i < Math.min(en, n); i++) if (eq(interp, l.items[i], a[0])) return i;
  throw pyErr('ValueError', l instanceof PyList ? `${repr(interp, a[0])} is not in list` : 'tuple.index(x): x not in tuple');
};
L.count = (interp, l: PyList | PyTuple, a) => l.items.filter((x) => eq(interp, x, a[0])).length;
L.sort = (interp, l: PyList, a, k, loc) => {
  if (a.length) throw pyErr('TypeError', 'sort() takes no positional arguments');
  noKwargs('sort', k, ['key', 'reverse']);
  return then(sortValues(interp, l.items, kw(k, 'key') ?? null, truthy(interp, kw(k, 'reverse') ?? false), loc), (ys) => {
    l.items = ys;
    return null;
  });
};
L.reverse = (_i, l: PyList) => {
  l.items.reverse();
  return null;
};
L.copy = (_i, l: PyList) => new PyList(l.items.slice());
L.clear = (_i, l: PyList) => {
  l.items.length = 0;
  return null;
};
L.__len__ = (_i, l: PyList) => l.items.length;
L.__getitem__ = (interp, l: PyList, a) => {
  const i = toIndex(a[0]);
  const j = i < 0 ? i + l.items.length : i;
  if (j < 0 || j >= l.items.length) throw pyErr('IndexError', 'list index out of range');
  void interp;
  return l.items[j];
};

const T = methodTables.tuple;
T.index = L.index;
T.count = L.count;
T.__len__ = (_i, t: PyTuple) => t.items.length;

// ---------------------------------------------------------------------------------------------
// dict methods

const D = methodTables.dict;
D.get = (_i, d: PyDict, a) => {
  if (a.length < 1 || a.length > 2) throw pyErr('TypeError', `get expected at least 1 argument, got ${a.length}`);
  const v = d.get(a[0]);
  return v === undefined ? (a[1] ?? null) : v;
};
D.keys = (_i, d: PyDict) => new DictView(d, 'keys');
D.values = (_i, d: PyDict) => new DictView(d, 'values');
D.items = (_i, d: PyDict) => new DictView(d, 'items');
D.update = (interp, d: PyDict, a, k, loc) =>
  then(dictFrom(interp, a, k, loc), (src) => {
    for (const [key, v] of src.entries()) d.set(key, v);
    return null;
  });
D.pop = (_i, d: PyDict, a) => {
  const v = d.get(a[0]);
  if (v === undefined) {
    if (a.length > 1) return a[1];
    throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
  }
  d.delete(a[0]);
  return v;
};
D.popitem = (_i, d: PyDict) => {
  const e = d.entries().pop();
  if (!e) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, ['popitem(): dictionary is empty']));
  d.delete(e[0]);
  return new PyTuple([e[0], e[1]]);
};
D.setdefault = (_i, d: PyDict, a) => {
  const v = d.get(a[0]);
  if (v !== undefined) return v;
  const dv = a[1] ?? null;
  d.set(a[0], dv);
  return dv;
};
D.copy = (_i, d: PyDict) => d.copy();
D.clear = (_i, d: PyDict) => {
  d.clear();
  return null;
};
D.__len__ = (_i, d: PyDict) => d.size;
D.__getitem__ = (_i, d: PyDict, a) => {
  const v = d.get(a[0]);
  if (v === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
  return v;
};
D.__contains__ = (_i, d: PyDict, a) => d.has(a[0]);

// ---------------------------------------------------------------------------------------------
// set methods

const SET = methodTables.set;
function otherSet(interp: Interp, v: PyValue, loc: SourceLocation | undefined): PySet | Promise<PySet> {
  if (v instanceof PySet) return v;
  return then(toArray(interp, v, loc), (xs) => PySet.of(xs));
}
function mutable(s: PySet, name: string): void {
  if (s.frozen) throw pyErr('AttributeError', `'frozenset' object has no attribute '${name}'`);
}
SET.add = (_i, s: PySet, a) => {
  mutable(s, 'add');
  s.add(a[0]);
  return null;
};
SET.remove = (_i, s: PySet, a) => {
  mutable(s, 'remove');
  if (!s.delete(a[0])) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
  return null;
};
SET.discard = (_i, s: PySet, a) => {
  mutable(s, 'discard');
  s.delete(a[0]);
  return null;
};
SET.pop = (_i, s: PySet) => {
  mutable(s, 'pop');
  const first = s.map.entries().next();
  if (first.done) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, ['pop from an empty set']));
  s.map.delete(first.value[0]);
  return first.value[1];
};
SET.clear = (_i, s: PySet) => {
  mutable(s, 'clear');
  s.map.clear();
  return null;
};
SET.copy = (_i, s: PySet) => PySet.of(s.values(), s.frozen);
SET.update = (interp, s: PySet, a, _k, loc) => {
  mutable(s, 'update');
  const step = (i: number): PyValue | Promise<PyValue> => {
    for (; i < a.length; i++) {
      const o = otherSet(interp, a[i], loc);
      if (o instanceof Promise) {
        const idx = i;
        return o.then((x) => {
          for (const v of x.values()) s.add(v);
          return step(idx + 1);
        });
      }
      for (const v of o.values()) s.add(v);
    }
    return null;
  };
  return step(0);
};
const setOp = (op: string): MethodImpl => (interp, s: PySet, a, _k, loc) => {
  let acc: PyValue | Promise<PyValue> = s;
  for (const x of a) acc = then<PyValue, PyValue>(acc, (cur) => then<PySet, PyValue>(otherSet(interp, x, loc), (o) => binop(interp, op, cur, o, loc)));
  if (a.length === 0) return PySet.of(s.values(), s.frozen);
  return acc;
};
SET.union = setOp('|');
SET.intersection = setOp('&');
SET.difference = setOp('-');
SET.symmetric_difference = setOp('^');
SET.issubset = (interp, s: PySet, a, _k, loc) => then(otherSet(interp, a[0], loc), (o) => s.values().every((v) => o.has(v)));
SET.issuperset = (interp, s: PySet, a, _k, loc) => then(otherSet(interp, a[0], loc), (o) => o.values().every((v) => s.has(v)));
SET.isdisjoint = (interp, s: PySet, a, _k, loc) => then(otherSet(interp, a[0], loc), (o) => !o.values().some((v) => s.has(v)));
SET.difference_update = (interp, s: PySet, a, _k, loc) =>
  then(otherSet(interp, a[0], loc), (o) => {
    for (const v of o.values()) s.delete(v);
    return null;
  });
SET.intersection_update = (interp, s: PySet, a, _k, loc) =>
  then(otherSet(interp, a[0], loc), (o) => {
    for (const v of s.values()) if (!o.has(v)) s.delete(v);
    return null;
  });

// ---------------------------------------------------------------------------------------------
// numbers, bytes

const I = methodTables.int;
I.bit_length = (_i, v: PyValue) => {
  const b = toBig(typeof v === 'boolean' ? (v ? 1 : 0) : (v as number | bigint));
  return (b < 0n ? -b : b).toString(2).replace(/^0$/, '').length;
};
I.conjugate = (_i, v: PyValue) => v;
I.is_integer = () => true;
I.__index__ = (_i, v: PyValue) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const F = methodTables.float;
F.is_integer = (_i, v: PyFloat) => Number.isInteger(v.v);
F.conjugate = (_i, v: PyFloat) => v;
F.hex = (_i, v: PyFloat) => {
  throw unsupported('float.hex()', undefined, String(v.v));
};
F.__round__ = (interp, v: PyFloat, a) => roundValue(interp, v, a[0]);
const B = methodTables.bytes;
B.decode = (_i, b: PyBytes, a) => {
  const enc = String(a[0] ?? 'utf-8').toLowerCase();
  return Buffer.from(b.data).toString(enc === 'ascii' || enc === 'latin-1' || enc === 'latin1' ? 'latin1' : 'utf8');
};
B.hex = (_i, b: PyBytes) => Buffer.from(b.data).toString('hex');

export { floatRepr, numOf, intOp, ListIterator, isExceptionClass, strChars, cmp, contains };

// collections.deque (PyDeque): the list methods a deque has, bounded by maxlen, and its own.
DQ.append = (interp, d: PyDeque, a, k, loc) => {
  const r = L.append(interp, d, a, k, loc);
  bound(d, true);
  return r;
};
DQ.appendleft = (_i, d: PyDeque, a) => {
  if (a.length !== 1) throw pyErr('TypeError', `deque.appendleft() takes exactly one argument (${a.length} given)`);
  d.items.unshift(a[0]);
  bound(d, false);
  return null;
};
DQ.extend = (interp, d: PyDeque, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    for (const x of xs) {
      d.items.push(x);
      bound(d, true);
    }
    return null;
  });
DQ.extendleft = (interp, d: PyDeque, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    for (const x of xs) {
      d.items.unshift(x);
      bound(d, false);
    }
    return null;
  });
DQ.pop = (_i, d: PyDeque, a) => {
  if (a.length) throw pyErr('TypeError', `deque.pop() takes no arguments (${a.length} given)`);
  if (!d.items.length) throw pyErr('IndexError', 'pop from an empty deque');
  return d.items.pop()!;
};
DQ.popleft = (_i, d: PyDeque) => {
  if (!d.items.length) throw pyErr('IndexError', 'pop from an empty deque');
  return d.items.shift()!;
};
DQ.rotate = (_i, d: PyDeque, a) => {
  const n = d.items.length;
  if (!n) return null;
  let k = a.length ? toIndex(a[0]) : 1;
  k = ((k % n) + n) % n;
  if (k) d.items = [...d.items.slice(n - k), ...d.items.slice(0, n - k)];
  return null;
};
DQ.clear = (_i, d: PyDeque) => {
  d.items = [];
  return null;
};
DQ.copy = (_i, d: PyDeque) => new PyDeque([...d.items], d.maxlen);
DQ.insert = (interp, d: PyDeque, a, k, loc) => {
  if (d.maxlen !== null && d.items.length >= d.maxlen) throw pyErr('IndexError', 'deque already at its maximum size');
  return L.insert(interp, d, a, k, loc);
};
DQ.remove = (interp, d: PyDeque, a) => {
  const i = d.items.findIndex((x) => eq(interp, x, a[0]));
  if (i < 0) throw pyErr('ValueError', `${repr(interp, a[0])} is not in deque`);
  d.items.splice(i, 1);
  return null;
};
DQ.index = (interp, d: PyDeque, a, k, loc) => {
  try {
    return L.index(interp, d, a, k, loc);
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'ValueError') throw pyErr('ValueError', `${repr(interp, a[0])} is not in deque`);
    throw e;
  }
};
DQ.count = L.count;
DQ.reverse = L.reverse;
