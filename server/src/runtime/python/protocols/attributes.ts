/** Object protocols: attribute lookup, assignment and deletion (descriptors, properties, method tables). */
import { PyGenerator, generatorAttr } from '../generatorObject';
import {
  EMPTY_TUPLE,
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyClassMethod,
  PyCoroutine,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyModule,
  PyOpaque,
  PyProperty,
  PyRange,
  PySlice,
  PyStaticMethod,
  PyTuple,
  PyTypeAlias,
  PyValue,
  STOP,
  SourceLocation,
  isExceptionClass,
  pyErr,
} from '../values';
import { tracebackOf } from '../tracebackObjects';
import { HostObject, PyHostFunction } from '../host';
import { HostMethodFunction, assignedHostClassAttr, forgetHostClassAssignment, hostClassOwnAttr, noteHostClassAssignment } from '../hostClassMembers';
import { Interp, type MethodImpl, typeName, NO_ATTR, unsupported, methodTables, opaqueUse, tableFor, builtinTypes } from '../runtime';
import { call, typeOf } from './calls';
import { enumMixin, eq } from './equality';
import { repr } from './text';

function boundBuiltin(interp: Interp, self: PyValue, name: string, impl: MethodImpl): PyBuiltin {
  return new PyBuiltin(name, (args, kwargs, ctx) => impl(interp, self, args, kwargs, ctx.loc), self);
}

function attributeError(v: PyValue, name: string): PyException {
  if (v instanceof PyModule) return pyErr('AttributeError', `module '${v.name}' has no attribute '${name}'`);
  if (v instanceof PyClass) return pyErr('AttributeError', `type object '${v.name}' has no attribute '${name}'`);
  return pyErr('AttributeError', `'${typeName(v)}' object has no attribute '${name}'`);
}

/** Binds a class attribute found on an instance's class (functions → bound methods...). */
function bindDescriptor(interp: Interp, attr: PyValue, obj: PyValue, cls: PyClass, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (attr instanceof PyFunction || attr instanceof PyBuiltin || attr instanceof HostMethodFunction) return new PyBoundMethod(obj, attr);
  if (attr instanceof PyStaticMethod) return attr.func;
  if (attr instanceof PyClassMethod) return new PyBoundMethod(cls, attr.func);
  if (attr instanceof PyProperty) return call(interp, attr.fget, [obj], null, loc);
  return attr;
}

export function getAttr(interp: Interp, obj: PyValue, name: string, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const r = getAttrOpt(interp, obj, name, loc);
  if (r === NO_ATTR) {
    if (obj instanceof PyInstance) {
      const ga = obj.cls.lookup('__getattr__');
      if (ga !== undefined) return call(interp, ga, [obj, name], null, loc);
    }
    if (obj instanceof PyModule && obj.partial && !name.startsWith('__') && (obj.realMembers === undefined || obj.realMembers.has(name))) throw unsupported(`${obj.name}.${name}`, loc, `the evaluator models only part of '${obj.name}'`);
    // Every Python class has __new__ (from object): on a host class it exists but is not modelled (its __init__ is, see hostClassMembers.ts).
    if (obj instanceof PyClass && obj.native?.host && name === '__new__') throw unsupported(`${obj.name}.${name} (a host class's allocator as a value)`, loc);
    if (obj instanceof PyClass && obj.native?.partial && !name.startsWith('__')) throw unsupported(`${obj.name}.${name}`, loc, `the runtime models only part of ${obj.module}.${obj.name}`);
    throw attributeError(obj, name);
  }
  return r;
}

