// Loop questions shared by the loop rules: how many iterations, and whether the node's whole
// workflow is built and executed once per iteration.
import type { BuildFact, CallFact, ExecuteFact, ExpressFact, LoopInfo, NodeUseFact, StatementFacts } from '../model/facts';
import { resolveNode, type ResolvedNode } from './nodeContext';
import type { RuleContext } from './ruleContext';
import type { SourceFile } from '../model/sourceFile';
import { fmt } from './ruleContext';
import { namesIn, type SExpr } from '../model/staticExpr';
import { piecesByMember } from '../model/extractStatement';

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

const RETRY_NAME = /attempt|retr(?:y|ies)|tries|^_*try_|_try$/i;

/**
 * A retry loop: `for attempt in range(3): try: ... break`, `while True: try: ... return`. Its
 * variable feeds nothing the statement writes or reads (`used`), no name the statement uses is
 * (re)assigned inside it, and it either is named like a retry or leaves after a `try` succeeds.
 * Such a loop runs the statement once per failure, not once per item: not a bulk candidate.
 */
export function isRetryLoop(file: SourceFile, loop: LoopInfo, used: ReadonlySet<string>): boolean {
  if (loop.kind === 'comprehension' || !loop.bodySpan) return false;
  if (loop.targetNames.some((t) => used.has(t))) return false;
  const shape = loopShape(file, loop);
  if (!shape.retryShaped) return false;
  for (const a of shape.assigned) if (used.has(a)) return false;
  return true;
}

interface LoopShape { retryShaped: boolean; assigned: Set<string> }
const shapes = new WeakMap<LoopInfo, LoopShape>();

/** What a loop is regardless of the statement inside it (computed once per loop: loops can hold thousands of nodes). */
function loopShape(file: SourceFile, loop: LoopInfo): LoopShape {
  let s = shapes.get(loop);
  if (s) return s;
  const body = loop.bodySpan ?? loop.span;
  const assigned = new Set<string>();
  for (const a of file.facts.assignments) if (a.statementSpan.start >= body.start && a.statementSpan.end <= body.end) assigned.add(a.name);
  let retryShaped = false;
  if (loop.kind !== 'comprehension' && loop.bodySpan) {
    const named = loop.kind === 'for' ? loop.targetNames.some((t) => RETRY_NAME.test(t)) : [...namesIn(loop.condition)].some((t) => RETRY_NAME.test(t));
    if (named) retryShaped = true;
    else {
      const text = file.text.slice(body.start, body.end);
      retryShaped = /\btry\s*:/.test(text) && /\b(?:break|return)\b/.test(text);
    }
  }
  shapes.set(loop, (s = { retryShaped, assigned }));
  return s;
}

/**
 * The loops around a statement that make it run once per item (retry loops dropped) and how
 * many times it runs; undefined when no such loop is left or the loops statically run 0 or 1
 * times (nothing to batch).
 */
export function perItemLoops(file: SourceFile, loops: LoopInfo[], used: ReadonlySet<string>, fn: string | undefined): { loops: LoopInfo[]; n: number | undefined } | undefined {
  const kept = loops.filter((l) => !isRetryLoop(file, l, used));
  if (!kept.length) return undefined;
  const n = iterations(file, kept, fn);
  if (n !== undefined && n <= 1) return undefined;
  return { loops: kept, n };
}

/** Every name an expression list reads. */
export function usedNames(...exprs: Array<SExpr | undefined>): Set<string> {
  const out = new Set<string>();
  for (const e of exprs) namesIn(e, out);
  return out;
}

/** "1 statement", "3 statements", "1,000 statements". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

// ---- One step away from the loop: same-file helpers, and a workflow built once but executed per item.

/** The function names a call may reach in this file (`helper` → `outer.helper`, `helper`; `self.save` → `Class.save`). */
function helperNames(call: CallFact): string[] {
  const fn = call.functionName;
  const m = /^(self|cls)\.(\w+)$/.exec(call.callee);
  if (m) {
    if (!fn || !fn.includes('.')) return [];
    return [`${fn.slice(0, fn.lastIndexOf('.'))}.${m[2]}`];
  }
  if (!/^\w+$/.test(call.callee)) return [];
  return fn ? [`${fn}.${call.callee}`, call.callee] : [call.callee];
}

