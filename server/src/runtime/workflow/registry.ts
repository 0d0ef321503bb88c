import { DataFlowNodeError, nodeExecutionFailed } from '../dataflow/errors';
import { NO_DATAFLOW_INSTANCE_IN_CONTEXT } from '../dataflow/transactions/transactionNodes';
import { declaredParameters } from '../dataflow/nodes/parameters';
import { BULK_OPERATIONS, generatedNodeNames, OPERATIONS, TRANSACTION_NODE_SPECS, TRANSACTION_NODES } from '../../catalogue';
import type { DataFlowRuntime, PreparedNode, ResolvedNodeType } from '../dataflow/runtime';
import type { DfRecord } from '../dataflow/values/dfValues';
import { KAILASH_NODE_NAMES } from '../kailash/kailashNodeNames';
import { NodeConfigurationError, UnmodelledNodeError, tenantScopingError, tenantScopingUnmodelled } from './errors';
import type { NodeFactory, NodeParamInfo, SourceLocation, WorkflowNodeInstance } from './types';

/** A DataFlow generated (or Transaction*) node, backed by DataFlowRuntime.prepareNode / executePrepared. */
export class DataFlowNodeInstance implements WorkflowNodeInstance {
  constructor(
    readonly runtime: DataFlowRuntime,
    readonly prepared: PreparedNode,
  ) {}

  get id(): string {
    return this.prepared.nodeId;
  }

  /** DataFlow's generated nodes (DataFlowNode) and Transaction* nodes are AsyncNodes. */
  get isAsyncNode(): boolean {
    return true;
  }

  get type(): string {
    return this.prepared.type.typeName;
  }

  get config(): DfRecord {
    return this.prepared.config;
  }

  get resolved(): ResolvedNodeType {
    return this.prepared.type;
  }

  parameters(): NodeParamInfo[] {
    const t = this.prepared.type;
    if (t.kind === 'transaction') return TRANSACTION_NODE_SPECS[t.typeName].params.map((p) => ({ name: p.name, required: p.default === undefined }));
    return declaredParameters(t.model, t.op).map((d) => ({
      name: d.name,
      required: d.required,
      autoMapFrom: BULK_OPERATIONS.has(t.op) && d.name === 'data' ? OPERATIONS[t.op].aliases.filter((a) => a.of === 'data').map((a) => a.name) : undefined,
    }));
  }

  missingRequiredInputs(availableKeys: Iterable<string>): string[] {
    return this.runtime.missingRequiredInputs(this.prepared, availableKeys);
  }

  async execute(env: Parameters<WorkflowNodeInstance['execute']>[0], runtimeInputs: DfRecord): Promise<unknown> {
    const t = this.prepared.type;
    if (t.kind === 'transaction') {
      // DataFlow's transaction nodes act on the workflow context, not on the instance that registered
      // them: the scope opens its transaction through `workflow_context["dataflow_instance"]`.
      const owner = env.workflowContextInstance;
      if (!owner) {
        if (t.typeName === 'TransactionScopeNode') throw new DataFlowNodeError(NO_DATAFLOW_INSTANCE_IN_CONTEXT, { errorType: 'NodeExecutionError' });
        return this.runtime.executePrepared(env.context(this.runtime), this.prepared, runtimeInputs);
      }
      return owner.executePrepared(env.context(owner), this.prepared, runtimeInputs);
    }
    const ctx = env.context(this.runtime);
    const open = env.openTransaction?.();
    if (open && open !== ctx) {
      if (open.db !== ctx.db) {
        // DataFlow would run this node's statements on the scope's connection, i.e. on the other database.
        throw new UnmodelledNodeError(
          'TransactionScopeNode across databases',
          undefined,
          `\`${t.typeName}\` runs inside a transaction opened on another database (DataFlow runs every generated node's statements on the scope's connection): not modelled`,
        );
      }
      // Every generated node joins the workflow's transaction, whichever DataFlow instance it belongs to.
      ctx.transaction = open.transaction;
      ctx.transactionId = open.transactionId;
    }
    if (tenantScopingUnmodelled(this.runtime.settings, t.model, OPERATIONS[t.op].operation, ctx.options.tenant)) throw tenantScopingError(t.model.name, t.typeName);
    try {
      return await this.runtime.executePrepared(ctx, this.prepared, runtimeInputs);
    } catch (e) {
      // DataFlow's generated nodes wrap their failures ("Node 'x' execution failed: ..."); the Transaction* nodes do not (recorded).
      throw nodeExecutionFailed(this.id, e);
    }
  }

