// Symbols for the Outline and "Go to Symbol in Workspace": models with their fields, and workflows
// with their nodes (node id, node type, and the connections that feed each node), so the Outline
// reads as the workflow graph. Ranges are offsets here; the LSP layer converts them.
import type { NodeUseFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import type { SExpr, Span } from '../model/staticExpr';
import { strValue } from '../model/staticExpr';
import type { WorkspaceModel } from '../model/workspaceModel';
import { modelSchema } from './modelSchema';
import { nodeTypeOf } from '../rules/nodeContext';
import { fileContext } from './siteAt';

export type SymbolKindName = 'model' | 'field' | 'workflow' | 'node';

export interface OffsetSymbol {
  name: string;
  detail?: string;
  kind: SymbolKindName;
  span: Span;
  selection: Span;
  children?: OffsetSymbol[];
}

/** A node id as written: the literal, or an f-string's source without its quotes (`create_{i}`). */
export function nodeIdText(file: SourceFile, e: SExpr | undefined): string | undefined {
  if (!e) return undefined;
  const s = strValue(e);
  if (s !== undefined) return s;
  if (e.k === 'fstr') return file.text.slice(e.span.start, e.span.end).replace(/^[rRfF]+/, '').replace(/^("""|'''|"|')|("""|'''|"|')$/g, '');
  return file.text.slice(e.span.start, e.span.end);
}

const union = (a: Span, b: Span): Span => ({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) });

export function documentSymbols(workspace: WorkspaceModel, file: SourceFile): OffsetSymbol[] {
  const out: OffsetSymbol[] = [];
  const facts = file.facts;
  for (const cls of facts.classes) {
    const model = workspace.models().get(cls.name)?.find((m) => m.cls === cls && m.uri === file.uri);
    if (!model) continue;
    const schema = modelSchema(workspace, model);
    out.push({
      name: cls.name, kind: 'model', detail: `table ${schema.table}`, span: cls.span, selection: cls.nameSpan,
      children: cls.fields.map((f) => ({
        name: f.name, kind: 'field' as const, span: f.statementSpan, selection: f.nameSpan,
        detail: `${f.annotation} · ${schema.columns.find((c) => c.name === f.name)?.sqlType ?? ''}`.replace(/ · $/, ''),
      })),
    });
  }
  const groups = new Map<string, NodeUseFact[]>();
  for (const n of facts.nodes) {
    const key = `${n.functionName ?? ''}\u0000${n.workflow ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(n);
  }
  const ctx = fileContext(workspace, file);
  const typeOf = (n: NodeUseFact) => nodeTypeOf(ctx, n) ?? (n.nodeTypeExpr ? file.text.slice(n.nodeTypeExpr.span.start, n.nodeTypeExpr.span.end) : '?');
  for (const nodes of groups.values()) {
    const { functionName: fn, workflow } = nodes[0];
    const binding = facts.workflows.find((w) => w.name === workflow && w.functionName === fn && w.span.start <= nodes[0].span.start);
    const conns = facts.connections.filter((c) => c.workflow === workflow && c.functionName === fn);
    let span = nodes.reduce((s, n) => union(s, n.span), binding ? binding.statementSpan : nodes[0].span);
    for (const c of conns) span = union(span, c.span);
    for (const e of facts.executes) if (e.workflow === workflow && e.functionName === fn) span = union(span, e.span);
    const children: OffsetSymbol[] = nodes.map((n) => {
      const id = nodeIdText(file, n.nodeId) ?? '(automatic id)';
      const incoming = conns.filter((c) => strValue(c.to) === id).map((c) => `${strValue(c.from) ?? '?'}${c.fromOutput ? `.${strValue(c.fromOutput) ?? '?'}` : ''}`);
      const type = typeOf(n);
      return {
        name: id, kind: 'node' as const, span: n.span, selection: n.nodeId?.span ?? n.span,
        detail: `${type}${n.loops.length ? ' (in a loop)' : ''}${incoming.length ? ` ← ${incoming.join(', ')}` : ''}`,
      };
    });
    out.push({
      name: workflow ?? 'workflow', kind: 'workflow', span, selection: binding?.span ?? nodes[0].span,
      detail: `${nodes.length} node${nodes.length === 1 ? '' : 's'}${fn ? ` · ${fn}()` : ''}`, children,
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export interface WorkspaceSymbolHit { name: string; kind: SymbolKindName; uri: string; span: Span; container?: string }

/** VS Code filters fuzzily itself; the server keeps the names whose letters appear in order. */
export function matchesQuery(name: string, query: string): boolean {
  if (!query) return true;
  const n = name.toLowerCase(), q = query.toLowerCase();
  let i = 0;
  for (const ch of n) if (ch === q[i]) i++;
  return i === q.length;
}

export function workspaceSymbols(workspace: WorkspaceModel, query: string, limit = 1000): WorkspaceSymbolHit[] {
  const out: WorkspaceSymbolHit[] = [];
  for (const list of workspace.models().values()) {
    for (const m of list) {
      if (out.length >= limit) return out;
      if (matchesQuery(m.name, query)) out.push({ name: m.name, kind: 'model', uri: m.uri, span: m.cls.nameSpan, container: `table ${modelSchema(workspace, m).table}` });
    }
  }
  for (const file of workspace.allFiles()) {
    if (!file.facts.nodes.length) continue;
    const ctx = fileContext(workspace, file);
    for (const n of file.facts.nodes) {
      if (out.length >= limit) return out;
      const id = nodeIdText(file, n.nodeId);
      if (id === undefined || !matchesQuery(id, query)) continue;
      out.push({ name: id, kind: 'node', uri: file.uri, span: n.nodeId?.span ?? n.span, container: `${nodeTypeOf(ctx, n) ?? 'node'}${n.functionName ? ` · ${n.functionName}()` : ''}` });
    }
  }
  return out;
}