export interface HelperEffect {
  /** The helper function reached (`save_order`, `Repo.save`), and the path of calls (`a → b`). */
  path: string;
  node?: ResolvedNode;
  express?: ExpressFact;
}

/**
 * What a same-file helper does each time it is called, outside loops of its own (those are
 * reported where they are): DataFlow nodes it adds and express calls it makes. Follows one more
 * helper call inside it (two hops).
 */
interface FunctionFacts { nodes: NodeUseFact[]; express: ExpressFact[]; calls: CallFact[] }
const byFunction = new WeakMap<object, Map<string, FunctionFacts>>();

/** The loop-free node, express and call facts of each function of the file, by function name. */
function functionFacts(file: SourceFile): Map<string, FunctionFacts> {
  const facts = file.facts;
  let m = byFunction.get(facts);
  if (m) return m;
  const map = new Map<string, FunctionFacts>();
  const get = (fn: string) => { let f = map.get(fn); if (!f) map.set(fn, (f = { nodes: [], express: [], calls: [] })); return f; };
  for (const n of facts.nodes) if (n.functionName && !n.loops.length) get(n.functionName).nodes.push(n);
  for (const e of facts.express) if (e.functionName && !e.loops.length) get(e.functionName).express.push(e);
  for (const c of facts.calls) if (c.functionName && !c.loops.length) get(c.functionName).calls.push(c);
  byFunction.set(facts, (m = map));
  return m;
}

export function helperEffects(ctx: RuleContext, call: CallFact, depth = 0, seen: Set<string> = new Set()): HelperEffect[] {
  const fns = functionFacts(ctx.file);
  for (const name of helperNames(call)) {
    if (seen.has(name)) continue;
    const found = fns.get(name);
    if (!found) continue;
    const { nodes, express, calls } = found;
    const out: HelperEffect[] = [];
    for (const n of nodes) { const r = resolveNode(ctx, n); if (r) out.push({ path: name, node: r }); }
    for (const e of express) out.push({ path: name, express: e });
    if (depth < 1) {
      const next = new Set(seen).add(name);
      for (const c of calls) for (const eff of helperEffects(ctx, c, depth + 1, next)) out.push({ ...eff, path: `${name} → ${eff.path}` });
    }
    return out;
  }
  return [];
}

/** Names assigned inside a loop's body (data that changes per iteration). */
export function assignedIn(file: SourceFile, loop: LoopInfo): ReadonlySet<string> {
  return loopShape(file, loop).assigned;
}

/**
 * `built = wf.build()` (or `wf` filled with nodes) before the loop, then
 * `for i in ids: runtime.execute(built, parameters={... i ...})`: the same workflow runs once
 * per item with per-item parameters. Returns its DataFlow nodes and the per-item loops.
 */
export function executedPerItem(ctx: RuleContext, ex: ExecuteFact): { nodes: ResolvedNode[]; n: number | undefined; workflow: string } | undefined {
  if (!ex.loops.length) return undefined;
  const file = ctx.file;
  const facts = file.facts;
  const outer = ex.loops[0], inner = innermost(ex.loops)!;
  const sameFn = (x: { functionName?: string }) => x.functionName === ex.functionName;
  let wf = ex.workflow;
  if (ex.workflowArg?.k === 'name') {
    const id = ex.workflowArg.id;
    let best: BuildFact | undefined;
    for (const b of facts.builds) if (b.boundTo === id && sameFn(b) && b.span.start < ex.span.start && (!best || b.span.start > best.span.start)) best = b;
    wf = best?.workflow ?? (facts.workflows.some((w) => w.name === id && sameFn(w)) ? id : undefined);
  }
  if (!wf) return undefined;
  const inLoop = (s: { start: number }) => s.start >= inner.span.start && s.start <= inner.span.end;
  if (facts.workflows.some((w) => w.name === wf && sameFn(w) && inLoop(w.span))) return undefined;
  const nodes: ResolvedNode[] = [];
  for (const n of facts.nodes) {
    if (n.workflow !== wf || !sameFn(n) || n.span.start >= ex.span.start) continue;
    if (n.span.start >= outer.span.start && n.span.start <= outer.span.end) return undefined;
    const r = resolveNode(ctx, n);
    if (r) nodes.push(r);
  }
  if (!nodes.length) return undefined;
  const used = usedNames(ex.parameters);
  const varying = ex.loops.some((l) => l.targetNames.some((t) => used.has(t)) || [...assignedIn(file, l)].some((a) => used.has(a)));
  if (!varying) return undefined;
  const per = perItemLoops(file, ex.loops, used, ex.functionName);
  if (!per) return undefined;
  return { nodes, n: per.n, workflow: wf };
}

