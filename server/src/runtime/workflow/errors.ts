/**
 * Python-visible errors of the workflow layer (kailash.sdk_exceptions). Each carries
 * `pythonType`, the class name the evaluator raises, and keeps DataFlow's exact message text.
 */
import { DataFlowNodeError } from '../dataflow/errors';
import type { SourceLocation } from './sourceLocation';
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

/**
 * Tags a runtime error with its raise inside the library (`what`, e.g. 'RuntimeExecutionError'): the
 * bindings look its recorded traceback frames up under it (libraryFrames/recordedFrames.ts).
 */
export function raisedAt<E extends Error>(e: E, what: string): E {
  (e as E & { raiseSite?: string }).raiseSite = what;
  return e;
}

/** The raise inside the library a runtime error was tagged with (raisedAt). */
export function raiseOf(e: unknown): string | undefined {
  const what = e && typeof e === 'object' ? (e as { raiseSite?: unknown }).raiseSite : undefined;
  return typeof what === 'string' ? what : undefined;
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
 * Tenant isolation is modelled for Create / Read / Update / Delete / List / Count and BulkCreate /
 * BulkUpdate / BulkDelete (dataflow/tenancy/scopeStatement.ts). The upserts under a bound tenant or
 * a multi_tenant DataFlow are not: DataFlow's tenant-guarded ON CONFLICT (`WHERE tenant_id = ...`
 * on DO UPDATE, the cross-tenant collision diagnostics of issue #1526) is not reproduced, so such
 * a node or express call stops as unsupported rather than run unscoped.
 */
const TENANT_UNMODELLED_OPS: ReadonlySet<string> = new Set(['upsert', 'bulk_upsert']);
/** Express's own bulk_update (a loop of updates) and bulk_delete were not recorded under a tenant either. */
const TENANT_UNMODELLED_EXPRESS: ReadonlySet<string> = new Set(['upsert', 'bulk_upsert', 'bulk_update', 'bulk_delete']);

export function tenantScopingUnmodelled(
  settings: { multiTenant: boolean },
  model: { fields: readonly { name: string }[] },
  op: string,
  tenant: string | null | undefined,
  surface: 'workflow' | 'express' = 'workflow',
): boolean {
  const ops = surface === 'express' ? TENANT_UNMODELLED_EXPRESS : TENANT_UNMODELLED_OPS;
  if (!ops.has(op) || !model.fields.some((f) => f.name === 'tenant_id')) return false;
  return settings.multiTenant || !!tenant;
}

export function tenantScopingError(model: string, what: string): UnmodelledNodeError {
  return new UnmodelledNodeError(
    `${what} under a tenant`,
    undefined,
    `\`${what}\` of the tenant-isolated model '${model}' is not modelled: DataFlow scopes its ON CONFLICT to the bound tenant (issue #1526 collision handling); the runtime models tenant isolation for create/read/update/delete/list/count and bulk create/update/delete only`,
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
