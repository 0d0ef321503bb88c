/**
 * The evaluator's runtime state (`Interp`) and the Python object protocols: calls, attribute
 * access, operators, comparisons, iteration, repr/str, formatting, limits.
 *
 * Every protocol function may return a Promise when something asynchronous happened underneath
 * (a host call returning a Promise, an awaited coroutine, a periodic yield to the event loop);
 * callers check `instanceof Promise` and only then go asynchronous.
 */
import * as v8 from 'node:v8';
import { PyGenerator, generatorAttr } from './generatorObject';
import {
  ArrayIterator,
  BaseException,
  EMPTY_TUPLE,
  ELLIPSIS,
  Env,
  EvaluationLimitError,
  ExceptionClass,
  FunctionCode,
  IterResult,
  Kwargs,
  ListIterator,
  NativeCallContext,
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
  PyIterator,
  PyDeque,
  PyList,
  PyModule,
  PyObject,
  PyOpaque,
  PyProperty,
  PyRange,
  PySet,
  PySlice,
  PyStaticMethod,
  PyTuple,
  PyTypeAlias,
  PyValue,
  RangeIterator,
  STOP,
  SourceLocation,
  UnsupportedPythonError,
  isRunRefusal,
  builtinExceptionClasses,
  exceptionMessage,
  exceptionStrHook,
  hashHooks,
  objectAddress,
  isExceptionClass,
  makeException,
  normInt,
  pyErr,
  reprHook,
  strHook,
  UnhashableError,
  PyEllipsis,
} from './values';
import { libraryFramesOf, tracebackOf } from './tracebackObjects';
import { CallSite, HostContext, HostObject, LoopFrameInfo, NOT_HANDLED, PyHostFunction, StackFrameInfo, EvaluatorApi } from './host';
import { HostMethodFunction, assignedHostClassAttr, forgetHostClassAssignment, hostClassOwnAttr, noteHostClassAssignment, replacedInit } from './hostClassMembers';
import { floatRepr, formatFloat, formatInt, intToDecimal, numBinop, numCompare, numOf, parseFormatSpec, align, isSafe } from './numeric';

// ---------------------------------------------------------------------------------------------
// Options and limits

export interface EvaluationLimits {
  /** Total loop iterations (for/while/comprehension clauses) across the evaluation. Default 10,000,000. */
  maxIterations: number;
  /** Wall time in milliseconds. Default 60,000. */
  timeoutMs: number;
  /** Python call depth. Default 200. */
  maxDepth: number;
  /** Largest list/tuple/dict/set element count and str length produced. Default 10,000,000. */
  maxSize: number;
  /** JavaScript heap in use past which the run stops with MemoryError. Default EVALUATOR_HEAP_BYTES. */
  maxHeapBytes?: number;
}

export const DEFAULT_LIMITS: EvaluationLimits = {
  maxIterations: 10_000_000,
  timeoutMs: 60_000,
  maxDepth: 200,
  maxSize: 10_000_000,
};

/** The evaluator's share of the JavaScript heap: 3/4 of V8's limit (the worker runs with 2 GB), at most 3 GB. */
export const EVALUATOR_HEAP_BYTES = Math.min(v8.getHeapStatistics().heap_size_limit * 0.75, 3 * 2 ** 30);

/** How much of a program's stdout is kept (`output`) and shown (the run's log), in characters. */
export const OUTPUT_LIMITS = { keptChars: 1_000_000, printedChars: 4_000_000, lineChars: 20_000 };

/** A call-site location as compiled: a source location plus the callee text. */
export interface CallLoc extends SourceLocation {
  callee: string;
}

export interface LoopFrame {
  kind: LoopFrameInfo['kind'];
  loc: SourceLocation;
  iteration: number;
  fn: string;
}

export interface RuntimeHooks {
  print(text: string, loc: SourceLocation | undefined): void;
  log(level: string, message: string, loc: SourceLocation | undefined): void;
}

// ---------------------------------------------------------------------------------------------
// Frames

export class Frame {
  stmt: SourceLocation;
  retval: PyValue = null;
  constructor(
    readonly interp: Interp,
    readonly globals: Map<string, PyValue>,
    public env: Env | null,
    readonly fn: PyFunction | null,
    readonly classNs: Map<string, PyValue> | null,
    readonly name: string,
    readonly file: string,
    loc: SourceLocation,
  ) {
    this.stmt = loc;
  }
}

/** Code attached by the compiler to FunctionCode. */
export interface CompiledBody {
  /** Statement body (def) — returns a completion. */
  body?: (f: Frame) => unknown;
  /** Expression body (lambda). */
  expr?: (f: Frame) => PyValue | Promise<PyValue>;
}

export const RETURN = 3;

// ---------------------------------------------------------------------------------------------

const NO_ATTR: unique symbol = Symbol('NO_ATTR');

export type MethodImpl = (interp: Interp, self: any, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined) => PyValue | Promise<PyValue>;

/** Method tables of builtin types, filled by builtins.ts. */
export const methodTables: {
  str: Record<string, MethodImpl>;
  list: Record<string, MethodImpl>;
  dict: Record<string, MethodImpl>;
  tuple: Record<string, MethodImpl>;
  set: Record<string, MethodImpl>;
  int: Record<string, MethodImpl>;
  float: Record<string, MethodImpl>;
  bytes: Record<string, MethodImpl>;
  deque: Record<string, MethodImpl>;
} = { str: {}, list: {}, dict: {}, tuple: {}, set: {}, int: {}, float: {}, bytes: {}, deque: {} };

