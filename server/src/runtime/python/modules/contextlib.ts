/**
 * contextlib: contextmanager / asynccontextmanager over the evaluator's generators (enter runs the
 * generator to its `yield`, exit resumes it; an exception leaving the with-body is thrown into the
 * generator at the `yield`, so try/except/finally inside it behave as in CPython), suppress,
 * nullcontext, closing / aclosing, ExitStack and AsyncExitStack. Other members are "not modelled".
 */
import { Kwargs, PyBuiltin, PyException, PyInstance, PyValue, STOP, SourceLocation, pyErr } from '../values';
import { awaitValue, call, callMethod } from '../protocols/calls';
import { toPyException, type Interp } from '../runtime';
import { truthy } from '../protocols/equality';
import { HostContext, HostObject, hostClass, hostFunction } from '../host';
import { exceptionMatches } from '../compiler/steps';
import { PyGenerator } from '../generatorObject';
import { StdlibContext, partialModule } from './kit';

type Exit = (pe: PyException | null) => PyValue | Promise<PyValue>;

/** The object a @contextmanager / @asynccontextmanager function returns when called. */
class GeneratorContextManager extends HostObject {
  constructor(
    private readonly gen: PyValue,
    private readonly isAsync: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return this.isAsync ? '_AsyncGeneratorContextManager' : '_GeneratorContextManager';
  }
  private generator(): PyGenerator {
    const g = this.gen;
    if (!(g instanceof PyGenerator) || g.isAsync !== this.isAsync) {
      const t = g instanceof PyGenerator ? g.typeName : g === null ? 'NoneType' : typeof g === 'object' ? (g as { typeName?: string }).typeName ?? 'object' : typeof g;
      throw pyErr('TypeError', this.isAsync ? `'${t}' object is not an async iterator` : `'${t}' object is not an iterator`);
    }
    return g;
  }
  override enter(): Promise<PyValue> {
    const g = this.generator();
    return g.next().then((r) => {
      if (r === STOP) throw pyErr('RuntimeError', "generator didn't yield");
      return r;
    });
  }
  override exit(pe: PyException | null): Promise<boolean> {
    const g = this.generator();
    if (!pe)
      return g.next().then((r) => {
        if (r !== STOP) throw pyErr('RuntimeError', "generator didn't stop");
        return false;
      });
    return g.throwStep(pe).then(
      (r) => {
        if (r !== STOP) throw pyErr('RuntimeError', "generator didn't stop after throw()");
        return true;
      },
      (e) => {
        if (e === pe) return false;
        if (e instanceof PyException && e !== pe && !e.context) e.context = pe;
        throw e;
      },
    );
  }
}

/** Enters any context manager (host object or class instance); async: the __aenter__ protocol. */
function enterAny(interp: Interp, cm: PyValue, isAsync: boolean, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (cm instanceof HostObject) return cm.enter(interp.hostContext(loc), isAsync);
  if (cm instanceof PyInstance) {
    const name = isAsync ? '__aenter__' : '__enter__';
    if (cm.cls.lookup(name) === undefined)
      throw pyErr('TypeError', `'${cm.cls.module === '__main__' ? '' : cm.cls.module + '.'}${cm.cls.name}' object does not support the ${isAsync ? 'asynchronous ' : ''}context manager protocol`);
    const r = callMethod(interp, cm, name, [], null, loc);
    return isAsync ? then(r, (x) => awaitValue(interp, x, loc)) : r;
  }
  throw pyErr('TypeError', `'${typeof cm === 'object' && cm !== null ? (cm as { typeName: string }).typeName : typeof cm}' object does not support the context manager protocol`);
}

function exitOf(interp: Interp, cm: PyValue, isAsync: boolean, loc: SourceLocation | undefined): Exit {
  if (cm instanceof HostObject) return (pe) => then(cm.exit(pe, interp.hostContext(loc)) as PyValue | Promise<PyValue>, (x) => !!x);
  return (pe) => {
    const r = callMethod(interp, cm, isAsync ? '__aexit__' : '__exit__', pe ? [pe.exc.cls, pe.exc, null] : [null, null, null], null, loc);
    return isAsync ? then(r, (x) => awaitValue(interp, x, loc)) : r;
  };
}

