// `WorkflowBuilder`, the built `Workflow`, `LocalRuntime` and `AsyncLocalRuntime` as Python code
// sees them, backed by the workflow runtime (DataFlow 2.20's order, precedence and error semantics).
import { HostObject, NOT_HANDLED, argOf, type HostContext } from '../python/host';
import { RealClassObject } from './realClassObject';
import { PyClass, PyDict, PyList, PyOpaque, PyTuple, UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import { KAILASH_NODE_NAMES } from '../kailash/kailashNodeNames';
import { WorkflowBuilder, type BuiltWorkflow } from '../workflow/workflowBuilder';
import { executeWorkflow, type WorkflowRunResult } from '../workflow/localRuntime';
import type { DfRecord as DfDict } from '../dataflow/values/dfValues';
import { isDfRecord as isDfDict } from '../dataflow/values/dfValues';
import type { Session } from './session';
import { asPythonError, pyError, pythonErrors, raisedBy } from './errors';
import { siteLocation } from './location';
import { fromDataFlow, toDataFlow, toDataFlowDict } from './values';
import { DataFlowObject } from './dataflowObject';
import type { DataFlowRuntime } from '../dataflow/runtime';

const ADD_NODE_KEYWORDS = new Set(['node_type', 'node_id', 'config']);

function typeNameOf(v: PyValue | undefined, ctx: HostContext): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof PyClass) return v.name;
  if (v instanceof HostObject) return v.typeName;
  if (v instanceof PyOpaque) {
    // A node class imported from a module the evaluator does not implement: a real Kailash node
    // name resolves (and stops at build as not modelled); anything else is not modelled here.
    const name = v.description.split('.').pop() ?? '';
    if (KAILASH_NODE_NAMES.includes(name)) return name;
    throw new UnsupportedPythonError(`add_node(${v.description})`, ctx.site, 'a node class from a module the evaluator does not implement');
  }
  return undefined;
}

