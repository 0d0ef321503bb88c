/**
 * Python values as the evaluator represents them.
 *
 *   None → null            bool → boolean          str → string
 *   int  → number (always an integer; promoted to bigint beyond ±(2^53−1), normalised back when small)
 *   float → PyFloat (a box around a JS number, so 3.0 and 3 stay distinct)
 *   list → PyList, tuple → PyTuple, dict → PyDict (insertion ordered, Python key equality),
 *   set/frozenset → PySet, range → PyRange, slice → PySlice, bytes → PyBytes,
 *   functions → PyFunction (user code) / PyBuiltin (implemented in TypeScript),
 *   classes → PyClass, instances → PyInstance, modules → PyModule,
 *   iterators → PyIterator, coroutines (async def results) → PyCoroutine,
 *   opaque values of unknown imports → PyOpaque,
 *   host objects (and stdlib objects such as datetime) → HostObject subclasses (see host.ts).
 */
import type { Node } from 'web-tree-sitter';

export type PyValue = null | boolean | number | bigint | string | PyObject;
export type Kwargs = Map<string, PyValue>;

/** A source location. line and column are 1-based (column counts UTF-16 code units). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets into the source text (UTF-16 code units), end exclusive. */
  startIndex: number;
  endIndex: number;
  /** The tree-sitter node (valid while the module's tree is alive). */
  node?: Node;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : '<unknown location>';
}

export abstract class PyObject {
  abstract get typeName(): string;
}

// ---------------------------------------------------------------------------------------------
// Errors that are not Python exceptions (Python code cannot catch them)

/** A construct the evaluator does not implement. Never catchable by Python code. */
export class UnsupportedPythonError extends Error {
  constructor(
    readonly construct: string,
    public location: SourceLocation | undefined,
    detail?: string,
  ) {
    super('');
    this.name = 'UnsupportedPythonError';
    this.refreshMessage(detail);
  }
  private detail: string | undefined;
  refreshMessage(detail?: string): void {
    if (detail !== undefined) this.detail = detail;
    this.message = `Unsupported Python: ${this.construct}${this.detail ? ` (${this.detail})` : ''} at ${formatLocation(this.location)}`;
  }
  /** Fills the location if it was not known where the error was raised. */
  locate(loc: SourceLocation | undefined): this {
    if (!this.location && loc) {
      this.location = loc;
      this.refreshMessage();
    }
    return this;
  }
}

/**
 * An error by which the tool refuses to go on (a safety guard, not Python's or DataFlow's behaviour):
 * Python code cannot catch it, it stops the evaluation, and the run ends with exit 2 where it was raised.
 */
export interface RunRefusal extends Error {
  readonly refusal: true;
  location?: SourceLocation;
}

export function isRunRefusal(e: unknown): e is RunRefusal {
  return e instanceof Error && (e as Partial<RunRefusal>).refusal === true;
}

export type LimitKind = 'iterations' | 'time' | 'depth' | 'size' | 'memory' | 'cancelled';

/** A bound of the evaluation was hit (loop iterations, wall time, recursion, size, cancellation). */
export class EvaluationLimitError extends Error {
  constructor(
    readonly limit: LimitKind,
    readonly location: SourceLocation | undefined,
    detail: string,
  ) {
    super(`${detail} at ${formatLocation(location)}`);
    this.name = 'EvaluationLimitError';
  }
}

/** The source does not parse (tree-sitter found an error node). */
export class PythonSyntaxError extends Error {
  constructor(readonly location: SourceLocation, detail: string) {
    super(`SyntaxError: ${detail} at ${formatLocation(location)}`);
    this.name = 'PythonSyntaxError';
  }
}

/** Entry-point problems: unknown function, missing arguments. */
export class EntryPointError extends Error {
  constructor(message: string, readonly missing: string[] = []) {
    super(message);
    this.name = 'EntryPointError';
  }
}

// ---------------------------------------------------------------------------------------------
// Scalars and containers

