// Errors from the TypeScript runtime surfaced as Python exceptions (the evaluator names a thrown
// Error's Python type after its `pyType`).
import { KailashError, UnmodelledNodeError, pythonMessageOf, pythonTypeOf } from '../workflow/errors';
import { UnsupportedPythonError, type SourceLocation as EvalLocation } from '../python/values';
import type { SourceLocation } from '../workflow/types';
import { DataFlowNodeError } from '../dataflow/errors';
import { kailashExceptionClass } from './kailashExceptions';

export function asPythonError(e: unknown): unknown {
  if (e instanceof UnmodelledNodeError) return new UnsupportedPythonError(e.message, evaluatorLocation(e.location));
  if (e instanceof KailashError) return pyError(pythonTypeOf(e), pythonMessageOf(e));
  // Raised straight from a node (express): its own Python type when it has one (tenant isolation's RuntimeError).
  if (e instanceof DataFlowNodeError) return pyError((e as { pyType?: string }).pyType ?? e.errorType ?? 'NodeExecutionError', e.message);
  return e;
}

/** An error the evaluator raises as the Python exception `type` (kailash's own classes with their bases). */
export function pyError(type: string, message: string): Error {
  const pyClass = kailashExceptionClass(type);
  return Object.assign(new Error(message), pyClass ? { pyType: type, pyClass } : { pyType: type });
}

/** Runs `fn`, re-throwing runtime errors as Python exceptions. */
export async function pythonErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asPythonError(e);
  }
}

/** A workflow-layer location (0-based column) as the evaluator reports it (1-based column). */
function evaluatorLocation(loc: SourceLocation | undefined): EvalLocation | undefined {
  if (!loc?.file) return undefined;
  const column = (loc.column ?? 0) + 1;
  return { file: loc.file, line: loc.line, column, endLine: loc.endLine ?? loc.line, endColumn: (loc.endColumn ?? column - 1) + 1, startIndex: 0, endIndex: 0 };
}
