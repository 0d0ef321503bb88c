// Every place in the workspace that names one model: its class statement, the generated node type
// strings (`"ProductCreateNode"`, also in constants), express and db.add_node model arguments,
// register_model calls, Python references to the class (imports included), and the connections
// between nodes of the model. Also the places that build the name dynamically, where a rename
// cannot follow. Found from the text (every occurrence of the name) and the parse tree at it.
import type { Node } from '../syntax/parser';
import { parseNodeType } from '../catalogue';
import type { SourceFile } from '../model/sourceFile';
import type { Span, SExpr } from '../model/staticExpr';
import { strValue } from '../model/staticExpr';
import type { ModelInfo, WorkspaceModel } from '../model/workspaceModel';
import { fileContext, functionNameAt, stringAt } from './siteAt';
import { nodeTypeOf } from '../rules/nodeContext';

export type ModelUseKind = 'declaration' | 'nodeType' | 'express' | 'add_node' | 'register_model' | 'reference' | 'connection';

export interface ModelUse {
  uri: string;
  kind: ModelUseKind;
  /** What the reference covers (the string's content, the identifier, the node id). */
  span: Span;
  /** The characters that spell the model name, when a rename edits this use. */
  nameSpan?: Span;
}

export interface DynamicUse { uri: string; span: Span; text: string }

export function sameModel(a: ModelInfo | undefined, b: ModelInfo): boolean {
  return !!a && (a === b || (a.uri === b.uri && a.cls.nameSpan.start === b.cls.nameSpan.start && a.name === b.name));
}

function isIdentStart(c: string | undefined): boolean { return !!c && /[A-Za-z0-9_]/.test(c); }

/** The value of a node type expression when it is built (f-string / concatenation) from resolvable parts. */
function builtValue(file: SourceFile, e: SExpr | undefined, offset: number, fn: string | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'str') return e.v;
  if (e.k === 'name' || e.k === 'attr') return strValue(file.resolver.value(e, offset, fn));
  if (e.k === 'fstr') {
    let out = '';
    for (const p of e.parts) {
      if (typeof p === 'string') { out += p; continue; }
      const v = builtValue(file, p, offset, fn);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (e.k === 'binop' && e.op === '+') {
    const l = builtValue(file, e.l, offset, fn), r = builtValue(file, e.r, offset, fn);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

function lineOf(file: SourceFile, offset: number): number { return file.doc.lines.positionAt(offset).line + 1; }

/** The uses of `model` in one file. */
function usesInFile(workspace: WorkspaceModel, file: SourceFile, model: ModelInfo, out: ModelUse[], dynamic: DynamicUse[]): void {
  const name = model.name;
  const text = file.text;
  if (!text.includes(name)) return;
  const root = file.doc.tree?.rootNode;
  if (!root) return;
  const resolvesHere = (offset: number, fn: string | undefined, scopes?: ReadonlyArray<string>) => {
    const r = workspace.resolveModel(name, { uri: file.uri, offset, functionName: fn });
    return sameModel(r.model, model) && (!scopes || (r.via !== undefined && scopes.includes(r.via)));
  };
  const facts = file.facts;
  let modules: Set<string> | undefined;
  const importedModules = () => modules ??= new Set(workspace.importsOf(file.uri).flatMap((i) =>
    i.kind === 'import' ? [i.alias ?? i.module] : i.names.filter((x) => x.name !== '*').map((x) => x.alias ?? x.name)));
  const seenStrings = new Set<number>();
  const push = (u: ModelUse) => { if (!out.some((o) => o.uri === u.uri && o.span.start === u.span.start)) out.push(u); };
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) {
    const n: Node | null = root.descendantForIndex(i, i + name.length);
    if (!n) continue;
    const str = stringAt(n);
    if (str) {
      if (seenStrings.has(str.node.startIndex)) continue;
      seenStrings.add(str.node.startIndex);
      const fn = functionNameAt(str.node);
      if (str.value === undefined) {
        // f"Product{op}Node": a node type built at run time.
        if (/Node\b/.test(str.node.text) && !isIdentStart(text[i - 1]) ) dynamic.push({ uri: file.uri, span: { start: str.node.startIndex, end: str.node.endIndex }, text: str.node.text });
        continue;
      }
      const sstart = str.content.start;
      const parsed = parseNodeType(str.value);
      if (parsed && parsed.model === name) {
        if (resolvesHere(str.node.startIndex, fn)) push({ uri: file.uri, kind: 'nodeType', span: str.content, nameSpan: { start: sstart, end: sstart + name.length } });
        continue;
      }
      if (str.value !== name) continue;
      const at = (e: { span: Span } | undefined) => !!e && e.span.start === str.node.startIndex;
      const ex = facts.express.find((x) => at(x.args[0]) || at(x.kwargs.find((k) => k.name === 'model')?.value));
      const viaInstance = facts.nodes.find((x) => x.viaInstance && at(x.nodeTypeExpr));
      if ((ex || viaInstance) && resolvesHere(str.node.startIndex, fn)) {
        push({ uri: file.uri, kind: ex ? 'express' : 'add_node', span: str.content, nameSpan: str.content });
        continue;
      }
      // "Product" + op + "Node": built at run time.
      if (str.node.parent?.type === 'binary_operator') dynamic.push({ uri: file.uri, span: { start: str.node.parent.startIndex, end: str.node.parent.endIndex }, text: str.node.parent.text });
      continue;
    }
    if (n.type !== 'identifier' || n.text !== name) continue;
    const parent = n.parent;
    // `models.Product`: only through a module the file imports (`import models`, `from app import models`).
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id && !importedModules().has(parent.childForFieldName('object')?.text ?? '')) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === n.id) continue;
    const cls = facts.classes.find((c) => c.nameSpan.start === n.startIndex);
    if (cls) {
      if (file.uri === model.uri && cls === model.cls) push({ uri: file.uri, kind: 'declaration', span: cls.nameSpan, nameSpan: cls.nameSpan });
      continue;
    }
    const fn = functionNameAt(n);
    // Python names: only where Python itself would see this class (same file or imported).
    if (!resolvesHere(n.startIndex, fn, ['function', 'file', 'import'])) continue;
    const reg = facts.registrations.find((r) => r.span.start <= n.startIndex && n.endIndex <= r.span.end && r.className === name);
    push({ uri: file.uri, kind: reg ? 'register_model' : 'reference', span: { start: n.startIndex, end: n.endIndex }, nameSpan: { start: n.startIndex, end: n.endIndex } });
  }
  // Node types and express models that reach the call through names or f-strings.
  for (const node of facts.nodes) {
    const e = node.nodeTypeExpr;
    if (!e || e.k === 'str') continue;
    const v = builtValue(file, e, node.span.start, node.functionName);
    const model_ = v !== undefined ? (node.viaInstance ? v : parseNodeType(v)?.model) : undefined;
    if (model_ !== name || !resolvesHere(node.span.start, node.functionName)) continue;
    if (e.k === 'name' || e.k === 'attr') {
      const lit = file.resolver.value(e, node.span.start, node.functionName);
      if (lit?.k === 'str' && out.some((u) => u.uri === file.uri && u.span.start === lit.span.start + 1)) continue; // the constant itself is renamed
    }
    dynamic.push({ uri: file.uri, span: e.span, text: `${text.slice(e.span.start, e.span.end)} (line ${lineOf(file, e.span.start)})` });
  }
  for (const ex of facts.express) {
    const e = ex.args[0] ?? ex.kwargs.find((k) => k.name === 'model')?.value;
    if (!e || e.k === 'str') continue;
    const v = builtValue(file, e, ex.span.start, ex.functionName);
    if (v !== name || !resolvesHere(ex.span.start, ex.functionName)) continue;
    dynamic.push({ uri: file.uri, span: e.span, text: `${text.slice(e.span.start, e.span.end)} (line ${lineOf(file, e.span.start)})` });
  }
}

