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

interface WorkflowIndex {
  builders: Map<string, Array<{ start: number }>>;
  nodes: Map<string, Array<{ start: number }>>;
  executes: Array<{ start: number; workflow?: string }>;
  builds: Array<{ start: number; workflow: string; boundTo?: string }>;
}
const indexes = new WeakMap<object, WorkflowIndex>();

function workflowIndex(file: SourceFile): WorkflowIndex {
  const facts = file.facts;
  let ix = indexes.get(facts);
  if (ix) return ix;
  const group = (items: Array<{ key?: string; start: number }>) => {
    const m = new Map<string, Array<{ start: number }>>();
    for (const it of items) {
      if (!it.key) continue;
      let l = m.get(it.key);
      if (!l) m.set(it.key, (l = []));
      l.push({ start: it.start });
    }
    return m;
  };
  ix = {
    builders: group(facts.workflows.map((w) => ({ key: w.name, start: w.span.start }))),
    nodes: group(facts.nodes.map((n) => ({ key: n.workflow, start: n.span.start }))),
    executes: facts.executes.map((e) => ({ start: e.span.start, workflow: e.workflow })),
    builds: facts.builds.map((b) => ({ start: b.span.start, workflow: b.workflow, boundTo: b.boundTo })),
  };
  indexes.set(facts, ix);
  return ix;
}

/** When the node's workflow is created and executed inside the same innermost loop. */
export function executedPerIteration(file: SourceFile, node: NodeUseFact): { nodes: number; loop: LoopInfo } | undefined {
  const loop = innermost(node.loops);
  if (!loop || !node.workflow) return undefined;
  const wf = node.workflow;
  const inLoop = (s: { start: number }) => s.start >= loop.span.start && s.start <= loop.span.end;
  const ix = workflowIndex(file);
  if (!ix.builders.get(wf)?.some(inLoop)) return undefined;
  const executed = ix.executes.some((e) => inLoop(e) && (e.workflow === wf || ix.builds.some((b) => b.workflow === wf && b.boundTo && e.workflow === b.boundTo && inLoop(b))));
  if (!executed) return undefined;
  const nodes = (ix.nodes.get(wf) ?? []).filter(inLoop).length;
  return { nodes, loop };
}
