// What the cursor is on, in DataFlow terms: a node type string, a model name (class, decorator,
// reference, express or db.add_node model argument), a model field key in a node config, a node id
// in a connection, or a DataFlow(...) keyword. Read from the file's facts and its parse tree; half
// typed code simply yields nothing.
import type { Node } from '../syntax/parser';
import type { ConnectionFact, DataFlowInstanceFact, NodeUseFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import type { ModelInfo, ModelResolution, UseSite, WorkspaceModel } from '../model/workspaceModel';
import { parseNodeType, type NodeOperation } from '../catalogue';
import type { SExpr, Span } from '../model/staticExpr';
import { defaultSettings } from '../settings';
import type { RuleContext } from '../analysis/context';
import { resolveNode, type ResolvedNode } from '../rules/nodeContext';
import { expressFieldRefs, nodeFieldRefs, type FieldRef } from '../rules/fieldUses';

export type Site =
  | { kind: 'nodeType'; span: Span; type: string; model: string; op: NodeOperation; resolution: ModelResolution; at: UseSite; node?: ResolvedNode }
  | { kind: 'model'; span: Span; name: string; resolution: ModelResolution; at: UseSite; via: 'class' | 'decorator' | 'reference' | 'express' }
  | { kind: 'field'; span: Span; field: string; ref: FieldRef; model?: ModelInfo; op?: NodeOperation; siblings: FieldRef[]; at: UseSite }
  | { kind: 'nodeId'; span: Span; id: string; connection: ConnectionFact; at: UseSite }
  | { kind: 'kwarg'; span: Span; name: string; instance: DataFlowInstanceFact };

const contains = (s: Span | undefined, offset: number) => !!s && s.start <= offset && offset <= s.end;

/** A rule context over the whole file (the helpers that read node configs take one). */
export function fileContext(workspace: WorkspaceModel, file: SourceFile): RuleContext {
  return { file, facts: file.facts, workspace, settings: defaultSettings() };
}

/** `func` / `Class.method` around a tree node, as the extractor names it. */
export function functionNameAt(n: Node | null): string | undefined {
  const parts: string[] = [];
  for (let p = n?.parent ?? null; p; p = p.parent) {
    if (p.type === 'function_definition') parts.push(p.childForFieldName('name')?.text ?? '');
    else if (p.type === 'class_definition' && parts.length) parts.push(p.childForFieldName('name')?.text ?? '');
  }
  return parts.length ? parts.reverse().join('.') : undefined;
}

/** The string literal around a tree node: its node and the span of its content (between the quotes). */
export function stringAt(n: Node | null): { node: Node; content: Span; value?: string } | undefined {
  for (let p = n, i = 0; p && i < 3; p = p.parent, i++) {
    if (p.type !== 'string') continue;
    const start = p.children.find((c) => c?.type === 'string_start');
    const end = p.children.find((c) => c?.type === 'string_end');
    if (!start || !end) return undefined;
    const dynamic = p.children.some((c) => c?.type === 'interpolation');
    const content = { start: start.endIndex, end: end.startIndex };
    const raw = p.text.slice(start.endIndex - p.startIndex, end.startIndex - p.startIndex);
    return { node: p, content, value: dynamic || raw.includes('\\') ? undefined : raw };
  }
  return undefined;
}

/** The tree node at an offset (the character under the cursor, else the one before it). */
export function treeNodeAt(file: SourceFile, offset: number): Node | null {
  const root = file.doc.tree?.rootNode;
  if (!root) return null;
  const n = root.descendantForIndex(offset);
  if (n && n.type !== 'module' && n.type !== 'block') return n;
  return offset > 0 ? root.descendantForIndex(offset - 1) : n;
}

function fieldSite(ctx: RuleContext, offset: number, str: { content: Span }): Site | undefined {
  const inRef = (r: FieldRef) => r.span.start <= offset && offset <= r.span.end && r.span.start < str.content.end;
  // The call around the cursor first; then calls whose config (or one of its parts) is a variable,
  // whose dict may be written elsewhere. Other calls cannot hold the key under the cursor.
  const held = (e: SExpr | undefined) => !!e && (e.k === 'name' || e.k === 'attr');
  const around = ctx.file.facts.nodes.filter((f) => contains(f.span, offset));
  const resolver = ctx.file.resolver;
  const reaches = (e: SExpr | undefined, f: NodeUseFact): boolean => held(e) && contains(resolver.value(e, f.span.start, f.functionName)?.span, offset);
  const viaNames = ctx.file.facts.nodes.filter((f) => !contains(f.span, offset)
    && (reaches(f.config, f) || (f.config?.k === 'dict' && f.config.entries.some((e) => reaches(e.value, f) || (e.value.k === 'list' && e.value.items.some((i) => reaches(i, f)))))));
  for (const fact of [...around, ...viaNames]) {
    const node = resolveNode(ctx, fact);
    if (!node) continue;
    const info = node.info;
    const flat = (k: string) => !!info?.fields.some((f) => f.name === k);
    const refs = nodeFieldRefs(ctx, { fact, model: node.model, op: node.op, info, config: node.config }, flat);
    const ref = refs.find(inRef);
    if (ref) return { kind: 'field', span: str.content, field: ref.field, ref, model: info, op: node.op, siblings: refs, at: { uri: ctx.file.uri, offset: fact.span.start, functionName: fact.functionName } };
  }
  for (const ex of ctx.file.facts.express) {
    if (!ex.model || (!contains(ex.span, offset) && !ex.args.some(held) && !ex.kwargs.some((k) => held(k.value)))) continue;
    const refs = expressFieldRefs(ctx, ex);
    const ref = refs.find(inRef);
    if (!ref) continue;
    const at: UseSite = { uri: ctx.file.uri, offset: ex.span.start, functionName: ex.functionName };
    return { kind: 'field', span: str.content, field: ref.field, ref, model: ctx.workspace.resolveModel(ex.model, at).model, siblings: refs, at };
  }
  return undefined;
}

function nodeTypeSite(ctx: RuleContext, span: Span, type: string, at: UseSite, node?: ResolvedNode): Site | undefined {
  const parsed = parseNodeType(type);
  if (!parsed) return undefined;
  const resolution = ctx.workspace.resolveModel(parsed.model, at);
  if (!resolution.model && !resolution.candidates.length) return undefined;
  return { kind: 'nodeType', span, type, model: parsed.model, op: parsed.op, resolution, at, node };
}

function modelSite(ctx: RuleContext, span: Span, name: string, at: UseSite, via: Extract<Site, { kind: 'model' }>['via']): Site | undefined {
  const resolution = ctx.workspace.resolveModel(name, at);
  if (!resolution.model && !resolution.candidates.length) return undefined;
  return { kind: 'model', span, name, resolution, at, via };
}

/** The DataFlow site at `offset` of `file`, or undefined. Never throws on half-typed code. */
export function siteAt(workspace: WorkspaceModel, file: SourceFile, offset: number): Site | undefined {
  const ctx = fileContext(workspace, file);
  const facts = file.facts;
  const tn = treeNodeAt(file, offset);
  if (!tn) return undefined;
  const str = stringAt(tn);
  if (str) {
    const s = str.content;
    const here = (e: { span: Span } | undefined) => !!e && e.span.start === str.node.startIndex && e.span.end === str.node.endIndex;
    for (const fact of facts.nodes as NodeUseFact[]) {
      if (!contains(fact.span, offset)) continue;
      const at: UseSite = { uri: file.uri, offset: fact.span.start, functionName: fact.functionName };
      if (here(fact.nodeTypeExpr) && str.value !== undefined) {
        // db.add_node(workflow, "Product", "Create", ...): the model argument stands for ProductCreateNode.
        if (fact.viaInstance) return fact.nodeType ? nodeTypeSite(ctx, s, fact.nodeType, at, resolveNode(ctx, fact)) : undefined;
        return nodeTypeSite(ctx, s, str.value, at, resolveNode(ctx, fact));
      }
    }
    for (const c of facts.connections) {
      if (!contains(c.span, offset) || str.value === undefined) continue;
      if (here(c.from) || here(c.to)) return { kind: 'nodeId', span: s, id: str.value, connection: c, at: { uri: file.uri, offset: c.span.start, functionName: c.functionName } };
    }
    for (const ex of facts.express) {
      if (!contains(ex.span, offset) || !ex.model) continue;
      const arg = ex.args[0] ?? ex.kwargs.find((k) => k.name === 'model')?.value;
      if (here(arg)) return modelSite(ctx, s, ex.model, { uri: file.uri, offset: ex.span.start, functionName: ex.functionName }, 'express');
    }
    const field = fieldSite(ctx, offset, str);
    if (field) return field;
    // A node type held in a constant (`CREATE = "OrderCreateNode"`) or written anywhere else.
    if (str.value !== undefined) return nodeTypeSite(ctx, s, str.value, { uri: file.uri, offset: str.node.startIndex, functionName: functionNameAt(str.node) });
    return undefined;
  }
  if (tn.type !== 'identifier') return undefined;
  const span = { start: tn.startIndex, end: tn.endIndex };
  const name = tn.text;
  const parent = tn.parent;
  // A DataFlow(...) keyword.
  if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === tn.id) {
    const inst = facts.instances.find((i) => i.kwargs.some((k) => k.span.start === parent.startIndex));
    if (inst) return { kind: 'kwarg', span, name, instance: inst };
    return undefined;
  }
  const at: UseSite = { uri: file.uri, offset: tn.startIndex, functionName: functionNameAt(tn) };
  // `@db.model`: the class it decorates.
  for (const cls of facts.classes) {
    if (cls.modelDecoratorSpan && contains(cls.modelDecoratorSpan, offset)) {
      return modelSite(ctx, cls.modelDecoratorSpan, cls.name, { uri: file.uri, offset: cls.span.start, functionName: cls.enclosingFunction }, 'decorator');
    }
    if (cls.nameSpan.start === span.start && workspace.isModel(cls, file.uri)) {
      return modelSite(ctx, span, cls.name, { uri: file.uri, offset: cls.span.start, functionName: cls.enclosingFunction }, 'class');
    }
  }
  // `x.Product` is an attribute of something else; `Product` alone may be the model.
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === tn.id) return undefined;
  if (!/^[A-Z]/.test(name)) return undefined;
  return modelSite(ctx, span, name, at, 'reference');
}