/** CPython's TypeErrors for a call that does not fit `def name(self, *params)`, the first `required` of them without defaults. */
function checkSignature(qualname: string, params: string[], args: PyValue[], kwargs: Kwargs, required = params.length): void {
  for (const k of kwargs.keys()) if (!params.includes(k)) throw pyError('TypeError', `${qualname}() got an unexpected keyword argument '${k}'`);
  if (args.length > params.length) throw pyError('TypeError', `${qualname}() takes ${params.length + 1} positional arguments but ${args.length + 1} were given`);
  const missing = params.slice(0, required).filter((p, i) => i >= args.length && !kwargs.has(p)).map((p) => `'${p}'`);
  if (!missing.length) return;
  const list = missing.length === 1 ? missing[0] : missing.length === 2 ? `${missing[0]} and ${missing[1]}` : `${missing.slice(0, -1).join(', ')}, and ${missing[missing.length - 1]}`;
  throw pyError('TypeError', `${qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
}

export const BUILDER_METHODS: ReadonlySet<string> = new Set(['add_node', 'add_connection', 'connect', 'build']);
export const RUNTIME_METHODS: ReadonlySet<string> = new Set(['execute', 'execute_async', 'execute_workflow_async', 'close', 'cleanup']);

export class WorkflowBuilderObject extends RealClassObject {
  protected readonly realClass = 'WorkflowBuilder';
  protected readonly methodNames = BUILDER_METHODS;
  readonly builder: WorkflowBuilder;
  private builds = 0;

  constructor(private readonly session: Session, seed: string) {
    super();
    this.builder = new WorkflowBuilder(session.registry, { seed });
  }

  override get typeName(): string { return 'WorkflowBuilder'; }

  /**
   * Used by `db.add_node(workflow, model, op, id, params)` too. `entry`: the library call made, when
   * its raises' frames were recorded (add_node's frames depend on its call shape).
   */
  addNodeFromHost(type: string, id: string | undefined, config: DfDict, ctx: HostContext, entry?: string): PyValue {
    try {
      return this.builder.addNode(type, id, config, siteLocation(ctx));
    } catch (e) {
      throw asPythonError(e, entry ? this.session.libraryCall(entry, ctx) : undefined);
    }
  }

  /**
   * `workflow.connections = [...]`: Python replaces the builder's list. Reading it back gives the
   * assigned value; building or connecting from a replaced list is not modelled (exit 2), since
   * WorkflowBuilder.build() would use whatever the list holds.
   */
  private replacedConnections?: PyValue;

  override setAttr(name: string, value: PyValue, ctx: HostContext): boolean {
    if (name !== 'connections') return super.setAttr(name, value, ctx);
    this.replacedConnections = value;
    return true;
  }

  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    if (this.replacedConnections !== undefined && (name === 'build' || name === 'add_connection' || name === 'connect')) {
      throw new UnsupportedPythonError(`WorkflowBuilder.${name}() after \`workflow.connections\` was replaced by assignment`, ctx.loc, 'the runtime keeps connections made by add_connection/connect');
    }
    switch (name) {
      case 'add_node': {
        // Every call shape of reference §6.1.
        const byKeyword = kwargs.has('node_type');
        const type = typeNameOf(byKeyword ? kwargs.get('node_type') : args[0], ctx);
        if (!type) throw pyError('TypeError', 'add_node() needs a node type name');
        let rest = byKeyword ? args : args.slice(1);
        let id = kwargs.get('node_id');
        let config = kwargs.get('config');
        if (id === undefined && typeof rest[0] === 'string') { id = rest[0]; rest = rest.slice(1); }
        if (config === undefined && rest[0] instanceof PyDict) config = rest[0];
        const cfg = toDataFlowDict(config ?? null);
        for (const [k, v] of kwargs) if (!ADD_NODE_KEYWORDS.has(k)) cfg[k] = toDataFlow(v) as DfDict[string];
        // add_node("Type", "id", {...}): the call shape whose frames were recorded (kailash routes the others elsewhere).
        const recordedShape = !kwargs.size && args.length === 3 && typeof args[0] === 'string' && typeof args[1] === 'string' && args[2] instanceof PyDict;
        return this.addNodeFromHost(type, typeof id === 'string' ? id : undefined, cfg, ctx, recordedShape ? 'WorkflowBuilder.add_node' : undefined);
      }
      case 'add_connection': {
        checkSignature('WorkflowBuilder.add_connection', ['from_node', 'from_output', 'to_node', 'to_input'], args, kwargs);
        const from = String(argOf(args, kwargs, 0, 'from_node'));
        const fromOutput = String(argOf(args, kwargs, 1, 'from_output'));
        const to = String(argOf(args, kwargs, 2, 'to_node'));
        const toInput = String(argOf(args, kwargs, 3, 'to_input'));
        try { this.builder.addConnection(from, fromOutput, to, toInput, siteLocation(ctx)); } catch (e) { throw asPythonError(e, this.session.libraryCall('WorkflowBuilder.add_connection', ctx)); }
        return this;
      }
      case 'connect': {
        checkSignature('WorkflowBuilder.connect', ['from_node', 'to_node', 'mapping', 'from_output', 'to_input'], args, kwargs, 2);
        const from = String(argOf(args, kwargs, 0, 'from_node'));
        const to = String(argOf(args, kwargs, 1, 'to_node'));
        const mapping = argOf(args, kwargs, 2, 'mapping', null);
        const fromOutput = argOf(args, kwargs, 3, 'from_output', null);
        const toInput = argOf(args, kwargs, 4, 'to_input', null);
        try {
          this.builder.connect(from, to, mapping === null || mapping === undefined ? undefined : (toDataFlow(mapping) as Record<string, string>),
            typeof fromOutput === 'string' ? fromOutput : undefined, typeof toInput === 'string' ? toInput : undefined, siteLocation(ctx));
        } catch (e) { throw asPythonError(e); }
        return null;
      }
      case 'build': {
        const workflowId = argOf(args, kwargs, 0, 'workflow_id', null);
        return pythonErrors(async () => {
          // Node types resolve against every DataFlow instance: they connect now if they have not yet.
          await this.session.connectAll();
          const built = this.builder.build(typeof workflowId === 'string' ? workflowId : undefined, {}, siteLocation(ctx));
          this.builds++;
          return new WorkflowObject(built);
        }, this.session.libraryCall('WorkflowBuilder.build', ctx));
      }
      default:
        return NOT_HANDLED;
    }
  }

  /**
   * `nodes` ({id: {'type', 'config'}}) and `connections` ([{'from_node', 'from_output', 'to_node',
   * 'to_input'}]) as WorkflowBuilder 2.20 keeps them; read as a snapshot (changing them does not
   * change the builder).
   */
  protected override modelledAttr(name: string): PyValue | undefined {
    if (name === 'nodes') {
      return PyDict.fromEntries([...this.builder.nodes.values()].map((n) => [n.id, PyDict.fromEntries([['type', n.type], ['config', fromDataFlow(n.config, this.session.floatFields)]])] as [PyValue, PyValue]));
    }
    if (name === 'connections') {
      if (this.replacedConnections !== undefined) return this.replacedConnections;
      return new PyList(this.builder.connections.map((c) => PyDict.fromEntries([['from_node', c.fromNode], ['from_output', c.fromOutput], ['to_node', c.toNode], ['to_input', c.toInput]])));
    }
    return undefined;
  }

  override repr(): string { return `<WorkflowBuilder with ${this.builder.nodes.size} nodes>`; }
}

