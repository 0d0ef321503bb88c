import { createHash } from 'node:crypto';
import type { DfRecord } from '../dataflow/values/dfValues';
import { ConnectionError, KailashError, UnmodelledNodeError, WorkflowValidationError, pythonMessageOf, raisedAt, stopsTheEvaluation } from './errors';
import { NodeRegistry } from './registry';
import type { SourceLocation, WorkflowNodeInstance } from './types';

export interface BuilderNodeSpec {
  id: string;
  type: string;
  config: DfRecord;
  location?: SourceLocation;
}

export interface BuilderConnection {
  fromNode: string;
  fromOutput: string;
  toNode: string;
  toInput: string;
  location?: SourceLocation;
}

export interface WorkflowBuilderOptions {
  /** Seeds the auto-generated `node_<8 hex>` ids and workflow ids (same seed → same ids). */
  seed?: string;
}

/** A node of a built workflow: its instance plus the add_node call site. */
export interface BuiltNode {
  id: string;
  type: string;
  instance: WorkflowNodeInstance;
  location?: SourceLocation;
}

/**
 * `Workflow` (KS/workflow/graph.py) after `WorkflowBuilder.build()`: node instances in add order
 * and one edge per (source, target) pair whose mapping merges every connection between them
 * (later connections with the same from_output replace the earlier target, as the SDK's dict does).
 */
export class BuiltWorkflow {
  /** source → target → (from_output → to_input), in insertion order (networkx adjacency order). */
  private readonly succ = new Map<string, Map<string, Map<string, string>>>();
  private readonly pred = new Map<string, Map<string, Map<string, string>>>();

  constructor(
    readonly workflowId: string,
    readonly name: string,
    readonly metadata: Record<string, unknown>,
    readonly nodes: ReadonlyMap<string, BuiltNode>,
    readonly connections: readonly BuilderConnection[],
    readonly location?: SourceLocation,
  ) {
    for (const id of nodes.keys()) {
      this.succ.set(id, new Map());
      this.pred.set(id, new Map());
    }
    for (const c of connections) {
      let mapping = this.succ.get(c.fromNode)!.get(c.toNode);
      if (!mapping) {
        mapping = new Map();
        this.succ.get(c.fromNode)!.set(c.toNode, mapping);
        this.pred.get(c.toNode)!.set(c.fromNode, mapping);
      }
      mapping.set(c.fromOutput, c.toInput);
    }
  }

  nodeIds(): string[] {
    return [...this.nodes.keys()];
  }

  /** Targets of edges leaving `id`, in edge-insertion order. */
  successors(id: string): string[] {
    return [...(this.succ.get(id)?.keys() ?? [])];
  }

  /** graph.in_edges(id, data=True): (source, mapping) in edge-insertion order. */
  inEdges(id: string): [string, ReadonlyMap<string, string>][] {
    return [...(this.pred.get(id)?.entries() ?? [])];
  }

  outDegree(id: string): number {
    return this.succ.get(id)?.size ?? 0;
  }

  /** Inputs that some connection feeds (the mapping values of in-edges). */
  connectedInputs(id: string): string[] {
    const out = new Set<string>();
    for (const [, m] of this.inEdges(id)) for (const v of m.values()) out.add(v);
    return [...out];
  }
}

function pyList(items: string[]): string {
  return '[' + items.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ') + ']';
}

/**
 * `WorkflowBuilder` (KS/workflow/builder.py) with plain JS values. The Python binding maps the
 * add_node call shapes of §6.1 onto addNode(type, id | undefined, config, location).
 */
export class WorkflowBuilder {
  readonly nodes = new Map<string, BuilderNodeSpec>();
  readonly connections: BuilderConnection[] = [];
  readonly metadata: Record<string, unknown> = {};
  private readonly seed: string;
  private idCounter = 0;
  private buildCounter = 0;

  constructor(
    readonly registry: NodeRegistry,
    options: WorkflowBuilderOptions = {},
  ) {
    this.seed = options.seed ?? 'workflow-builder';
  }

  private hex(kind: string, n: number, len: number): string {
    return createHash('sha256').update(`${this.seed}|${kind}|${n}`).digest('hex').slice(0, len);
  }

  /** add_node: returns the node id (auto `node_<8 hex>` when absent). */
  addNode(type: string, nodeId: string | undefined | null, config: DfRecord = {}, location?: SourceLocation): string {
    const id = nodeId ?? `node_${this.hex('node', this.idCounter++, 8)}`;
    if (this.nodes.has(id)) throw raisedAt(new WorkflowValidationError(`Node ID '${id}' already exists in workflow`), 'WorkflowValidationError duplicate node id');
    this.nodes.set(id, { id, type, config: config ?? {}, location });
    return id;
  }

