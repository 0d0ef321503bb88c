/**
 * `pytest` and `pytest_asyncio` as the evaluator understands them: marks (any name, with their
 * arguments), fixtures (registered here, resolved by the test runner in ../testEntry.ts),
 * pytest.raises, skip / skipif / importorskip / xfail / fail, approx and param.
 * Names pytest has but the evaluator does not model (pytest.warns, pytest.main...) are
 * unsupported, never a fake AttributeError.
 */
import { HostContext, HostObject, argOf, hostFunction, PyHostFunction } from './host';
import { Interp, unsupported } from './runtime';
import { isInstance } from './protocols/calls';
import { repr, str } from './protocols/text';
import { importHooks } from './compiler/types';
import {
  BaseException,
  Kwargs,
  PyClass,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyList,
  PyModule,
  PyOpaque,
  PyTuple,
  PyValue,
  makeException,
} from './values';

// ---------------------------------------------------------------------------------------------
// Outcomes raised by pytest.skip / fail / xfail (BaseException subclasses, as in _pytest.outcomes)

const OutcomeException = new PyClass('OutcomeException', [BaseException], new Map(), undefined, 'OutcomeException', '_pytest.outcomes');
export const SkippedClass = new PyClass('Skipped', [OutcomeException], new Map(), undefined, 'Skipped', '_pytest.outcomes');
export const FailedClass = new PyClass('Failed', [OutcomeException], new Map(), undefined, 'Failed', '_pytest.outcomes');
export const XFailedClass = new PyClass('XFailed', [FailedClass], new Map(), undefined, 'XFailed', '_pytest.outcomes');

function outcome(cls: PyClass, reason: string): PyException {
  return new PyException(makeException(cls, [reason]));
}

// ---------------------------------------------------------------------------------------------
// Marks

export interface Mark {
  name: string;
  args: PyValue[];
  kwargs: Kwargs;
}

/** Marks applied with decorators, per function or class (in decorator order, innermost first). */
const marksOf = new WeakMap<object, Mark[]>();

export function marksFor(target: object): Mark[] {
  return marksOf.get(target) ?? [];
}

export class MarkDecorator extends HostObject {
  constructor(readonly mark: Mark) {
    super();
  }
  override get typeName(): string {
    return 'MarkDecorator';
  }
  override get isCallable(): boolean {
    return true;
  }
  override call(args: PyValue[], kwargs: Kwargs): PyValue {
    const target = args[0];
    if (args.length === 1 && kwargs.size === 0 && (target instanceof PyFunction || target instanceof PyClass)) {
      const list = marksOf.get(target) ?? [];
      list.push(this.mark);
      marksOf.set(target, list);
      return target;
    }
    return new MarkDecorator({ name: this.mark.name, args: [...this.mark.args, ...args], kwargs: new Map([...this.mark.kwargs, ...kwargs]) });
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'name') return this.mark.name;
    if (name === 'args') return new PyTuple(this.mark.args);
    if (name === 'kwargs') {
      const d = new PyDict();
      for (const [k, v] of this.mark.kwargs) d.set(k, v);
      return d;
    }
    if (name === 'mark') return this;
    return undefined;
  }
  override repr(): string {
    return `<MarkDecorator ${this.mark.name}>`;
  }
}

class MarkGenerator extends HostObject {
  override get typeName(): string {
    return 'MarkGenerator';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name.startsWith('__')) return undefined;
    return new MarkDecorator({ name, args: [], kwargs: new Map() });
  }
}

