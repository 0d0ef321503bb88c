// How kailash 2.63's AsyncLocalRuntime runs a workflow (runtime/async_local.py,
// execute_workflow_async without skip_branches): the order its nodes run in, how each node's
// inputs are made, and what it raises when a node fails. LocalRuntime's rules (parameter
// injection, "missing required inputs", content-aware `success`, failed-node entries) do not apply.
import { isDfRecord, type DfRecord, type DfValue } from '../dataflow/values/dfValues';
import type { BuiltWorkflow } from './workflowBuilder';

/**
 * WorkflowAnalyzer.analyze: no AsyncNode at all → `_execute_sync_workflow` (the nodes one after
 * another in the workflow's execution order); otherwise level by level (`_execute_fully_async_workflow`
 * when every node is an AsyncNode, `_execute_mixed_workflow` when some are not).
 */
export type AsyncRuntimeMode = 'sync' | 'fully-async' | 'mixed';

export interface AsyncRuntimePlan {
  mode: AsyncRuntimeMode;
  /** Node ids in the order this runtime runs them. */
  order: string[];
  /** The levels kailash gathers concurrently ('fully-async' and 'mixed'), each in `order`'s order. */
  levels?: string[][];
}

/**
 * The plan. Levels are WorkflowAnalyzer._compute_execution_levels (a node joins the first level
 * after all its predecessors); kailash runs a level's nodes concurrently (asyncio.gather), and so
 * does this runtime (localRuntime.ts), starting them in `topoOrder` (LocalRuntime's order; kailash's
 * level is a set). Nodes on a cycle never reach a level and never run (kailash logs "No executable
 * nodes at level N" and goes on).
 */
export function asyncRuntimePlan(wf: BuiltWorkflow, topoOrder: string[]): AsyncRuntimePlan {
  const ids = wf.nodeIds();
  const asyncCount = ids.filter((id) => wf.nodes.get(id)!.instance.isAsyncNode).length;
  if (asyncCount === 0) return { mode: 'sync', order: topoOrder };
  const rank = new Map(topoOrder.map((id, i) => [id, i]));
  const byRank = (a: string, b: string): number => (rank.get(a) ?? ids.indexOf(a)) - (rank.get(b) ?? ids.indexOf(b));
  const done = new Set<string>();
  let remaining = ids.slice();
  const order: string[] = [];
  const levels: string[][] = [];
  while (remaining.length) {
    const level = remaining.filter((id) => wf.inEdges(id).every(([src]) => done.has(src)));
    if (!level.length) break;
    level.sort(byRank);
    order.push(...level);
    levels.push(level);
    for (const id of level) done.add(id);
    remaining = remaining.filter((id) => !done.has(id));
  }
  return { mode: asyncCount === ids.length ? 'fully-async' : 'mixed', order, levels };
}

/**
 * The WorkflowExecutionError text for a node that raised: `_execute_sync_node_async` says
 * "Sync node", `_execute_node_async` and `_execute_sync_workflow_internal` say "Node".
 */
export function nodeFailureMessage(mode: AsyncRuntimeMode, isAsyncNode: boolean, nodeId: string, message: string): string {
  const what = mode === 'mixed' && !isAsyncNode ? 'Sync node' : 'Node';
  return `${what} '${nodeId}' execution failed: ${message}`;
}

/**
 * _prepare_async_node_inputs / _prepare_sync_node_inputs: the `inputs` dict scoped to the node
 * (its own entry, a dict, unwrapped; every key that is not a node id goes to every node), then each
 * connection from a predecessor that has run, in edge order, overwriting: "result" is the whole
 * output; a dotted path walks dicts (a leading "result." is dropped when the output has no
 * "result"), None where it breaks; a key of the output is its value; anything else is the whole output.
 */
export function asyncNodeInputs(wf: BuiltWorkflow, nodeId: string, nodeOutputs: Map<string, unknown>, parameters: DfRecord | null | undefined): DfRecord {
  const inputs: DfRecord = {};
  for (const [key, value] of Object.entries(parameters ?? {})) {
    if (key === nodeId) {
      if (isDfRecord(value)) Object.assign(inputs, value);
    } else if (!wf.nodes.has(key)) {
      inputs[key] = value;
    }
  }
  for (const [source, mapping] of wf.inEdges(nodeId)) {
    if (!nodeOutputs.has(source)) continue;
    const data = (nodeOutputs.get(source) ?? null) as DfValue;
    for (const [from, to] of mapping) inputs[to] = connectedValue(data, from);
  }
  return inputs;
}

function connectedValue(data: DfValue, path: string): DfValue {
  if (path === 'result') return data;
  if (path.includes('.') && isDfRecord(data)) {
    let parts = path.split('.');
    if (parts[0] === 'result' && !('result' in data) && parts.length > 1) {
      const rest = parts.slice(1).join('.');
      if (rest in data) return data[rest];
      parts = parts.slice(1);
    }
    let cur: DfValue = data;
    for (const part of parts) {
      if (isDfRecord(cur) && part in cur) cur = cur[part];
      else return null;
    }
    return cur;
  }
  if (isDfRecord(data) && path in data) return data[path];
  return data;
}
