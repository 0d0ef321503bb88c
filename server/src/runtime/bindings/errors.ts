// Errors from the TypeScript runtime surfaced as Python exceptions (the evaluator names a thrown
// Error's Python type after its `pyType`).
import { KailashError, pythonMessageOf, pythonTypeOf } from '../workflow/errors';
import { DataFlowNodeError } from '../dataflow/errors';

export function asPythonError(e: unknown): unknown {
  if (e instanceof KailashError) return Object.assign(new Error(pythonMessageOf(e)), { pyType: pythonTypeOf(e) });
  if (e instanceof DataFlowNodeError) return Object.assign(new Error(e.message), { pyType: (e as { errorType?: string }).errorType ?? 'NodeExecutionError' });
  return e;
}

export function pyError(type: string, message: string): Error {
  return Object.assign(new Error(message), { pyType: type });
}

/** Runs `fn`, re-throwing runtime errors as Python exceptions. */
export async function pythonErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asPythonError(e);
  }
}
