/** asyncio: the event loop is the evaluator's own (awaits run in order; sleep advances the run's clock). */
import { PyClass, PyCoroutine, PyException, PyFunction, PyList, PyModule, PyValue, builtinExceptionClasses } from '../values';
import { Interp } from '../runtime';
import { awaitValue } from '../protocols/calls';
import { truthy } from '../protocols/equality';
import { HostObject } from '../host';
import { fn, num, kwOf, mod } from './kit';
import { Clock } from './clockAndRng';

class AsyncPrimitive extends HostObject {
  constructor(private readonly type: string) {
    super();
  }
  override get typeName(): string {
    return this.type;
  }
  override getAttr(name: string): PyValue | undefined {
    if (['acquire', 'release', 'set', 'clear', 'wait', 'locked', 'is_set'].includes(name)) return fn(name, () => (name === 'locked' || name === 'is_set' ? false : name === 'acquire' ? true : null));
    if (name === '__aenter__') return fn(name, () => this);
    return undefined;
  }
}

class Task extends HostObject {
  constructor(readonly result: PyValue | Promise<PyValue>) {
    super();
  }
  override get typeName(): string {
    return 'Task';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__await__') return fn('__await__', () => this.result);
    if (name === 'done') return fn('done', () => true);
    if (name === 'result') return fn('result', () => this.result);
    if (name === 'cancel') return fn('cancel', () => false);
    return undefined;
  }
}

export function asyncioModule(interp: Interp, clock: Clock): PyModule {
  const run = fn('run', (a, _k, ctx) => awaitValue(interp, a[0], ctx.loc));
  const loopObj = new (class extends HostObject {
    override get typeName(): string {
      return 'EventLoop';
    }
    override getAttr(name: string): PyValue | undefined {
      if (name === 'run_until_complete') return run;
      if (name === 'close') return fn('close', () => null);
      if (name === 'is_running') return fn('is_running', () => false);
      return undefined;
    }
  })();
  const gather = fn('gather', async (a, k, ctx) => {
    const out: PyValue[] = [];
    const ret = truthy(interp, kwOf(k, 'return_exceptions') ?? false);
    for (const x of a) {
      try {
        out.push(await awaitValue(interp, x, ctx.loc));
      } catch (e) {
        if (ret && e instanceof PyException) out.push(e.exc);
        else throw e;
      }
    }
    return new PyList(out);
  });
  const sleep = fn('sleep', (a) => {
    const secs = num(a[0]);
    const result = a[1] ?? null;
    return new PyCoroutine('sleep', () => {
      clock.sleep(secs);
      return result;
    });
  });
  return mod('asyncio', {
    run,
    gather,
    sleep,
    create_task: fn('create_task', (a, _k, ctx) => {
      const r = awaitValue(interp, a[0], ctx.loc);
      if (r instanceof Promise) r.catch(() => undefined);
      return new Task(r);
    }),
    ensure_future: fn('ensure_future', (a, _k, ctx) => new Task(awaitValue(interp, a[0], ctx.loc))),
    wait_for: fn('wait_for', (a, _k, ctx) => new PyCoroutine('wait_for', () => awaitValue(interp, a[0], ctx.loc))),
    get_event_loop: fn('get_event_loop', () => loopObj),
    new_event_loop: fn('new_event_loop', () => loopObj),
    get_running_loop: fn('get_running_loop', () => loopObj),
    set_event_loop: fn('set_event_loop', () => null),
    iscoroutine: fn('iscoroutine', (a) => a[0] instanceof PyCoroutine),
    iscoroutinefunction: fn('iscoroutinefunction', (a) => a[0] instanceof PyFunction && a[0].code.isAsync),
    Semaphore: new PyClass('Semaphore', [], new Map(), { construct: () => new AsyncPrimitive('Semaphore') }, 'Semaphore', 'asyncio'),
    Lock: new PyClass('Lock', [], new Map(), { construct: () => new AsyncPrimitive('Lock') }, 'Lock', 'asyncio'),
    Event: new PyClass('Event', [], new Map(), { construct: () => new AsyncPrimitive('Event') }, 'Event', 'asyncio'),
    TimeoutError: builtinExceptionClasses.get('TimeoutError')!,
    CancelledError: new PyClass('CancelledError', [builtinExceptionClasses.get('BaseException')!], new Map(), undefined, 'CancelledError', 'asyncio'),
  });
}
