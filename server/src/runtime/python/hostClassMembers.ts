/**
 * A host class's own `__init__` and methods as Python values, and attributes user code assigns on a
 * host class (a test's conftest wrapping `DataFlow.__init__`, patching `LocalRuntime.execute`...).
 *
 * - `DataFlow.__init__` read from the class is a function taking the instance first; calling it on
 *   an instance the class allocated runs the host's own initialisation on that very object.
 * - `LocalRuntime.execute` (a method the host class declares) read from the class is likewise a
 *   function taking the instance first; it calls the host's own method, never a patch.
 * - `Cls.name = value` on a host class is remembered on the class; on the class's instances an
 *   assigned name wins over the host's own attribute, and calling the class runs an assigned
 *   `__init__` (see runtime.ts instantiate). Host classes belong to one evaluation (host modules are
 *   made per run), so a patch never outlives the run that made it.
 */
import { HostContext, HostObject, NOT_HANDLED, PyHostFunction } from './host';
import { PyClass, PyValue, UnsupportedPythonError, pyErr, type Kwargs } from './values';

/** A host class's own method as a value: a function binding like a Python `def` (obj.method → bound method). */
export class HostMethodFunction extends PyHostFunction {
  constructor(
    readonly owner: PyClass,
    name: string,
    fn: (args: PyValue[], kwargs: Kwargs, ctx: HostContext) => PyValue | Promise<PyValue>,
  ) {
    super(name, fn);
  }
  override get typeName(): string {
    return 'function';
  }
}

function selfOf(cls: PyClass, name: string, args: PyValue[]): HostObject {
  const self = args[0];
  if (self === undefined) throw pyErr('TypeError', `${cls.name}.${name}() missing 1 required positional argument: 'self'`);
  if (!(self instanceof HostObject) || self.hostClass !== cls) {
    throw new UnsupportedPythonError(`${cls.name}.${name} called with a '${self instanceof HostObject ? self.typeName : typeof self === 'object' && self !== null ? self.typeName : typeof self}' as self`, undefined, `the runtime runs ${cls.name}'s own methods only on objects ${cls.name}(...) made`);
  }
  return self;
}

function ownInit(cls: PyClass): HostMethodFunction {
  return new HostMethodFunction(cls, '__init__', (args, kwargs, ctx) => {
    const initialize = cls.native?.initialize;
    if (!initialize) throw new UnsupportedPythonError(`${cls.name}.__init__ called on an instance`, ctx.loc, `the runtime constructs ${cls.name} in one step, only by calling the class`);
    const self = selfOf(cls, '__init__', args);
    const r = initialize(self, args.slice(1), kwargs, ctx);
    return r instanceof Promise ? r.then(() => null) : null;
  });
}

function ownMethod(cls: PyClass, name: string): HostMethodFunction {
  return new HostMethodFunction(cls, name, (args, kwargs, ctx) => {
    const self = selfOf(cls, name, args);
    const rest = args.slice(1);
    const r = self.callMethod(name, rest, kwargs, ctx);
    if (r !== NOT_HANDLED) return r;
    const m = self.getAttr(name, ctx);
    if (m === undefined) throw pyErr('AttributeError', `'${self.typeName}' object has no attribute '${name}'`);
    if (m instanceof Promise) return m.then((f) => ctx.evaluator.call(f, rest, kwargs));
    return ctx.evaluator.call(m, rest, kwargs);
  });
}

/** `Cls.__init__` / `Cls.method` of a host class when user code has not assigned it; undefined for other names. */
export function hostClassOwnAttr(cls: PyClass, name: string): PyValue | undefined {
  const native = cls.native;
  if (!native?.host) return undefined;
  if (name !== '__init__' && !native.methods?.has(name)) return undefined;
  const values = (native.ownValues ??= new Map());
  let v = values.get(name);
  if (v === undefined) {
    v = name === '__init__' ? ownInit(cls) : ownMethod(cls, name);
    values.set(name, v);
  }
  return v;
}

/** Records `Cls.name = value` on a host class (the value itself is stored in the class namespace). */
export function noteHostClassAssignment(cls: PyClass, name: string): void {
  if (cls.native?.host) (cls.native.assigned ??= new Set()).add(name);
}

export function forgetHostClassAssignment(cls: PyClass, name: string): void {
  cls.native?.assigned?.delete(name);
}

/** The value user code assigned on the object's host class under this name, if any. */
export function assignedHostClassAttr(obj: HostObject, name: string): PyValue | undefined {
  const cls = obj.hostClass;
  if (!cls?.native?.assigned?.has(name)) return undefined;
  return cls.ns.get(name);
}

/** The `__init__` user code put on a host class in place of its own (undefined when none, or when the original was put back). */
export function replacedInit(cls: PyClass): PyValue | undefined {
  if (!cls.native?.assigned?.has('__init__')) return undefined;
  const v = cls.ns.get('__init__');
  if (v === undefined || v === cls.native.ownValues?.get('__init__')) return undefined;
  return v;
}
