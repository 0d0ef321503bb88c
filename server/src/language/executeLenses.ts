// What the code lens above a `runtime.execute(workflow.build())` call shows (issue 11 §5):
// - after a profile of the file, the last total time and statement count of the runs that call
//   started (`×n` when it ran n times). A run belongs to the call the profile recorded: same start
//   line (and, when both know them, column and end); when an edit moves or changes the call the
//   lens goes away instead of labelling another call, as the inlay hints do (profileHints.ts);
// - the order DataFlow 2.20's runtime runs the workflow's nodes in, when it differs from the order
//   the add_node calls are written in. The order is the runtime's own (executionOrder, and for
//   AsyncLocalRuntime asyncRuntimePlan), applied to the workflow as far as it is statically known:
//   literal node ids and connections between the builder's binding and the build; anything
//   dynamic (generated ids, loops, the builder passed to other code) shows no order.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../model/sourceFile';
import type { ExecuteFact, NodeUseFact } from '../model/facts';
import { dottedName, strValue } from '../model/staticExpr';
import type { RuleContext } from '../analysis/context';
import { nodeTypeIn, resolveNode } from '../rules/nodeContext';
import { workflowNodesAt } from '../rules/workflowNodes';
import type { ProfileStore } from './profileStore';
import { BuiltWorkflow, type BuiltNode, type BuilderConnection } from '../runtime/workflow/workflowBuilder';
import { executionOrder } from '../runtime/workflow/executionOrder';
import { asyncRuntimePlan } from '../runtime/workflow/asyncRuntimePlan';
import type { WorkflowNodeInstance } from '../runtime/workflow/types';

export interface ExecuteMeasured {
  /** Runs of the last profile that this call started. */
  runs: number;
  ms: number;
  statements: number;
  failed: number;
  createdAt: string;
}

export interface ExecuteOrder {
  /** Node ids in the runtime's order. */
  order: string[];
  /** Node ids in the order the add_node calls are written. */
  written: string[];
  runtime: 'LocalRuntime' | 'AsyncLocalRuntime';
  /** AsyncLocalRuntime with async nodes: the levels it gathers concurrently. */
  levels?: string[][];
}

export interface ExecuteLens {
  execute: ExecuteFact;
  measured?: ExecuteMeasured;
  order?: ExecuteOrder;
}

export function executeLenses(ctx: RuleContext, profiles: ProfileStore): ExecuteLens[] {
  const file = ctx.file;
  const out: ExecuteLens[] = [];
  const measured = measuredByCall(file, profiles);
  for (const e of file.facts.executes) {
    const lens: ExecuteLens = { execute: e };
    const m = measured && matchRuns(file, e, measured);
    if (m) lens.measured = m;
    const o = staticOrder(ctx, e);
    if (o && o.order.join('\u0000') !== o.written.join('\u0000')) lens.order = o;
    if (lens.measured || lens.order) out.push(lens);
  }
  return out;
}

// ---- measured facts ----------------------------------------------------------------------------

interface RunFacts { line: number; column?: number; endLine?: number; endColumn?: number; ms: number; statements: number; failed: boolean }

function measuredByCall(file: SourceFile, profiles: ProfileStore): { createdAt: string; runs: RunFacts[] } | undefined {
  const report = profiles.reportFor(file.uri);
  if (!report) return undefined;
  let here: string;
  try { here = path.resolve(fileURLToPath(file.uri)); } catch { return undefined; }
  const runs: RunFacts[] = [];
  for (const r of report.runs) {
    const l = r.location;
    if (!l || path.resolve(l.file) !== here) continue;
    const statements = r.nodes.reduce((s, n) => s + n.statements, 0);
    runs.push({ line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, ms: r.ms, statements, failed: !!r.error });
  }
  return runs.length ? { createdAt: report.createdAt, runs } : undefined;
}

function matchRuns(file: SourceFile, e: ExecuteFact, m: { createdAt: string; runs: RunFacts[] }): ExecuteMeasured | undefined {
  const lines = file.doc.lines;
  const start = lines.positionAt(e.span.start);
  const end = lines.positionAt(e.span.end);
  const same = (r: RunFacts) =>
    r.line === start.line + 1 &&
    (r.column === undefined || r.column === start.character + 1) &&
    (r.endLine === undefined || r.endLine === end.line + 1) &&
    (r.endColumn === undefined || r.endColumn === end.character + 1);
  const mine = m.runs.filter(same);
  if (!mine.length) return undefined;
  return {
    runs: mine.length,
    ms: mine.reduce((s, r) => s + r.ms, 0),
    statements: mine.reduce((s, r) => s + r.statements, 0),
    failed: mine.filter((r) => r.failed).length,
    createdAt: m.createdAt,
  };
}

// ---- the runtime's node order -------------------------------------------------------------------

