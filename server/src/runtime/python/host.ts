/**
 * The host interface: how TypeScript code (DataFlow, WorkflowBuilder, runtimes...) is exposed to
 * the evaluated Python.
 *
 * - A host module is a record of members (PyValues): host functions (`hostFunction`), host classes
 *   (`hostClass`), host objects (subclasses of `HostObject`) and plain constants (`fromPlain`).
 * - Host callables receive evaluated positional args and kwargs (PyValues) and a `HostContext`
 *   with the call site (file, line, column, node span, callee text, enclosing loops, Python stack)
 *   and an `evaluator` (conversions, calling Python callables back). They may return a Promise.
 * - Host objects implement attribute access, method calls, iteration, `with`, subscripts... by
 *   overriding the methods of `HostObject`; every default raises the Python error CPython would.
 * - To raise a Python exception from the host, throw `pyErr('ValueError', 'message')` or any
 *   Error: a plain Error surfaces in Python as an exception whose type name is
 *   `(err as any).pyType ?? err.name` (a subclass of Exception), catchable with `except Exception`.
 */
import {
  Kwargs,
  NativeCallContext,
  PyClass,
  PyException,
  PyObject,
  PyValue,
  SourceLocation,
  builtinExceptionClasses,
  ExceptionClass,
  makeException,
} from './values';

/** A loop enclosing a call, outermost first in `CallSite.loops`. */
export interface LoopFrameInfo {
  kind: 'for' | 'while' | 'async for' | 'comprehension';
  file: string;
  line: number;
  column: number;
  /** 0-based index of the current iteration. */
  iteration: number;
  /** Python function that contains the loop (`<module>` at top level). */
  function: string;
  loc: SourceLocation;
}

export interface StackFrameInfo {
  function: string;
  file: string;
  /** Line/column of the statement being executed in that frame. */
  line: number;
  column: number;
  /** The frame runs the body of an `async def` (so an event loop is running, as coroutines only run on one). */
  async?: boolean;
}

/** Where a host callable was invoked from. */
export interface CallSite extends SourceLocation {
  /** Source text of the callee expression, e.g. "wf.add_node". */
  callee: string;
  /** Loops enclosing the call at run time (across Python function calls), outermost first. */
  loops: LoopFrameInfo[];
  /** Python call stack, outermost first; the last entry is the frame making the call. */
  stack: StackFrameInfo[];
}

/** What the evaluator offers to host code. */
export interface EvaluatorApi {
  /** The file being evaluated. */
  readonly fileName: string;
  toPlain(v: PyValue): unknown;
  fromPlain(x: unknown): PyValue;
  repr(v: PyValue): string;
  str(v: PyValue): string;
  truthy(v: PyValue): boolean;
  /** Calls a Python callable (e.g. a callback the user passed to a host function). */
  call(fn: PyValue, args?: PyValue[], kwargs?: Kwargs | Record<string, PyValue>): PyValue | Promise<PyValue>;
  /** Awaits a coroutine/awaitable value (returns other values unchanged). */
  resolve(v: PyValue): PyValue | Promise<PyValue>;
  /** Python's type name of a value. */
  typeName(v: PyValue): string;
  /** Iterates any Python iterable into an array. */
  toArray(v: PyValue): PyValue[] | Promise<PyValue[]>;
}

export interface HostContext extends NativeCallContext {
  readonly site: CallSite;
  readonly evaluator: EvaluatorApi;
}

export type HostFn = (args: PyValue[], kwargs: Kwargs, ctx: HostContext) => PyValue | Promise<PyValue>;

/** Returned by `HostObject.callMethod` when it does not handle the name (the evaluator then uses getAttr + call). */
export const NOT_HANDLED: unique symbol = Symbol('NOT_HANDLED');

function typeError(msg: string): PyException {
  return new PyException(makeException(builtinExceptionClasses.get('TypeError')!, [msg]));
}

/**
 * Base class of objects implemented in TypeScript. Override what the object supports.
 * Every method receives a HostContext (site of the Python construct that triggered it).
 */
export abstract class HostObject extends PyObject {
  /** Python type name, used by type(x).__name__, isinstance against host classes and messages. */
  abstract override get typeName(): string;
  /** The host class whose call made this object (set by the evaluator): type(obj), and the attributes user code assigned on that class. */
  hostClass?: PyClass;