/** Builtin classes (int, str, object...), filled by builtins.ts. */
export const builtinTypes = new Map<string, PyClass>();

function tableFor(v: PyValue): Record<string, MethodImpl> | undefined {
  switch (typeof v) {
    case 'string':
      return methodTables.str;
    case 'number':
    case 'bigint':
    case 'boolean':
      return methodTables.int;
    case 'object':
      if (v instanceof PyDeque) return methodTables.deque;
      if (v instanceof PyList) return methodTables.list;
      if (v instanceof PyDict) return methodTables.dict;
      if (v instanceof PyTuple) return methodTables.tuple;
      if (v instanceof PySet) return methodTables.set;
      if (v instanceof PyFloat) return methodTables.float;
      if (v instanceof PyBytes) return methodTables.bytes;
  }
  return undefined;
}

export function typeName(v: PyValue): string {
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'number':
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'object':
      if (v === null) return 'NoneType';
      return v.typeName;
  }
  return 'object';
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class Interp implements EvaluatorApi {
  readonly limits: EvaluationLimits;
  iterations = 0;
  calls = 0;
  depth = 0;
  noYield = 0;
  readonly startedAt = Date.now();
  readonly deadline: number;
  lastYield = Date.now();
  readonly loops: LoopFrame[] = [];
  readonly frames: Frame[] = [];
  /** Exceptions being handled (for bare `raise`). */
  readonly handling: PyException[] = [];
  readonly builtins: Map<string, PyValue>;
  /** What the program wrote to stdout, up to OUTPUT_LIMITS.keptChars (see write()). */
  output = '';
  /** Characters written past the output limits (counted, not kept). */
  outputDropped = 0;
  private printedChars = 0;
  /** Module objects by name (stdlib, host, user modules). */
  readonly modules = new Map<string, PyModule>();
  /** Set by the compiler: calls a compiled function body. */
  readonly hostClassCache = new Map<string, PyClass>();

  constructor(
    readonly fileName: string,
    limits: Partial<EvaluationLimits> | undefined,
    readonly signal: AbortSignal | undefined,
    readonly hooks: RuntimeHooks,
    builtins: Map<string, PyValue>,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...(limits ?? {}) };
    this.deadline = this.startedAt + this.limits.timeoutMs;
    this.builtins = builtins;
  }

  // -------------------------------------------------------------------------------------------
  // Limits

  /** One loop iteration. Returns a Promise when the evaluator yields to the event loop. */
  tick(loc: SourceLocation): void | Promise<void> {
    if (++this.iterations > this.limits.maxIterations) {
      throw new EvaluationLimitError('iterations', loc, `Loop iteration limit exceeded (${this.limits.maxIterations.toLocaleString('en-US')} iterations)`);
    }
    if ((this.iterations & 1023) === 0) return this.slowCheck(loc);
  }

  slowCheck(loc: SourceLocation | undefined): void | Promise<void> {
    const now = Date.now();
    // The deadline first: the run's signal also fires at it (runFile), and that is the time limit, not a cancel.
    if (now >= this.deadline) throw new EvaluationLimitError('time', loc, `Time limit exceeded (${this.limits.timeoutMs} ms)`);
    if (this.signal?.aborted) throw new EvaluationLimitError('cancelled', loc, 'Evaluation cancelled');
    this.checkMemory(loc);
    if (this.noYield === 0 && now - this.lastYield > 15) {
      this.lastYield = now;
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (this.signal?.aborted) throw new EvaluationLimitError('cancelled', loc, 'Evaluation cancelled');
      });
    }
  }

  /**
   * The program writes `text` to stdout (print, sys.stdout.write). What is kept and what reaches
   * the run's log is capped (OUTPUT_LIMITS): a run printing hundreds of megabytes must not take
   * the worker or the language server down; what was dropped is counted and said once.
   */
  write(text: string, loc: SourceLocation | undefined): void {
    const room = OUTPUT_LIMITS.keptChars - this.output.length;
    if (room > 0) this.output += text.length <= room ? text : text.slice(0, room);
    const line = text.endsWith('\n') ? text.slice(0, -1) : text;
    const left = OUTPUT_LIMITS.printedChars - this.printedChars;
    if (left <= 0) {
      if (this.outputDropped === 0) this.hooks.print(`… [output limit of ${OUTPUT_LIMITS.printedChars.toLocaleString('en-US')} characters reached: the rest of what the program prints is not shown]`, loc);
      this.outputDropped += Math.max(1, line.length);
      return;
    }
    const cap = Math.min(left, OUTPUT_LIMITS.lineChars);
    this.printedChars += Math.min(line.length, cap) + 1;
    if (line.length <= cap) {
      this.hooks.print(line, loc);
      return;
    }
    this.hooks.print(`${line.slice(0, cap)} … [${(line.length - cap).toLocaleString('en-US')} more characters not shown]`, loc);
  }

  checkSize(n: number, loc: SourceLocation | undefined): void {
    if (n > this.limits.maxSize) throw new EvaluationLimitError('size', loc, `Size limit exceeded (${n.toLocaleString('en-US')} > ${this.limits.maxSize.toLocaleString('en-US')} elements)`);
    if (n >= 1 << 16) this.checkMemory(loc);
  }

  /**
   * Aggregate memory: the per-object size limit does not stop 200 lists of 9,000,000 items (4.5 GB,
   * then V8's fatal "heap out of memory", an unlocated exit 134). Checked on every large
   * allocation and every 1,024 loop iterations against EVALUATOR_HEAP_BYTES.
   */
  checkMemory(loc: SourceLocation | undefined): void {
    const used = v8.getHeapStatistics().used_heap_size;
    const limit = this.limits.maxHeapBytes ?? EVALUATOR_HEAP_BYTES;
    if (used > limit) {
      throw new EvaluationLimitError('memory', loc, `MemoryError: the run's memory limit was reached (${Math.round(used / 2 ** 20).toLocaleString('en-US')} MB in use, limit ${Math.round(limit / 2 ** 20).toLocaleString('en-US')} MB)`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Host context

  currentLoc(): SourceLocation | undefined {
    const f = this.frames[this.frames.length - 1];
    return f?.stmt;
  }

  hostContext(loc: SourceLocation | undefined, callee = ''): HostContext {
    const l = loc ?? this.currentLoc();
    const loops: LoopFrameInfo[] = this.loops.filter((x) => x !== undefined).map((x) => ({
      kind: x.kind,
      file: x.loc.file,
      line: x.loc.line,
      column: x.loc.column,
      iteration: x.iteration,
      function: x.fn,
      loc: x.loc,
    }));
    const stack: StackFrameInfo[] = this.frames.map((f) => ({ function: f.name, file: f.file, line: f.stmt.line, column: f.stmt.column, ...(f.fn?.code.isAsync ? { async: true } : {}) }));
    const base: SourceLocation = l ?? { file: this.fileName, line: 0, column: 0, endLine: 0, endColumn: 0, startIndex: 0, endIndex: 0 };
    const site: CallSite = {
      file: base.file,
      line: base.line,
      column: base.column,
      endLine: base.endLine,
      endColumn: base.endColumn,
      startIndex: base.startIndex,
      endIndex: base.endIndex,
      node: base.node,
      callee: (l as CallLoc | undefined)?.callee ?? callee,
      loops,
      stack,
    };
    return { loc: l, site, evaluator: this };
  }

  /** Wraps errors thrown by host code so Python can catch them. */
  hostError(e: unknown, loc: SourceLocation | undefined): unknown {
    if (e instanceof PyException) {
      e.modelledOrigin = { boundary: e.traceback.length, loc, frames: libraryFramesOf((e as PyException & { hostError?: unknown }).hostError) };
      return e;
    }
    if (e instanceof EvaluationLimitError) return e;
    if (e instanceof UnsupportedPythonError) return e.locate(loc);
    if (isRunRefusal(e)) {
      e.location ??= loc;
      return e;
    }
    const pe = toPyException(e);
    if (pe instanceof PyException) pe.modelledOrigin = { boundary: pe.traceback.length, loc, frames: libraryFramesOf(e) };
    return pe ?? e;
  }

  // -------------------------------------------------------------------------------------------
  // EvaluatorApi

  toPlain(v: PyValue): unknown {
    return convertHooks.toPlain(v);
  }
  fromPlain(x: unknown): PyValue {
    return convertHooks.fromPlain(x);
  }
  truthy(v: PyValue): boolean {
    return truthy(this, v);
  }
  typeName(v: PyValue): string {
    return typeName(v);
  }
  repr(v: PyValue): string {
    return repr(this, v);
  }
  str(v: PyValue): string {
    return str(this, v);
  }
  call(fn: PyValue, args: PyValue[] = [], kwargs?: Kwargs | Record<string, PyValue>): PyValue | Promise<PyValue> {
    const kw = kwargs === undefined ? null : kwargs instanceof Map ? kwargs : new Map(Object.entries(kwargs));
    return call(this, fn, args, kw, this.currentLoc());
  }
  resolve(v: PyValue): PyValue | Promise<PyValue> {
    return awaitValue(this, v, this.currentLoc());
  }
  toArray(v: PyValue): PyValue[] | Promise<PyValue[]> {
    return toArray(this, v, this.currentLoc());
  }
}

/** Filled by convert.ts (avoids an import cycle). */
export const convertHooks: { toPlain: (v: PyValue) => unknown; fromPlain: (x: unknown) => PyValue } = {
  toPlain: (v) => v,
  fromPlain: (x) => x as PyValue,
};

// ---------------------------------------------------------------------------------------------
// Errors

const dynamicExceptionClasses = new Map<string, PyClass>();

/** Converts anything thrown into a catchable Python exception; null for evaluator errors that Python must not catch. */
export function toPyException(e: unknown): PyException | null {
  if (e instanceof PyException) return e;
  if (e instanceof UnsupportedPythonError || e instanceof EvaluationLimitError || isRunRefusal(e)) return null;
  if (e instanceof Error) {
    if (e.constructor === TypeError || e.constructor === ReferenceError || e.constructor === SyntaxError) return null;
    if (e.constructor === RangeError && /call stack/i.test(e.message)) return null;
    const named = (e as { pyType?: unknown }).pyType;
    let name = typeof named === 'string' ? named : e.name && e.name !== 'Error' ? e.name : 'RuntimeError';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) name = 'RuntimeError';
    // A host error may name its Python class (one with a hierarchy of its own).
    const own = (e as { pyClass?: unknown }).pyClass;
    let cls = own instanceof PyClass ? own : builtinExceptionClasses.get(name) ?? dynamicExceptionClasses.get(name);
    if (!cls) {
      cls = new PyClass(name, [ExceptionClass], new Map(), undefined, name, 'host');
      dynamicExceptionClasses.set(name, cls);
    }
    const pe = new PyException(makeException(cls, [e.message]));
    (pe as PyException & { hostError?: unknown }).hostError = e;
    return pe;
  }
  return null;
}

export function unsupported(construct: string, loc: SourceLocation | undefined, detail?: string): UnsupportedPythonError {
  return new UnsupportedPythonError(construct, loc, detail);
}

function opaqueUse(o: PyOpaque, what: string, loc: SourceLocation | undefined): UnsupportedPythonError {
  const where = o.loc ? ` (imported at ${o.loc.file}:${o.loc.line}:${o.loc.column})` : '';
  if (o.notModelled) return unsupported(`\`${o.notModelled}\` is not modelled`, loc, `${what} of '${o.description}'${where}${o.why ? `: ${o.why}` : ''}`);
  return unsupported(`${what} of '${o.description}'`, loc, `'${o.description}' comes from a module the evaluator does not implement${where}`);
}

// ---------------------------------------------------------------------------------------------
// Truthiness, equality, hashing

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

let activeInterp: Interp | undefined;
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

// ---------------------------------------------------------------------------------------------
// repr / str

export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad) out += '\\x' + c.toString(16).padStart(2, '0');
    else if ((c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + q;
}

const reprGuard = new Set<object>();

export function repr(interp: Interp, v: PyValue): string {
  switch (typeof v) {
    case 'string':
      return pyStrRepr(v);
    case 'number':
      return String(v);
    case 'bigint':
      return intToDecimal(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet) {
    if (reprGuard.has(v)) return v instanceof PyList ? '[...]' : v instanceof PyDict ? '{...}' : '(...)';
    reprGuard.add(v);
    try {
      if (v instanceof PyDeque) return `deque([${v.items.map((x) => repr(interp, x)).join(', ')}]${v.maxlen === null ? '' : `, maxlen=${v.maxlen}`})`;
      if (v instanceof PyList) return '[' + v.items.map((x) => repr(interp, x)).join(', ') + ']';
      if (v instanceof PyTuple) return v.items.length === 1 ? '(' + repr(interp, v.items[0]) + ',)' : '(' + v.items.map((x) => repr(interp, x)).join(', ') + ')';
      if (v instanceof PyDict) return '{' + v.entries().map(([k, x]) => repr(interp, k) + ': ' + repr(interp, x)).join(', ') + '}';
      const body = v.values().map((x) => repr(interp, x)).join(', ');
      if (v.frozen) return v.size ? `frozenset({${body}})` : 'frozenset()';
      return v.size ? '{' + body + '}' : 'set()';
    } finally {
      reprGuard.delete(v);
    }
  }
  if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__repr__');
    if (m !== undefined) return strOf(callSync(interp, m, [v], undefined));
    if (v.cls.enumMembers) return `<${v.cls.name}.${strOf(v.dict.get('_name_') ?? '')}: ${repr(interp, v.dict.get('_value_') ?? null)}>`;
    if (isExceptionClass(v.cls)) {
      const args = v.dict.get('args');
      const items = args instanceof PyTuple ? args.items : [];
      return `${v.cls.name}(${items.map((x) => repr(interp, x)).join(', ')})`;
    }
    return `<${v.cls.module === '__main__' || v.cls.module === 'builtins' ? v.cls.module + '.' : v.cls.module + '.'}${v.cls.qualname} object at ${objectAddress(v)}>`;
  }
  if (v instanceof HostObject) return v.repr();
  if (v instanceof PyClass) {
    if (v.module === 'builtins') return `<class '${v.name}'>`;
    return `<class '${v.module}.${v.qualname}'>`;
  }
  if (v instanceof PyFunction) return `<function ${v.code.qualname} at ${objectAddress(v)}>`;
  if (v instanceof HostMethodFunction) return `<function ${v.owner.qualname}.${v.name}>`;
  if (v instanceof PyBuiltin || v instanceof PyHostFunction) return `<built-in function ${v.name}>`;
  if (v instanceof PyBoundMethod) {
    const fnName = v.func instanceof PyFunction ? v.func.code.qualname : v.func instanceof PyBuiltin ? v.func.name : '?';
    return `<bound method ${fnName} of ${repr(interp, v.self)}>`;
  }
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyBytes) {
    let s = "b'";
    for (const b of v.data) {
      if (b === 0x5c) s += '\\\\';
      else if (b === 0x27) s += "\\'";
      else if (b === 10) s += '\\n';
      else if (b === 13) s += '\\r';
      else if (b === 9) s += '\\t';
      else if (b < 0x20 || b >= 0x7f) s += '\\x' + b.toString(16).padStart(2, '0');
      else s += String.fromCharCode(b);
    }
    return s + "'";
  }
  if (v instanceof PyTypeAlias) {
    if (v.name === '|') return v.args.map((a) => typeRepr(interp, a)).join(' | ');
    const base = v.name.startsWith('typing.') || !v.origin ? v.name : v.name;
    return v.args.length ? `${base}[${v.args.map((a) => typeRepr(interp, a)).join(', ')}]` : base;
  }
  if (v instanceof PyOpaque) return `<unsupported ${v.description}>`;
  if (v instanceof PyCoroutine) return `<coroutine object ${v.name}>`;
  if (v instanceof PyGenerator) return v.repr();
  if (v instanceof PyEllipsis) return 'Ellipsis';
  if (v instanceof PySlice) return `slice(${repr(interp, v.start)}, ${repr(interp, v.stop)}, ${repr(interp, v.step)})`;
  if (v instanceof PyStaticMethod) return `<staticmethod(${repr(interp, v.func)})>`;
  if (v instanceof PyClassMethod) return `<classmethod(${repr(interp, v.func)})>`;
  if (v instanceof PyProperty) return `<property object>`;
  if (v instanceof PyIterator) return `<${v.typeName} object>`;
  return `<${v.typeName} object>`;
}

