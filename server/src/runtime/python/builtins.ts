/**
 * Builtin functions, builtin types (int, str, list...) and the methods of str/list/dict/set/tuple.
 */
import { PyGenerator } from './generatorObject';
import {
  ELLIPSIS,
  Kwargs,
  ListIterator,
  NativeFn,
  PyBuiltin,
  PyClass,
  PyDict,
  PyException,
  PyFloat,
  PyInstance,
  PyIterator,
  PyList,
  PyObject,
  PyRange,
  PyTuple,
  PyValue,
  STOP,
  SourceLocation,
  builtinExceptionClasses,
  identityId,
  isExceptionClass,
  normInt,
  pyErr,
  hashKey,
} from './values';
import { Interp, NO_ATTR, builtinTypes, typeName, unsupported } from './runtime';
import { call, isCallable, isInstance, awaitValue } from './protocols/calls';
import { cmp, compare, contains, len, binop } from './protocols/operators';
import { format, repr, str } from './protocols/text';
import { getAttr, getAttrOpt, setAttr, delAttr } from './protocols/attributes';
import { iter, strChars, toArray } from './protocols/iteration';
import { toIndex } from './protocols/subscripts';
import { truthy } from './protocols/equality';
import { HostObject } from './host';
import { floatRepr, numOf, roundFloat, roundHalfEven, intOp, toBig } from './numeric';
// The method tables of str, list/tuple/deque, dict, set and the numbers fill in when these load.
import './builtins/strMethods';
import './builtins/sequenceMethods';
import './builtins/dictMethods';
import './builtins/setMethods';
import './builtins/numberMethods';
import { noKwargs, kw, then, needStr, arg } from './builtins/callArgs';
import { installBuiltinTypes, toInt } from './builtins/types';
import { MapIterator, ReversedIterator, EnumerateIterator, ZipIterator, FilterIterator } from './builtins/iterators';
import { DictView } from './builtins/dictView';
import { PySuper } from './builtins/super';

export const NotImplemented = new (class extends PyObject {
  get typeName(): string {
    return 'NotImplementedType';
  }
})();

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

export function roundValue(interp: Interp, x: PyValue, nd: PyValue | undefined): PyValue {
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

/** An int argument as CPython's hex() / oct() / bin() / chr() take it: an int, a bool or an object with __index__ (a float is a TypeError, not truncated). */
function integerArg(interp: Interp, v: PyValue): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyInstance && v.cls.lookup('__index__') !== undefined) return toInt(interp, v) as number | bigint;
  throw pyErr('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
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
  // CPython's ascii(): \xhh up to 0xff, \uhhhh up to 0xffff, \Uhhhhhhhh beyond (one escape per code point).
  def('ascii', (a) =>
    repr(interp, a[0]).replace(/[^\x00-\x7f]/gu, (c) => {
      const cp = c.codePointAt(0)!;
      return cp <= 0xff ? '\\x' + cp.toString(16).padStart(2, '0') : cp <= 0xffff ? '\\u' + cp.toString(16).padStart(4, '0') : '\\U' + cp.toString(16).padStart(8, '0');
    }),
  );
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
  def('chr', (a) => {
    const cp = toBig(integerArg(interp, a[0]));
    if (cp < 0n || cp > 0x10ffffn) throw pyErr('ValueError', 'chr() arg not in range(0x110000)');
    return String.fromCodePoint(Number(cp));
  });
  def('hex', (a) => {
    const v = toBig(integerArg(interp, a[0]));
    return (v < 0n ? '-0x' : '0x') + (v < 0n ? -v : v).toString(16);
  });
  def('oct', (a) => {
    const v = toBig(integerArg(interp, a[0]));
    return (v < 0n ? '-0o' : '0o') + (v < 0n ? -v : v).toString(8);
  });
  def('bin', (a) => {
    const v = toBig(integerArg(interp, a[0]));
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
// numbers, bytes

export { floatRepr, numOf, intOp, ListIterator, isExceptionClass, strChars, cmp, contains };
