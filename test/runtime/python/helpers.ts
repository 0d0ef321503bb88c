import * as assert from 'node:assert/strict';
import { EvaluateOptions, EvaluateResult, evaluateModule } from '../../../server/src/runtime/python';

/** Evaluates and returns print() output. */
export async function run(src: string, opts: EvaluateOptions = {}): Promise<string> {
  const r = await evaluateModule(src, { fileName: 'case.py', ...opts });
  r.dispose();
  return r.output;
}

export async function evaluate(src: string, opts: EvaluateOptions = {}): Promise<EvaluateResult> {
  return evaluateModule(src, { fileName: 'case.py', ...opts });
}

/** Asserts that evaluation rejects with an error of `type` whose message matches. */
export async function rejects<T extends Error>(p: Promise<unknown>, type: new (...a: never[]) => T, message?: RegExp): Promise<T> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    if (message) assert.match((e as Error).message, message);
    return e as T;
  }
  assert.fail(`expected ${type.name} to be thrown`);
}