export class PyFloat extends PyObject {
  constructor(readonly v: number) {
    super();
  }
  get typeName(): string {
    return 'float';
  }
}

export class PyList extends PyObject {
  constructor(public items: PyValue[]) {
    super();
  }
  get typeName(): string {
    return 'list';
  }
}

/** collections.deque: a list's items with a bound (`maxlen`) and its own type and methods (popleft, appendleft, rotate, ...). */
export class PyDeque extends PyList {
  /** The collections.deque class (set by the collections module): what type(d) answers. */
  static cls: PyClass | undefined;
  constructor(items: PyValue[], readonly maxlen: number | null) {
    super(items);
    if (maxlen !== null && items.length > maxlen) this.items = items.slice(items.length - maxlen);
  }
  override get typeName(): string {
    return 'deque';
  }
}

export class PyTuple extends PyObject {
  constructor(readonly items: PyValue[]) {
    super();
  }
  get typeName(): string {
    return 'tuple';
  }
}

export const EMPTY_TUPLE = new PyTuple([]);

export class PyBytes extends PyObject {
  constructor(readonly data: Uint8Array) {
    super();
  }
  get typeName(): string {
    return 'bytes';
  }
}

export class PyRange extends PyObject {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    super();
  }
  get typeName(): string {
    return 'range';
  }
  get length(): number {
    const { start, stop, step } = this;
    if (step > 0) return start < stop ? Math.floor((stop - start - 1) / step) + 1 : 0;
    return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  }
  at(i: number): number {
    return this.start + i * this.step;
  }
}

export class PySlice extends PyObject {
  constructor(
    readonly start: PyValue,
    readonly stop: PyValue,
    readonly step: PyValue,
  ) {
    super();
  }
  get typeName(): string {
    return 'slice';
  }
}

export class PyEllipsis extends PyObject {
  get typeName(): string {
    return 'ellipsis';
  }
}
export const ELLIPSIS = new PyEllipsis();

// ---------------------------------------------------------------------------------------------
// Hashing: dict keys and set members map to JS Map keys with Python equality
// (1 == 1.0 == True collide; tuples hash by content).

export class UnhashableError extends Error {
  /** Surfaces in Python as TypeError. */
  readonly pyType = 'TypeError';
  constructor(readonly typeName: string) {
    super(`unhashable type: '${typeName}'`);
  }
}

/** Hook for instances with a custom __hash__/__eq__ or host objects; set by the runtime. */
export const hashHooks: { instanceKey: (v: PyObject) => unknown } = { instanceKey: (v) => v };

export function hashKey(v: PyValue): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint':
      return v;
    case 'object':
      if (v === null) return null;
      if (v instanceof PyFloat) {
        const x = v.v;
        if (Number.isInteger(x) && !Number.isSafeInteger(x)) return BigInt(x);
        return x === 0 ? 0 : x;
      }
      if (v instanceof PyTuple) return Symbol.for('\u0000T' + v.items.map(encodeKey).join('\u0001'));
      if (v instanceof PyList || v instanceof PyDict) throw new UnhashableError(v.typeName);
      if (v instanceof PySet) {
        if (!v.frozen) throw new UnhashableError('set');
        return Symbol.for('\u0000F' + [...v.map.values()].map(encodeKey).sort().join('\u0001'));
      }
      return hashHooks.instanceKey(v);
  }
  return v;
}

let identityIds = new WeakMap<object, number>();
let nextIdentity = 1;
export function identityId(o: object): number {
  let id = identityIds.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identityIds.set(o, id);
  }
  return id;
}

/** The `0x...` address CPython's default repr shows for an object (from its stable identity). */
export function objectAddress(o: object): string {
  return `0x${(identityId(o) * 16).toString(16).padStart(12, '0')}`;
}
/** For tests: forget identity numbering. */
export function resetIdentityIds(): void {
  identityIds = new WeakMap();
  nextIdentity = 1;
}

