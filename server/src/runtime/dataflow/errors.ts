/**
 * Errors raised by node executors. The runtime above turns a raised error into DataFlow's
 * failed entry: `{"error": message, "error_type": errorType, "failed": true}`; an output that
 * carries `success: false` is a content-aware failure instead (see isContentAwareFailure).
 */
export type DataFlowErrorType =
  | 'NodeExecutionError'
  | 'NodeValidationError'
  | 'NodeConfigurationError'
  | 'WorkflowValidationError'
  | 'ValueError'
  | 'DDLFailedError'
  | 'UnsafeOperationBlocked';

export class DataFlowNodeError extends Error {
  /** error_type the runtime reports for a failed entry (DataFlow wraps node errors in NodeExecutionError). */
  readonly errorType: DataFlowErrorType;
  /** DataFlow's error-catalog code when one applies (DF-105, DF-602, ...). */
  readonly code?: string;
  /** The underlying database error, if any. */
  override readonly cause?: unknown;
  constructor(message: string, options: { errorType?: DataFlowErrorType; code?: string; cause?: unknown } = {}) {
    super(message);
    this.name = options.errorType ?? 'NodeExecutionError';
    this.errorType = options.errorType ?? 'NodeExecutionError';
    this.code = options.code;
    this.cause = options.cause;
  }
}

/**
 * This tool's refusal to send a statement that would change every row of a table on a database that
 * is not the embedded one (not a DataFlow behaviour). The user's code cannot catch it: the run stops
 * there (exit 2, located), and nothing of the statement was sent.
 */
export class UnsafeOperationBlockedError extends Error {
  readonly refusal = true as const;
  /** Where the Python code called the node or express method (filled by the evaluator). */
  location?: { file: string; line: number; column: number };
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeOperationBlockedError';
  }
}

/** The message AsyncSQLDatabaseNode gives a failed statement. */
export function databaseQueryFailed(e: unknown): DataFlowNodeError {
  return new DataFlowNodeError(`Database query failed: ${dbMessage(e)}`, { cause: e });
}

/**
 * asyncpg's DataError for a bind parameter its codec refuses (prepared_stmt.pyx _encode_bind_msg):
 * the value's repr cut at 40 characters, then the codec's own error.
 */
export function asyncpgInvalidArgument(position: number, valueRepr: string, codecError: string): Error {
  const shown = valueRepr.length > 40 ? valueRepr.slice(0, 40) + '...' : valueRepr;
  return new Error(`invalid input for query argument $${position}: ${shown} (${codecError})`);
}

/** The text of a driver error, as str(asyncpg_error) would print it. */
export function dbMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** DataFlow outputs with a falsy `success` are content-aware failures that the runtime raises. */
export function isContentAwareFailure(output: Record<string, unknown>): boolean {
  return 'success' in output && !output.success;
}