  /** `obj.name`. Return undefined when there is no such attribute (→ AttributeError). */
  getAttr(_name: string, _ctx: HostContext): PyValue | Promise<PyValue> | undefined {
    return undefined;
  }
  /** `obj.name = value`. Return false when not supported (→ AttributeError). */
  setAttr(_name: string, _value: PyValue, _ctx: HostContext): boolean {
    return false;
  }
  /** `obj.name(...)`, fast path. Return NOT_HANDLED to fall back to getAttr(name) + call. */
  callMethod(_name: string, _args: PyValue[], _kwargs: Kwargs, _ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    return NOT_HANDLED;
  }
  /** `obj(...)`. */
  call(_args: PyValue[], _kwargs: Kwargs, _ctx: HostContext): PyValue | Promise<PyValue> {
    throw typeError(`'${this.typeName}' object is not callable`);
  }
  /** Whether `call` is implemented (for callable()). */
  get isCallable(): boolean {
    return false;
  }
  /** `for x in obj`. Return undefined when not iterable. */
  iter(_ctx: HostContext): Iterable<PyValue> | AsyncIterable<PyValue> | undefined {
    return undefined;
  }
  /** `with obj as x:` (`async with` when `isAsync`) — the value bound to x (default: the object itself). */
  enter(_ctx: HostContext, _isAsync?: boolean): PyValue | Promise<PyValue> {
    return this;
  }
  /** End of a `with` block; `exc` is the exception leaving the block or null. Return true to swallow it. */
  exit(_exc: PyException | null, _ctx: HostContext): boolean | void | Promise<boolean | void> {
    return false;
  }
  /** `obj[key]`. */
  getItem(_key: PyValue, _ctx: HostContext): PyValue | Promise<PyValue> {
    throw typeError(`'${this.typeName}' object is not subscriptable`);
  }
  /** `obj[key] = value`. */
  setItem(_key: PyValue, _value: PyValue, _ctx: HostContext): void | Promise<void> {
    throw typeError(`'${this.typeName}' object does not support item assignment`);
  }
  /** `del obj[key]`. */
  delItem(_key: PyValue, _ctx: HostContext): void {
    throw typeError(`'${this.typeName}' object does not support item deletion`);
  }
  /** `x in obj`; undefined → iterate. */
  contains(_v: PyValue, _ctx: HostContext): boolean | undefined {
    return undefined;
  }
  /** len(obj); undefined → TypeError. */
  len(): number | undefined {
    return undefined;
  }
  repr(): string {
    return `<${this.typeName} object>`;
  }
  str(): string {
    return this.repr();
  }
  /** Python ==. Default: identity. */
  equals(other: PyValue): boolean {
    return other === this;
  }
  /** Dict-key identity: objects with equal hashKey() are the same key. Default: the object. */
  hashKey(): unknown {
    return this;
  }
  /** Ordering for < <= > >=: negative/0/positive, or undefined when not comparable. */
  compare(_other: PyValue): number | undefined {
    return undefined;
  }
  /** Arithmetic (`+`, `-`, `*`, `/`, `//`, `%`, `**`, `|`, `&`...); undefined = NotImplemented. */
  binaryOp(_op: string, _other: PyValue, _reflected: boolean): PyValue | undefined {
    return undefined;
  }
  truthy(): boolean {
    const n = this.len();
    return n === undefined ? true : n > 0;
  }
  /** format(obj, spec) / f"{obj:spec}"; undefined → str() when spec is empty, else TypeError. */
  format(_spec: string): string | undefined {
    return undefined;
  }
  /** Conversion for toPlain(); default: the object itself. */
  toPlain(): unknown {
    return this;
  }
  /** isinstance(obj, cls) for host classes created by hostClass(): default matches typeName. */
  isInstanceOf(cls: PyClass): boolean {
    return cls.name === this.typeName;
  }
}

/** A host object assembled from a record of methods and attributes. */
export class SimpleHostObject extends HostObject {
  constructor(
    private readonly type: string,
    readonly methods: Record<string, HostFn> = {},
    readonly attrs: Record<string, PyValue> = {},
    private readonly reprText?: string,
  ) {
    super();
  }
  override get typeName(): string {
    return this.type;
  }
  override getAttr(name: string): PyValue | undefined {
    if (Object.prototype.hasOwnProperty.call(this.attrs, name)) return this.attrs[name];
    if (Object.prototype.hasOwnProperty.call(this.methods, name)) return hostFunction(name, this.methods[name]);
    return undefined;
  }
  override setAttr(name: string, value: PyValue): boolean {
    this.attrs[name] = value;
    return true;
  }
  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    const m = Object.prototype.hasOwnProperty.call(this.methods, name) ? this.methods[name] : undefined;
    return m ? m(args, kwargs, ctx) : NOT_HANDLED;
  }
  override repr(): string {
    return this.reprText ?? `<${this.type} object>`;
  }
}

