// ConditionalExecutionMixin._should_skip_conditional_node (kailash/runtime/mixins/
// conditional_execution.py, kailash 2.63), as LocalRuntime applies it in its default
// "route_data" mode before every node: a node fed only None by a SwitchNode branch not taken (or
// by a node skipped that way) does not run, and its result is None.
import type { DfRecord } from '../dataflow/values/dfValues';
import type { BuiltWorkflow } from './workflowBuilder';

export function shouldSkipConditionalNode(wf: BuiltWorkflow, nodeId: string, inputs: Record<string, unknown>, results: Record<string, unknown>): boolean {
  const edges = wf.inEdges(nodeId);
  if (!edges.length) return false;
  const isNone = (v: unknown) => v === null || v === undefined;
  const fromConditional = (source: string) => wf.nodes.get(source)?.type === 'SwitchNode' || (source in results && isNone(results[source]));
  let hasConditional = false;
  let hasNonNone = false;
  for (const [source, mapping] of edges) {
    for (const target of mapping.values()) if (target in inputs && !isNone(inputs[target])) hasNonNone = true;
    if (fromConditional(source)) hasConditional = true;
  }
  if (!hasConditional || hasNonNone) return false;
  const node = wf.nodes.get(nodeId);
  if (!node) return false;
  const config: DfRecord = node.instance.config;
  const significant = Object.entries(config).some(([k, v]) => !['metadata', 'name', 'id'].includes(k) && !isNone(v));
  if (significant) {
    const connected: unknown[] = [];
    for (const [, mapping] of edges) for (const target of mapping.values()) if (target in inputs) connected.push(inputs[target]);
    if (connected.length && connected.every(isNone)) return true;
  }
  let total = 0;
  let noneFromConditional = 0;
  for (const [source, mapping] of edges) {
    for (const target of mapping.values()) {
      if (!(target in inputs)) continue;
      total++;
      if (isNone(inputs[target]) && fromConditional(source)) noneFromConditional++;
    }
  }
  return total > 0 && noneFromConditional === total;
}