/** hasattr-style lookup; NO_ATTR when missing. */
export function getAttrOpt(interp: Interp, obj: PyValue, name: string, loc: SourceLocation | undefined): PyValue | Promise<PyValue> | typeof NO_ATTR {
  if (obj instanceof PyInstance) {
    const own = obj.dict.get(name);
    if (own !== undefined) {
      const clsAttr = obj.cls.lookup(name);
      if (clsAttr instanceof PyProperty) return call(interp, clsAttr.fget, [obj], null, loc);
      return own;
    }
    if (name === '__class__') return obj.cls;
    if (name === '__dict__') {
      const d = new PyDict();
      for (const [k, v] of obj.dict) d.set(k, v);
      return d;
    }
    const attr = obj.cls.lookup(name);
    if (attr !== undefined) return bindDescriptor(interp, attr, obj, obj.cls, loc);
    if (isExceptionClass(obj.cls)) {
      if (name === 'args') return EMPTY_TUPLE;
      if (name === '__cause__' || name === '__context__') return null;
      if (name === '__traceback__') return tracebackOf(obj);
      if (name === 'code' && obj.cls.mro.some((c) => c.name === 'SystemExit' && c.module === 'builtins')) {
        const args = obj.dict.get('args');
        return args instanceof PyTuple ? (args.items.length === 1 ? args.items[0] : args.items.length ? args : null) : null;
      }
    }
    if (obj.cls.enumMembers) {
      if (name === 'name') return obj.dict.get('_name_') ?? null;
      if (name === 'value') return obj.dict.get('_value_') ?? null;
      // a str / int mixin member is a str / int: `Status.ACTIVE.upper()` works on its value
      const mix = enumMixin(obj.cls);
      const impl = mix ? methodTables[mix][name] : undefined;
      const val = obj.dict.get('_value_');
      if (impl !== undefined && val !== undefined) return new PyBuiltin(`${mix}.${name}`, (args, kwargs, ctx) => impl(interp, val, args, kwargs, ctx.loc));
    }
    return NO_ATTR;
  }
  if (obj instanceof HostObject) {
    const assigned = assignedHostClassAttr(obj, name);
    if (assigned !== undefined) return bindDescriptor(interp, assigned, obj, obj.hostClass!, loc);
    let r: PyValue | Promise<PyValue> | undefined;
    try {
      r = obj.getAttr(name, interp.hostContext(loc, name));
    } catch (e) {
      throw interp.hostError(e, loc);
    }
    if (r === undefined) {
      if (name === '__class__') return typeOf(interp, obj);
      return NO_ATTR;
    }
    if (r instanceof Promise) return r.catch((e) => Promise.reject(interp.hostError(e, loc)));
    return r;
  }
  if (obj instanceof PyModule) {
    const v = obj.dict.get(name);
    if (v !== undefined) return v;
    if (name === '__name__') return obj.name;
    return NO_ATTR;
  }
  if (obj instanceof PyClass) return classAttr(interp, obj, name, loc);
  if (obj instanceof PyOpaque) throw opaqueUse(obj, `attribute '${name}'`, loc);
  const table = tableFor(obj);
  if (table) {
    const impl = table[name];
    if (impl !== undefined) return boundBuiltin(interp, obj, name, impl);
    if (name === '__class__') return typeOf(interp, obj);
    if (obj instanceof PyFloat || typeof obj === 'number' || typeof obj === 'bigint' || typeof obj === 'boolean') {
      if (name === 'real') return obj;
      if (name === 'imag') return obj instanceof PyFloat ? new PyFloat(0) : 0;
      if (name === 'numerator' && !(obj instanceof PyFloat)) return obj;
      if (name === 'denominator' && !(obj instanceof PyFloat)) return 1;
    }
    return NO_ATTR;
  }
  if (obj instanceof PyFunction) {
    const a = obj.attrs?.get(name);
    if (a !== undefined) return a;
    switch (name) {
      case '__name__':
        return obj.code.name;
      case '__qualname__':
        return obj.code.qualname;
      case '__module__':
        return obj.module;
      case '__doc__':
        return (obj.code.doc as string | null | undefined) ?? null;
      case '__defaults__':
        return obj.defaults.length ? new PyTuple(obj.defaults) : null;
    }
    return NO_ATTR;
  }
  if (obj instanceof PyBoundMethod) {
    if (name === '__self__') return obj.self;
    if (name === '__func__') return obj.func;
    return getAttrOpt(interp, obj.func, name, loc);
  }
  if (obj instanceof HostMethodFunction) {
    if (name === '__name__') return obj.name;
    if (name === '__qualname__') return `${obj.owner.qualname}.${obj.name}`;
    if (name === '__module__') return obj.owner.module;
    if (name === '__doc__') return null;
    return NO_ATTR;
  }
  if (obj instanceof PyBuiltin || obj instanceof PyHostFunction) {
    if (name === '__name__' || name === '__qualname__') return obj.name;
    return NO_ATTR;
  }
  if (obj instanceof PyProperty) {
    if (name === 'setter') return new PyBuiltin('setter', (args) => new PyProperty(obj.fget, args[0] ?? null));
    if (name === 'fget') return obj.fget;
    return NO_ATTR;
  }
  if (obj instanceof PyRange) {
    if (name === 'start') return obj.start;
    if (name === 'stop') return obj.stop;
    if (name === 'step') return obj.step;
    if (name === 'index' || name === 'count') return new PyBuiltin(name, (args) => {
      const x = args[0];
      const n = obj.length;
      for (let i = 0; i < n; i++) if (eq(interp, obj.at(i), x)) return name === 'index' ? i : 1;
      if (name === 'count') return 0;
      throw pyErr('ValueError', `${repr(interp, x)} is not in range`);
    });
    return NO_ATTR;
  }
  if (obj instanceof PyCoroutine) {
    if (name === 'close') return new PyBuiltin('close', () => null);
    return NO_ATTR;
  }
  if (obj instanceof PyTypeAlias) {
    if (name === '__origin__') return obj.origin ?? null;
    if (name === '__args__') return new PyTuple(obj.args);
    // typing.Optional[str].__name__ == 'Optional', list[int].__name__ == 'list'; `int | None` has none.
    if (name === '__name__' && obj.name !== '|') return obj.name.startsWith('typing.') ? obj.name.slice('typing.'.length) : obj.origin instanceof PyClass ? obj.origin.name : obj.name;
    return NO_ATTR;
  }
  if (obj instanceof PyGenerator) {
    const g = generatorAttr(interp, obj, name);
    if (g !== undefined) return g;
  }
  if (obj instanceof PyIterator) {
    if (name === '__next__') return new PyBuiltin('__next__', () => nextOrRaise(obj));
    return NO_ATTR;
  }
  if (obj instanceof PySlice) {
    if (name === 'start') return obj.start;
    if (name === 'stop') return obj.stop;
    if (name === 'step') return obj.step;
  }
  if (obj === null && name === '__class__') return typeOf(interp, obj);
  return NO_ATTR;
}