/** Connections whose source or target node is a node of `model` (node ids in the same workflow and function). */
function connectionsInFile(workspace: WorkspaceModel, file: SourceFile, model: ModelInfo, out: ModelUse[]): void {
  const facts = file.facts;
  if (!facts.connections.length) return;
  const ofModel = new Set<string>();
  const ctx = fileContext(workspace, file);
  for (const n of facts.nodes) {
    const id = strValue(n.nodeId);
    const type = nodeTypeOf(ctx, n);
    if (id === undefined || !type) continue;
    const m = n.viaInstance ? strValue(n.nodeTypeExpr) : parseNodeType(type)?.model;
    if (m !== model.name) continue;
    if (!sameModel(workspace.resolveModel(m, { uri: file.uri, offset: n.span.start, functionName: n.functionName }).model, model)) continue;
    ofModel.add(`${n.functionName ?? ''}\u0000${n.workflow ?? ''}\u0000${id}`);
  }
  if (!ofModel.size) return;
  for (const c of facts.connections) {
    for (const e of [c.from, c.to]) {
      const id = strValue(e);
      if (id === undefined || !e) continue;
      if (ofModel.has(`${c.functionName ?? ''}\u0000${c.workflow ?? ''}\u0000${id}`)) out.push({ uri: file.uri, kind: 'connection', span: { start: e.span.start + 1, end: e.span.end - 1 } });
    }
  }
}

/** Every use of `model` across the workspace, and the dynamic constructions a rename cannot follow. */
export function modelUses(workspace: WorkspaceModel, model: ModelInfo, opts: { connections?: boolean } = {}): { uses: ModelUse[]; dynamic: DynamicUse[] } {
  const uses: ModelUse[] = [];
  const dynamic: DynamicUse[] = [];
  for (const file of workspace.allFiles()) {
    usesInFile(workspace, file, model, uses, dynamic);
    if (opts.connections) connectionsInFile(workspace, file, model, uses);
  }
  // The declaration even when its file text changed oddly (e.g. decorators in between).
  if (!uses.some((u) => u.kind === 'declaration')) uses.push({ uri: model.uri, kind: 'declaration', span: model.cls.nameSpan, nameSpan: model.cls.nameSpan });
  uses.sort((a, b) => a.uri.localeCompare(b.uri) || a.span.start - b.span.start);
  return { uses, dynamic };
}