const GROWN = /(?<![\w.])[\w.]+\s*(?:\.\s*(?:append|extend|insert|add|update|setdefault)\s*\(|[+|]=)/g;
/** What every match of GROWN ends with: a text without it has none (most statements; a quicker scan). */
const GROWN_END = /\.\s*(?:append|extend|insert|add|update|setdefault)\s*\(|[+|]=/;

/** Lists grown in place in `text` (Resolver.countOf reads them): the lookbehind keeps the scan linear on long runs of word characters. */
function grownIn(text: string): string {
  if (!GROWN_END.test(text)) return '';
  const grown = text.match(GROWN);
  return grown ? grown.map((g) => g.replace(/\s+/g, '')).join(',') : '';
}

/** One statement's part of crossStatementKey, kept with the statement's facts (reused statements keep it). */
const statementKeys = new WeakMap<StatementFacts, string>();

function statementKey(st: StatementFacts): string {
  let key = statementKeys.get(st);
  if (key !== undefined) return key;
  const parts: string[] = [];
  for (const n of st.nodes) parts.push(`n${n.functionName ?? ''}|${n.workflow ?? ''}|${n.nodeType ?? ''}|${n.loops.length}`);
  for (const e of st.express) if (e.functionName) parts.push(`e${e.functionName}|${e.op}|${e.model ?? ''}|${e.loops.length}`);
  for (const c of st.calls) if (c.functionName && !c.loops.length) parts.push(`c${c.functionName}|${c.callee}`);
  for (const b of st.builds) parts.push(`b${b.functionName ?? ''}|${b.workflow}|${b.boundTo ?? ''}`);
  for (const w of st.workflows) parts.push(`w${w.functionName ?? ''}|${w.name}`);
  // Lists grown in place change what a later loop over them counts (Resolver.countOf).
  // A large class's methods keep theirs (an edit re-extracts one method, not the class).
  const grown = piecesByMember(st, 'grown', grownIn)?.filter((g) => g).join(',') ?? grownIn(st.text);
  if (grown) parts.push(`g${grown}`);
  key = parts.join('\u0001');
  statementKeys.set(st, key);
  return key;
}

/**
 * A cheap summary of what findings in one statement may read from other statements of the file
 * (helper bodies, workflows built elsewhere): part of the engine's cache key. Built from one
 * summary per statement, computed once per statement's facts (an edit re-extracts only the
 * statements it touched), and the text between statements (comments), scanned each time.
 */
export function crossStatementKey(file: SourceFile): string {
  const text = file.text;
  const parts: string[] = [];
  let end = 0;
  for (const st of file.facts.statements) {
    const gap = grownIn(text.slice(end, st.span.start));
    parts.push(gap ? `${statementKey(st)}\u0003${gap}` : statementKey(st));
    end = st.span.end;
  }
  const tail = grownIn(text.slice(end));
  if (tail) parts.push(`\u0003${tail}`);
  return parts.join('\u0002');
}

/** "an OrderCreateNode", "a UserCreateNode". */
export function article(word: string): string { return `${/^[AEIOU]/.test(word) && !/^U[a-z]?[aeiou]/.test(word) ? 'an' : 'a'} ${word}`; }

/** " (via save → insert_row)" when the write sits one helper further than the called one. */
export function via(path: string): string {
  return path.includes(' → ') ? ` (via ${path})` : '';
}
