/**
 * Runs a generator function (`def f(): ... yield x ...`, sync or async) step by step: next() runs
 * the body up to its next `yield` and hands back the yielded value; the body stays suspended (an
 * unresolved Promise in the evaluator) until the consumer resumes it with next(), send(v) or
 * throw(exc). The evaluator's code paths already accept Promises anywhere, so the `yield`
 * expression is simply a Promise that settles when the consumer resumes the body.
 *
 * pytest drives yield fixtures with it directly; calling a generator function from Python returns
 * a PyGenerator wrapping one (generator / async_generator objects, see generatorObject.ts).
 */
import type { PyValue } from './values';

export type GeneratorStep = { done: false; value: PyValue } | { done: true; value: PyValue };

type Resume = { kind: 'send'; value: PyValue } | { kind: 'throw'; error: unknown };

export class GeneratorRun {
  private started = false;
  private finished = false;
  private consumer: { resolve: (s: GeneratorStep) => void; reject: (e: unknown) => void } | undefined;
  private producer: { resolve: (sent: PyValue) => void; reject: (e: unknown) => void } | undefined;
  /** Where the body's frames / loops start on the evaluator's stacks while it runs (set on each resume; see compiler.ts yield). */
  baseFrames = 0;
  baseLoops = 0;
  /** The body's `return` value once it has finished (StopIteration.value). */
  returnValue: PyValue = null;

  /** `start` runs the body (its frame carries this run so `yield` can reach it). */
  constructor(private readonly start: (run: GeneratorRun) => PyValue | Promise<PyValue>) {}

  get done(): boolean {
    return this.finished;
  }
  get isStarted(): boolean {
    return this.started;
  }
  /** Whether the body is running right now (between a resume and its next yield/end). */
  get running(): boolean {
    return this.consumer !== undefined;
  }

  /** Runs the body to its next `yield` (or its end: done). */
  next(): Promise<GeneratorStep> {
    return this.resume({ kind: 'send', value: null });
  }

  /** Resumes the body with `value` as the result of the pending `yield`. */
  send(value: PyValue): Promise<GeneratorStep> {
    return this.resume({ kind: 'send', value });
  }

  /** Raises `error` at the pending `yield` (before the first step: the body never runs). */
  throw(error: unknown): Promise<GeneratorStep> {
    return this.resume({ kind: 'throw', error });
  }

  private resume(r: Resume): Promise<GeneratorStep> {
    if (this.finished) return r.kind === 'throw' ? Promise.reject(r.error) : Promise.resolve({ done: true, value: null });
    if (!this.started && r.kind === 'throw') {
      this.started = true;
      this.finished = true;
      return Promise.reject(r.error);
    }
    return new Promise<GeneratorStep>((resolve, reject) => {
      this.consumer = { resolve, reject };
      if (!this.started) {
        this.started = true;
        Promise.resolve()
          .then(() => this.start(this))
          .then(
            (v) => {
              this.returnValue = v;
              this.settle({ done: true, value: v });
            },
            (e) => this.fail(e),
          );
      } else {
        const p = this.producer;
        this.producer = undefined;
        if (r.kind === 'throw') p?.reject(r.error);
        else p?.resolve(r.value);
      }
    });
  }

  /** Called by the `yield` expression: hands `value` to the consumer, resumes on the next next()/send()/throw(). */
  yield(value: PyValue): Promise<PyValue> {
    return new Promise<PyValue>((resolve, reject) => {
      this.producer = { resolve, reject };
      const c = this.consumer;
      this.consumer = undefined;
      c?.resolve({ done: false, value });
    });
  }

  private settle(step: GeneratorStep): void {
    this.finished = true;
    const c = this.consumer;
    this.consumer = undefined;
    c?.resolve(step);
  }

  private fail(e: unknown): void {
    this.finished = true;
    const c = this.consumer;
    this.consumer = undefined;
    c?.reject(e);
  }
}