function encodeKey(v: PyValue): string {
  const k = hashKey(v);
  switch (typeof k) {
    case 'string':
      return 's' + k.length + ':' + k;
    case 'number':
      return 'n' + String(k);
    case 'bigint':
      return 'n' + k.toString();
    case 'symbol':
      return 'y' + (Symbol.keyFor(k) ?? String(k)).length + ':' + Symbol.keyFor(k);
    case 'object':
      if (k === null) return 'N';
      return 'o' + identityId(k);
  }
  return 'u';
}

export class PyDict extends PyObject {
  /** hashKey(key) → value, in insertion order. */
  readonly map = new Map<unknown, PyValue>();
  /** hashKey(key) → original key, only for keys whose hash differs from the key (True, 1.5, tuples...). */
  orig: Map<unknown, PyValue> | undefined;
  get typeName(): string {
    return 'dict';
  }
  get size(): number {
    return this.map.size;
  }
  get(key: PyValue): PyValue | undefined {
    return this.map.get(typeof key === 'string' ? key : hashKey(key));
  }
  set(key: PyValue, value: PyValue): void {
    if (typeof key === 'string') {
      this.map.set(key, value);
      return;
    }
    const h = hashKey(key);
    if (h !== key && !this.map.has(h)) (this.orig ??= new Map()).set(h, key);
    this.map.set(h, value);
  }
  /** Sets by hash with the original key (internal copy helper). */
  setHashed(h: unknown, key: PyValue, value: PyValue): void {
    if (h !== key && !this.map.has(h)) (this.orig ??= new Map()).set(h, key);
    this.map.set(h, value);
  }
  keyOf(h: unknown): PyValue {
    if (this.orig !== undefined) {
      const k = this.orig.get(h);
      if (k !== undefined) return k;
    }
    return h as PyValue;
  }
  has(key: PyValue): boolean {
    return this.map.has(hashKey(key));
  }
  delete(key: PyValue): boolean {
    const h = hashKey(key);
    this.orig?.delete(h);
    return this.map.delete(h);
  }
  deleteHashed(h: unknown): void {
    this.orig?.delete(h);
    this.map.delete(h);
  }
  clear(): void {
    this.map.clear();
    this.orig = undefined;
  }
  keys(): PyValue[] {
    const out: PyValue[] = [];
    for (const h of this.map.keys()) out.push(this.keyOf(h));
    return out;
  }
  values(): PyValue[] {
    return [...this.map.values()];
  }
  entries(): [PyValue, PyValue][] {
    const out: [PyValue, PyValue][] = [];
    for (const [h, v] of this.map) out.push([this.keyOf(h), v]);
    return out;
  }
  copy(): PyDict {
    const d = new PyDict();
    for (const [h, v] of this.map) d.map.set(h, v);
    if (this.orig) d.orig = new Map(this.orig);
    return d;
  }
  static fromEntries(entries: Iterable<[PyValue, PyValue]>): PyDict {
    const d = new PyDict();
    for (const [k, v] of entries) d.set(k, v);
    return d;
  }
}

