// Shared by the name-checking rules (DF010–DF016): resolve the node's model at its use site, list
// the names a config uses (fields, keys, operators, values) and suggest the nearest known name.
import { createHash } from 'node:crypto';
import type { ClassFact, NodeUseFact } from '../model/facts';
import { OPERATIONS, IMPLICIT_COLUMNS, parseNodeType, isKnownNonGeneratedNode, type NodeOperation } from '../catalogue';
import { dictGet, strValue, type DictEntry, type SExpr, type Span } from '../model/staticExpr';
import type { ModelInfo } from '../model/workspaceModel';
import type { RuleContext } from './ruleContext';

export interface CheckedNode {
  fact: NodeUseFact;
  model: string;
  op: NodeOperation;
  /** The model, when it resolves unambiguously at the use site. */
  info?: ModelInfo;
  /** The config dict (names followed), when static. */
  config?: SExpr;
}

const memo = new WeakMap<RuleContext, CheckedNode[]>();

/** The generated-node calls of the file (`<Model><Op>Node` with a literal type name). */
export function checkedNodes(ctx: RuleContext): CheckedNode[] {
  const cached = memo.get(ctx);
  if (cached) return cached;
  const out: CheckedNode[] = [];
  for (const fact of ctx.facts.nodes) {
    if (!fact.nodeType) continue;
    const parsed = parseNodeType(fact.nodeType);
    if (!parsed) continue;
    const info = modelAt(ctx, parsed.model, fact.span.start, fact.functionName);
    if (!info && isKnownNonGeneratedNode(fact.nodeType)) continue;
    const config = resolveValue(ctx, fact.config, fact.span.start, fact.functionName);
    out.push({ fact, model: parsed.model, op: parsed.op, info, config });
  }
  memo.set(ctx, out);
  return out;
}

export function modelAt(ctx: RuleContext, name: string, offset: number, functionName: string | undefined): ModelInfo | undefined {
  const r = ctx.workspace.resolveModel(name, { uri: ctx.file.uri, offset, functionName });
  if (!r.model) return undefined;
  // A model found only by a workspace-wide name match (no import, not in this file or package) may
  // be a different class of the same name: field-level checks would guess.
  if (r.via === 'workspace') return undefined;
  if (r.via === 'file') {
    // Several different definitions in this file (tests define a model per test function): take
    // the last one defined before the use, when the definitions differ.
    const here = (ctx.workspace.models().get(name) ?? []).filter((m) => m.uri === ctx.file.uri);
    if (here.length > 1) {
      const sig = (m: ModelInfo) => m.fields.map((f) => `${f.name}/${f.type}`).sort().join(',');
      if (here.some((m) => sig(m) !== sig(here[0]))) {
        const before = here.filter((m) => m.cls.span.start < offset).sort((a, b) => b.cls.span.start - a.cls.span.start);
        return before[0];
      }
    }
  }
  // A workspace-wide guess among different definitions is not an answer (field checks need the right one).
  if (r.candidates.length > 1 && r.via === 'package') {
    const sig = (m: ModelInfo) => m.fields.map((f) => `${f.name}/${f.type}`).sort().join(',');
    const first = sig(r.candidates[0]);
    if (r.candidates.some((c) => sig(c) !== first)) return undefined;
  }
  return r.model;
}

export function resolveValue(ctx: RuleContext, e: SExpr | undefined, offset: number, fn: string | undefined): SExpr | undefined {
  return ctx.file.resolver.value(e, offset, fn);
}

/** Is there any model called `name` anywhere in the workspace? */
export function modelExistsAnywhere(ctx: RuleContext, name: string): boolean {
  return (ctx.workspace.models().get(name)?.length ?? 0) > 0;
}

