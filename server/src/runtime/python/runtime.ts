/**
 * The evaluator's runtime state (`Interp`) and the Python object protocols: calls, attribute
 * access, operators, comparisons, iteration, repr/str, formatting, limits.
 *
 * Every protocol function may return a Promise when something asynchronous happened underneath
 * (a host call returning a Promise, an awaited coroutine, a periodic yield to the event loop);
 * callers check `instanceof Promise` and only then go asynchronous.
 */
import * as v8 from 'node:v8';
import {
  BaseException,
  ELLIPSIS,
  Env,
  EvaluationLimitError,
  ExceptionClass,
  FunctionCode,
  Kwargs,
  NativeCallContext,
  PyBytes,
  PyClass,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyDeque,
  PyList,
  PyModule,
  PyOpaque,
  PySet,
  PyTuple,
  PyValue,
  SourceLocation,
  UnsupportedPythonError,
  isRunRefusal,
  builtinExceptionClasses,
  makeException,
} from './values';
import { libraryFramesOf } from './tracebackObjects';
import { CallSite, HostContext, LoopFrameInfo, StackFrameInfo, EvaluatorApi } from './host';
import { isSafe } from './numeric';
import { truthy } from './protocols/equality';
import { repr, str } from './protocols/text';
import { call, awaitValue } from './protocols/calls';
import { toArray } from './protocols/iteration';

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

// `self` is the receiver of whichever builtin type's table holds the method (str, list, dict, ...).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
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

export function tableFor(v: PyValue): Record<string, MethodImpl> | undefined {
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

export function opaqueUse(o: PyOpaque, what: string, loc: SourceLocation | undefined): UnsupportedPythonError {
  const where = o.loc ? ` (imported at ${o.loc.file}:${o.loc.line}:${o.loc.column})` : '';
  if (o.notModelled) return unsupported(`\`${o.notModelled}\` is not modelled`, loc, `${what} of '${o.description}'${where}${o.why ? `: ${o.why}` : ''}`);
  return unsupported(`${what} of '${o.description}'`, loc, `'${o.description}' comes from a module the evaluator does not implement${where}`);
}

export { NO_ATTR, isSafe, MAX_SAFE, BaseException, ELLIPSIS };
export type { NativeCallContext, FunctionCode };

// The object protocols, each in its own file, are part of this module's interface.
export * from './protocols/equality';
export * from './protocols/text';
export * from './protocols/attributes';
export * from './protocols/calls';
export * from './protocols/iteration';
export * from './protocols/operators';
export * from './protocols/subscripts';
