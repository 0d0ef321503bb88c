// The node ids of one workflow variable, as far as they are known statically: the add_node calls
// on it between its `WorkflowBuilder()` binding and the next rebinding, in the same function.
// Unknown (undefined) when the workflow escapes (passed to a call) or gets nodes some other way.
import type { NodeUseFact, StatementFacts, WorkflowBindingFact } from '../model/facts';
import { strValue, type SExpr } from '../model/staticExpr';
import type { RuleContext } from './ruleContext';

export interface WorkflowNodes {
  binding: WorkflowBindingFact;
  /** Static ids → the add_node facts defining them. */
  byId: Map<string, NodeUseFact[]>;
  /** Patterns of f-string ids (`create_{i}` → /^create_.*$/). */
  patterns: RegExp[];
  /** Some id is neither a literal nor an f-string: membership cannot be decided. */
  dynamicIds: boolean;
}

function esc(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

export function idPattern(e: SExpr): RegExp | undefined {
  if (e.k !== 'fstr') return undefined;
  return new RegExp(`^${e.parts.map((p) => (typeof p === 'string' ? esc(p) : '.*')).join('')}$`, 's');
}

/** The end of the top-level statement (function, class, ...) holding `offset`: a binding's reach. */
function statementEnd(ctx: RuleContext, offset: number): number {
  const sts = ctx.file.facts.statements;
  let lo = 0, hi = sts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const st = sts[mid];
    if (offset < st.span.start) hi = mid - 1;
    else if (offset >= st.span.end) lo = mid + 1;
    else return st.span.end;
  }
  return ctx.file.text.length;
}

const memo = new WeakMap<object, Map<string, WorkflowNodes | undefined>>();

/**
 * A file's workflow bindings (sorted by position) and add_node facts (in file order), grouped by
 * workflow variable and enclosing function, built once per facts object: the rules ask about
 * every connection and read, and scanning all of a 10,000-line file's bindings and nodes for each
 * one was quadratic.
 */
interface WorkflowIndex { bindings: Map<string, WorkflowBindingFact[]>; nodes: Map<string, NodeUseFact[]> }
const indexes = new WeakMap<object, WorkflowIndex>();
const groupKey = (name: string | undefined, functionName: string | undefined) => `${name}\u0000${functionName ?? '\u0001'}`;

/**
 * Where the bindings and nodes of a workflow used at `offset` inside `functionName` are: a
 * function's code lies in one top-level statement (the def, or the class or block around it), so
 * inside a function that statement's facts, which an edit elsewhere leaves as they are (its index
 * and answers are kept); at module level the whole file's.
 */
function scopeOf(ctx: RuleContext, offset: number, functionName: string | undefined): { facts: WorkflowFacts; statement: boolean } {
  const span = (ctx.facts as Partial<StatementFacts>).span; // none when a caller passes the whole file's facts
  if (functionName !== undefined && span && offset >= span.start && offset < span.end) return { facts: ctx.facts, statement: true };
  return { facts: ctx.file.facts, statement: false };
}
type WorkflowFacts = Pick<RuleContext['facts'], 'workflows' | 'nodes'>;

function indexOf(facts: WorkflowFacts): WorkflowIndex {
  let ix = indexes.get(facts);
  if (ix) return ix;
  ix = { bindings: new Map(), nodes: new Map() };
  for (const w of facts.workflows) {
    const k = groupKey(w.name, w.functionName);
    const list = ix.bindings.get(k);
    if (list) list.push(w); else ix.bindings.set(k, [w]);
  }
  for (const list of ix.bindings.values()) list.sort((a, b) => a.span.start - b.span.start);
  for (const f of facts.nodes) {
    if (f.workflow === undefined) continue;
    const k = groupKey(f.workflow, f.functionName);
    const list = ix.nodes.get(k);
    if (list) list.push(f); else ix.nodes.set(k, [f]);
  }
  indexes.set(facts, ix);
  return ix;
}