/** A string that is a placeholder or template rather than a value (`${x}`, `{{x}}`, `:param`, `{name}`). */
export function isPlaceholder(s: string): boolean {
  return /\$\{|\{\{|^\s*[:$@]\w|^\{\w+\}$/.test(s);
}

/** True when every base class of the model is known, so its field list is complete. */
export function fieldsComplete(ctx: RuleContext, info: ModelInfo): boolean {
  const classes = workspaceClasses(ctx);
  const seen = new Set<string>();
  const walk = (bases: string[], depth: number): boolean => {
    for (const b of bases) {
      if (b === 'object' || b === 'Generic' || seen.has(b)) continue;
      seen.add(b);
      const defs = classes.get(b);
      if (!defs || depth > 10) return false;
      for (const c of defs) if (!walk(c.bases, depth + 1)) return false;
    }
    return true;
  };
  return walk(info.cls.bases, 0);
}

let classesMemo: { ws: unknown; gen: number; map: Map<string, ClassFact[]> } | undefined;
/** Every class of the workspace by name (memoised per workspace generation). */
export function workspaceClasses(ctx: RuleContext): Map<string, ClassFact[]> {
  if (classesMemo && classesMemo.ws === ctx.workspace && classesMemo.gen === ctx.workspace.generation) return classesMemo.map;
  const map = new Map<string, ClassFact[]>();
  for (const f of ctx.workspace.allFiles()) for (const c of f.facts.classes) { const l = map.get(c.name) ?? []; l.push(c); map.set(c.name, l); }
  classesMemo = { ws: ctx.workspace, gen: ctx.workspace.generation, map };
  return map;
}

let multiTenantMemo: { gen: number; ws: unknown; v: boolean } | undefined;
/** Does any `DataFlow(...)` of the workspace pass multi_tenant (tenant_id is then a column of every model)? */
export function anyMultiTenant(ctx: RuleContext): boolean {
  if (multiTenantMemo && multiTenantMemo.ws === ctx.workspace && multiTenantMemo.gen === ctx.workspace.generation) return multiTenantMemo.v;
  const v = ctx.workspace.instances().some(({ fact }) => fact.kwargs.some((k) => k.name === 'multi_tenant' && !(k.value.k === 'bool' && !k.value.v)));
  multiTenantMemo = { gen: ctx.workspace.generation, ws: ctx.workspace, v };
  return v;
}

/** The columns of a model: its fields plus the ones DataFlow adds. */
export function modelColumns(ctx: RuleContext, info: ModelInfo): Set<string> {
  const cols = new Set<string>([...IMPLICIT_COLUMNS, ...info.fields.map((f) => f.name)]);
  if (info.cls.softDelete) cols.add('deleted_at');
  const mt = dictGet(info.cls.dataflowConfig?.value, 'multi_tenant')?.value;
  if (anyMultiTenant(ctx) || (mt && !(mt.k === 'bool' && !mt.v))) cols.add('tenant_id');
  return cols;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), case-insensitive cost 0 for case. */
export function editDistance(a: string, b: string): number {
  const al = a.toLowerCase(), bl = b.toLowerCase();
  const m = al.length, n = bl.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => { const r = new Array<number>(n + 1).fill(0); r[0] = i; return r; });
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = al[i - 1] === bl[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && al[i - 1] === bl[j - 2] && al[i - 2] === bl[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n] + (al === bl && a !== b ? 0 : 0);
}

/** The nearest candidate within a distance that scales with the length (1 for short names, up to 3), unique at that distance. */
export function nearest(name: string, candidates: Iterable<string>, max?: number): string | undefined {
  const limit = max ?? (name.length <= 4 ? 1 : name.length <= 12 ? 2 : 3);
  let best: string | undefined, bestD = Infinity, tie = false;
  for (const c of new Set(candidates)) {
    if (c === name) return undefined;
    const dist = editDistance(name, c);
    if (dist < bestD) { best = c; bestD = dist; tie = false; } else if (dist === bestD && c !== best) tie = true;
  }
  // A plural/singular or case-only difference is always a good suggestion.
  if (best && bestD <= limit && !tie) return best;
  return undefined;
}

/** Entries of a dict whose key is a string literal. */
export function stringKeyed(d: SExpr | undefined): Array<{ key: string; keySpan: Span; entry: DictEntry }> {
  if (!d || d.k !== 'dict') return [];
  const out: Array<{ key: string; keySpan: Span; entry: DictEntry }> = [];
  for (const e of d.entries) {
    const k = strValue(e.key ?? undefined);
    if (k !== undefined && e.key) out.push({ key: k, keySpan: e.key.span, entry: e });
  }
  return out;
}

/** The parameter names an operation accepts besides model fields: declared, aliases, core node keys. */
export function acceptedKeys(op: NodeOperation): Set<string> {
  const spec = OPERATIONS[op];
  return new Set([...spec.params.map((p) => p.name), ...spec.aliases.map((a) => a.name)]);
}

/** Replaces the text of a key (string literal or keyword name), keeping its quotes. */
export function renameKeyEdit(ctx: RuleContext, keySpan: Span, newName: string): { span: Span; newText: string } {
  const text = ctx.file.text.slice(keySpan.start, keySpan.end);
  const m = /^([rRbBuU]*)(['"]{1,3})/.exec(text);
  if (!m) return { span: keySpan, newText: newName };
  const q = m[2];
  return { span: { start: keySpan.start + m[0].length, end: keySpan.end - q.length }, newText: newName };
}

/** Does the span lie inside the call (the config was written at the node, not in a distant variable)? */
export function inside(span: Span, outer: Span): boolean { return span.start >= outer.start && span.end <= outer.end; }

let classesKeyMemo: { ws: unknown; gen: number; key: string } | undefined;
/**
 * What the name-checking rules read outside the statement they check, as a string for the
 * engine's per-statement cache key: the workspace's classes (user nodes, base classes), the file's
 * imports, assigned and registered names, and its module-level workflows, nodes, connections and
 * executes (a connection or result read may name a node added by another top-level statement).
 */
export function crossStatementKey(file: import('../model/sourceFile').SourceFile, workspace: import('../model/workspaceModel').WorkspaceModel): string {
  if (!classesKeyMemo || classesKeyMemo.ws !== workspace || classesKeyMemo.gen !== workspace.generation) {
    const parts: string[] = [];
    for (const f of workspace.allFiles()) for (const c of f.facts.classes) parts.push(`${c.name}(${c.bases.join(',')})`);
    // A digest, not the list: every file's analysis key holds it, and the list of a large
    // workspace's classes is hundreds of KB (one copy per file took 1 GB on kailash-py).
    classesKeyMemo = { ws: workspace, gen: workspace.generation, key: createHash('sha1').update(parts.sort().join(';')).digest('base64') };
  }
  const parts: string[] = [classesKeyMemo.key];
  for (const st of file.facts.statements) parts.push(statementKey(st, file.text));
  return parts.join('\u0002');
}

/**
 * One statement's part of crossStatementKey, kept with its facts: a reused statement has the same
 * text (its spans move with it), so only the statements an edit touched are summarised again.
 */
const statementKeys = new WeakMap<import('../model/facts').StatementFacts, string>();

function statementKey(st: import('../model/facts').StatementFacts, t: string): string {
  let key = statementKeys.get(st);
  if (key !== undefined) return key;
  const slice = (sp: { start: number; end: number }) => t.slice(sp.start, sp.end);
  const parts: string[] = [];
  for (const i of st.imports) parts.push(`i:${i.module}:${i.names.map((n) => `${n.name}/${n.alias ?? ''}`).join(',')}`);
  for (const a of st.assignments) parts.push(`a:${a.functionName ?? ''}:${a.name}`);
  for (const r of st.registrations) parts.push(`r:${r.className}`);
  for (const w of st.workflows) if (w.functionName === undefined) parts.push(`w:${w.name}`);
  for (const n of st.nodes) if (n.functionName === undefined) parts.push(`n:${slice(n.span)}`);
  for (const c of st.connections) if (c.functionName === undefined) parts.push(`c:${slice(c.span)}`);
  for (const e of st.executes) if (e.functionName === undefined) parts.push(`e:${e.resultName ?? ''}:${slice(e.span)}`);
  key = parts.join('\u0001');
  statementKeys.set(st, key);
  return key;
}
