/**
 * Runs a generator function (`def f(): ... yield x ...`, sync or async) step by step, the way
 * pytest drives a yield fixture: next() runs the body up to its next `yield` and hands back the
 * yielded value; the body stays suspended (an unresolved Promise in the evaluator) until the next
 * next(). The evaluator's code paths already accept Promises anywhere, so the `yield` expression
 * is simply a Promise that resolves when the consumer asks for the next value.
 *
 * Only the test runner uses it (fixtures); calling a generator function from Python stays
 * unsupported (compiler.ts callFunction).
 */
import type { PyValue } from './values';

export type GeneratorStep = { done: false; value: PyValue } | { done: true; value: PyValue };

export class GeneratorRun {
  private started = false;
  private finished = false;
  private consumer: { resolve: (s: GeneratorStep) => void; reject: (e: unknown) => void } | undefined;
  private producer: ((sent: PyValue) => void) | undefined;

  /** `start` runs the body (its frame carries this run so `yield` can reach it). */
  constructor(private readonly start: (run: GeneratorRun) => PyValue | Promise<PyValue>) {}

  get done(): boolean {
    return this.finished;
  }

  /** Runs the body to its next `yield` (or its end: done). */
  next(): Promise<GeneratorStep> {
    if (this.finished) return Promise.resolve({ done: true, value: null });
    return new Promise<GeneratorStep>((resolve, reject) => {
      this.consumer = { resolve, reject };
      if (!this.started) {
        this.started = true;
        Promise.resolve()
          .then(() => this.start(this))
          .then(
            (v) => this.settle(() => ({ done: true, value: v })),
            (e) => this.fail(e),
          );
      } else {
        const p = this.producer;
        this.producer = undefined;
        p?.(null);
      }
    });
  }

  /** Called by the `yield` expression: hands `value` to the consumer, resumes on the next next(). */
  yield(value: PyValue): Promise<PyValue> {
    return new Promise<PyValue>((resume) => {
      this.producer = resume;
      const c = this.consumer;
      this.consumer = undefined;
      c?.resolve({ done: false, value });
    });
  }

  private settle(step: () => GeneratorStep): void {
    this.finished = true;
    const c = this.consumer;
    this.consumer = undefined;
    c?.resolve(step());
  }

  private fail(e: unknown): void {
    this.finished = true;
    const c = this.consumer;
    this.consumer = undefined;
    c?.reject(e);
  }
}
