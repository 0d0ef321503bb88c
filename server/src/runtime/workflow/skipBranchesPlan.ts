// The plan of LocalRuntime / AsyncLocalRuntime(conditional_execution="skip_branches") (kailash 2.63:
// ConditionalExecutionMixin._execute_conditional_approach, LocalRuntime._execute_switch_nodes /
// _execute_pruned_plan, DynamicExecutionPlanner, ConditionalBranchAnalyzer). Phase 1 runs the
// SwitchNode and its ancestors in the workflow's execution order; phase 2 runs, in that same order
// (DynamicExecutionPlanner: WorkflowDAG.topological_sort), the nodes reachable from the switch
// ports that carried a non-None value, plus every node with a path to a source that avoids the
// switch. Pruned nodes are absent from the results (not None).
import type { BuiltWorkflow } from './workflowBuilder';

/** _execute_switch_nodes: the switches and all their ancestors, in `order`. */
export function phaseOneNodes(wf: BuiltWorkflow, switches: string[], order: string[]): string[] {
  const wanted = new Set(switches);
  for (const s of switches) {
    const queue = wf.inEdges(s).map(([src]) => src);
    while (queue.length) {
      const p = queue.pop()!;
      if (wanted.has(p)) continue;
      wanted.add(p);
      queue.push(...wf.inEdges(p).map(([src]) => src));
    }
  }
  return order.filter((id) => wanted.has(id));
}

function isNone(v: unknown): boolean {
  return v === null || v === undefined;
}

/** ConditionalBranchAnalyzer.get_reachable_nodes ∪ DynamicExecutionPlanner._get_always_reachable_nodes, in `order`. */
export function prunedPlan(wf: BuiltWorkflow, switchResults: Map<string, Record<string, unknown>>, order: string[]): string[] {
  const switches = new Set(switchResults.keys());
  const reachable = new Set<string>(switches);
  const toProcess: string[] = [];
  for (const [sw, ports] of switchResults) {
    // branch map: output port -> the nodes that edge feeds directly.
    const branch = new Map<string, Set<string>>();
    for (const target of wf.successors(sw)) {
      const mapping = wf.inEdges(target).find(([src]) => src === sw)?.[1];
      for (const port of mapping?.keys() ?? []) {
        if (!branch.has(port)) branch.set(port, new Set());
        branch.get(port)!.add(target);
      }
    }
    for (const [port, value] of Object.entries(ports)) {
      if (isNone(value)) continue;
      for (const t of branch.get(port) ?? []) {
        reachable.add(t);
        toProcess.push(t);
      }
    }
  }
  while (toProcess.length) {
    const cur = toProcess.pop()!;
    if (wf.nodes.get(cur)?.type === 'SwitchNode') continue;
    for (const s of wf.successors(cur)) {
      if (!reachable.has(s)) {
        reachable.add(s);
        toProcess.push(s);
      }
    }
  }
  for (const id of wf.nodeIds()) if (reachableWithoutSwitches(wf, id, switches)) reachable.add(id);
  return order.filter((id) => reachable.has(id));
}

/** DynamicExecutionPlanner._is_reachable_without_switches: a backward path to a source avoiding every switch. */
function reachableWithoutSwitches(wf: BuiltWorkflow, id: string, switches: Set<string>): boolean {
  if (switches.has(id)) return true;
  const seen = new Set<string>();
  const queue = [id];
  while (queue.length) {
    const cur = queue.shift()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    const preds = wf.inEdges(cur).map(([src]) => src);
    if (!preds.length) return true;
    for (const p of preds) if (!switches.has(p)) queue.push(p);
  }
  return false;
}