/** The workflow `name` at `offset` inside `functionName`, when its nodes are statically known. */
export function workflowNodesAt(ctx: RuleContext, name: string | undefined, offset: number, functionName: string | undefined): WorkflowNodes | undefined {
  if (!name) return undefined;
  const scope = scopeOf(ctx, offset, functionName);
  const bindings = indexOf(scope.facts).bindings.get(groupKey(name, functionName)) ?? [];
  let binding: WorkflowBindingFact | undefined;
  for (let i = bindings.length - 1; i >= 0; i--) if (bindings[i].span.start < offset) { binding = bindings[i]; break; }
  if (!binding || binding.loops.length) return undefined;
  // Once per binding and file version (inside a function: once per binding, whose statement's
  // text is the same as long as its facts are): several reads and connections ask about the same workflow.
  let byName = memo.get(binding);
  const key = scope.statement ? `:${name}` : `${ctx.file.version}:${ctx.file.text.length}:${name}`;
  if (byName?.has(key)) return byName.get(key);
  if (!byName) memo.set(binding, (byName = new Map()));
  const next = bindings.find((b) => b.span.start > binding.span.start);
  // A binding reaches to the next one; one made inside a function never past that function's
  // top-level statement (a module-level binding reaches later top-level statements).
  const end = Math.min(next ? next.span.start : Infinity, functionName === undefined ? Infinity : statementEnd(ctx, binding.span.start));
  const result = collect(ctx, scope.facts, name, functionName, binding, end);
  byName.set(key, result);
  return result;
}

function collect(ctx: RuleContext, facts: WorkflowFacts, name: string, functionName: string | undefined, binding: WorkflowBindingFact, end: number): WorkflowNodes | undefined {
  const text = ctx.file.text;
  // The workflow escapes into other code (helpers that add nodes), or grows by other methods.
  const region = text.slice(binding.span.end, Math.min(text.length, end === Infinity ? text.length : end));
  const n = esc(name);
  const escapes = new RegExp(`[(,]\\s*(?:\\w+\\s*=\\s*)?${n}\\s*[,)]`, 'g');
  for (let m = escapes.exec(region); m; m = escapes.exec(region)) {
    const before = region.slice(Math.max(0, m.index - 12), m.index + 1);
    if (!/add_node\($/.test(before)) return undefined;
  }
  if (new RegExp(`${n}\\.(?!add_node\\b|add_connection\\b|connect\\b|build\\b)\\w+\\s*\\(`).test(region)) {
    // Other builder methods (add_workflow, add_typed_node, ...) may add nodes.
    if (new RegExp(`${n}\\.(add_\\w+|update_node|merge\\w*|insert\\w*)\\s*\\(`).test(region.replace(new RegExp(`${n}\\.(add_node|add_connection)\\b`, 'g'), ''))) return undefined;
  }
  const out: WorkflowNodes = { binding, byId: new Map(), patterns: [], dynamicIds: false };
  for (const f of indexOf(facts).nodes.get(groupKey(name, functionName)) ?? []) {
    if (f.workflow !== name || f.functionName !== functionName || f.span.start < binding.span.start || f.span.start >= end) continue;
    if (!f.nodeId) continue; // automatic id
    const id = strValue(f.nodeId);
    if (id !== undefined) {
      const list = out.byId.get(id) ?? [];
      list.push(f);
      out.byId.set(id, list);
      continue;
    }
    const p = idPattern(f.nodeId);
    if (p) out.patterns.push(p); else out.dynamicIds = true;
  }
  return out;
}

/** Is `id` (a literal) possibly defined in the workflow? */
export function mayDefine(w: WorkflowNodes, id: string): boolean {
  return w.byId.has(id) || w.patterns.some((p) => p.test(id)) || w.dynamicIds;
}

/** The single generated node the literal id names, if exactly one add_node defines it. */
export function nodeOf(w: WorkflowNodes, id: string): NodeUseFact | undefined {
  const list = w.byId.get(id);
  if (!list || list.length !== 1 || w.patterns.some((p) => p.test(id))) return undefined;
  return list[0];
}