/** `workflow.nodes` of a built Workflow: its keys are the node ids; its values (NodeInstance objects) are not modelled. */
export class NodeIdsView extends HostObject {
  constructor(private readonly ids: string[]) { super(); }
  override get typeName(): string { return 'dict'; }
  override len(): number { return this.ids.length; }
  override contains(v: PyValue): boolean { return typeof v === 'string' && this.ids.includes(v); }
  override iter(): Iterable<PyValue> { return this.ids; }
  override getItem(_key: PyValue, ctx: HostContext): PyValue {
    throw new UnsupportedPythonError('`Workflow.nodes[...]` (a NodeInstance) is not modelled', ctx.loc);
  }
  override callMethod(name: string, _args: PyValue[], _kwargs: Kwargs, ctx: HostContext): PyValue | typeof NOT_HANDLED {
    if (name === 'keys') return new PyList([...this.ids]);
    if (name === 'values' || name === 'items' || name === 'get') throw new UnsupportedPythonError(`\`Workflow.nodes.${name}()\` (NodeInstance objects) is not modelled`, ctx.loc);
    return NOT_HANDLED;
  }
  override repr(): string { return `{${this.ids.map((i) => `'${i}': NodeInstance(...)`).join(', ')}}`; }
}


export class WorkflowObject extends RealClassObject {
  protected readonly realClass = 'Workflow';
  protected readonly methodNames: ReadonlySet<string> = new Set();
  constructor(readonly built: BuiltWorkflow) { super(); }
  override get typeName(): string { return 'Workflow'; }
  protected override modelledAttr(name: string): PyValue | undefined {
    if (name === 'nodes') return new NodeIdsView(this.built.nodeIds());
    return undefined;
  }
  override repr(): string { return `<Workflow ${this.built.nodeIds().length} nodes>`; }
}

/**
 * LocalRuntime's `parameters.pop("workflow_context")` (kailash/runtime/local.py:2632): the context is
 * handed to every node and taken OUT of the caller's dict, so a parameters dict reused for a second
 * execute has none (recorded). Returns its `dataflow_instance` when that is a DataFlow instance.
 */
async function popWorkflowContextInstance(parameters: PyValue | undefined): Promise<DataFlowRuntime | undefined> {
  if (!(parameters instanceof PyDict) || !parameters.has('workflow_context')) return undefined;
  const context = parameters.get('workflow_context');
  parameters.delete('workflow_context');
  if (!(context instanceof PyDict)) return undefined;
  const instance = context.get('dataflow_instance');
  return instance instanceof DataFlowObject ? instance.connectedRuntime() : undefined;
}

/** LocalRuntime / AsyncLocalRuntime. */
export class RuntimeObject extends RealClassObject {
  protected readonly realClass;
  protected readonly methodNames = RUNTIME_METHODS;
  constructor(
    private readonly session: Session,
    private readonly kind: 'LocalRuntime' | 'AsyncLocalRuntime',
    /** conditional_execution= ("route_data", the default, or "skip_branches"). */
    private readonly conditionalExecution: string = 'route_data',
    /** content_aware_success_detection= (default True). */
    private readonly contentAware: boolean = true,
    /** AsyncLocalRuntime(max_concurrent_nodes=) (default 10). */
    private readonly maxConcurrentNodes?: number,
  ) {
    super();
    this.realClass = kind;
  }

  override get typeName(): string { return this.kind; }

