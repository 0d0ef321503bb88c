// Loop questions shared by the loop rules: how many iterations, and whether the node's whole
// workflow is built and executed once per iteration.
import type { LoopInfo, NodeUseFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import { fmt } from './ruleContext';

export function innermost(loops: LoopInfo[]): LoopInfo | undefined { return loops[loops.length - 1]; }

export function iterations(file: SourceFile, loops: LoopInfo[], fn: string | undefined): number | undefined {
  return file.resolver.totalIterations(loops, fn);
}

export function timesText(n: number | undefined): string {
  return n === undefined ? 'once per iteration' : `${fmt(n)} times`;
}

/** When the node's workflow is created and executed inside the same innermost loop. */
export function executedPerIteration(file: SourceFile, node: NodeUseFact): { nodes: number; loop: LoopInfo } | undefined {
  const loop = innermost(node.loops);
  if (!loop || !node.workflow) return undefined;
  const inLoop = (s: { start: number }) => s.start >= loop.span.start && s.start <= loop.span.end;
  const builder = file.facts.workflows.find((w) => w.name === node.workflow && inLoop(w.span));
  if (!builder) return undefined;
  const executed = file.facts.executes.some((e) => inLoop(e.span) && (e.workflow === node.workflow || file.facts.builds.some((b) => b.workflow === node.workflow && b.boundTo && e.workflow === b.boundTo && inLoop(b.span))));
  if (!executed) return undefined;
  const nodes = file.facts.nodes.filter((n) => n.workflow === node.workflow && inLoop(n.span)).length;
  return { nodes, loop };
}