function typeRepr(interp: Interp, v: PyValue): string {
  if (v instanceof PyClass) return v.module === 'builtins' ? v.name : `${v.module}.${v.qualname}`;
  if (v === null) return 'None';
  if (v instanceof PyList) return '[' + v.items.map((x) => typeRepr(interp, x)).join(', ') + ']';
  return repr(interp, v);
}

function strOf(v: PyValue): string {
  return typeof v === 'string' ? v : String(v);
}

export function str(interp: Interp, v: PyValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__str__');
    if (m !== undefined) return strOf(callSync(interp, m, [v], undefined));
    if (isExceptionClass(v.cls)) return exceptionMessage(v);
    if (v.cls.enumMembers) {
      const mix = enumMixin(v.cls);
      const val = v.dict.get('_value_') ?? null;
      if (mix === 'int' && v.cls.mro.some((c) => c.name === 'IntEnum' || c.name === 'IntFlag')) return str(interp, val);
      if (mix === 'str' && v.cls.mro.some((c) => c.name === 'StrEnum')) return str(interp, val);
      return `${v.cls.name}.${strOf(v.dict.get('_name_') ?? '')}`;
    }
    return repr(interp, v);
  }
  if (v instanceof HostObject) return v.str();
  return repr(interp, v);
}

exceptionStrHook.fn = (exc) => {
  const m = exc.cls.lookup('__str__');
  if (m !== undefined && activeInterp) return strOf(callSync(activeInterp, m, [exc], undefined));
  return undefined;
};
strHook.fn = (v) => (activeInterp ? str(activeInterp, v) : String(v));
reprHook.fn = (v) => (activeInterp ? repr(activeInterp, v) : String(v));