  private run(method: string, workflow: PyValue | undefined, parameters: PyValue | undefined, ctx: HostContext): Promise<PyValue> {
    if (!(workflow instanceof WorkflowObject)) {
      throw pyError('TypeError', `${this.kind}.execute() takes a built workflow (workflow.build()), got ${workflow instanceof WorkflowBuilderObject ? 'a WorkflowBuilder' : typeof workflow}`);
    }
    const location = siteLocation(ctx);
    return pythonErrors(async () => {
      const rt = await this.session.runtimeFor();
      // The recorder keeps this run whether it succeeds or raises.
      const options = {
        parameters: parameters === null || parameters === undefined ? null : toDataFlowDict(parameters),
        workflowContextInstance: this.kind === 'LocalRuntime' ? await popWorkflowContextInstance(parameters) : undefined,
        signal: this.session.options.signal,
        deadline: this.session.options.deadline,
        executionOptions: { allowUnfilteredWritesOnExternal: this.session.options.allowDestructive, tenant: this.session.tenantBinding.current() },
        location,
        recorder: this.session.recorder,
        runtime: this.kind,
        conditionalExecution: this.conditionalExecution,
        contentAwareSuccessDetection: this.contentAware,
        maxConcurrentNodes: this.maxConcurrentNodes,
      };
      if (this.session.options.seedRows) {
        // Seeded rows take the values this workflow's filters select, before it runs (not in its time).
        for (const [id, node] of workflow.built.nodes) {
          const own = options.parameters?.[id];
          const config: DfDict = isDfDict(own) ? { ...node.instance.config, ...own } : node.instance.config;
          await node.instance.runtime?.seedForFilters(node.type, config);
        }
      }
      const instrument = this.session.options.instrument;
      let result: WorkflowRunResult;
      try {
        result = await executeWorkflow(rt, workflow.built, instrument ? instrument(workflow.built, options) : options);
      } catch (e) {
        // skip_branches cases kailash answers with a fallback the runtime does not model: this execute() is the site.
        if (e instanceof UnsupportedPythonError) e.locate(ctx.site);
        throw e;
      }
      this.session.options.onRun?.(result, location, rt);
      const results = new PyDict();
      for (const [id, out] of Object.entries(result.results)) results.set(id, fromDataFlow(out, this.session.floatFields));
      return new PyTuple([results, result.runId]);
      // The frames were recorded with the default route_data; skip_branches runs kailash's conditional path (not recorded).
    }, this.session.libraryCall(`${this.kind}.${method}${this.conditionalExecution === 'route_data' ? '' : `(conditional_execution=${this.conditionalExecution})`}`, ctx));
  }

  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    switch (name) {
      case 'execute':
        // AsyncLocalRuntime.execute() refuses to start a second event loop inside a running one.
        if (this.kind === 'AsyncLocalRuntime' && ctx.site.stack.some((f) => f.async)) {
          const message = "AsyncLocalRuntime.execute() called from async context. Use 'await runtime.execute_workflow_async(workflow, inputs)' instead. This prevents thread creation which causes Docker/FastAPI deadlocks.";
          const workflow = argOf(args, kwargs, 0, 'workflow');
          // The call is a run that raised before any node, as the real runtime's would be.
          this.session.recorder?.record({
            workflowId: workflow instanceof WorkflowObject ? workflow.built.workflowId : undefined,
            location: siteLocation(ctx),
            results: {},
            nodes: [],
            error: Object.assign(new Error(message), { pythonType: 'RuntimeError' }),
          });
          throw raisedBy(pyError('RuntimeError', message), this.session.libraryCall('AsyncLocalRuntime.execute', ctx), 'RuntimeError called from async context');
        }
        return this.run(name, argOf(args, kwargs, 0, 'workflow'), argOf(args, kwargs, 2, 'parameters', null) ?? kwargs.get('inputs'), ctx);
      case 'execute_async':
        return this.run(name, argOf(args, kwargs, 0, 'workflow'), argOf(args, kwargs, 2, 'parameters', null) ?? kwargs.get('inputs'), ctx);
      case 'execute_workflow_async':
        return this.run(name, argOf(args, kwargs, 0, 'workflow'), argOf(args, kwargs, 1, 'inputs', null), ctx);
      case 'close': case 'cleanup':
        return null;
      default:
        return NOT_HANDLED;
    }
  }

  override enter(): PyValue { return this; }
  override exit(): boolean { return false; }
  override repr(): string { return `<${this.kind}>`; }
}
