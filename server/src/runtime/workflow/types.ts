import type { ExecutionContext } from '../dataflow/context';
import type { DataFlowRuntime } from '../dataflow/runtime';
import type { DfRecord } from '../dataflow/values/dfValues';

export type { SourceLocation } from './sourceLocation';
import type { SourceLocation } from './sourceLocation';

/** One declared parameter of a node type, as workflow-level parameter injection sees it. */
export interface NodeParamInfo {
  name: string;
  required: boolean;
  /** NodeParameter.auto_map_from (bulk nodes: data ← records / rows / documents). */
  autoMapFrom?: string[];
}

/** What a node gets to run: a DataFlow execution context per DataFlow instance (one workflow run). */
export interface NodeExecutionEnv {
  /** The context of the runtime passed to executeWorkflow. */
  readonly primary: ExecutionContext;
  /** The context for another DataFlow instance (created on first use, ended with the run). */
  context(rt: DataFlowRuntime): ExecutionContext;
  /** The context holding the workflow's open transaction (a TransactionScopeNode's), if any. */
  openTransaction?(): ExecutionContext | undefined;
  /** `parameters={"workflow_context": {"dataflow_instance": db}}`: the instance DataFlow's transaction nodes act through (LocalRuntime only). */
  readonly workflowContextInstance?: DataFlowRuntime;
  readonly signal?: AbortSignal;
  readonly runId: string;
}

/**
 * A node instance of a built workflow (the core SDK's Node object after __init__): its config
 * already holds the build-time coercions and parameter defaults.
 */
export interface WorkflowNodeInstance {
  readonly id: string;
  readonly type: string;
  readonly config: DfRecord;
  /** The DataFlow instance whose node this is (undefined for non-DataFlow node types). */
  readonly runtime?: DataFlowRuntime;
  /** isinstance(node, AsyncNode): AsyncLocalRuntime runs such nodes on its event loop, the others in its thread pool. */
  readonly isAsyncNode: boolean;
  /** get_parameters() */
  parameters(): NodeParamInfo[];
  /** Required parameters that neither the config nor `availableKeys` supply. */
  missingRequiredInputs(availableKeys: Iterable<string>): string[];
  /**
   * Node.execute(**runtime_inputs): config merged under the runtime inputs (runtime wins).
   * Returns the node's output (a dict for every DataFlow node); throws where the node raises.
   */
  execute(env: NodeExecutionEnv, runtimeInputs: DfRecord): Promise<unknown>;
}

/** Creates node instances of one type at build time. Throw NodeConfigurationError for bad config. */
export type NodeFactory = (nodeId: string, config: DfRecord, typeName: string, location?: SourceLocation) => WorkflowNodeInstance;

/** Per-node record of one execution (the profiler's row). */
export interface NodeRun {
  id: string;
  type: string;
  /** Epoch milliseconds when the node started, with a fraction (consistent with `ms` within one run). */
  startedAt: number;
  ms: number;
  /** Statements the node ran (statement-hook events tagged with its id). */
  statements: number;
  /** Sum of the rowCount of those statements (rows returned or affected). */
  rows: number;
  /** str(e) when the node raised or reported failure. */
  error?: string;
  errorType?: string;
  /** True when the failure became a `{"failed": True}` entry and the run went on. */
  failed?: boolean;
  /** True when conditional routing (a SwitchNode branch not taken) skipped the node: its result is None. */
  skipped?: boolean;
  /** The add_node call site. */
  location?: SourceLocation;
  /** List nodes with the query cache: whether this execution was a cache hit. */
  cacheHit?: boolean;
  /** AsyncLocalRuntime: the level (0-based) whose nodes ran concurrently with this one. */
  level?: number;
  /** Milliseconds its statements waited for a connection (a pooled one, or PGlite's single one). */
  waitMs?: number;
}