/** The marks a value carries: a MarkDecorator, a list/tuple of them (module-level `pytestmark`). */
export function marksFromValue(v: PyValue | undefined): Mark[] {
  if (v instanceof MarkDecorator) return [v.mark];
  if (v instanceof PyList || v instanceof PyTuple) return v.items.flatMap((x) => marksFromValue(x));
  return [];
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface FixtureDef {
  name: string;
  fn: PyFunction;
  scope: string;
  autouse: boolean;
  params: PyValue[] | undefined;
}

const fixtureDefs = new WeakMap<PyFunction, FixtureDef>();

export function fixtureDefOf(v: PyValue | undefined): FixtureDef | undefined {
  return v instanceof PyFunction ? fixtureDefs.get(v) : undefined;
}

function registerFixture(interp: Interp, fn: PyValue, kwargs: Kwargs, ctx: HostContext): PyValue {
  if (!(fn instanceof PyFunction)) throw unsupported(`pytest.fixture applied to ${interp.typeName(fn)}`, ctx.loc);
  const scope = kwargs.get('scope');
  const name = kwargs.get('name');
  const params = kwargs.get('params');
  fixtureDefs.set(fn, {
    name: typeof name === 'string' ? name : fn.code.name,
    fn,
    scope: typeof scope === 'string' ? scope : 'function',
    autouse: interp.truthy(kwargs.get('autouse') ?? false),
    params: params === undefined || params === null ? undefined : (params instanceof PyList || params instanceof PyTuple ? params.items : undefined),
  });
  return fn;
}

function fixtureFunction(interp: Interp): PyHostFunction {
  return hostFunction('fixture', (args, kwargs, ctx) => {
    if (args.length === 1 && args[0] instanceof PyFunction) return registerFixture(interp, args[0], kwargs, ctx);
    if (args.length > 0 && typeof args[0] === 'string') kwargs.set('scope', args[0]);
    return hostFunction('fixture', (a, _k, c) => registerFixture(interp, a[0], kwargs, c));
  });
}

// ---------------------------------------------------------------------------------------------
// pytest.raises

/** Python `re` pattern → JavaScript RegExp (the common subset: named groups renamed). */
function pyRegex(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}

function className(v: PyValue): string {
  if (v instanceof PyClass) return v.name;
  if (v instanceof PyTuple) return `(${v.items.map(className).join(', ')})`;
  return String(v);
}

class ExceptionInfo extends HostObject {
  exc: PyException | undefined;
  constructor(private readonly interp: Interp) {
    super();
  }
  override get typeName(): string {
    return 'ExceptionInfo';
  }
  override getAttr(name: string): PyValue | undefined {
    if (!this.exc) return name === 'value' || name === 'type' ? null : undefined;
    switch (name) {
      case 'value':
        return this.exc.exc;
      case 'type':
        return this.exc.exc.cls;
      case 'typename':
        return this.exc.exc.cls.name;
      case 'match':
        return hostFunction('match', (a) => {
          const text = str(this.interp, this.exc!.exc);
          if (!pyRegex(String(a[0])).test(text)) throw outcome(AssertionErrorLike, `Regex pattern did not match.\n Regex: ${repr(this.interp, a[0])}\n Input: ${repr(this.interp, text)}`);
          return true;
        });
    }
    return undefined;
  }
  override repr(): string {
    return this.exc ? `<ExceptionInfo ${this.exc.pyType}(${repr(this.interp, this.exc.pyMessage)}) tblen=${this.exc.traceback.length}>` : '<ExceptionInfo for raises contextmanager>';
  }
}

const AssertionErrorLike = FailedClass;

/** Checks an exception against pytest.raises' expectation; returns true when it matches. */
function raisesMatches(interp: Interp, e: PyException, expected: PyValue, match: PyValue | undefined, ctx: HostContext): boolean {
  if (!isInstance(interp, e.exc, expected, ctx.loc)) return false;
  if (match !== undefined && match !== null) {
    const text = str(interp, e.exc);
    if (!pyRegex(String(match)).test(text)) throw outcome(FailedClass, `Regex pattern did not match.\n Regex: ${repr(interp, match)}\n Input: ${repr(interp, text)}`);
  }
  return true;
}

class RaisesContext extends HostObject {
  readonly info: ExceptionInfo;
  constructor(
    private readonly interp: Interp,
    private readonly expected: PyValue,
    private readonly match: PyValue | undefined,
  ) {
    super();
    this.info = new ExceptionInfo(interp);
  }
  override get typeName(): string {
    return 'RaisesContext';
  }
  override enter(): PyValue {
    return this.info;
  }
  override exit(exc: PyException | null, ctx: HostContext): boolean {
    if (!exc) throw outcome(FailedClass, `DID NOT RAISE ${className(this.expected)}`);
    if (!raisesMatches(this.interp, exc, this.expected, this.match, ctx)) return false;
    this.info.exc = exc;
    return true;
  }
}

function raisesFunction(interp: Interp): PyHostFunction {
  return hostFunction('raises', (args, kwargs, ctx) => {
    const expected = args[0];
    if (expected === undefined) throw outcome(FailedClass, 'pytest.raises() needs an exception type');
    if (args.length > 1) {
      // pytest.raises(Exc, func, *args, **kwargs)
      const info = new ExceptionInfo(interp);
      const done = (): PyValue => {
        throw outcome(FailedClass, `DID NOT RAISE ${className(expected)}`);
      };
      const caught = (e: unknown): PyValue => {
        if (e instanceof PyException && raisesMatches(interp, e, expected, undefined, ctx)) {
          info.exc = e;
          return info;
        }
        throw e;
      };
      try {
        let r = interp.call(args[1], args.slice(2), kwargs);
        if (r instanceof Promise) return r.then(done, caught);
        r = interp.resolve(r);
        if (r instanceof Promise) return r.then(done, caught);
        return done();
      } catch (e) {
        return caught(e);
      }
    }
    return new RaisesContext(interp, expected, kwargs.get('match'));
  });
}

// ---------------------------------------------------------------------------------------------
// pytest.approx

const DEFAULT_REL = 1e-6;
const DEFAULT_ABS = 1e-12;

function asNumber(v: PyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.v;
  return undefined;
}

export class Approx extends HostObject {
  constructor(
    private readonly interp: Interp,
    readonly expected: PyValue,
    private readonly rel: number | undefined,
    private readonly abs: number | undefined,
  ) {
    super();
  }
  override get typeName(): string {
    return 'ApproxScalar';
  }
  private tolerance(x: number): number {
    const abs = this.abs ?? DEFAULT_ABS;
    const rel = this.rel ?? (this.abs !== undefined ? 0 : DEFAULT_REL);
    return Math.max(rel * Math.abs(x), abs);
  }
  private close(expected: PyValue, actual: PyValue): boolean {
    const e = asNumber(expected);
    const a = asNumber(actual);
    if (e !== undefined && a !== undefined) {
      if (e === a) return true;
      if (!Number.isFinite(e) || !Number.isFinite(a)) return false;
      return Math.abs(e - a) <= this.tolerance(e);
    }
    if ((expected instanceof PyList || expected instanceof PyTuple) && (actual instanceof PyList || actual instanceof PyTuple)) {
      return expected.items.length === actual.items.length && expected.items.every((x, i) => this.close(x, actual.items[i]));
    }
    if (expected instanceof PyDict && actual instanceof PyDict) {
      if (expected.map.size !== actual.map.size) return false;
      for (const [h, v] of expected.map) {
        const other = actual.map.get(h);
        if (other === undefined || !this.close(v, other)) return false;
      }
      return true;
    }
    return this.interp.repr(expected) === this.interp.repr(actual);
  }
  override equals(other: PyValue): boolean {
    return this.close(this.expected, other);
  }
  override repr(): string {
    const e = asNumber(this.expected);
    return e !== undefined ? `${e} ± ${this.tolerance(e).toExponential(1)}` : `approx(${this.interp.repr(this.expected)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// pytest.param

export class ParameterSet extends HostObject {
  constructor(
    readonly values: PyValue[],
    readonly id: PyValue,
    readonly marks: Mark[],
  ) {
    super();
  }
  override get typeName(): string {
    return 'ParameterSet';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'values') return new PyTuple(this.values);
    if (name === 'id') return this.id;
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The modules

/** Type names tests use in annotations (`caplog: pytest.LogCaptureFixture`); not constructible. */
function annotationClass(name: string): PyClass {
  return new PyClass(name, [], new Map(), undefined, name, 'pytest');
}

/** Names pytest has that the evaluator does not model: using them is unsupported (exit 2). */
const UNMODELLED = ['warns', 'deprecated_call', 'main', 'register_assert_rewrite', 'exit', 'freeze_includes', 'set_trace', 'console_main'];

export function pytestModule(interp: Interp): PyModule {
  const skip = hostFunction('skip', (args, kwargs) => {
    throw outcome(SkippedClass, String(argOf(args, kwargs, 0, 'reason', '') ?? ''));
  });
  const members: Record<string, PyValue> = {
    mark: new MarkGenerator(),
    fixture: fixtureFunction(interp),
    yield_fixture: fixtureFunction(interp),
    raises: raisesFunction(interp),
    skip,
    fail: hostFunction('fail', (args, kwargs) => {
      throw outcome(FailedClass, String(argOf(args, kwargs, 0, 'reason', '') ?? ''));
    }),
    xfail: hostFunction('xfail', (args, kwargs) => {
      throw outcome(XFailedClass, String(argOf(args, kwargs, 0, 'reason', '') ?? ''));
    }),
    importorskip: hostFunction('importorskip', (args, kwargs, ctx) => {
      const name = String(argOf(args, kwargs, 0, 'modname', ''));
      const frame = interp.frames[interp.frames.length - 1];
      const then = (m: PyValue): PyValue => {
        if (m instanceof PyOpaque) {
          throw unsupported(`pytest.importorskip('${name}')`, ctx.loc, `the evaluator does not model '${name}', so whether pytest would run or skip this test cannot be told`);
        }
        return m;
      };
      const r = importHooks.importModule(interp, name, 0, frame, ctx.loc!);
      return r instanceof Promise ? r.then(then) : then(r);
    }),
    approx: hostFunction('approx', (args, kwargs) => {
      const n = (v: PyValue | undefined) => (v === undefined || v === null ? undefined : asNumber(v));
      return new Approx(interp, args[0], n(argOf(args, kwargs, 1, 'rel')), n(argOf(args, kwargs, 2, 'abs')));
    }),
    param: hostFunction('param', (args, kwargs) => {
      const marks = kwargs.get('marks');
      return new ParameterSet(args, kwargs.get('id') ?? null, marksFromValue(marks ?? undefined));
    }),
    Skipped: SkippedClass,
    Failed: FailedClass,
    FixtureRequest: annotationClass('FixtureRequest'),
    LogCaptureFixture: annotationClass('LogCaptureFixture'),
    CaptureFixture: annotationClass('CaptureFixture'),
    MonkeyPatch: annotationClass('MonkeyPatch'),
    TempPathFactory: annotationClass('TempPathFactory'),
    Config: annotationClass('Config'),
  };
  for (const name of UNMODELLED) {
    members[name] = hostFunction(name, (_a, _k, ctx) => {
      throw unsupported(`pytest.${name}`, ctx.loc, 'the evaluator does not model it');
    });
  }
  const m = new PyModule('pytest', new Map(Object.entries(members)));
  m.dict.set('__name__', 'pytest');
  return m;
}

export function pytestAsyncioModule(interp: Interp): PyModule {
  const m = new PyModule('pytest_asyncio', new Map<string, PyValue>([['fixture', fixtureFunction(interp)], ['__name__', 'pytest_asyncio']]));
  return m;
}

/** Whether an exception is pytest's skip / xfail outcome; its reason. */
export function skipOutcome(e: unknown): { kind: 'skipped' | 'xfailed'; reason: string } | undefined {
  if (!(e instanceof PyException)) return undefined;
  if (e.exc.cls === SkippedClass) return { kind: 'skipped', reason: e.pyMessage };
  if (e.exc.cls === XFailedClass) return { kind: 'xfailed', reason: e.pyMessage };
  return undefined;
}

