/** Object protocols: calling (functions, builtins, classes, host callables) and awaiting. */
import {
  Kwargs,
  PyBoundMethod,
  PyBuiltin,
  PyBytes,
  PyClass,
  PyClassMethod,
  PyCoroutine,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyInstance,
  PyDeque,
  PyList,
  PyObject,
  PyOpaque,
  PyRange,
  PySet,
  PyStaticMethod,
  PyTuple,
  PyTypeAlias,
  PyValue,
  SourceLocation,
  UnsupportedPythonError,
  isExceptionClass,
  pyErr,
} from '../values';
import { HostObject, NOT_HANDLED, PyHostFunction } from '../host';
import { assignedHostClassAttr, replacedInit } from '../hostClassMembers';
import { Interp, opaqueUse, typeName, methodTables, unsupported, builtinTypes } from '../runtime';
import { getAttr } from './attributes';
import { eq } from './equality';
import { repr } from './text';

/** Calls a compiled function body; installed by the compiler. */
export const callHooks: {
  callFunction: (interp: Interp, fn: PyFunction, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined) => PyValue | Promise<PyValue>;
} = {
  callFunction: () => {
    throw new Error('compiler not loaded');
  },
};

export function call(interp: Interp, fn: PyValue, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (fn instanceof PyFunction) return callHooks.callFunction(interp, fn, args, kwargs, loc);
  if (fn instanceof PyBuiltin) {
    const libraryFrames = (e: unknown) => {
      if (fn.stdlib && e instanceof PyException) e.modelledOrigin = { boundary: e.traceback.length, loc };
      return e;
    };
    try {
      const r = fn.fn(args, kwargs, { loc });
      return fn.stdlib && r instanceof Promise ? r.catch((e) => Promise.reject(libraryFrames(e))) : r;
    } catch (e) {
      if (e instanceof UnsupportedPythonError) e.locate(loc);
      throw libraryFrames(e);
    }
  }
  if (fn instanceof PyBoundMethod) {
    const f = fn.func;
    if (f instanceof PyFunction) return callHooks.callFunction(interp, f, [fn.self, ...args], kwargs, loc);
    return call(interp, f, [fn.self, ...args], kwargs, loc);
  }
  if (fn instanceof PyHostFunction) return callHost(interp, loc, () => fn.fn(args, kwargs ?? new Map(), interp.hostContext(loc, fn.name)));
  if (fn instanceof PyClass) return instantiate(interp, fn, args, kwargs, loc);
  if (fn instanceof HostObject) return callHost(interp, loc, () => fn.call(args, kwargs ?? new Map(), interp.hostContext(loc)));
  if (fn instanceof PyInstance) {
    const c = fn.cls.lookup('__call__');
    if (c !== undefined) return call(interp, c, [fn, ...args], kwargs, loc);
  }
  if (fn instanceof PyStaticMethod || fn instanceof PyClassMethod) return call(interp, fn.func, args, kwargs, loc);
  if (fn instanceof PyOpaque) throw opaqueUse(fn, 'call', loc);
  throw pyErr('TypeError', `'${typeName(fn)}' object is not callable`);
}

export function callHost(interp: Interp, loc: SourceLocation | undefined, thunk: () => PyValue | Promise<PyValue> | typeof NOT_HANDLED): PyValue | Promise<PyValue> {
  let r: PyValue | Promise<PyValue> | typeof NOT_HANDLED;
  try {
    r = thunk();
  } catch (e) {
    throw interp.hostError(e, loc);
  }
  if (r instanceof Promise) return r.then(checkHostResult, (e) => Promise.reject(interp.hostError(e, loc)));
  return checkHostResult(r as PyValue);
}

function checkHostResult(v: PyValue): PyValue {
  if (v === undefined) return null;
  return v;
}

export function isCallable(v: PyValue): boolean {
  if (v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyBoundMethod || v instanceof PyHostFunction || v instanceof PyClass) return true;
  if (v instanceof HostObject) return v.isCallable;
  if (v instanceof PyInstance) return v.cls.lookup('__call__') !== undefined;
  return false;
}