  /** The same node with a different config (template resolution at run time). */
  withConfig(config: DfRecord): DataFlowNodeInstance {
    return new DataFlowNodeInstance(this.runtime, { ...this.prepared, config });
  }
}

/**
 * The core SDK's NodeRegistry: node type name → factory. DataFlow instances register their
 * generated nodes and Transaction* nodes; the last DataFlow instance added wins for a name
 * (`allow_override=True`). Explicit registrations (`register`) are looked up before DataFlow's.
 */
export class NodeRegistry {
  private readonly factories = new Map<string, NodeFactory>();
  private readonly dataflows: DataFlowRuntime[] = [];

  constructor(...runtimes: DataFlowRuntime[]) {
    for (const rt of runtimes) this.addDataFlow(rt);
  }

  /** A DataFlow instance whose models' nodes become available (later instances win). */
  addDataFlow(rt: DataFlowRuntime): this {
    const i = this.dataflows.indexOf(rt);
    if (i >= 0) this.dataflows.splice(i, 1);
    this.dataflows.push(rt);
    return this;
  }

  /** A non-DataFlow node type (PythonCodeNode, a user Node class, ...). */
  register(typeName: string, factory: NodeFactory): this {
    this.factories.set(typeName, factory);
    return this;
  }

  unregister(typeName: string): boolean {
    return this.factories.delete(typeName);
  }

  has(typeName: string): boolean {
    return this.factories.has(typeName) || this.findDataFlow(typeName) !== undefined;
  }

  /** Node names known right now (for error messages). */
  available(): string[] {
    const names = new Set<string>(this.factories.keys());
    for (const rt of this.dataflows) {
      for (const m of rt.models.values()) {
        for (const n of generatedNodeNames(m.name)) names.add(n);
      }
      for (const t of TRANSACTION_NODES) names.add(t);
    }
    return [...names];
  }

  /**
   * Node construction at build time. Throws NodeConfigurationError: unknown type (the registry's
   * "Node 'X' not found in registry", only for names kailash 2.63 + DataFlow 2.20 do not register),
   * or DataFlow's build-time config errors; UnmodelledNodeError for a real node type nobody here models.
   */
  create(typeName: string, nodeId: string, config: DfRecord, location?: SourceLocation): WorkflowNodeInstance {
    const f = this.factories.get(typeName);
    if (f) return f(nodeId, config, typeName, location);
    const rt = this.findDataFlow(typeName);
    if (!rt) {
      if (KAILASH_NODE_NAMES.includes(typeName)) throw new UnmodelledNodeError(typeName);
      throw new NodeConfigurationError(`Node '${typeName}' not found in registry`);
    }
    try {
      return new DataFlowNodeInstance(rt, rt.prepareNode(typeName, config, nodeId));
    } catch (e) {
      // Node.__init__ wraps what _validate_config raises.
      if (e instanceof DataFlowNodeError && e.errorType === 'NodeConfigurationError') throw new NodeConfigurationError(`Failed to initialize node '${nodeId}': ${e.message}`, e);
      if (e instanceof DataFlowNodeError) throw new NodeConfigurationError(`Failed to create node '${nodeId}' of type '${typeName}': ${e.message}`, e);
      throw e;
    }
  }

  private findDataFlow(typeName: string): DataFlowRuntime | undefined {
    for (let i = this.dataflows.length - 1; i >= 0; i--) {
      if (this.dataflows[i].tryResolveNodeType(typeName)) return this.dataflows[i];
    }
    return undefined;
  }
}