function nextOrRaise(it: PyIterator): PyValue | Promise<PyValue> {
  const r = it.next();
  if (r instanceof Promise) return r.then((x) => (x === STOP ? Promise.reject(pyErr('StopIteration')) : x));
  if (r === STOP) throw pyErr('StopIteration');
  return r;
}

function classAttr(interp: Interp, cls: PyClass, name: string, loc: SourceLocation | undefined): PyValue | Promise<PyValue> | typeof NO_ATTR {
  const attr = cls.lookup(name);
  if (attr !== undefined) {
    if (attr instanceof PyClassMethod) return new PyBoundMethod(cls, attr.func);
    if (attr instanceof PyStaticMethod) return attr.func;
    return attr;
  }
  const own = hostClassOwnAttr(cls, name);
  if (own !== undefined) return own;
  switch (name) {
    case '__name__':
      return cls.name;
    case '__qualname__':
      return cls.qualname;
    case '__module__':
      return cls.module;
    case '__doc__':
      return null;
    case '__bases__':
      return new PyTuple(cls.bases.length ? cls.bases : cls === builtinTypes.get('object') ? [] : [builtinTypes.get('object')!]);
    case '__mro__':
      return new PyTuple([...cls.mro, builtinTypes.get('object')!].filter((c, i, a) => a.indexOf(c) === i));
    case '__dict__': {
      const d = new PyDict();
      for (const [k, v] of cls.ns) d.set(k, v);
      return d;
    }
    case '__annotations__': {
      const d = new PyDict();
      for (const a of cls.annotations) d.set(a.name, a.value !== undefined ? a.value : a.source);
      return d;
    }
    case '__members__':
      if (cls.enumMembers) return PyDict.fromEntries(cls.enumMembers.map((m) => [m.dict.get('_name_') ?? null, m]));
      break;
    case '__class__':
      return builtinTypes.get('type')!;
  }
  // methods of builtin types used unbound: str.upper, dict.fromkeys...
  const bt = builtinTableOfClass(cls);
  if (bt) {
    const impl = bt[name];
    if (impl !== undefined)
      return new PyBuiltin(`${cls.name}.${name}`, (args, kwargs, ctx) => {
        if (args.length === 0) throw pyErr('TypeError', `unbound method ${cls.name}.${name}() needs an argument`);
        return impl(interp, args[0], args.slice(1), kwargs, ctx.loc);
      });
  }
  void loc;
  return NO_ATTR;
}

