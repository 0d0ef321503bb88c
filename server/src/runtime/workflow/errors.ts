/**
 * Python-visible errors of the workflow layer (kailash.sdk_exceptions). Each carries
 * `pythonType`, the class name the evaluator raises, and keeps DataFlow's exact message text.
 */
import { DataFlowNodeError } from '../dataflow/errors';
import type { SourceLocation } from './types';
import { isRunRefusal } from '../python/values';

export type KailashErrorType =
  | 'WorkflowValidationError'
  | 'WorkflowExecutionError'
  | 'RuntimeExecutionError'
  | 'ConnectionError'
  | 'NodeConfigurationError'
  | 'ContentAwareExecutionError'
  | 'WorkflowCancelledError';

export class KailashError extends Error {
  readonly pythonType: KailashErrorType;
  override readonly cause?: unknown;
  constructor(pythonType: KailashErrorType, message: string, cause?: unknown) {
    super(message);
    this.name = pythonType;
    this.pythonType = pythonType;
    this.cause = cause;
  }
}

/** Builder / validation errors: duplicate ids, unknown nodes, missing required inputs. Never wrapped by execute(). */
export class WorkflowValidationError extends KailashError {
  constructor(message: string, cause?: unknown) {
    super('WorkflowValidationError', message, cause);
  }
}

/**
 * A node failure that stops the workflow: inside LocalRuntime (execute() wraps it in
 * RuntimeExecutionError), and what AsyncLocalRuntime raises as it is.
 */
export class WorkflowExecutionError extends KailashError {
  /** The node whose failure this is, when one is (AsyncLocalRuntime's "Node 'x' execution failed"). */
  readonly nodeId?: string;
  constructor(message: string, cause?: unknown, nodeId?: string) {
    super('WorkflowExecutionError', message, cause);
    this.nodeId = nodeId;
  }
}

/** What LocalRuntime.execute raises for every failure other than WorkflowValidationError. */
export class RuntimeExecutionError extends KailashError {
  /** The node whose failure stopped the workflow, when one did. */
  readonly nodeId?: string;
  constructor(message: string, cause?: unknown, nodeId?: string) {
    super('RuntimeExecutionError', message, cause);
    this.nodeId = nodeId;
  }
}

/** kailash.sdk_exceptions.ConnectionError (shadows Python's builtin of the same name). */
export class ConnectionError extends KailashError {
  constructor(message: string, cause?: unknown) {
    super('ConnectionError', message, cause);
  }
}

/** Build-time configuration failure of one node (wrapped by build() in WorkflowValidationError, as in DataFlow). */
export class NodeConfigurationError extends KailashError {
  constructor(message: string, cause?: unknown) {
    super('NodeConfigurationError', message, cause);
  }
}

/** An output with a falsy `success` (content-aware detection). */
export class ContentAwareExecutionError extends KailashError {
  constructor(
    message: string,
    readonly nodeId: string,
    readonly failureData: unknown,
  ) {
    super('ContentAwareExecutionError', message);
  }
}

/** The run was cancelled through its AbortSignal (LocalRuntime's cancellation_token). */
export class WorkflowCancelledError extends KailashError {
  constructor(message: string) {
    super('WorkflowCancelledError', message);
  }
}

/**
 * A real Kailash / DataFlow node type (registered with kailash 2.63's NodeRegistry) that this
 * runtime does not model. Not a Python exception: the run stops with exit 2 at the add_node call.
 */
export class UnmodelledNodeError extends Error {
  location?: SourceLocation;
  constructor(readonly nodeType: string, location?: SourceLocation, message?: string) {
    super(message ?? `\`${nodeType}\` is a Kailash node the runtime does not model`);
    this.name = 'UnmodelledNodeError';
    this.location = location;
  }
}

/**
 * DataFlow(multi_tenant=True): DataFlow 2.20 refuses to run any node or express call of a
 * tenant-isolated model unless a tenant is bound (`db.tenant_context.switch(...)`; core/nodes.py,
 * issue #1249), and scopes every query to it. The runtime models neither the binding nor the
 * scoping, so running such a node would pass what DataFlow fails: the run stops as unsupported.
 */
export function isTenantIsolated(settings: { multiTenant: boolean }, model: { fields: readonly { name: string }[] }): boolean {
  return settings.multiTenant && model.fields.some((f) => f.name === 'tenant_id');
}

export function unboundTenantError(model: string): UnmodelledNodeError {
  return new UnmodelledNodeError(
    'DataFlow(multi_tenant=True)',
    undefined,
    `\`DataFlow(multi_tenant=True)\` is not modelled: DataFlow refuses to run a node of '${model}' unless a tenant is bound with db.tenant_context.switch(...), and then scopes every query to it; the runtime models neither`,
  );
}

/**
 * Errors that end the evaluation instead of failing a node: the runtime reached something it
 * does not model (an unmodelled node, unsupported Python inside a PythonCodeNode) or a bound of
 * the evaluation (iterations, time, depth, size, cancellation). Never wrapped as node failures.
 */
export function stopsTheEvaluation(e: unknown): boolean {
  return e instanceof UnmodelledNodeError || isRunRefusal(e) || (e instanceof Error && (e.name === 'UnsupportedPythonError' || e.name === 'EvaluationLimitError' || e.name === 'PythonSyntaxError'));
}

/** type(e).__name__ as Python would print it for an error thrown by a node or by this layer. */
export function pythonTypeOf(e: unknown): string {
  if (e instanceof KailashError) return e.pythonType;
  if (e instanceof DataFlowNodeError) return e.errorType;
  if (e && typeof e === 'object' && typeof (e as { pythonType?: unknown }).pythonType === 'string') return (e as { pythonType: string }).pythonType;
  if (e instanceof TypeError) return 'TypeError';
  if (e instanceof RangeError) return 'ValueError';
  return 'Exception';
}

/** str(e) */
export function pythonMessageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