/** obj.name(args) without materialising a bound method where possible. */
export function callMethod(interp: Interp, obj: PyValue, name: string, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  try {
    return callMethodInner(interp, obj, name, args, kwargs, loc);
  } catch (e) {
    if (e instanceof UnsupportedPythonError) e.locate(loc);
    throw e;
  }
}

function callMethodInner(interp: Interp, obj: PyValue, name: string, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  switch (typeof obj) {
    case 'string': {
      const impl = methodTables.str[name];
      if (impl !== undefined) return impl(interp, obj, args, kwargs, loc);
      break;
    }
    case 'object':
      if (obj instanceof PyList) {
        const impl = (obj instanceof PyDeque ? methodTables.deque : methodTables.list)[name];
        if (impl !== undefined) return impl(interp, obj, args, kwargs, loc);
      } else if (obj instanceof PyDict) {
        const impl = methodTables.dict[name];
        if (impl !== undefined) return impl(interp, obj, args, kwargs, loc);
      } else if (obj instanceof PyInstance) {
        if (!obj.dict.has(name)) {
          const attr = obj.cls.lookup(name);
          if (attr instanceof PyFunction) return callHooks.callFunction(interp, attr, [obj, ...args], kwargs, loc);
        }
      } else if (obj instanceof HostObject && assignedHostClassAttr(obj, name) === undefined) {
        const r = callHost(interp, loc, () => obj.callMethod(name, args, kwargs ?? new Map(), interp.hostContext(loc)) as PyValue);
        if (r instanceof Promise) return r;
        if ((r as unknown) !== NOT_HANDLED) return r;
      }
  }
  const m = getAttr(interp, obj, name, loc);
  if (m instanceof Promise) return m.then((f) => call(interp, f, args, kwargs, loc));
  return call(interp, m, args, kwargs, loc);
}

export function instantiate(interp: Interp, cls: PyClass, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (cls.native?.construct) {
    if (cls.native.host) {
      const init = replacedInit(cls);
      if (init !== undefined) return constructWithReplacedInit(interp, cls, init, args, kwargs, loc);
      const made = callHost(interp, loc, () => cls.native!.construct!(args, kwargs, interp.hostContext(loc, cls.name)));
      if (made instanceof Promise) return made.then((o) => madeBy(o, cls));
      return madeBy(made, cls);
    }
    return cls.native.construct(args, kwargs, { loc });
  }
  if (cls.enumMembers) {
    const v = args[0];
    for (const m of cls.enumMembers) if (eq(interp, m.dict.get('_value_') ?? null, v)) return m;
    throw pyErr('ValueError', `${repr(interp, v ?? null)} is not a valid ${cls.name}`);
  }
  for (const c of cls.mro) if (c.native?.construct && c.native.host) throw unsupported(`subclassing the host class '${c.name}'`, loc);
  const newFn = cls.lookup('__new__');
  if (newFn !== undefined && !(newFn instanceof PyBuiltin)) throw unsupported('__new__', loc);
  const inst = new PyInstance(cls);
  if (isExceptionClass(cls)) inst.dict.set('args', new PyTuple(args));
  const init = cls.lookup('__init__');
  if (init === undefined) {
    if (args.length || (kwargs && kwargs.size)) throw pyErr('TypeError', `${cls.name}() takes no arguments`);
    return inst;
  }
  const r = call(interp, init, [inst, ...args], kwargs, loc);
  if (r instanceof Promise) return r.then(() => inst);
  return inst;
}

/** Records which host class made a host object (type(obj), patches on the class). */
function madeBy(o: PyValue, cls: PyClass): PyValue {
  if (o instanceof HostObject && o.hostClass === undefined && o.typeName === cls.name) o.hostClass = cls;
  return o;
}