function builtinTableOfClass(cls: PyClass): Record<string, MethodImpl> | undefined {
  switch (cls) {
    case builtinTypes.get('str'):
      return methodTables.str;
    case builtinTypes.get('list'):
      return methodTables.list;
    case builtinTypes.get('dict'):
      return methodTables.dict;
    case builtinTypes.get('set'):
      return methodTables.set;
    case builtinTypes.get('tuple'):
      return methodTables.tuple;
    case builtinTypes.get('int'):
      return methodTables.int;
    case builtinTypes.get('float'):
      return methodTables.float;
  }
  return undefined;
}

export function setAttr(interp: Interp, obj: PyValue, name: string, value: PyValue, loc: SourceLocation | undefined): void | Promise<void> {
  if (obj instanceof PyInstance) {
    const clsAttr = obj.cls.lookup(name);
    if (clsAttr instanceof PyProperty) {
      if (clsAttr.fset === null) throw pyErr('AttributeError', `property '${name}' of '${obj.cls.name}' object has no setter`);
      const r = call(interp, clsAttr.fset, [obj, value], null, loc);
      if (r instanceof Promise) return r.then(() => undefined);
      return;
    }
    const sa = obj.cls.lookup('__setattr__');
    if (sa !== undefined) {
      const r = call(interp, sa, [obj, name, value], null, loc);
      if (r instanceof Promise) return r.then(() => undefined);
      return;
    }
    if (obj.cls.lookup('__dataclass_frozen__') === true) throw pyErr('FrozenInstanceError', `cannot assign to field '${name}'`);
    obj.dict.set(name, value);
    return;
  }
  if (obj instanceof PyClass) {
    if (obj.module === 'builtins') throw pyErr('TypeError', `cannot set '${name}' attribute of immutable type '${obj.name}'`);
    obj.ns.set(name, value);
    noteHostClassAssignment(obj, name);
    return;
  }
  if (obj instanceof PyModule) {
    obj.dict.set(name, value);
    return;
  }
  if (obj instanceof PyFunction) {
    (obj.attrs ??= new Map()).set(name, value);
    return;
  }
  if (obj instanceof HostObject) {
    let ok: boolean;
    try {
      ok = obj.setAttr(name, value, interp.hostContext(loc, name));
    } catch (e) {
      throw interp.hostError(e, loc);
    }
    if (!ok) throw pyErr('AttributeError', `'${obj.typeName}' object attribute '${name}' cannot be set`);
    return;
  }
  if (obj instanceof PyOpaque) throw opaqueUse(obj, `attribute assignment '${name}'`, loc);
  throw pyErr('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}

export function delAttr(interp: Interp, obj: PyValue, name: string, loc: SourceLocation | undefined): void {
  if (obj instanceof PyInstance) {
    if (!obj.dict.delete(name)) throw pyErr('AttributeError', `'${obj.cls.name}' object has no attribute '${name}'`);
    return;
  }
  if (obj instanceof PyClass && obj.module !== 'builtins') {
    if (!obj.ns.delete(name)) throw attributeError(obj, name);
    forgetHostClassAssignment(obj, name);
    return;
  }
  if (obj instanceof PyModule) {
    if (!obj.dict.delete(name)) throw attributeError(obj, name);
    return;
  }
  if (obj instanceof PyOpaque) throw opaqueUse(obj, `attribute deletion '${name}'`, loc);
  void interp;
  throw pyErr('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}
