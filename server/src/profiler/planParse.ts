/**
 * EXPLAIN (FORMAT JSON) output → PlanNode trees. Works on PostgreSQL 15's and PGlite's
 * (PostgreSQL 18) output: the same keys, PG 18 adds a few (Disabled, Actual Rows with decimals,
 * Buffers by default with ANALYZE) which are ignored or read as numbers.
 */
import type { PlanNode } from '../report/reportTypes';

export interface ParsedPlan {
  root: PlanNode;
  totalCost: number;
  analyzed: boolean;
  executionMs?: number;
  planningMs?: number;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** The first element of the JSON array EXPLAIN returns (`[{"Plan": …, "Execution Time": …}]`). */
export function explainDocument(raw: unknown): Record<string, unknown> {
  let v: unknown = raw;
  if (typeof v === 'string') v = JSON.parse(v);
  // a result row {"QUERY PLAN": …}
  if (v && typeof v === 'object' && !Array.isArray(v) && 'QUERY PLAN' in (v as object)) return explainDocument((v as Record<string, unknown>)['QUERY PLAN']);
  if (Array.isArray(v)) v = v[0];
  if (!v || typeof v !== 'object' || !('Plan' in (v as object))) throw new Error('not an EXPLAIN (FORMAT JSON) document');
  return v as Record<string, unknown>;
}

function toNode(p: Record<string, unknown>): PlanNode {
  const node: PlanNode = {
    nodeType: String(p['Node Type'] ?? '?'),
    startupCost: num(p['Startup Cost']) ?? 0,
    totalCost: num(p['Total Cost']) ?? 0,
    planRows: num(p['Plan Rows']) ?? 0,
    children: [],
  };
  if (typeof p['Relation Name'] === 'string') node.relation = p['Relation Name'];
  if (typeof p['Index Name'] === 'string') node.index = p['Index Name'];
  const actualMs = num(p['Actual Total Time']);
  if (actualMs !== undefined) node.actualMs = actualMs;
  const actualRows = num(p['Actual Rows']);
  if (actualRows !== undefined) node.actualRows = actualRows;
  const loops = num(p['Actual Loops']);
  if (loops !== undefined) node.loops = loops;
  const filter = p['Filter'] ?? p['Index Cond'] ?? p['Recheck Cond'];
  if (typeof p['Filter'] === 'string') node.filter = p['Filter'];
  else if (typeof filter === 'string') node.filter = filter;
  const kids = p['Plans'];
  if (Array.isArray(kids)) for (const k of kids) if (k && typeof k === 'object') node.children.push(toNode(k as Record<string, unknown>));
  return node;
}

/** Exclusive cost (or, analysed, exclusive time) of a node: its own minus its children's. */
function exclusive(n: PlanNode, analyzed: boolean): number {
  if (analyzed && n.actualMs !== undefined) {
    const own = n.actualMs * (n.loops ?? 1);
    const kids = n.children.reduce((s, c) => s + (c.actualMs ?? 0) * (c.loops ?? 1), 0);
    return own - kids;
  }
  return n.totalCost - n.children.reduce((s, c) => s + c.totalCost, 0);
}

/** Mark the node with the largest exclusive cost (exclusive time when analysed). */
export function markCostliest(root: PlanNode, analyzed: boolean): PlanNode {
  let best: PlanNode = root;
  let bestV = -Infinity;
  const walk = (n: PlanNode): void => {
    const v = exclusive(n, analyzed);
    if (v > bestV) {
      bestV = v;
      best = n;
    }
    n.children.forEach(walk);
  };
  walk(root);
  best.costliest = true;
  return best;
}

export function parsePlan(raw: unknown): ParsedPlan {
  const doc = explainDocument(raw);
  const root = toNode(doc['Plan'] as Record<string, unknown>);
  const analyzed = root.actualMs !== undefined;
  markCostliest(root, analyzed);
  return { root, totalCost: root.totalCost, analyzed, executionMs: num(doc['Execution Time']), planningMs: num(doc['Planning Time']) };
}

/** Every node of a plan, depth first. */
export function planNodes(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (n: PlanNode): void => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** `Seq Scan on products`, `Index Scan using idx on products` — the scans of a plan (or of one table). */
export function describeScans(root: PlanNode, relation?: string): string {
  const scans = planNodes(root).filter((n) => n.relation !== undefined && (relation === undefined || n.relation === relation));
  const list = scans.length ? scans : [root];
  return list.map((n) => `${n.nodeType}${n.index ? ` using ${n.index}` : ''}${n.relation ? ` on ${n.relation}` : ''}`).join(', ');
}

/** Whether a plan uses an index whose name contains `name`. */
export function usesIndex(root: PlanNode, name: string): boolean {
  return planNodes(root).some((n) => n.index !== undefined && n.index.includes(name));
}
