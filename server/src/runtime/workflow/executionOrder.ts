import { WorkflowValidationError, raisedAt } from './errors';
import type { BuiltWorkflow } from './workflowBuilder';

/** Python's str ordering (code points), not JS's UTF-16 code-unit ordering. */
export function comparePyStr(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/**
 * The execution order DataFlow 2.20's LocalRuntime uses (kailash/workflow/dag.py:524, docs/dataflow-2.20.md §2): Kahn's algorithm seeded with
 * the ready node ids sorted as strings; nodes that become ready are appended behind them, the
 * successors of each node visited in sorted order (WorkflowDAG.topological_sort, kailash/workflow/dag.py). `msg_8..msg_11` → msg_10, msg_11, msg_8, msg_9.
 */
export function executionOrder(wf: BuiltWorkflow): string[] {
  const indeg = new Map<string, number>();
  for (const id of wf.nodeIds()) indeg.set(id, wf.inEdges(id).length);
  const queue = wf
    .nodeIds()
    .filter((id) => indeg.get(id) === 0)
    .sort(comparePyStr);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    order.push(u);
    for (const v of [...wf.successors(u)].sort(comparePyStr)) {
      const d = indeg.get(v)! - 1;
      indeg.set(v, d);
      if (d === 0) queue.push(v);
    }
  }
  if (order.length !== indeg.size) {
    const left = wf.nodeIds().filter((id) => !order.includes(id));
    const cycle = findCycle(wf, new Set(left));
    throw raisedAt(
      new WorkflowValidationError(
        `Workflow contains unmarked cycles: [[${cycle.map((c) => `'${c}'`).join(', ')}]]. ` + 'Mark cycle connections with cycle=True or remove circular dependencies.',
      ),
      'WorkflowValidationError unmarked cycle',
    );
  }
  return order;
}

function findCycle(wf: BuiltWorkflow, within: Set<string>): string[] {
  const start = [...within][0];
  const path: string[] = [];
  const seen = new Map<string, number>();
  let cur: string | undefined = start;
  while (cur !== undefined && !seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = wf.successors(cur).find((s) => within.has(s));
  }
  return cur === undefined ? path : path.slice(seen.get(cur));
}