/** Which runtime runs the call: its receiver constructed in place, bound to a name, or the file's only kind. */
function runtimeOf(ctx: RuleContext, e: ExecuteFact): ExecuteOrder['runtime'] | undefined {
  const file = ctx.file;
  const kind = (name: string | undefined) => (name === undefined ? undefined : /(?:^|\.)AsyncLocalRuntime$/.test(name) ? 'AsyncLocalRuntime' : /(?:^|\.)LocalRuntime$/.test(name) ? 'LocalRuntime' : undefined);
  const inPlace = /^((?:\w+\.)*\w+)\s*\(/.exec(e.runtime);
  if (inPlace) return kind(inPlace[1]);
  const v = file.resolver.value({ k: 'name', id: e.runtime, span: e.span }, e.span.start, e.functionName);
  if (v?.k === 'call') return kind(dottedName(v.fn));
  // `with AsyncLocalRuntime() as runtime:`, a runtime made elsewhere in the function or the file.
  for (const scope of [file.facts.runtimes.filter((r) => r.functionName === e.functionName), file.facts.runtimes]) {
    const kinds = new Set(scope.map((r) => r.className));
    if (kinds.size === 1) return kind([...kinds][0]);
    if (kinds.size > 1) return undefined;
  }
  return e.method === 'execute_workflow_async' ? 'AsyncLocalRuntime' : undefined;
}

/** The builder variable and the offset of its build() call for `wf.build()` or a `built = wf.build()` name. */
function builderOf(file: SourceFile, e: ExecuteFact): { name: string; at: number } | undefined {
  if (!e.workflow) return undefined;
  if (e.workflowArg?.k === 'call') return { name: e.workflow, at: e.span.start };
  let build: { workflow: string; at: number } | undefined;
  for (const b of file.facts.builds) {
    if (b.boundTo === e.workflow && b.functionName === e.functionName && b.span.start < e.span.start && !b.loops.length && (!build || b.span.start > build.at)) build = { workflow: b.workflow, at: b.span.start };
  }
  return build ? { name: build.workflow, at: build.at } : undefined;
}

/** Only what executionOrder and asyncRuntimePlan read of a node: the graph and isinstance(node, AsyncNode). */
function orderOnlyInstance(id: string, type: string, isAsyncNode: boolean): WorkflowNodeInstance {
  return { id, type, isAsyncNode } as unknown as WorkflowNodeInstance;
}

function staticOrder(ctx: RuleContext, e: ExecuteFact): ExecuteOrder | undefined {
  if (e.loops.length) return undefined;
  const file = ctx.file;
  const b = builderOf(file, e);
  if (!b) return undefined;
  const w = workflowNodesAt(ctx, b.name, b.at, e.functionName);
  if (!w || w.patterns.length || w.dynamicIds) return undefined;
  const from = w.binding.span.end;
  const inRegion = (f: { workflow?: string; functionName?: string; span: { start: number } }) => f.workflow === b.name && f.functionName === e.functionName && f.span.start > from && f.span.start < b.at;
  const facts: NodeUseFact[] = [];
  for (const f of file.facts.nodes) {
    if (!inRegion(f)) continue;
    // A generated id, a node added in a loop or a repeated id (the builder raises): not known statically.
    if (!f.nodeId || strValue(f.nodeId) === undefined || f.loops.length) return undefined;
    facts.push(f);
  }
  if (facts.length < 2) return undefined;
  const runtime = runtimeOf(ctx, e);
  const nodes = new Map<string, BuiltNode>();
  let asyncKnown = true;
  for (const f of facts) {
    const id = strValue(f.nodeId)!;
    if (nodes.has(id)) return undefined;
    const type = nodeTypeIn(file, f) ?? '';
    // DataFlow's generated nodes are AsyncNodes (runtime/workflow/registry.ts), as are kailash's Async* nodes.
    const isAsync = resolveNode(ctx, f) !== undefined || /^Async\w*Node$/.test(type);
    if (!isAsync && !type) asyncKnown = false;
    nodes.set(id, { id, type, instance: orderOnlyInstance(id, type, isAsync) });
  }
  const connections: BuilderConnection[] = [];
  for (const c of file.facts.connections) {
    if (!inRegion(c)) continue;
    const fromNode = strValue(c.from);
    const toNode = strValue(c.to);
    if (c.loops.length || fromNode === undefined || toNode === undefined || !nodes.has(fromNode) || !nodes.has(toNode)) return undefined;
    connections.push({ fromNode, toNode, fromOutput: strValue(c.fromOutput) ?? '', toInput: strValue(c.toInput) ?? '' });
  }
  const wf = new BuiltWorkflow('', b.name, {}, nodes, connections);
  let topo: string[];
  try { topo = executionOrder(wf); } catch { return undefined; } // a cycle: the runtime raises, there is no order
  const written = [...nodes.keys()];
  const plan = asyncRuntimePlan(wf, topo);
  const asyncDiffers = plan.order.join('\u0000') !== topo.join('\u0000');
  if (runtime === 'AsyncLocalRuntime') {
    if (!asyncKnown) return undefined;
    return { order: plan.order, written, runtime, levels: plan.levels };
  }
  if (runtime === undefined && asyncDiffers) return undefined; // which runtime runs it decides the order
  return { order: topo, written, runtime: 'LocalRuntime' };
}
