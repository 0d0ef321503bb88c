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
  /**
   * The Python type DataFlow's node raised when it is not a NodeExecutionError (DataFlowError,
   * ValueError, ...): kailash's Node.execute wraps it as NodeExecutionError("Node 'x' execution
   * failed: <type>: <message>") (docs/dataflow-2.20.md, "Errors"); see nodeExecutionFailed.
   */
  readonly raisedAs?: string;
  constructor(message: string, options: { errorType?: DataFlowErrorType; code?: string; cause?: unknown; raisedAs?: string } = {}) {
    super(message);
    this.name = options.errorType ?? 'NodeExecutionError';
    this.errorType = options.errorType ?? 'NodeExecutionError';
    this.code = options.code;
    this.cause = options.cause;
    this.raisedAs = options.raisedAs;
  }
}

/**
 * What kailash's Node.execute raises for an exception of a node's run that is not a
 * NodeExecutionError / NodeValidationError (kailash/nodes/base_async.py:304, base.py:1612):
 * `NodeExecutionError("Node '<id>' execution failed: <Type>: <message>")`. Others pass unchanged.
 */
export function nodeExecutionFailed(nodeId: string, e: unknown): unknown {
  // A DataFlowNodeError names what DataFlow raised; another error may carry a Python builtin type (pyType: 'RuntimeError').
  const raised = e instanceof DataFlowNodeError ? e.raisedAs : e instanceof Error ? (e as { pyType?: unknown }).pyType : undefined;
  if (typeof raised !== 'string' || raised === 'NodeExecutionError' || raised === 'NodeValidationError') return e;
  return new DataFlowNodeError(`Node '${nodeId}' execution failed: ${raised}: ${(e as Error).message}`, { code: e instanceof DataFlowNodeError ? e.code : undefined, cause: e });
}

/** A ValueError a DataFlow node raises (wrapped by Node.execute). */
export function nodeValueError(message: string): DataFlowNodeError {
  return new DataFlowNodeError(message, { errorType: 'ValueError', raisedAs: 'ValueError' });
}

/** One entry of DataFlow's error catalogue as ErrorEnhancer builds it (dataflow/platform/errors.py). */
export interface EnhancedErrorSpec {
  /** Catalogue code: 'DF-703'. */
  code: string;
  /** The ErrorCode member the catalogue maps it to: 'INVALID_NODE_CONFIGURATION'. */
  errorCode: string;
  /** ErrorEnhancer's custom message. */
  message: string;
  /** Context entries before the original exception's type and message, in DataFlow's order. */
  context: [string, string][];
  /** The exception the node raised first, which the enhancer wraps. */
  original: { type: string; message: string };
}

/**
 * A DataFlowError from ErrorEnhancer (dataflow/platform/errors.py:92-185, `enhanced_message`): the
 * header, the context, the documentation link and the original error. Not reproduced: the ANSI
 * colours and the catalogue's root causes and solutions (error_catalog.yaml prose), so the text is
 * DataFlow's minus those sections.
 */
export function dataflowError(spec: EnhancedErrorSpec): DataFlowNodeError {
  const ctx = [...spec.context, ['exception_type', spec.original.type], ['exception_message', spec.original.message]];
  const text = [
    `❌ DataFlow Error [ErrorCode.${spec.errorCode}]: ${spec.message}`,
    '',
    '📍 Context:',
    ...ctx.map(([k, v]) => `   - ${k}: ${v}`),
    '',
    '📚 Documentation:',
    `   https://docs.kailash.ai/dataflow/errors/${spec.code.toLowerCase()}`,
    '',
    '🔧 Original Error:',
    `   ${spec.original.type}: ${spec.original.message}`,
    '',
  ].join('\n');
  return new DataFlowNodeError(text, { code: spec.code, raisedAs: 'DataFlowError' });
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

/** The text of a driver error, as str(asyncpg_error) prints it: its message, then PostgreSQL's DETAIL and HINT lines (asyncpg/exceptions/_base.py PostgresMessage.__str__). */
export function dbMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const { detail, hint } = e as { detail?: unknown; hint?: unknown };
  let msg = e.message;
  if (typeof detail === 'string' && detail && !msg.includes('\nDETAIL:  ')) msg += `\nDETAIL:  ${detail}`;
  if (typeof hint === 'string' && hint && !msg.includes('\nHINT:  ')) msg += `\nHINT:  ${hint}`;
  return msg;
}

/** DataFlow outputs with a falsy `success` are content-aware failures that the runtime raises. */
export function isContentAwareFailure(output: Record<string, unknown>): boolean {
  return 'success' in output && !output.success;
}
