// kailash.sdk_exceptions raised by core nodes (Node.execute and the nodes' run()): the Python type
// name travels in `pythonType`, as the workflow layer's pythonTypeOf() reads it.

import { stopsTheEvaluation } from '../../workflow/errors';

export type CoreNodeErrorType = 'NodeExecutionError' | 'NodeValidationError' | 'NodeConfigurationError';

export class CoreNodeError extends Error {
  constructor(
    readonly pythonType: CoreNodeErrorType,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = pythonType;
  }
}

/** Node.execute's wrapper for an exception run() raised that is not a NodeExecutionError/NodeValidationError. */
export function wrapRunError(nodeId: string, e: unknown): unknown {
  if (stopsTheEvaluation(e)) return e;
  if (e instanceof CoreNodeError && (e.pythonType === 'NodeExecutionError' || e.pythonType === 'NodeValidationError')) return e;
  const type = (e as { pythonType?: string; pyType?: string }).pythonType ?? (e as { pyType?: string }).pyType ?? 'Exception';
  const msg = e instanceof Error ? e.message : String(e);
  return new CoreNodeError('NodeExecutionError', `Node '${nodeId}' execution failed: ${type}: ${msg}`, e);
}