// ---------------------------------------------------------------------------------------------
// Formatting

export function format(interp: Interp, v: PyValue, spec: string, loc?: SourceLocation): string {
  if (typeof v === 'string') {
    if (spec === '') return v;
    const s = parseFormatSpec(spec);
    if (s.type && s.type !== 's') throw pyErr('ValueError', `Unknown format code '${s.type}' for object of type 'str'`);
    const body = s.precision !== undefined ? [...v].slice(0, s.precision).join('') : v;
    return align(body, s, false);
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (spec === '') return intToDecimal(v);
    return formatInt(v, parseFormatSpec(spec));
  }
  if (typeof v === 'boolean') {
    if (spec === '') return v ? 'True' : 'False';
    const s = parseFormatSpec(spec);
    if (!s.type || s.type === 's') return align(v ? 'True' : 'False', s, false);
    return formatInt(v ? 1 : 0, s);
  }
  if (v instanceof PyFloat) {
    if (spec === '') return floatRepr(v.v);
    return formatFloat(v.v, parseFormatSpec(spec));
  }
  if (v instanceof HostObject) {
    const r = v.format(spec);
    if (r !== undefined) return r;
  }
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__format__');
    if (m !== undefined) return strOf(callSync(interp, m, [v, spec], loc));
    if (v.cls.enumMembers && spec !== '') {
      return format(interp, v.dict.get('_value_') ?? null, spec, loc);
    }
  }
  if (spec === '') return str(interp, v);
  const s = parseFormatSpec(spec);
  if (!s.type || s.type === 's') return align(str(interp, v), s, false);
  throw pyErr('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`);
}

