/** The builtin types as classes (int, str, list, dict, range, ...) and the conversions their constructors do. */
import {
  BaseException,
  Kwargs,
  NativeFn,
  PyBuiltin,
  PyBytes,
  PyClass,
  PyClassMethod,
  PyDict,
  PyFloat,
  PyFunction,
  PyInstance,
  PyDeque,
  PyList,
  PyProperty,
  PyRange,
  PySet,
  PySlice,
  PyStaticMethod,
  PyTuple,
  PyValue,
  SourceLocation,
  normInt,
  pyErr,
} from '../values';
import { Interp, NO_ATTR, builtinTypes, typeName } from '../runtime';
import { call, typeOf } from '../protocols/calls';
import { callSync, truthy } from '../protocols/equality';
import { getAttr, getAttrOpt } from '../protocols/attributes';
import { getItem, toIndex } from '../protocols/subscripts';
import { repr, str } from '../protocols/text';
import { toArray } from '../protocols/iteration';
import { HostObject } from '../host';
import { makeDynamicClass } from '../dynamicClass';
import { parseFloatText, parseIntText } from '../numeric';
import { needStr, then, kw } from './callArgs';
import { DictView, activeInterpRef } from './dictView';

function bt(name: string, construct: NativeFn, isInst: (v: PyValue) => boolean, bases: PyClass[] = []): PyClass {
  const c = new PyClass(name, bases, new Map(), { construct, isInstance: isInst }, name, 'builtins');
  builtinTypes.set(name, c);
  return c;
}

/** int(x) / int(x, base) */
export function toInt(interp: Interp, v: PyValue, base?: PyValue): PyValue {
  if (base !== undefined && base !== null) {
    const b = toIndex(base);
    if (b !== 0 && (b < 2 || b > 36)) throw pyErr('ValueError', 'int() base must be >= 2 and <= 36, or 0');
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

export function dictFrom(interp: Interp, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyDict | Promise<PyDict> {
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