function then<T, U>(v: T | Promise<T>, f: (x: T) => U | Promise<U>): U | Promise<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** ExitStack / AsyncExitStack: exit callbacks run last-in first-out, each seeing the exception still pending. */
class ExitStackObj extends HostObject {
  callbacks: Exit[] = [];
  constructor(
    private readonly interp: Interp,
    private readonly isAsync: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return this.isAsync ? 'AsyncExitStack' : 'ExitStack';
  }
  override enter(): PyValue {
    return this;
  }
  override exit(pe: PyException | null): Promise<boolean> {
    return this.unwind(pe);
  }
  private async unwind(pe: PyException | null): Promise<boolean> {
    let pending: PyException | null = pe;
    while (this.callbacks.length) {
      const cb = this.callbacks.pop()!;
      try {
        if (truthy(this.interp, await cb(pending))) pending = null;
      } catch (e) {
        const x = toPyException(e);
        if (!x) throw e;
        if (pending && x !== pending && !x.context) x.context = pending;
        pending = x;
      }
    }
    if (pending === null) return pe !== null;
    if (pending === pe) return false;
    throw pending;
  }
  override getAttr(name: string, hc: HostContext): PyValue | undefined {
    const interp = this.interp;
    const loc = hc.loc;
    const m = (f: (a: PyValue[], k: Kwargs, ctx: HostContext) => PyValue | Promise<PyValue>) => hostFunction(name, f);
    const callback = (fn: PyValue, a: PyValue[], k: Kwargs, awaitIt: boolean): Exit => () =>
      then(call(interp, fn, a, k.size ? k : null, loc), (r) => (awaitIt ? then(awaitValue(interp, r, loc), () => false) : false));
    switch (name) {
      case 'enter_context':
      case 'enter_async_context': {
        const isAsync = name === 'enter_async_context';
        if (isAsync && !this.isAsync) return undefined;
        return m((a, _k, ctx) => {
          const cm = a[0] ?? null;
          const exit = exitOf(interp, cm, isAsync, ctx.loc);
          return then(enterAny(interp, cm, isAsync, ctx.loc), (v) => {
            this.callbacks.push(exit);
            return v;
          });
        });
      }
      case 'callback':
        return m((a, k) => {
          this.callbacks.push(callback(a[0], a.slice(1), k, false));
          return a[0];
        });
      case 'push_async_callback':
        if (!this.isAsync) return undefined;
        return m((a, k) => {
          this.callbacks.push(callback(a[0], a.slice(1), k, true));
          return a[0];
        });
      case 'push':
      case 'push_async_exit': {
        const isAsync = name === 'push_async_exit';
        if (isAsync && !this.isAsync) return undefined;
        return m((a, _k, ctx) => {
          const x = a[0];
          if (x instanceof HostObject || (x instanceof PyInstance && x.cls.lookup(isAsync ? '__aexit__' : '__exit__') !== undefined)) this.callbacks.push(exitOf(interp, x, isAsync, ctx.loc));
          else
            this.callbacks.push((pe) => {
              const r = call(interp, x, pe ? [pe.exc.cls, pe.exc, null] : [null, null, null], null, ctx.loc);
              return isAsync ? then(r, (v) => awaitValue(interp, v, ctx.loc)) : r;
            });
          return x;
        });
      }
      case 'pop_all':
        return m(() => {
          const s = new ExitStackObj(interp, this.isAsync);
          s.callbacks = this.callbacks;
          this.callbacks = [];
          return s;
        });
      case 'close':
        if (this.isAsync) return undefined;
        return m(() => this.unwind(null).then(() => null));
      case 'aclose':
        if (!this.isAsync) return undefined;
        return m(() => this.unwind(null).then(() => null));
    }
    return undefined;
  }
}

/** A context manager whose enter / exit are given functions (nullcontext, suppress, closing...). */
class SimpleCM extends HostObject {
  constructor(
    private readonly name: string,
    private readonly onEnter: () => PyValue | Promise<PyValue>,
    private readonly onExit: (pe: PyException | null, loc: SourceLocation | undefined) => boolean | Promise<boolean>,
  ) {
    super();
  }
  override get typeName(): string {
    return this.name;
  }
  override enter(): PyValue | Promise<PyValue> {
    return this.onEnter();
  }
  override exit(pe: PyException | null, hc: HostContext): boolean | Promise<boolean> {
    return this.onExit(pe, hc.loc);
  }
}

export function contextlibModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const decorator = (name: string, isAsync: boolean) =>
    hostFunction(name, (a) => {
      const func = a[0];
      // A PyBuiltin (not a host function) so that, as a class attribute, it binds `self` like the function it wraps.
      return new PyBuiltin(typeof func === 'object' && func !== null && 'name' in func ? String((func as { name: unknown }).name) : name, (args, kwargs, c) =>
        then(call(interp, func, args, kwargs && kwargs.size ? kwargs : null, c.loc), (gen) => new GeneratorContextManager(gen, isAsync)),
      );
    });
  const cls = (name: string, construct: (a: PyValue[], k: Kwargs, c: HostContext) => PyValue) => hostClass(name, construct, { module: 'contextlib' });
  return partialModule('contextlib', {
    contextmanager: decorator('contextmanager', false),
    asynccontextmanager: decorator('asynccontextmanager', true),
    suppress: cls('suppress', (a) => new SimpleCM('suppress', () => null, (pe, loc) => !!pe && a.some((t) => exceptionMatches(interp, pe, t, loc ?? { file: ctx.fileName, line: 0, column: 0 } as SourceLocation)))),
    nullcontext: cls('nullcontext', (a, k) => {
      const v = a[0] ?? k.get('enter_result') ?? null;
      return new SimpleCM('nullcontext', () => v, () => false);
    }),
    closing: cls('closing', (a) => {
      const thing = a[0] ?? null;
      return new SimpleCM('closing', () => thing, (_pe, loc) => then(callMethod(interp, thing, 'close', [], null, loc), () => false));
    }),
    aclosing: cls('aclosing', (a) => {
      const thing = a[0] ?? null;
      return new SimpleCM('aclosing', () => thing, (_pe, loc) => then(callMethod(interp, thing, 'aclose', [], null, loc), (r) => then(awaitValue(interp, r, loc), () => false)));
    }),
    ExitStack: cls('ExitStack', () => new ExitStackObj(interp, false)),
    AsyncExitStack: cls('AsyncExitStack', () => new ExitStackObj(interp, true)),
  });
}


