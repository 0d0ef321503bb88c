// Small helpers shared by the rules for DataFlow 2.20's configuration and value traps (DF020–DF028):
// reading a node's config entries with names resolved, where to report, severity caps, and the
// type of a model field at a use site.
import type { SeverityName } from '../settings';
import type { FieldFact, NodeUseFact } from '../model/facts';
import { dictGet, type DictEntry, type SExpr, type Span } from '../model/staticExpr';
import type { ModelInfo } from '../model/workspaceModel';
import type { RuleContext } from './ruleContext';

const RANK: Record<SeverityName, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** The configured severity, but never above `max` (a softer case of an error rule). */
export function atMost(sev: SeverityName, max: SeverityName): SeverityName { return RANK[sev] > RANK[max] ? max : sev; }

/** The configured severity raised to `min` when it is the rule's default (a harder case of a warning rule). */
export function raisedFromDefault(sev: SeverityName, def: SeverityName, to: SeverityName): SeverityName { return sev === def ? to : sev; }

export function within(inner: Span, outer: Span): boolean { return inner.start >= outer.start && inner.end <= outer.end; }

/** `span` when it lies inside the node call, else `fallback` (values held in variables are reported where the node uses them). */
export function reportAt(span: Span | undefined, call: Span, fallback: Span): Span { return span && within(span, call) ? span : fallback; }

/** Follows names to their static value at the node. */
export function valueAt(ctx: RuleContext, e: SExpr | undefined, at: { span: Span; functionName?: string }): SExpr | undefined {
  return ctx.file.resolver.value(e, at.span.start, at.functionName);
}

/** The first of `keys` present in a config dict (aliases: `data`/`records`/`rows`/`documents`). */
export function entryOf(config: SExpr | undefined, ...keys: string[]): DictEntry | undefined {
  for (const k of keys) {
    const e = dictGet(config, k);
    if (e) return e;
  }
  return undefined;
}

/** True when the config dict may hold keys we cannot see (`**spread`, truncated). */
export function hasHiddenKeys(config: SExpr | undefined): boolean {
  return !config || config.k !== 'dict' || !!config.truncated || config.entries.some((e) => !e.key || e.key.k !== 'str');
}

/** Is the value statically an empty dict (`{}`, `dict()`)? */
export function isEmptyDict(e: SExpr | undefined): boolean {
  if (!e) return false;
  if (e.k === 'dict') return e.entries.length === 0 && !e.truncated;
  return e.k === 'call' && e.fn.k === 'name' && e.fn.id === 'dict' && !e.args.length && !e.kwargs.length;
}

/** The model a node or express call names, resolved at its use site (undefined when ambiguous). */
export function modelAt(ctx: RuleContext, name: string, at: { span: Span; functionName?: string }): ModelInfo | undefined {
  return ctx.workspace.resolveModel(name, { uri: ctx.file.uri, offset: at.span.start, functionName: at.functionName }).model;
}

export function fieldOf(model: ModelInfo | undefined, name: string): FieldFact | undefined {
  return model?.fields.find((f) => f.name === name);
}

/** Node ids (static strings) of the file's nodes, for following connections. */
export function nodeById(ctx: RuleContext, id: string, workflow: string | undefined): NodeUseFact | undefined {
  for (const n of ctx.file.facts.nodes) {
    if (n.nodeId?.k === 'str' && n.nodeId.v === id && (!workflow || !n.workflow || n.workflow === workflow)) return n;
  }
  return undefined;
}