// ---------------------------------------------------------------------------------------------
// Attributes

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
        return null;
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

// ---------------------------------------------------------------------------------------------
// Calls

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

// ---------------------------------------------------------------------------------------------
// Awaiting

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

// ---------------------------------------------------------------------------------------------
// Iteration

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

// ---------------------------------------------------------------------------------------------
// Operators

const DUNDER: Record<string, [string, string]> = {
  '+': ['__add__', '__radd__'],
  '-': ['__sub__', '__rsub__'],
  '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'],
  '//': ['__floordiv__', '__rfloordiv__'],
  '%': ['__mod__', '__rmod__'],
  '**': ['__pow__', '__rpow__'],
  '@': ['__matmul__', '__rmatmul__'],
  '&': ['__and__', '__rand__'],
  '|': ['__or__', '__ror__'],
  '^': ['__xor__', '__rxor__'],
  '<<': ['__lshift__', '__rlshift__'],
  '>>': ['__rshift__', '__rrshift__'],
};

function repeatCount(n: PyValue): number | undefined {
  if (typeof n === 'number') return n;
  if (typeof n === 'boolean') return n ? 1 : 0;
  if (typeof n === 'bigint') return Number(n);
  return undefined;
}

function isTypeLike(v: PyValue): boolean {
  return v === null || v instanceof PyClass || v instanceof PyTypeAlias;
}