/** A host function: `def name(*args, **kwargs)` implemented in TypeScript. */
export class PyHostFunction extends PyObject {
  /** Whether the real function is a coroutine function (inspect.iscoroutinefunction); undefined when not known. */
  coroutine?: boolean;
  constructor(
    readonly name: string,
    readonly fn: HostFn,
  ) {
    super();
  }
  get typeName(): string {
    return 'builtin_function_or_method';
  }
}

export function hostFunction(name: string, fn: HostFn): PyHostFunction {
  return new PyHostFunction(name, fn);
}

export interface HostClassOptions {
  /** isinstance(v, cls); default: v is a HostObject whose typeName equals the class name. */
  isInstance?: (v: PyValue) => boolean;
  /** Class attributes (e.g. static methods as host functions, constants). */
  attrs?: Record<string, PyValue>;
  module?: string;
  /** Base classes (e.g. ExceptionClass for an exception type). */
  bases?: PyClass[];
  /** Instance methods readable from the class as functions taking the instance first (`LocalRuntime.execute`). */
  methods?: ReadonlySet<string>;
  /** The real class has more than the host models: other names read from it are "not modelled", not AttributeError. */
  partial?: boolean;
  /**
   * Two-step construction (see NativeClassSpec.allocate): `allocate` makes the uninitialised object,
   * `initialize` is the class's own `__init__`. With them, user code may replace `Class.__init__`
   * with a wrapper that calls the original on the instance; `construct` is then allocate + initialize.
   */
  twoStep?: {
    allocate: (ctx: HostContext) => HostObject;
    initialize: (self: HostObject, args: PyValue[], kwargs: Kwargs, ctx: HostContext) => void | Promise<void>;
  };
}

/** A host class: calling it runs `construct` (returns the new object, usually a HostObject). */
export function hostClass(name: string, construct: HostFn, opts: HostClassOptions = {}): PyClass {
  const ns = new Map<string, PyValue>(Object.entries(opts.attrs ?? {}));
  const two = opts.twoStep;
  return new PyClass(
    name,
    opts.bases ?? [],
    ns,
    {
      construct: (args, kwargs, ctx) => construct(args, kwargs ?? new Map(), ctx as HostContext),
      isInstance: opts.isInstance,
      host: true,
      partial: opts.partial,
      methods: opts.methods,
      allocate: two ? (ctx) => two.allocate(ctx as HostContext) : undefined,
      initialize: two ? (self, args, kwargs, ctx) => two.initialize(self as HostObject, args, kwargs, ctx as HostContext) : undefined,
    },
    name,
    opts.module ?? 'host',
  );
}

/** A host class constructed in two steps (see HostClassOptions.twoStep): calling it is allocate + initialize. */
export function twoStepHostClass(name: string, twoStep: NonNullable<HostClassOptions['twoStep']>, opts: Omit<HostClassOptions, 'twoStep'> = {}): PyClass {
  const construct: HostFn = (args, kwargs, ctx) => {
    const self = twoStep.allocate(ctx);
    const r = twoStep.initialize(self, args, kwargs, ctx);
    return r instanceof Promise ? r.then(() => self) : self;
  };
  return hostClass(name, construct, { ...opts, twoStep });
}

/** A Python exception class the host can raise (pyErr(cls, msg)) and Python code can catch by name. */
export function hostExceptionClass(name: string, base: PyClass = ExceptionClass, module = 'host'): PyClass {
  return new PyClass(name, [base], new Map(), undefined, name, module);
}

/** Reads a parameter given positionally or by keyword; `dflt` when absent. */
export function argOf(args: PyValue[], kwargs: Kwargs, index: number, name: string, dflt?: PyValue): PyValue | undefined {
  if (index >= 0 && index < args.length) return args[index];
  const k = kwargs.get(name);
  return k === undefined ? dflt : k;
}

/** A host-provided module: members by name, or a factory called once per evaluation. */
export type HostModule = Record<string, PyValue> | Map<string, PyValue> | ((api: EvaluatorApi) => Record<string, PyValue> | Map<string, PyValue>);
