// Errors from the TypeScript runtime surfaced as Python exceptions (the evaluator names a thrown
// Error's Python type after its `pyType`).
import { KailashError, UnmodelledNodeError, pythonMessageOf, pythonTypeOf, raiseOf } from '../workflow/errors';
import { UnsupportedPythonError, type SourceLocation as EvalLocation } from '../python/values';
import type { SourceLocation } from '../workflow/types';
import { DataFlowNodeError } from '../dataflow/errors';
import { kailashExceptionClass } from './kailashExceptions';
import { raiseSiteKey, recordedFrames, type LibraryFileLocator } from '../libraryFrames/recordedFrames';
import { withLibraryFrames } from '../python/tracebackObjects';

/** The library call the user made, for the recorded frames of what it raised (libraryFrames/). */
export interface LibraryCall {
  /** `Class.method` as the user called it (LocalRuntime.execute, WorkflowBuilder.add_connection). */
  entry: string;
  /** Called with an event loop running (an async frame on the stack): kailash takes another path there. */
  inRunningLoop: boolean;
  locate?: LibraryFileLocator;
}

/**
 * The Python exception for a runtime error. With `call`, an error the runtime tagged with its raise
 * inside the library (raisedAt) carries that raise's recorded frames, so its __traceback__ goes on
 * into kailash's real frames; untagged or unrecorded raises carry none.
 */
export function asPythonError(e: unknown, call?: LibraryCall): unknown {
  const out = pythonErrorOf(e);
  const what = raiseOf(e);
  return what && call && out !== e ? raisedBy(out, call, what) : out;
}

/** `pyErr` carrying the recorded frames of the raise `what` inside the library call `call` (none when unrecorded). */
export function raisedBy<E>(pyErr: E, call: LibraryCall, what: string): E {
  return withLibraryFrames(pyErr, recordedFrames(raiseSiteKey({ entry: call.entry, what }, call.inRunningLoop), call.locate));
}

function pythonErrorOf(e: unknown): unknown {
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

/** Runs `fn`, re-throwing runtime errors as Python exceptions (with `call`'s recorded frames, see asPythonError). */
export async function pythonErrors<T>(fn: () => Promise<T>, call?: LibraryCall): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asPythonError(e, call);
  }
}

/** A workflow-layer location (0-based column) as the evaluator reports it (1-based column). */
function evaluatorLocation(loc: SourceLocation | undefined): EvalLocation | undefined {
  if (!loc?.file) return undefined;
  const column = (loc.column ?? 0) + 1;
  return { file: loc.file, line: loc.line, column, endLine: loc.endLine ?? loc.line, endColumn: (loc.endColumn ?? column - 1) + 1, startIndex: 0, endIndex: 0 };
}