export class PySet extends PyObject {
  readonly map = new Map<unknown, PyValue>();
  constructor(readonly frozen = false) {
    super();
  }
  get typeName(): string {
    return this.frozen ? 'frozenset' : 'set';
  }
  add(v: PyValue): void {
    const h = hashKey(v);
    if (!this.map.has(h)) this.map.set(h, v);
  }
  has(v: PyValue): boolean {
    return this.map.has(hashKey(v));
  }
  delete(v: PyValue): boolean {
    return this.map.delete(hashKey(v));
  }
  values(): PyValue[] {
    return [...this.map.values()];
  }
  get size(): number {
    return this.map.size;
  }
  static of(items: Iterable<PyValue>, frozen = false): PySet {
    const s = new PySet(frozen);
    for (const v of items) s.add(v);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Callables, classes, instances, modules

/** The context a TypeScript-implemented callable receives. */
export interface NativeCallContext {
  /** Location of the call (or the construct that triggered an implicit call). */
  loc: SourceLocation | undefined;
}

export type NativeFn = (args: PyValue[], kwargs: Kwargs | null, ctx: NativeCallContext) => PyValue | Promise<PyValue>;

export class PyBuiltin extends PyObject {
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
    /** Set for builtin methods bound to a receiver (repr only). */
    readonly self?: PyValue,
  ) {
    super();
  }
  /**
   * A function of a standard-library module the evaluator implements in TypeScript (often Python
   * code in CPython): an exception it raises may have CPython frames below the caller that the
   * evaluator does not run (its __traceback__ stops there).
   */
  stdlib = false;
  get typeName(): string {
    return this.self === undefined ? 'builtin_function_or_method' : 'builtin_function_or_method';
  }
}

/** Parameter layout of a compiled function (see compiler.ts). */
export interface ParamSpec {
  /** Slot i holds parameter names[i]. Order: positional (incl. positional-only), *args, keyword-only, **kwargs. */
  names: string[];
  posCount: number;
  posOnlyCount: number;
  varargSlot: number;
  kwOnlyStart: number;
  kwOnlyCount: number;
  kwargSlot: number;
  /** Parameter name → slot (positional-only parameters excluded). */
  byName: Map<string, number>;
  /** Number of trailing positional parameters with defaults. */
  defaultCount: number;
  /** Keyword-only names that have defaults. */
  kwOnlyWithDefault: Set<string>;
}

/** Compiled code of a function; produced by compiler.ts. Opaque to values.ts. */
export interface FunctionCode {
  name: string;
  qualname: string;
  file: string;
  loc: SourceLocation;
  params: ParamSpec;
  nslots: number;
  isAsync: boolean;
  isLambda: boolean;
  /** Set when the body contains `yield`: calling it is unsupported. */
  yieldLoc: SourceLocation | undefined;
  /** Parameter descriptions for entry-point listing. */
  paramInfo: ParamInfo[];
  // the runtime attaches its own fields (body, etc.)
  [extra: string]: unknown;
}

export interface ParamInfo {
  name: string;
  kind: 'positional' | 'positional-only' | 'keyword-only' | 'varargs' | 'varkw';
  hasDefault: boolean;
  annotation?: string;
}

/** Lexical environment of a function activation: slots + the defining environment. */
export interface Env {
  v: (PyValue | undefined)[];
  up: Env | null;
}

export class PyFunction extends PyObject {
  /** Function attributes (fn.x = ...), __doc__ etc. */
  attrs: Map<string, PyValue> | undefined;
  /** The class whose body defined this function (for zero-argument super()). */
  ownerClass: PyClass | undefined;
  constructor(
    readonly code: FunctionCode,
    readonly env: Env | null,
    readonly globals: Map<string, PyValue>,
    readonly defaults: PyValue[],
    readonly kwDefaults: Map<string, PyValue>,
    readonly module: string,
  ) {
    super();
  }
  get typeName(): string {
    return 'function';
  }
  get name(): string {
    return this.code.name;
  }
}

export class PyBoundMethod extends PyObject {
  constructor(
    readonly self: PyValue,
    readonly func: PyValue,
  ) {
    super();
  }
  get typeName(): string {
    return 'method';
  }
}

export class PyStaticMethod extends PyObject {
  constructor(readonly func: PyValue) {
    super();
  }
  get typeName(): string {
    return 'staticmethod';
  }
}
export class PyClassMethod extends PyObject {
  constructor(readonly func: PyValue) {
    super();
  }
  get typeName(): string {
    return 'classmethod';
  }
}
export class PyProperty extends PyObject {
  constructor(
    readonly fget: PyValue,
    readonly fset: PyValue = null,
  ) {
    super();
  }
  get typeName(): string {
    return 'property';
  }
}

/** One class annotation as a host sees it. */
export interface ClassAnnotation {
  name: string;
  /** Annotation source text, e.g. "Optional[int]". */
  source: string;
  /** The tree-sitter `type` node. */
  node?: Node;
  loc?: SourceLocation;
  /** The evaluated annotation when it evaluates without error (str, Optional[int], List[str], dict...). */
  value?: PyValue;
  /** Whether the class body assigns a default (`x: int = 3`). */
  hasDefault: boolean;
}

export interface DecoratorInfo {
  source: string;
  loc: SourceLocation;
}

/** How a native class (int, str, Exception, host classes...) instantiates and checks instances. */
export interface NativeClassSpec {
  construct?: (args: PyValue[], kwargs: Kwargs | null, ctx: NativeCallContext) => PyValue | Promise<PyValue>;
  isInstance?: (v: PyValue) => boolean;
  /** Host classes: construct receives a HostContext (see host.ts). */
  host?: boolean;
  /**
   * A real library class the host models only in part: reading a name it does not define is
   * "not modelled" (exit 2), never Python's AttributeError (the real class may well have it).
   */
  partial?: boolean;
  /**
   * Host classes constructed in two steps, so that a `__init__` user code assigned on the class
   * (`DataFlow.__init__ = wrapper`) receives the instance first and the original `__init__` it
   * wraps initialises that very object: `allocate` makes the uninitialised object, `initialize`
   * runs the class's own `__init__` on it.
   */
  allocate?: (ctx: NativeCallContext) => PyObject;
  initialize?: (self: PyObject, args: PyValue[], kwargs: Kwargs, ctx: NativeCallContext) => void | Promise<void>;
  /** Host classes: instance methods readable from the class (`LocalRuntime.execute`), called with the instance first. */
  methods?: ReadonlySet<string>;
  /** Host classes: names user code assigned on the class (patches); on its instances they win over the host's own attributes. */
  assigned?: Set<string>;
  /** Host classes: the class's own `__init__` and methods as values, made on first read (one value per name, so `is` holds). */
  ownValues?: Map<string, PyValue>;
}

export class PyClass extends PyObject {
  /** Method resolution order, this class first. */
  mro: PyClass[];
  annotations: ClassAnnotation[] = [];
  decorators: DecoratorInfo[] = [];
  loc: SourceLocation | undefined;
  /** Set for Enum subclasses: members in definition order. */
  enumMembers: PyInstance[] | undefined;
  /** Keyword arguments of the class statement other than metaclass (e.g. `class A(B, x=1)`). */
  classKwargs: Map<string, PyValue> | undefined;
  constructor(
    readonly name: string,
    readonly bases: PyClass[],
    readonly ns: Map<string, PyValue>,
    readonly native?: NativeClassSpec,
    public qualname = name,
    public module = 'builtins',
  ) {
    super();
    this.mro = computeMro(this);
  }
  get typeName(): string {
    return 'type';
  }
  /** Attribute lookup along the MRO (no descriptor processing). */
  lookup(name: string): PyValue | undefined {
    for (const c of this.mro) {
      const v = c.ns.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  isSubclassOf(other: PyClass): boolean {
    return this.mro.includes(other);
  }
  /** Annotations of the whole MRO, base classes first (as DataFlow's get_type_hints sees them). */
  allAnnotations(): ClassAnnotation[] {
    const seen = new Map<string, ClassAnnotation>();
    for (let i = this.mro.length - 1; i >= 0; i--) for (const a of this.mro[i].annotations) seen.set(a.name, a);
    return [...seen.values()];
  }
}

function computeMro(cls: PyClass): PyClass[] {
  // C3 linearisation; falls back to depth-first order when it is not consistent.
  const seqs: PyClass[][] = cls.bases.map((b) => [...b.mro]);
  seqs.push([...cls.bases]);
  const out: PyClass[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return out;
    let cand: PyClass | undefined;
    for (const s of nonEmpty) {
      const c = s[0];
      if (!nonEmpty.some((t) => t.indexOf(c) > 0)) {
        cand = c;
        break;
      }
    }
    if (!cand) {
      const dfs: PyClass[] = [cls];
      for (const b of cls.bases) for (const c of b.mro) if (!dfs.includes(c)) dfs.push(c);
      return dfs;
    }
    out.push(cand);
    for (const s of nonEmpty) if (s[0] === cand) s.shift();
  }
}

export class PyInstance extends PyObject {
  readonly dict = new Map<string, PyValue>();
  constructor(public cls: PyClass) {
    super();
  }
  get typeName(): string {
    return this.cls.name;
  }
}

export class PyModule extends PyObject {
  /** A module the evaluator models in part: a member it lacks is "not modelled", not an AttributeError. */
  partial = false;
  /** For a partial module: the names the real module has; a name outside them is an AttributeError, as in Python. */
  realMembers?: ReadonlySet<string>;
  constructor(
    readonly name: string,
    readonly dict: Map<string, PyValue> = new Map(),
  ) {
    super();
  }
  get typeName(): string {
    return 'module';
  }
}

export const STOP: unique symbol = Symbol('StopIteration');
export type IterResult = PyValue | typeof STOP;

export abstract class PyIterator extends PyObject {
  abstract next(): IterResult | Promise<IterResult>;
  get typeName(): string {
    return 'iterator';
  }
}

/** Iterates a JS array snapshot (tuple, dict keys, set members...). */
export class ArrayIterator extends PyIterator {
  i = 0;
  constructor(
    readonly items: readonly PyValue[],
    readonly name = 'iterator',
  ) {
    super();
  }
  next(): IterResult {
    return this.i < this.items.length ? this.items[this.i++] : STOP;
  }
  override get typeName(): string {
    return this.name;
  }
}

/** Iterates a list live (appends during iteration are seen, as in Python). */
export class ListIterator extends PyIterator {
  i = 0;
  constructor(readonly list: PyList) {
    super();
  }
  next(): IterResult {
    return this.i < this.list.items.length ? this.list.items[this.i++] : STOP;
  }
  override get typeName(): string {
    return 'list_iterator';
  }
}

export class RangeIterator extends PyIterator {
  i = 0;
  readonly n: number;
  constructor(readonly range: PyRange) {
    super();
    this.n = range.length;
  }
  next(): IterResult {
    return this.i < this.n ? this.range.start + this.i++ * this.range.step : STOP;
  }
  override get typeName(): string {
    return 'range_iterator';
  }
}

/** The result of calling an `async def` function: runs when awaited (or by asyncio.run). */
export class PyCoroutine extends PyObject {
  started = false;
  result: Promise<PyValue> | PyValue | undefined;
  constructor(
    readonly name: string,
    private readonly body: () => PyValue | Promise<PyValue>,
  ) {
    super();
  }
  get typeName(): string {
    return 'coroutine';
  }
  run(): PyValue | Promise<PyValue> {
    if (this.started) {
      if (this.result === undefined) throw new Error('coroutine is being awaited already');
      return this.result;
    }
    this.started = true;
    const r = this.body();
    this.result = r;
    return r;
  }
}

/** A value of an import the evaluator does not know; any use of it is unsupported. */
export class PyOpaque extends PyObject {
  constructor(
    readonly description: string,
    readonly loc: SourceLocation | undefined,
    /** The real module (or module member) it stands for, when that exists but is not modelled. */
    readonly notModelled?: string,
    /** Why it is not modelled, when there is more to say than that (e.g. the source it would be evaluated from was not found). */
    readonly why?: string,
  ) {
    super();
  }
  get typeName(): string {
    return 'opaque';
  }
}

/** typing constructs: Optional[int], List[str], Any, X | None ... */
export class PyTypeAlias extends PyObject {
  constructor(
    readonly name: string,
    readonly args: PyValue[] = [],
    readonly origin?: PyValue,
  ) {
    super();
  }
  get typeName(): string {
    return 'typing';
  }
}

// ---------------------------------------------------------------------------------------------
// Python exceptions

export interface TracebackEntry {
  file: string;
  line: number;
  column: number;
  function: string;
}

/**
 * A frame of library code the evaluator does not run (kailash's LocalRuntime.execute), as recorded
 * from the real library: the raise the runtime modelled continues the traceback with these,
 * outermost first. `file` is the real path when the library's source was found, else as recorded.
 */
export interface LibraryTracebackFrame {
  file: string;
  line: number;
  /** co_name */
  function: string;
  /** co_qualname, when recorded */
  qualname?: string;
}

/** The last raise of each Python exception instance (for `__traceback__`). */
export const raisedExceptions = new WeakMap<PyInstance, PyException>();

/** A raised Python exception (JS side). `exc` is the Python exception instance. */
export class PyException extends Error {
  traceback: TracebackEntry[] = [];
  /** Frames already recorded (internal). */
  recorded = new WeakSet<object>();
  pyCause: PyException | undefined;
  context: PyException | undefined;
  /**
   * Set when the exception left code the runtime models in TypeScript (DataFlow, Kailash, host
   * objects): `boundary` = traceback entries recorded before that (inner frames of Python callbacks);
   * the frames between the calling Python frame and the raise are not modelled.
   */
  modelledOrigin: { boundary: number; loc: SourceLocation | undefined; frames?: LibraryTracebackFrame[] } | undefined;
  constructor(readonly exc: PyInstance) {
    super('');
    raisedExceptions.set(exc, this);
    this.name = 'PythonException';
    this.message = `${this.pyType}: ${this.pyMessage}`;
  }
  get pyType(): string {
    return this.exc.cls.name;
  }
  get pyMessage(): string {
    return exceptionMessage(this.exc);
  }
  /** The class names along the MRO, most derived first. */
  get pyTypes(): string[] {
    return this.exc.cls.mro.map((c) => c.name);
  }
  /** Traceback text in Python's format (most recent call last). */
  formatTraceback(): string {
    const lines = ['Traceback (most recent call last):'];
    for (const t of [...this.traceback].reverse()) lines.push(`  File "${t.file}", line ${t.line}, column ${t.column}, in ${t.function}`);
    lines.push(`${this.pyType}: ${this.pyMessage}`.replace(/: $/, ''));
    return lines.join('\n');
  }
}

/** str() of an exception instance as BaseException.__str__ computes it (custom __str__ handled by the runtime). */
export function exceptionMessage(exc: PyInstance): string {
  const override = exceptionStrHook.fn;
  if (override) {
    const s = override(exc);
    if (s !== undefined) return s;
  }
  const args = exc.dict.get('args');
  const items = args instanceof PyTuple ? args.items : [];
  if (items.length === 0) return '';
  if (items.length === 1) {
    const a = items[0];
    if (exc.cls.mro.some((c) => c.name === 'KeyError' && c.module === 'builtins')) return reprHook.fn(a);
    return strHook.fn(a);
  }
  return reprHook.fn(new PyTuple(items));
}

/** Set by the runtime: str()/repr() of arbitrary values, custom exception __str__. */
export const strHook: { fn: (v: PyValue) => string } = { fn: (v) => String(v) };
export const reprHook: { fn: (v: PyValue) => string } = { fn: (v) => String(v) };
export const exceptionStrHook: { fn: ((exc: PyInstance) => string | undefined) | undefined } = { fn: undefined };

// Builtin exception hierarchy -----------------------------------------------------------------

export const builtinExceptionClasses = new Map<string, PyClass>();

function excClass(name: string, base: PyClass | null): PyClass {
  const cls = new PyClass(name, base ? [base] : [], new Map(), undefined, name, 'builtins');
  builtinExceptionClasses.set(name, cls);
  return cls;
}

export const BaseException = excClass('BaseException', null);
export const ExceptionClass = excClass('Exception', BaseException);
{
  const tree: [string, string][] = [
    ['ArithmeticError', 'Exception'],
    ['ZeroDivisionError', 'ArithmeticError'],
    ['OverflowError', 'ArithmeticError'],
    ['FloatingPointError', 'ArithmeticError'],
    ['LookupError', 'Exception'],
    ['KeyError', 'LookupError'],
    ['IndexError', 'LookupError'],
    ['ValueError', 'Exception'],
    ['UnicodeError', 'ValueError'],
    ['UnicodeDecodeError', 'UnicodeError'],
    ['UnicodeEncodeError', 'UnicodeError'],
    ['TypeError', 'Exception'],
    ['AttributeError', 'Exception'],
    ['NameError', 'Exception'],
    ['UnboundLocalError', 'NameError'],
    ['RuntimeError', 'Exception'],
    ['NotImplementedError', 'RuntimeError'],
    ['RecursionError', 'RuntimeError'],
    ['AssertionError', 'Exception'],
    ['ImportError', 'Exception'],
    ['ModuleNotFoundError', 'ImportError'],
    ['OSError', 'Exception'],
    ['FileNotFoundError', 'OSError'],
    ['FileExistsError', 'OSError'],
    ['IsADirectoryError', 'OSError'],
    ['NotADirectoryError', 'OSError'],
    ['PermissionError', 'OSError'],
    ['InterruptedError', 'OSError'],
    ['BlockingIOError', 'OSError'],
    ['ChildProcessError', 'OSError'],
    ['ProcessLookupError', 'OSError'],
    ['ConnectionError', 'OSError'],
    ['BrokenPipeError', 'ConnectionError'],
    ['ConnectionAbortedError', 'ConnectionError'],
    ['ConnectionRefusedError', 'ConnectionError'],
    ['ConnectionResetError', 'ConnectionError'],
    ['TimeoutError', 'OSError'],
    ['EOFError', 'Exception'],
    ['BufferError', 'Exception'],
    ['ReferenceError', 'Exception'],
    ['SystemError', 'Exception'],
    ['UnicodeTranslateError', 'UnicodeError'],
    ['StopIteration', 'Exception'],
    ['StopAsyncIteration', 'Exception'],
    ['Warning', 'Exception'],
    ['UserWarning', 'Warning'],
    ['DeprecationWarning', 'Warning'],
    ['RuntimeWarning', 'Warning'],
    ['FutureWarning', 'Warning'],
    ['PendingDeprecationWarning', 'Warning'],
    ['SyntaxWarning', 'Warning'],
    ['ImportWarning', 'Warning'],
    ['UnicodeWarning', 'Warning'],
    ['BytesWarning', 'Warning'],
    ['ResourceWarning', 'Warning'],
    ['EncodingWarning', 'Warning'],
    ['KeyboardInterrupt', 'BaseException'],
    ['SystemExit', 'BaseException'],
    ['GeneratorExit', 'BaseException'],
  ];
  for (const [name, base] of tree) excClass(name, builtinExceptionClasses.get(base)!);
}
builtinExceptionClasses.set('IOError', builtinExceptionClasses.get('OSError')!);
builtinExceptionClasses.set('EnvironmentError', builtinExceptionClasses.get('OSError')!);

export function isExceptionClass(c: PyValue): boolean {
  return c instanceof PyClass && c.mro.includes(BaseException);
}

/** Creates a Python exception instance of the given class with args. */
export function makeException(cls: PyClass, args: PyValue[]): PyInstance {
  const inst = new PyInstance(cls);
  inst.dict.set('args', new PyTuple(args));
  return inst;
}

/** A raisable JS error for a Python exception of a builtin (or given) class. */
export function pyErr(type: string | PyClass, message?: string | PyValue, ...more: PyValue[]): PyException {
  let cls = typeof type === 'string' ? builtinExceptionClasses.get(type) : type;
  if (!cls) cls = excClass(type as string, ExceptionClass);
  const args: PyValue[] = message === undefined ? [] : [message, ...more];
  return new PyException(makeException(cls, args));
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export function isInt(v: PyValue): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function isNumber(v: PyValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat;
}

/** Normalises a bigint to a number when it is within the safe range. */
export function normInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

export function isPromise(v: unknown): v is Promise<unknown> {
  return v instanceof Promise;
}