  /** add_connection(from_node, from_output, to_node, to_input) */
  addConnection(fromNode: string, fromOutput: string, toNode: string, toInput: string, location?: SourceLocation): this {
    const available = [...this.nodes.keys()];
    const missing = (role: 'Source' | 'Target', id: string, example: string): WorkflowValidationError => {
      const similar = available.filter((n) => n.toLowerCase().includes(id.toLowerCase()) || id.toLowerCase().includes(n.toLowerCase()));
      let msg = `${role} node '${id}' not found in workflow.`;
      if (available.length) msg += `\nAvailable nodes: ${pyList(available)}`;
      if (similar.length) msg += `\nDid you mean: ${pyList(similar)}?`;
      msg += '\n\nTip: Use workflow.add_node() to create nodes before connecting them.';
      msg += `\nExample: workflow.add_node(${example})`;
      return new WorkflowValidationError(msg);
    };
    if (!this.nodes.has(fromNode)) throw raisedAt(missing('Source', fromNode, `'CSVReaderNode', '${fromNode}', {'file_path': 'data.csv'}`), 'WorkflowValidationError source node not found');
    if (!this.nodes.has(toNode)) throw raisedAt(missing('Target', toNode, `'PythonCodeNode', '${toNode}', {'code': 'result = data'}`), 'WorkflowValidationError target node not found');
    if (fromNode === toNode) {
      throw raisedAt(new ConnectionError(
        `Cannot connect node '${fromNode}' to itself.\n` +
          'Tip: Consider using intermediate nodes or different port names.\n' +
          'Example: Create a separate processing node between input and output.',
      ), 'ConnectionError node connected to itself');
    }
    for (const c of this.connections) {
      if (c.fromNode === fromNode && c.fromOutput === fromOutput && c.toNode === toNode && c.toInput === toInput) {
        throw raisedAt(new ConnectionError(
          `Duplicate connection detected: ${fromNode}.${fromOutput} -> ${toNode}.${toInput}\n` +
            'This connection already exists in the workflow.\n' +
            'Tip: Remove the duplicate add_connection() call or use different port names.\n' +
            `Current connections: ${this.connections.length} total`,
        ), 'ConnectionError duplicate connection');
      }
    }
    this.connections.push({ fromNode, fromOutput, toNode, toInput, location });
    return this;
  }

  /** connect(from_node, to_node, mapping=None, from_output=None, to_input=None) */
  connect(
    fromNode: string,
    toNode: string,
    mapping?: Record<string, string> | null,
    fromOutput?: string | null,
    toInput?: string | null,
    location?: SourceLocation,
  ): void {
    if (mapping && Object.keys(mapping).length > 0) {
      for (const [out, inp] of Object.entries(mapping)) this.addConnection(fromNode, out, toNode, inp, location);
    } else if (fromOutput && toInput) {
      this.addConnection(fromNode, fromOutput, toNode, toInput, location);
    } else {
      this.addConnection(fromNode, 'data', toNode, 'data', location);
    }
  }

  /** set_metadata(**kwargs) */
  setMetadata(values: Record<string, unknown>): this {
    Object.assign(this.metadata, values);
    return this;
  }

  /** update_node(node_id, config_updates) */
  updateNode(nodeId: string, updates: DfRecord): this {
    const n = this.nodes.get(nodeId);
    if (!n) throw new WorkflowValidationError(`Node '${nodeId}' not found in workflow`);
    Object.assign(n.config, updates);
    return this;
  }

  /**
   * build(workflow_id=None, **metadata): node instances are created here (DataFlow config
   * coercion and defaults). Failures become WorkflowValidationError "Failed to add node 'x' to
   * workflow: ..." as in the SDK.
   */
  build(workflowId?: string | null, metadata: Record<string, unknown> = {}, location?: SourceLocation): BuiltWorkflow {
    const id = workflowId ?? this.uuid(this.buildCounter++);
    const meta: Record<string, unknown> = { ...this.metadata, ...metadata };
    const name = typeof meta.name === 'string' ? meta.name : `Workflow-${id.slice(0, 8)}`;
    delete meta.name;
    const built = new Map<string, BuiltNode>();
    for (const spec of this.nodes.values()) {
      try {
        const instance = this.registry.create(spec.type, spec.id, { ...spec.config }, spec.location);
        built.set(spec.id, { id: spec.id, type: spec.type, instance, location: spec.location });
      } catch (e) {
        if (e instanceof UnmodelledNodeError) {
          e.location ??= spec.location;
          throw e;
        }
        if (stopsTheEvaluation(e)) throw e;
        if (!(e instanceof KailashError) && !(e instanceof Error)) throw e;
        throw raisedAt(new WorkflowValidationError(`Failed to add node '${spec.id}' to workflow: ${pythonMessageOf(e)}`, e), 'WorkflowValidationError failed to add node');
      }
    }
    return new BuiltWorkflow(id, name, meta, built, this.connections.map((c) => ({ ...c })), location);
  }

  private uuid(n: number): string {
    const h = this.hex('workflow', n, 32).split('');
    h[12] = '4';
    h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