export function binop(interp: Interp, op: string, a: PyValue, b: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const n = numBinop(op, a, b);
  if (n !== undefined) return n;
  switch (op) {
    case '+':
      if (typeof a === 'string') {
        if (typeof b === 'string') {
          const s = a + b;
          if (s.length > 1_000_000) interp.checkSize(s.length, loc);
          return s;
        }
        if (!(b instanceof PyInstance || b instanceof HostObject)) throw pyErr('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
      }
      if (a instanceof PyList) {
        if (b instanceof PyList) {
          interp.checkSize(a.items.length + b.items.length, loc);
          return new PyList(a.items.concat(b.items));
        }
        if (!(b instanceof PyInstance || b instanceof HostObject)) throw pyErr('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
      }
      if (a instanceof PyTuple && b instanceof PyTuple) {
        interp.checkSize(a.items.length + b.items.length, loc);
        return new PyTuple(a.items.concat(b.items));
      }
      if (a instanceof PyBytes && b instanceof PyBytes) return new PyBytes(Buffer.concat([a.data, b.data]));
      break;
    case '*': {
      let seq = a;
      let cnt = repeatCount(b);
      if (cnt === undefined || !(typeof seq === 'string' || seq instanceof PyList || seq instanceof PyTuple)) {
        seq = b;
        cnt = repeatCount(a);
      }
      if (cnt !== undefined && (typeof seq === 'string' || seq instanceof PyList || seq instanceof PyTuple)) {
        const k = Math.max(0, cnt);
        if (typeof seq === 'string') {
          interp.checkSize(seq.length * k, loc);
          return seq.repeat(k);
        }
        interp.checkSize(seq.items.length * k, loc);
        const out: PyValue[] = [];
        for (let i = 0; i < k; i++) for (const x of seq.items) out.push(x);
        return seq instanceof PyList ? new PyList(out) : new PyTuple(out);
      }
      break;
    }
    case '%':
      if (typeof a === 'string') return percentFormat(interp, a, b);
      break;
    case '|':
      if (a instanceof PyDict && b instanceof PyDict) {
        const d = a.copy();
        for (const [k, v] of b.entries()) d.set(k, v);
        return d;
      }
      if (a instanceof PySet && b instanceof PySet) {
        const s = PySet.of(a.values(), a.frozen);
        for (const v of b.values()) s.add(v);
        return s;
      }
      if (isTypeLike(a) && isTypeLike(b) && (a !== null || b !== null)) {
        const parts = [...(a instanceof PyTypeAlias && a.name === '|' ? a.args : [a]), ...(b instanceof PyTypeAlias && b.name === '|' ? b.args : [b])];
        return new PyTypeAlias('|', parts);
      }
      break;
    case '&':
      if (a instanceof PySet && b instanceof PySet) return PySet.of(a.values().filter((v) => b.has(v)), a.frozen);
      break;
    case '-':
      if (a instanceof PySet && b instanceof PySet) return PySet.of(a.values().filter((v) => !b.has(v)), a.frozen);
      break;
    case '^':
      if (a instanceof PySet && b instanceof PySet) return PySet.of([...a.values().filter((v) => !b.has(v)), ...b.values().filter((v) => !a.has(v))], a.frozen);
      break;
  }
  // user classes and host objects
  const names = DUNDER[op];
  if (a instanceof PyInstance && names) {
    const m = a.cls.lookup(names[0]);
    if (m !== undefined) {
      const r = call(interp, m, [a, b], null, loc);
      if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return r;
    }
  }
  if (a instanceof HostObject) {
    const r = a.binaryOp(op, b, false);
    if (r !== undefined) return r;
  }
  if (b instanceof PyInstance && names) {
    const m = b.cls.lookup(names[1]);
    if (m !== undefined) {
      const r = call(interp, m, [b, a], null, loc);
      if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return r;
    }
  }
  if (b instanceof HostObject) {
    const r = b.binaryOp(op, a, true);
    if (r !== undefined) return r;
  }
  if (a instanceof PyOpaque) throw opaqueUse(a, `operator ${op}`, loc);
  if (b instanceof PyOpaque) throw opaqueUse(b, `operator ${op}`, loc);
  if (op === '@') throw unsupported('matrix multiplication operator @', loc);
  throw pyErr('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** In-place operators: lists extend in place, others fall back to binop. */
export function inplaceOp(interp: Interp, op: string, a: PyValue, b: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (op === '+' && a instanceof PyList) {
    if (b instanceof PyList) {
      interp.checkSize(a.items.length + b.items.length, loc);
      for (const x of b.items) a.items.push(x);
      return a;
    }
    const arr = toArray(interp, b, loc);
    if (arr instanceof Promise) return arr.then((xs) => (a.items.push(...xs), a));
    interp.checkSize(a.items.length + arr.length, loc);
    for (const x of arr) a.items.push(x);
    return a;
  }
  if (op === '|' && a instanceof PyDict && b instanceof PyDict) {
    for (const [k, v] of b.entries()) a.set(k, v);
    return a;
  }
  if (a instanceof PySet && b instanceof PySet && !a.frozen) {
    if (op === '|') {
      for (const v of b.values()) a.add(v);
      return a;
    }
    if (op === '-') {
      for (const v of b.values()) a.delete(v);
      return a;
    }
    if (op === '&') {
      for (const v of a.values()) if (!b.has(v)) a.delete(v);
      return a;
    }
  }
  if (a instanceof PyInstance) {
    const names = DUNDER[op];
    if (names) {
      const m = a.cls.lookup('__i' + names[0].slice(2));
      if (m !== undefined) return call(interp, m, [a, b], null, loc);
    }
  }
  return binop(interp, op, a, b, loc);
}

export function unary(interp: Interp, op: string, v: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  switch (op) {
    case '-':
      if (typeof v === 'number') return v === 0 ? 0 : -v;
      if (typeof v === 'bigint') return normInt(-v);
      if (typeof v === 'boolean') return v ? -1 : 0;
      if (v instanceof PyFloat) return new PyFloat(-v.v);
      break;
    case '+':
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v instanceof PyFloat) return v;
      break;
    case '~':
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
        const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
        return typeof x === 'number' && x >= -0x80000000 && x <= 0x7fffffff ? ~x : normInt(~BigInt(x));
      }
      break;
  }
  const name = op === '-' ? '__neg__' : op === '+' ? '__pos__' : '__invert__';
  if (v instanceof PyInstance) {
    const m = v.cls.lookup(name);
    if (m !== undefined) return call(interp, m, [v], null, loc);
  }
  if (v instanceof HostObject) {
    const r = v.binaryOp('unary' + op, null, false);
    if (r !== undefined) return r;
  }
  if (v instanceof PyOpaque) throw opaqueUse(v, `unary ${op}`, loc);
  throw pyErr('TypeError', `bad operand type for unary ${op}: '${typeName(v)}'`);
}

/** Three-way comparison for ordering; throws TypeError when unordered. Returns NaN for NaN floats. */
export function cmp(interp: Interp, a: PyValue, b: PyValue, op: string): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const na = numOf(a);
  if (na !== undefined) {
    const nb = numOf(b);
    if (nb !== undefined) return numCompare(na, nb);
  }
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const x = a.items;
    const y = (b as PyList | PyTuple).items;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (!eq(interp, x[i], y[i])) return cmp(interp, x[i], y[i], op);
    }
    return x.length - y.length;
  }
  if (a instanceof HostObject) {
    const r = a.compare(b);
    if (r !== undefined) return r;
  }
  if (b instanceof HostObject) {
    const r = b.compare(a);
    if (r !== undefined) return -r;
  }
  if (a instanceof PyOpaque) throw opaqueUse(a, `comparison ${op}`, undefined);
  if (b instanceof PyOpaque) throw opaqueUse(b, `comparison ${op}`, undefined);
  throw pyErr('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

const RICH: Record<string, [string, string]> = {
  '<': ['__lt__', '__gt__'],
  '<=': ['__le__', '__ge__'],
  '>': ['__gt__', '__lt__'],
  '>=': ['__ge__', '__le__'],
};

/** a op b for < <= > >= == != in, not in, is, is not. */
export function compare(interp: Interp, op: string, a: PyValue, b: PyValue, loc: SourceLocation | undefined): boolean {
  switch (op) {
    case '==':
      return eq(interp, a, b);
    case '!=':
      if (a instanceof PyInstance) {
        const m = a.cls.lookup('__ne__');
        if (m !== undefined) return truthy(interp, callSync(interp, m, [a, b], loc));
      }
      return !eq(interp, a, b);
    case 'is':
      return isSame(a, b);
    case 'is not':
      return !isSame(a, b);
    case 'in':
      return contains(interp, b, a, loc);
    case 'not in':
      return !contains(interp, b, a, loc);
  }
  if (a instanceof PyInstance || b instanceof PyInstance) {
    const names = RICH[op];
    if (a instanceof PyInstance) {
      const m = a.cls.lookup(names[0]);
      if (m !== undefined) {
        const r = callSync(interp, m, [a, b], loc);
        if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return truthy(interp, r);
      }
    }
    if (b instanceof PyInstance) {
      const m = b.cls.lookup(names[1]);
      if (m !== undefined) {
        const r = callSync(interp, m, [b, a], loc);
        if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return truthy(interp, r);
      }
    }
    if (a instanceof PyInstance && a.cls.enumMembers && enumMixin(a.cls)) return compare(interp, op, a.dict.get('_value_') ?? null, b instanceof PyInstance && b.cls.enumMembers ? (b.dict.get('_value_') ?? null) : b, loc);
  }
  if (a instanceof PySet && b instanceof PySet) {
    const sub = (x: PySet, y: PySet) => x.values().every((v) => y.has(v));
    switch (op) {
      case '<=':
        return sub(a, b);
      case '<':
        return a.size < b.size && sub(a, b);
      case '>=':
        return sub(b, a);
      case '>':
        return b.size < a.size && sub(b, a);
    }
  }
  const c = cmp(interp, a, b, op);
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
  throw unsupported(`comparison operator ${op}`, loc);
}

function isSame(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  // small ints/strings are interned in CPython; numbers behave as values here.
  if (a instanceof PyFloat && b instanceof PyFloat) return false;
  return false;
}

export function contains(interp: Interp, container: PyValue, item: PyValue, loc: SourceLocation | undefined): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw pyErr('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyDict) return container.has(item);
  if (container instanceof PySet) return container.has(item);
  if (container instanceof PyList || container instanceof PyTuple) {
    const xs = container.items;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x === item || eq(interp, x, item)) return true;
    }
    return false;
  }
  if (container instanceof PyRange) {
    const n = numOf(item);
    if (n === undefined) return false;
    const v = n instanceof PyFloat ? n.v : Number(n);
    if (!Number.isInteger(v)) return false;
    const { start, stop, step } = container;
    if (step > 0 ? v < start || v >= stop : v > start || v <= stop) return false;
    return (v - start) % step === 0;
  }
  if (container instanceof PyInstance) {
    const m = container.cls.lookup('__contains__');
    if (m !== undefined) return truthy(interp, callSync(interp, m, [container, item], loc));
  }
  if (container instanceof HostObject) {
    const r = container.contains(item, interp.hostContext(loc));
    if (r !== undefined) return r;
  }
  if (container instanceof PyOpaque) throw opaqueUse(container, "'in' test", loc);
  const it = iter(interp, container, loc);
  for (;;) {
    const x = it.next();
    if (x instanceof Promise) throw unsupported("'in' over an asynchronous iterator", loc);
    if (x === STOP) return false;
    if (eq(interp, x, item)) return true;
  }
}