/** Calling a host class whose `__init__` user code replaced: the object is allocated, then the replacement runs on it (it usually calls the original). */
function constructWithReplacedInit(interp: Interp, cls: PyClass, init: PyValue, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const allocate = cls.native!.allocate;
  if (!allocate) throw unsupported(`calling ${cls.name} after its __init__ was replaced`, loc, `the runtime constructs ${cls.name} in one step`);
  let self: PyValue;
  try {
    self = allocate(interp.hostContext(loc, cls.name));
  } catch (e) {
    throw interp.hostError(e, loc);
  }
  if (self instanceof HostObject) self.hostClass = cls;
  const done = (r: PyValue): PyValue => {
    if (r !== null) throw pyErr('TypeError', `__init__() should return None, not '${typeName(r)}'`);
    return self;
  };
  const r = call(interp, init, [self, ...args], kwargs, loc);
  return r instanceof Promise ? r.then(done) : done(r);
}

/** isinstance(v, cls) for one class. */
export function isInstance(interp: Interp, v: PyValue, cls: PyValue, loc: SourceLocation | undefined): boolean {
  if (cls instanceof PyClass) {
    if (cls === builtinTypes.get('object')) return true;
    if (v instanceof PyInstance) {
      if (v.cls.mro.includes(cls)) return true;
      // str/int-mixin enums are instances of str/int
      if (cls.native?.isInstance) return v.cls.mro.some((c) => c === cls);
      return false;
    }
    // A host object standing for a builtin type's value (typeName 'dict', 'type'...) is an instance of it.
    if (cls.native?.isInstance) return cls.native.isInstance(v) || (v instanceof HostObject && v.isInstanceOf(cls));
    if (v instanceof HostObject) return v.isInstanceOf(cls);
    return false;
  }
  if (cls instanceof PyTuple) return cls.items.some((c) => isInstance(interp, v, c, loc));
  if (cls instanceof PyTypeAlias) {
    if (cls.name === '|' || cls.name === 'typing.Union' || cls.name === 'typing.Optional') return cls.args.some((c) => isInstance(interp, v, c === null ? builtinTypes.get('NoneType')! : c, loc));
    if (cls.name === 'typing.Any') return true;
    if (cls.origin !== undefined) return isInstance(interp, v, cls.origin, loc);
    throw pyErr('TypeError', `Subscripted generics cannot be used with class and instance checks`);
  }
  if (cls instanceof PyOpaque) throw opaqueUse(cls, 'isinstance check', loc);
  throw pyErr('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
}

/** The class object of a value (type(v)). */
export function typeOf(interp: Interp, v: PyValue): PyClass {
  const b = (n: string) => builtinTypes.get(n)!;
  switch (typeof v) {
    case 'string':
      return b('str');
    case 'number':
    case 'bigint':
      return b('int');
    case 'boolean':
      return b('bool');
  }
  if (v === null) return b('NoneType');
  if (v instanceof PyInstance) return v.cls;
  if (v instanceof PyFloat) return b('float');
  if (v instanceof PyDeque && PyDeque.cls) return PyDeque.cls;
  if (v instanceof PyList) return b('list');
  if (v instanceof PyDict) return b('dict');
  if (v instanceof PyTuple) return b('tuple');
  if (v instanceof PySet) return b(v.frozen ? 'frozenset' : 'set');
  if (v instanceof PyRange) return b('range');
  if (v instanceof PyBytes) return b('bytes');
  if (v instanceof PyClass) return b('type');
  if (v instanceof HostObject && v.hostClass) return v.hostClass;
  let c = interp.hostClassCache.get(v.typeName);
  if (!c) {
    const tn = v.typeName;
    c = new PyClass(tn, [], new Map(), { isInstance: (x) => x instanceof PyObject && x.typeName === tn }, tn, v instanceof HostObject ? 'host' : 'builtins');
    interp.hostClassCache.set(tn, c);
  }
  return c;
}

export function awaitValue(interp: Interp, v: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (v instanceof PyCoroutine) return v.run();
  if (v instanceof PyInstance) {
    const a = v.cls.lookup('__await__');
    if (a !== undefined) throw unsupported('custom __await__', loc);
  }
  if (v instanceof HostObject) {
    const a = v.getAttr('__await__', interp.hostContext(loc));
    if (a !== undefined) return callHost(interp, loc, () => call(interp, a as PyValue, [], null, loc));
  }
  // Host results are already resolved; awaiting a plain value yields it (lenient).
  return v;
}
