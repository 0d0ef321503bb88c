/**
 * Generator and async-generator objects: what calling a `def` / `async def` containing `yield`
 * returns. Each wraps a GeneratorRun (generatorRun.ts) and offers Python's protocol: iteration
 * (`for`, list(), next(), `async for`), send(), throw(), close() and their async forms
 * (__anext__, asend, athrow, aclose return awaitables). A generator's `return v` becomes
 * StopIteration(v).value.
 */
import { GeneratorRun, GeneratorStep } from './generatorRun';
import { IterResult, PyBuiltin, PyClass, PyCoroutine, PyException, PyInstance, PyIterator, PyValue, STOP, SourceLocation, isExceptionClass, pyErr } from './values';
import { call } from './protocols/calls';
import { type Interp } from './runtime';

export class PyGenerator extends PyIterator {
  constructor(
    readonly run: GeneratorRun,
    readonly name: string,
    readonly isAsync: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return this.isAsync ? 'async_generator' : 'generator';
  }
  private guard(): void {
    if (this.run.running) throw pyErr('ValueError', `${this.isAsync ? 'asynchronous ' : ''}generator already executing`);
  }
  next(): Promise<IterResult> {
    this.guard();
    return this.run.next().then(stepResult);
  }
  /** send(v): STOP when the body ends. */
  sendStep(v: PyValue): Promise<IterResult> {
    this.guard();
    if (!this.run.isStarted && v !== null) return Promise.reject(pyErr('TypeError', `can't send non-None value to a just-started ${this.isAsync ? 'async ' : ''}generator`));
    return this.run.send(v).then(stepResult);
  }
  /** throw(exc): STOP when the body ends (having handled it). */
  throwStep(pe: PyException): Promise<IterResult> {
    this.guard();
    return this.run.throw(pe).then(stepResult);
  }
  /** close(): raises GeneratorExit at the pending yield; a body that yields again is a RuntimeError. */
  close(): Promise<PyValue> | PyValue {
    if (!this.run.isStarted || this.run.done) {
      if (!this.run.done) void this.run.throw(pyErr('GeneratorExit')).catch(() => undefined);
      return null;
    }
    return this.run.throw(pyErr('GeneratorExit')).then(
      (s) => {
        if (!s.done) throw pyErr('RuntimeError', `${this.isAsync ? 'async generator' : 'generator'} ignored GeneratorExit`);
        return null;
      },
      (e) => {
        if (e instanceof PyException && (e.pyType === 'GeneratorExit' || e.pyType === 'StopIteration')) return null;
        throw e;
      },
    );
  }
  /** The exception to raise when the body has finished (StopIteration / StopAsyncIteration). */
  stopError(): PyException {
    if (this.isAsync) return pyErr('StopAsyncIteration');
    const v = this.run.returnValue;
    const e = v === null ? pyErr('StopIteration') : pyErr('StopIteration', v);
    e.exc.dict.set('value', v);
    return e;
  }
  repr(): string {
    return `<${this.typeName} object ${this.name}>`;
  }
}

function stepResult(s: GeneratorStep): IterResult {
  return s.done ? STOP : s.value;
}

/** `gen.throw(exc)` / `gen.throw(ExcClass)` / `gen.throw(ExcClass, value)`: the exception to throw in. */
function toThrown(interp: Interp, a: PyValue[], loc: SourceLocation | undefined): PyException | Promise<PyException> {
  const t = a[0];
  if (t instanceof PyInstance && isExceptionClass(t.cls)) return new PyException(t);
  if (t instanceof PyClass && isExceptionClass(t)) {
    const v = a[1];
    if (v instanceof PyInstance && isExceptionClass(v.cls)) return new PyException(v);
    const r = call(interp, t, v === undefined || v === null ? [] : [v], null, loc);
    return r instanceof Promise ? r.then((x) => new PyException(x as PyInstance)) : new PyException(r as PyInstance);
  }
  throw pyErr('TypeError', 'exceptions must be classes or instances deriving from BaseException, not ' + (t === null ? 'NoneType' : typeof t));
}

function raiseAtEnd(g: PyGenerator, p: Promise<IterResult>): Promise<PyValue> {
  return p.then((r) => {
    if (r === STOP) throw g.stopError();
    return r;
  });
}

/** The attributes of a generator object (runtime.ts getattr); undefined: no such attribute. */
export function generatorAttr(interp: Interp, g: PyGenerator, name: string): PyValue | undefined {
  const b = (f: (a: PyValue[], loc: SourceLocation | undefined) => PyValue | Promise<PyValue>) => new PyBuiltin(name, (a, _k, ctx) => f(a, ctx.loc));
  const aw = (f: () => PyValue | Promise<PyValue>) => new PyCoroutine(`${g.name}.${name}`, f);
  const thrown = (a: PyValue[], loc: SourceLocation | undefined) => {
    const pe = toThrown(interp, a, loc);
    return pe instanceof Promise ? pe.then((x) => g.throwStep(x)) : g.throwStep(pe);
  };
  if (name === '__name__' || name === '__qualname__') return g.name.split('.').pop()!;
  if (!g.isAsync) {
    switch (name) {
      case '__iter__':
        return b(() => g);
      case '__next__':
        return b(() => raiseAtEnd(g, g.next()));
      case 'send':
        return b((a) => raiseAtEnd(g, g.sendStep(a[0] ?? null)));
      case 'throw':
        return b((a, loc) => raiseAtEnd(g, Promise.resolve().then(() => thrown(a, loc))));
      case 'close':
        return b(() => g.close());
    }
    return undefined;
  }
  switch (name) {
    case '__aiter__':
      return b(() => g);
    case '__anext__':
      return b(() => aw(() => raiseAtEnd(g, g.next())));
    case 'asend':
      return b((a) => aw(() => raiseAtEnd(g, g.sendStep(a[0] ?? null))));
    case 'athrow':
      return b((a, loc) => aw(() => raiseAtEnd(g, Promise.resolve().then(() => thrown(a, loc)))));
    case 'aclose':
      return b(() => aw(() => g.close()));
  }
  return undefined;
}