/** The Python quote a string literal is written with (`"` or `'`), ignoring prefixes. */
export function quoteOf(text: string): string {
  const m = /^[rRbBuUfF]*("""|'''|"|')/.exec(text);
  return m ? m[1] : '"';
}

/** Edits that remove the entries at `drop` with the commas that separate them from their neighbours. */
export function removeEntriesEdits(entries: ReadonlyArray<{ span: Span }>, drop: ReadonlySet<number>): Array<{ span: Span; newText: string }> {
  const out: Array<{ span: Span; newText: string }> = [];
  for (let a = 0; a < entries.length; a++) {
    if (!drop.has(a)) continue;
    let b = a;
    while (drop.has(b + 1)) b++;
    if (a > 0) out.push({ span: { start: entries[a - 1].span.end, end: entries[b].span.end }, newText: '' });
    else if (b + 1 < entries.length) out.push({ span: { start: entries[0].span.start, end: entries[b + 1].span.start }, newText: '' });
    else out.push({ span: { start: entries[a].span.start, end: entries[b].span.end }, newText: '' });
    a = b;
  }
  return out;
}

/**
 * The edit that appends `text` as the last entry of a dict literal (or the first, when it is empty).
 * In a multi-line dict with a trailing comma the entry goes on its own line, indented like the last.
 */
export function appendEntryEdit(source: string, dict: Extract<SExpr, { k: 'dict' }>, text: string): { span: Span; newText: string } {
  const last = dict.entries[dict.entries.length - 1];
  if (!last) return { span: { start: dict.span.start + 1, end: dict.span.end - 1 }, newText: text };
  const after = source.slice(last.span.end, dict.span.end - 1);
  const comma = /^\s*,/.exec(after);
  if (comma && after.includes('\n')) {
    const lineStart = source.lastIndexOf('\n', last.span.start) + 1;
    const indent = /^[ \t]*/.exec(source.slice(lineStart, last.span.start))![0];
    if (source.slice(lineStart, last.span.start).trim() === '') {
      const at = last.span.end + comma[0].length;
      return { span: { start: at, end: at }, newText: `\n${indent}${text},` };
    }
  }
  return { span: { start: last.span.end, end: last.span.end }, newText: `, ${text}` };
}

/** Connections of the file into `input` (or any of `inputs`) of the node with static id `id`. */
export function connectedInputs(ctx: RuleContext, node: NodeUseFact): Set<string> {
  const out = new Set<string>();
  if (node.nodeId?.k !== 'str') return out;
  const id = node.nodeId.v;
  for (const c of ctx.file.facts.connections) {
    const to = valueAt(ctx, c.to, c);
    if (to?.k !== 'str' || to.v !== id) continue;
    const input = valueAt(ctx, c.toInput, c);
    if (input?.k === 'str') out.add(input.v.split('.')[0]);
    else if (c.mapping) {
      const m = valueAt(ctx, c.mapping, c);
      if (m?.k === 'dict') for (const e of m.entries) { const v = valueAt(ctx, e.value, c); if (v?.k === 'str') out.add(v.v.split('.')[0]); else out.add('*'); }
      else out.add('*');
    } else out.add('*');
  }
  return out;
}

/**
 * The database a model's DataFlow instance talks to, when its URL is static: 'postgresql',
 * 'sqlite' (also `DataFlow()` with no URL: the nodes use in-memory SQLite, reference §1.4),
 * 'mysql', or undefined (not known: treated as PostgreSQL by the rules that need asyncpg).
 */
export function dialectOf(ctx: RuleContext, model: ModelInfo | undefined): 'postgresql' | 'sqlite' | 'mysql' | undefined {
  const files = [model ? ctx.workspace.get(model.uri) : undefined, ctx.file].filter((f): f is NonNullable<typeof f> => !!f);
  for (const f of files) {
    const insts = f.facts.instances;
    const inst = insts.find((i) => model?.instance && i.binding === model.instance) ?? (insts.length === 1 ? insts[0] : undefined);
    if (!inst) continue;
    if (!inst.url) return inst.kwargs.some((k) => k.name === 'database_url' || k.name === 'url') || inst.argsSpan.end - inst.argsSpan.start > 2 ? undefined : 'sqlite';
    const v = f.resolver.value(inst.url, inst.span.start, inst.functionName);
    if (v?.k !== 'str') return undefined;
    if (/^postgres/i.test(v.v)) return 'postgresql';
    if (/^sqlite|^:memory:|\.db$/i.test(v.v)) return 'sqlite';
    if (/^mysql/i.test(v.v)) return 'mysql';
    return undefined;
  }
  return undefined;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True when the node's config is fully visible: written in the call, or a name whose dict is not
 * changed (`cfg["k"] = ...`, `cfg.update(...)`) between its assignment and the node. Rules that
 * report a missing key need this.
 */
export function configIsStatic(ctx: RuleContext, node: { fact: NodeUseFact; config?: SExpr }): boolean {
  const c = node.fact.config;
  if (!c) return true;
  if (c.k === 'dict') return !hasHiddenKeys(c);
  if (c.k !== 'name' || node.config?.k !== 'dict' || hasHiddenKeys(node.config)) return false;
  const a = ctx.file.resolver.assignmentFor(c.id, node.fact.span.start, node.fact.functionName);
  if (!a) return false;
  const between = ctx.file.text.slice(a.statementSpan.end, node.fact.span.start);
  return !new RegExp(`\\b${esc(c.id)}\\s*(\\[[^\\]]*\\]\\s*=[^=]|\\.\\s*(update|setdefault|pop|__setitem__)\\s*\\(|\\|=)`).test(between);
}