export function len(interp: Interp, v: PyValue, loc: SourceLocation | undefined): number {
  if (typeof v === 'string') return v.length > 0 && /[\ud800-\udfff]/.test(v) ? Array.from(v).length : v.length;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.map.size;
  if (v instanceof PySet) return v.map.size;
  if (v instanceof PyRange) return v.length;
  if (v instanceof PyBytes) return v.data.length;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__len__');
    if (m !== undefined) {
      const r = callSync(interp, m, [v], loc);
      if (typeof r !== 'number') throw pyErr('TypeError', `'${typeName(r)}' object cannot be interpreted as an integer`);
      return r;
    }
  }
  if (v instanceof HostObject) {
    const n = v.len();
    if (n !== undefined) return n;
  }
  if (v instanceof PyClass && v.enumMembers) return v.enumMembers.length;
  if (v instanceof PyOpaque) throw opaqueUse(v, 'len()', loc);
  throw pyErr('TypeError', `object of type '${typeName(v)}' has no len()`);
}

// ---------------------------------------------------------------------------------------------
// Subscripts

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

// ---------------------------------------------------------------------------------------------
// printf-style formatting: "%s %d" % args

export function percentFormat(interp: Interp, fmt: string, args: PyValue): string {
  const list = args instanceof PyTuple ? args.items : [args];
  const mapping = args instanceof PyDict ? args : undefined;
  let idx = 0;
  const next = (): PyValue => {
    if (idx >= list.length) throw pyErr('TypeError', 'not enough arguments for format string');
    return list[idx++];
  };
  // Any character after the spec is the conversion (PyUnicode_Format): an unknown one is a ValueError
  // once its argument is taken, a '%' at the end an "incomplete format".
  const re = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([\s\S]?)/g;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  let usedMapping = false;
  while ((m = re.exec(fmt))) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const [, key, flags, widthS, precS, conv] = m;
    if (conv === '') throw pyErr('ValueError', 'incomplete format');
    if (conv === '%') {
      out += '%';
      continue;
    }
    let v: PyValue;
    if (key !== undefined) {
      if (!mapping) throw pyErr('TypeError', 'format requires a mapping');
      usedMapping = true;
      const got = mapping.get(key);
      if (got === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [key]));
      v = got;
    } else {
      if (widthS === '*') void next();
      v = mapping && list.length === 1 && list[0] === mapping ? (() => { usedMapping = true; return mapping; })() : next();
    }
    if (!'diouxXeEfFgGcrsa'.includes(conv)) {
      const code = conv.codePointAt(0)!;
      throw pyErr('ValueError', `unsupported format character '${conv}' (0x${code.toString(16)}) at index ${m.index + m[0].length - 1}`);
    }
    const width = widthS && widthS !== '*' ? parseInt(widthS, 10) : 0;
    const prec = precS !== undefined && precS !== '*' ? parseInt(precS, 10) : undefined;
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    let spec = '';
    if (left) spec += '<';
    spec += plus;
    if (flags.includes('#')) spec += '#';
    if (zero) spec += '0';
    if (width) spec += String(width);
    let s: string;
    switch (conv) {
      case 's':
        s = str(interp, v);
        if (prec !== undefined) s = s.slice(0, prec);
        s = format(interp, s, (left ? '<' : '>') + (width || ''));
        break;
      case 'r':
      case 'a':
        s = format(interp, repr(interp, v), (left ? '<' : '>') + (width || ''));
        break;
      case 'c':
        s = typeof v === 'string' ? v : String.fromCodePoint(toIndex(v));
        s = format(interp, s, (left ? '<' : '>') + (width || ''));
        break;
      case 'd':
      case 'i':
      case 'u': {
        const n = numOf(v);
        if (n === undefined) throw pyErr('TypeError', `%${conv} format: a real number is required, not ${typeName(v)}`);
        const iv = n instanceof PyFloat ? Math.trunc(n.v) : n;
        s = formatInt(iv, parseFormatSpec(spec + 'd'));
        break;
      }
      case 'o':
      case 'x':
      case 'X': {
        const n = numOf(v);
        if (n === undefined || n instanceof PyFloat) throw pyErr('TypeError', `%${conv} format: an integer is required, not ${typeName(v)}`);
        s = formatInt(n, parseFormatSpec(spec + conv));
        break;
      }
      default: {
        const n = numOf(v);
        if (n === undefined) throw pyErr('TypeError', `must be real number, not ${typeName(v)}`);
        const fv = n instanceof PyFloat ? n.v : Number(n);
        s = formatFloat(fv, parseFormatSpec(spec + (prec !== undefined ? '.' + prec : '.6') + conv));
      }
    }
    out += s;
  }
  out += fmt.slice(last);
  if (!mapping && idx < list.length && !(args instanceof PyTuple && list.length === 0)) throw pyErr('TypeError', 'not all arguments converted during string formatting');
  void usedMapping;
  return out;
}

export { NO_ATTR, isSafe, MAX_SAFE, BaseException, ELLIPSIS };
export type { NativeCallContext, FunctionCode };
