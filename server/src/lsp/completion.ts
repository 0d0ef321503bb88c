// textDocument/completion for DataFlow code: which items a position gets. Node type names in
// add_node, model names in express calls, a node's parameter keys and enum values, model fields
// (and filter operators) inside filter / data / fields / order_by / conflict_on values, connection
// outputs, node ids and inputs, DataFlow(...) keywords and __dataflow__ keys; the items themselves
// (with their documentation) come from completionBuilders.ts. Unknown shapes give no items.
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver';
import {
  DATAFLOW_MODEL_KEYS, DATAFLOW_MODEL_KEY_NOTES, EXPRESS_OPS, EXPRESS_PARAMS, INDEX_ENTRY_KEYS, INDEX_ENTRY_KEY_NOTES,
  OPERATIONS, SORT_ENTRY_KEYS, parseNodeType, type EnumValue, type FieldShape, type NodeOperation,
} from '../catalogue';
import type { SourceFile } from '../model/sourceFile';
import type { ModelInfo, WorkspaceModel } from '../model/workspaceModel';
import { strValue } from '../model/staticExpr';
import {
  argumentText, cursorContext, entryKey, positionalIndex, stringLiteral,
  type CursorContext, type Frame,
} from './cursorContext';
import {
  constructorKeywordItems, enumItems, fieldItems, item, modelAt, modelNameItems, nodeIdItems, nodeTypeItems,
  operationItems, operatorItems, outputItems, pad, paramItems, type Implicit, type ItemSite, type NodeTarget,
} from './completionBuilders';

/** `"`/`'` open a string argument or key, `.` a dotted output (`record.id`), `$` an operator. */
export const COMPLETION_TRIGGERS = ['"', "'", '.', '$'];

/** Where the completion request sits: the item site, and what the lexer read. */
interface Site extends ItemSite {
  ctx: CursorContext;
  /** The statement the cursor is in begins here (the lexer's start). */
  from: number;
}

/** The completion items at `offset` of `file`; empty for anything this server does not know. */
export function completionItems(workspace: WorkspaceModel, file: SourceFile, offset: number): CompletionItem[] {
  const text = file.text;
  if (offset < 0 || offset > text.length) return [];
  const from = statementStart(file, offset);
  const ctx = cursorContext(text, from, offset);
  if (!ctx || !ctx.frames.length) return [];
  const site: Site = {
    file, workspace, ctx, offset, from, functionName: functionNameAt(file, offset),
    replace: replaceRange(file, ctx, offset),
  };
  const top = ctx.frames[ctx.frames.length - 1];
  const cur = top.entries[top.entries.length - 1];
  if (!ctx.string) {
    // An identifier being typed: a DataFlow(...) keyword, or a dict key not yet quoted.
    if (text.slice(cur.valueStart, ctx.word.start).trim() !== '') return [];
    const kw = constructorKeywords(site) ?? nodeKeywords(site);
    if (kw) return kw;
    if (top.open !== '{' || cur.colon !== undefined) return [];
    site.quote = '"';
    return containerItems(site);
  }
  if (/[fFbB]/.test(ctx.string.prefix)) return [];
  // The string must be the whole argument / key / value / item so far.
  if (text.slice(cur.valueStart, ctx.string.quoteAt - ctx.string.prefix.length).trim() !== '') return [];
  if (top.open === '(' && top.callee) return callArgumentItems(site, top);
  return containerItems(site);
}

// ---------------------------------------------------------------------------------------------
// Where to start reading, the enclosing function, the range to replace.

/**
 * Where the lexer starts: the top-level statement around the cursor when the file parses; else
 * (tree-sitter's error recovery splits a broken function into fragments that start anywhere,
 * even inside a call) the nearest earlier line that starts a statement at column 0.
 */
function statementStart(file: SourceFile, offset: number): number {
  const st = file.facts.statements;
  if (st.length && file.doc.tree && !file.doc.tree.rootNode.hasError) {
    let lo = 0, hi = st.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (st[mid].span.start <= offset) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best >= 0) return st[best].span.start;
  }
  const text = file.text;
  let at = text.lastIndexOf('\n', offset - 1);
  for (let scanned = 0; at >= 0 && scanned < 200000; at = text.lastIndexOf('\n', at - 1)) {
    scanned = offset - at;
    if (COLUMN0_STATEMENT.test(text.slice(at + 1, at + 80))) return at + 1;
  }
  return 0;
}
const COLUMN0_STATEMENT = /^(?:def |class |async |@|from |import |if |for |while |with |try:|[A-Za-z_][\w.]*\s*(?:=|\(|\.|\[))/;

/** `func`, `Class.method` (as the extractor names them), or undefined at module level. */
function functionNameAt(file: SourceFile, offset: number): string | undefined {
  const tree = file.doc.tree;
  if (!tree) return undefined;
  const parts: Array<{ kind: string; name: string }> = [];
  for (let n = tree.rootNode.descendantForIndex(Math.max(0, offset - 1)); n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      const name = n.childForFieldName('name')?.text;
      if (name) parts.push({ kind: n.type, name });
    }
  }
  const names: string[] = [];
  for (const p of parts) if (p.kind === 'function_definition' || names.length) names.push(p.name);
  return names.length ? names.reverse().join('.') : undefined;
}

function replaceRange(file: SourceFile, ctx: CursorContext, offset: number): Range {
  const text = file.text;
  if (ctx.string) {
    const stop = ctx.string.closeAt ?? text.indexOf('\n', offset) >>> 0;
    const after = /^[\w.$-]*/.exec(text.slice(offset, Math.min(stop, offset + 200)))![0];
    return file.doc.lines.range(ctx.string.contentStart, offset + after.length);
  }
  const after = /^\w*/.exec(text.slice(offset, offset + 200))![0];
  return file.doc.lines.range(ctx.word.start, offset + after.length);
}

function paramSpec(op: NodeOperation, key: string): { fields?: FieldShape; values?: EnumValue[] } | undefined {
  const spec = OPERATIONS[op];
  return spec.params.find((p) => p.name === key) ?? spec.aliases.find((a) => a.name === key);
}

// ---------------------------------------------------------------------------------------------
// Arguments of a call: add_node, db.express.<op>, add_connection, connect.

const EXPRESS_CALLEE = /(?:^|\.)(express|express_sync)\.(\w+)$/;

function method(callee: string): string { return callee.slice(callee.lastIndexOf('.') + 1); }
function receiver(callee: string): string { return callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.')) : ''; }

function callArgumentItems(site: Site, call: Frame): CompletionItem[] {
  const callee = call.callee!;
  const cur = call.entries[call.entries.length - 1];
  const index = positionalIndex(call);
  const kw = cur.keyword;
  const text = site.file.text;
  const arg = (i: number, k?: string) => argumentText(text, call, i, k, site.offset);
  const ex = EXPRESS_CALLEE.exec(callee);
  if (ex) {
    if (!EXPRESS_OPS.has(ex[2])) return [];
    return (kw === 'model' || (kw === undefined && index === 0)) ? modelNameItems(site) : [];
  }
  switch (method(callee)) {
    case 'add_node': {
      if (kw === 'node_type' || (kw === undefined && index === 0)) return nodeTypeItems(site);
      // DataFlow's wrapper: db.add_node(workflow, "Model", "Op", "id", {...}).
      const first = arg(0);
      if (kw === undefined && first !== undefined && stringLiteral(first) === undefined) {
        if (index === 1) return modelNameItems(site);
        if (index === 2 && stringLiteral(arg(1) ?? '') !== undefined) return operationItems(site);
      }
      return [];
    }
    case 'add_connection': {
      const recv = receiver(callee);
      const which = kw === 'from_node' ? 0 : kw === 'from_output' ? 1 : kw === 'to_node' ? 2 : kw === 'to_input' ? 3 : kw === undefined ? index : -1;
      const from = stringLiteral(arg(0, 'from_node') ?? '');
      if (which === 0) return nodeIdItems(site, recv, workflowNodes(site, recv), undefined);
      if (which === 2) return nodeIdItems(site, recv, workflowNodes(site, recv), from);
      if (which === 1) {
        const node = from !== undefined ? nodeById(site, recv, from) : undefined;
        return node ? outputItems(site, node) : [];
      }
      if (which === 3) {
        const to = stringLiteral(arg(2, 'to_node') ?? '');
        const node = to !== undefined ? nodeById(site, recv, to) : undefined;
        return node ? paramItems(site, node) : [];
      }
      return [];
    }
    case 'connect': {
      const recv = receiver(callee);
      if (kw === 'from_node' || (kw === undefined && index === 0)) return nodeIdItems(site, recv, workflowNodes(site, recv), undefined);
      if (kw === 'to_node' || (kw === undefined && index === 1)) return nodeIdItems(site, recv, workflowNodes(site, recv), stringLiteral(arg(0, 'from_node') ?? ''));
      return [];
    }
    default: return [];
  }
}

/** The nodes a workflow variable has (id -> type), in this function: the facts, then the text of this statement. */
function workflowNodes(site: Site, workflow: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of site.file.facts.nodes) {
    if (n.workflow !== workflow || n.functionName !== site.functionName) continue;
    const id = strValue(n.nodeId);
    if (id === undefined) continue;
    const type = n.nodeType ?? '';
    if (!out.has(id)) out.set(id, type);
  }
  // The statement being typed may not parse: read its literal add_node calls from the text.
  const end = Math.min(site.file.text.length, site.offset + 20000);
  const chunk = site.file.text.slice(site.from, end);
  const re = /([\w.]+)\.add_node\(\s*(?:node_type\s*=\s*)?["'](\w+)["']\s*,\s*(?:node_id\s*=\s*)?["']([^"'\n]+)["']/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(chunk))) if (m[1] === workflow && !out.has(m[3])) out.set(m[3], m[2]);
  return out;
}

function nodeById(site: Site, workflow: string, id: string): NodeTarget | undefined {
  const type = workflowNodes(site, workflow).get(id);
  const parsed = type ? parseNodeType(type) : undefined;
  if (!type || !parsed) return undefined;
  const model = modelAt(site, parsed.model);
  return model ? { op: parsed.op, model, type } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Inside dicts and lists: node configs (positional, keyword, in a variable), express arguments,
// __dataflow__.

type State =
  | { t: 'config'; node: NodeTarget }
  | { t: 'fieldDict'; shape: 'filter' | 'values'; model: ModelInfo; surface: Surface; implicit?: Implicit }
  | { t: 'fieldList'; shape: 'records' | 'names' | 'orderBy' | 'sort'; model: ModelInfo }
  | { t: 'operators'; surface: 'workflow' | 'express' | 'bulk' | 'id' | 'none' }
  | { t: 'sortEntry'; model: ModelInfo }
  | { t: 'orderEntry'; model: ModelInfo }
  | { t: 'fieldName'; model: ModelInfo; implicit: Implicit }
  | { t: 'enum'; param: string; values: EnumValue[] }
  | { t: 'dataflowConfig'; fields: string[] }
  | { t: 'indexList'; fields: string[] }
  | { t: 'indexEntry'; fields: string[] }
  | { t: 'classFields'; fields: string[] };

function shapeState(shape: FieldShape | undefined, model: ModelInfo, surface: 'workflow' | 'express' | 'bulk' | 'id' | 'none'): State | undefined {
  if (!shape) return undefined;
  if (shape === 'filter' || shape === 'values') return { t: 'fieldDict', shape, model, surface };
  return { t: 'fieldList', shape, model };
}

type Surface = 'workflow' | 'express' | 'bulk' | 'id' | 'none';

/** Which filter language a node's filter speaks (catalogue filterPath). */
function surfaceOf(op: NodeOperation): Surface {
  const p = OPERATIONS[op].filterPath;
  return p === 'list' ? 'workflow' : p;
}

function valueState(s: State, key: string): State | undefined {
  switch (s.t) {
    case 'config': {
      const p = paramSpec(s.node.op, key);
      if (!p) return undefined;
      if (p.fields) return shapeState(p.fields, s.node.model, surfaceOf(s.node.op));
      return p.values ? { t: 'enum', param: key, values: p.values } : undefined;
    }
    case 'fieldDict': return s.shape === 'filter' && !key.startsWith('$') ? { t: 'operators', surface: s.surface } : undefined;
    case 'sortEntry': {
      if (key === 'field') return { t: 'fieldName', model: s.model, implicit: 'all' };
      const e = SORT_ENTRY_KEYS.find((k) => k.name === key);
      return e?.values ? { t: 'enum', param: key, values: e.values } : undefined;
    }
    case 'dataflowConfig': return key === 'indexes' ? { t: 'indexList', fields: s.fields } : undefined;
    case 'indexEntry': return key === 'fields' ? { t: 'classFields', fields: s.fields } : undefined;
    default: return undefined;
  }
}

function itemState(s: State): State | undefined {
  if (s.t === 'fieldList') {
    if (s.shape === 'records') return { t: 'fieldDict', shape: 'values', model: s.model, surface: 'none', implicit: 'id' };
    if (s.shape === 'names') return { t: 'fieldName', model: s.model, implicit: 'id' };
    if (s.shape === 'orderBy') return { t: 'orderEntry', model: s.model };
    return { t: 'sortEntry', model: s.model };
  }
  if (s.t === 'indexList') return { t: 'indexEntry', fields: s.fields };
  if (s.t === 'classFields') return s;
  return undefined;
}

const isDictState = (s: State) => ['config', 'fieldDict', 'operators', 'sortEntry', 'orderEntry', 'dataflowConfig', 'indexEntry'].includes(s.t);
const isListState = (s: State) => s.t === 'fieldList' || s.t === 'indexList' || s.t === 'classFields';

/** The items for the innermost container, walking the dicts and lists from the call or variable that holds them. */
function containerItems(site: Site): CompletionItem[] {
  const { frames } = site.ctx;
  const text = site.file.text;
  let k = frames.length - 1;
  while (k >= 0 && !(frames[k].open === '(' && frames[k].callee)) k--;
  const inner = frames.slice(k + 1);
  if (!inner.length) return [];
  let state = k >= 0 ? rootFromCall(site, frames[k], inner[0]) : rootFromVariable(site, frames[0]);
  if (!state) return [];
  // Walk down to the innermost container.
  for (let j = 0; j < inner.length - 1 && state; j++) {
    const f = inner[j];
    const e = f.entries[f.entries.length - 1];
    if (f.open === '{') {
      if (!isDictState(state)) return [];
      const key = entryKey(text, e);
      if (key === undefined) return [];
      state = valueState(state, key);
    } else {
      if (!isListState(state)) return [];
      state = itemState(state);
    }
  }
  if (!state) return [];
  const last = inner[inner.length - 1];
  const e = last.entries[last.entries.length - 1];
  if (last.open === '{') {
    if (!isDictState(state)) return [];
    if (e.colon === undefined) return keyItems(site, state);
    if (site.quote) return [];
    const key = entryKey(text, e);
    const v = key === undefined ? undefined : valueState(state, key);
    return v ? leafItems(site, v) : [];
  }
  if (!isListState(state) || site.quote) return [];
  const it = itemState(state);
  return it ? leafItems(site, it) : [];
}

function keyItems(site: Site, s: State): CompletionItem[] {
  switch (s.t) {
    case 'config': return paramItems(site, s.node);
    case 'fieldDict':
      if (s.shape === 'filter' && s.surface === 'id') return fieldItems(site, s.model, { implicit: 'id', only: ['id'], note: 'Read/Update/Delete read only the id of their filter; other keys are ignored.' });
      return fieldItems(site, s.model, { implicit: s.shape === 'filter' ? 'all' : s.implicit ?? 'none' });
    case 'operators': return s.surface === 'id' || s.surface === 'none' ? [] : operatorItems(site, s.surface);
    case 'sortEntry': return SORT_ENTRY_KEYS.map((k, i) => item(site, k.name, CompletionItemKind.Property, pad(i), k.effect, `**${k.name}** of a ListNode \`sort\` entry\n\n${k.effect}`));
    case 'orderEntry': return fieldItems(site, s.model, { implicit: 'all', note: '`{field: 1}` ascending, `{field: -1}` descending; any other value means ascending.' });
    case 'dataflowConfig': return DATAFLOW_MODEL_KEYS.map((k, i) => item(site, k, CompletionItemKind.Property, pad(i), DATAFLOW_MODEL_KEY_NOTES[k], `**__dataflow__["${k}"]**\n\n${DATAFLOW_MODEL_KEY_NOTES[k]}`));
    case 'indexEntry': return INDEX_ENTRY_KEYS.map((k, i) => item(site, k, CompletionItemKind.Property, pad(i), INDEX_ENTRY_KEY_NOTES[k], `**${k}** of an index entry\n\n${INDEX_ENTRY_KEY_NOTES[k]}\n\nOther keys (\`type\`, \`where\`, \`include\`) are ignored: every index is a btree.`));
    default: return [];
  }
}

function leafItems(site: Site, s: State): CompletionItem[] {
  switch (s.t) {
    case 'enum': return enumItems(site, s.param, s.values);
    case 'fieldName': return fieldItems(site, s.model, { implicit: s.implicit });
    case 'orderEntry': return fieldItems(site, s.model, { implicit: 'all', descending: true });
    case 'classFields': return s.fields.map((f, i) => item(site, f, CompletionItemKind.Field, pad(i), 'field of this model', `Field \`${f}\` of this model`));
    default: return [];
  }
}

/** The state of the container passed as the current argument of a known call. */
function rootFromCall(site: Site, call: Frame, first: Frame): State | undefined {
  const callee = call.callee!;
  const text = site.file.text;
  const index = positionalIndex(call);
  const kw = call.entries[call.entries.length - 1].keyword;
  const arg = (i: number, k?: string) => argumentText(text, call, i, k, site.offset);
  const ex = EXPRESS_CALLEE.exec(callee);
  if (ex) {
    const params = EXPRESS_PARAMS[ex[2]];
    const modelName = stringLiteral(arg(0, 'model') ?? '');
    const model = modelName === undefined ? undefined : site.workspace.models().has(modelName) ? modelAt(site, modelName) : undefined;
    if (!params || !model) return undefined;
    const p = kw !== undefined ? params.find((x) => x.name === kw) : params[index - 1];
    return shapeState(p?.fields, model, 'express');
  }
  if (method(callee) !== 'add_node') return undefined;
  const firstArg = arg(0, 'node_type');
  // add_node("T", "id", filter={...}): the keywords are the config.
  if (kw !== undefined && !['node_type', 'node_id', 'config', 'params'].includes(kw)) {
    const type = typeFromText(site, firstArg);
    const config = type ? configState(site, type) : undefined;
    return config ? valueState(config, kw) : undefined;
  }
  if (first.open !== '{') return undefined;
  const viaInstance = kw === undefined && firstArg !== undefined && stringLiteral(firstArg) === undefined && stringLiteral(arg(1) ?? '') !== undefined;
  let type: string | undefined;
  let isConfig: boolean;
  if (viaInstance) {
    const op = stringLiteral(arg(2) ?? '');
    type = op ? `${stringLiteral(arg(1) ?? '')}${op}Node` : undefined;
    isConfig = kw === 'params' || index === 4;
  } else {
    type = typeFromText(site, firstArg);
    isConfig = kw === 'config' || (kw === undefined && (index === 2 || (index === 1 && first.open === '{')));
  }
  return isConfig && type ? configState(site, type) : undefined;
}

function typeFromText(site: Site, src: string | undefined): string | undefined {
  if (src === undefined) return undefined;
  const lit = stringLiteral(src);
  if (lit !== undefined) return lit;
  const name = src.trim();
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  return strValue(site.file.resolver.value({ k: 'name', id: name, span: { start: site.offset, end: site.offset } }, site.offset, site.functionName));
}

function configState(site: Site, type: string): State | undefined {
  const parsed = parseNodeType(type);
  if (!parsed) return undefined;
  const model = modelAt(site, parsed.model);
  return model ? { t: 'config', node: { op: parsed.op, model, type } } : undefined;
}

/** `params = {...}` later passed to add_node / an express call, or `__dataflow__ = {...}` in a model class. */
function rootFromVariable(site: Site, outer: Frame): State | undefined {
  const name = outer.assignedTo;
  if (!name || outer.open !== '{') return undefined;
  if (name === '__dataflow__') {
    const cls = site.file.facts.classes.find((c) => c.bodySpan.start <= site.offset && site.offset <= c.bodySpan.end);
    return { t: 'dataflowConfig', fields: cls ? cls.fields.map((f) => f.name) : [] };
  }
  // The first use after the assignment, in the same function.
  let best: { at: number; type?: string; express?: { op: string; model?: string; param?: number } } | undefined;
  for (const n of site.file.facts.nodes) {
    if (n.functionName !== site.functionName || n.span.start < site.offset || n.config?.k !== 'name' || n.config.id !== name) continue;
    if (!best || n.span.start < best.at) best = { at: n.span.start, type: n.nodeTypeExpr?.k === 'str' ? n.nodeType : typeFromText(site, n.nodeTypeExpr ? site.file.text.slice(n.nodeTypeExpr.span.start, n.nodeTypeExpr.span.end) : undefined) };
  }
  for (const x of site.file.facts.express) {
    if (x.functionName !== site.functionName || x.span.start < site.offset) continue;
    const pi = x.args.findIndex((a) => a.k === 'name' && a.id === name);
    const kwi = x.kwargs.find((a) => a.value.k === 'name' && a.value.id === name);
    if (pi < 1 && !kwi) continue;
    if (!best || x.span.start < best.at) {
      const params = EXPRESS_PARAMS[x.op] ?? [];
      const param = pi >= 1 ? pi - 1 : params.findIndex((p) => p.name === kwi!.name);
      best = { at: x.span.start, express: { op: x.op, model: x.model, param } };
    }
  }
  if (!best) {
    // The function may not parse while the dict is typed: a literal add_node(..., name) after it.
    const after = site.file.text.slice(site.offset, site.offset + 20000);
    const re = new RegExp(`\\.add_node\\(\\s*["'](\\w+)["']\\s*,[^,()\\n]*,\\s*(?:config\\s*=\\s*)?${name.replace(/\./g, '\\.')}\\s*\\)`);
    const m = re.exec(after);
    if (m) best = { at: site.offset + m.index, type: m[1] };
  }
  if (!best) return undefined;
  if (best.express) {
    const model = best.express.model ? modelAt(site, best.express.model) : undefined;
    const p = EXPRESS_PARAMS[best.express.op]?.[best.express.param ?? -1];
    return model && p ? shapeState(p.fields, model, 'express') : undefined;
  }
  return best.type ? configState(site, best.type) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Keyword arguments: add_node("T", "id", k=v) (the keywords are the config) and DataFlow(...).

function nodeKeywords(site: Site): CompletionItem[] | undefined {
  const top = site.ctx.frames[site.ctx.frames.length - 1];
  if (top.open !== '(' || !top.callee || method(top.callee) !== 'add_node') return undefined;
  const cur = top.entries[top.entries.length - 1];
  if (cur.keyword !== undefined || positionalIndex(top) < 2 || site.file.text.slice(cur.start, site.ctx.word.start).trim() !== '') return [];
  const first = argumentText(site.file.text, top, 0, 'node_type', site.offset);
  const type = typeFromText(site, first);
  const config = type ? configState(site, type) : undefined;
  if (!config || config.t !== 'config') return [];
  const given = new Set(top.entries.map((e) => e.keyword).filter((k): k is string => !!k));
  return paramItems(site, config.node).filter((i) => !given.has(i.label)).map((i) => ({
    ...i, filterText: i.label, textEdit: { range: site.replace, newText: `${i.label}=` },
  }));
}

// DataFlow(...) keywords.

function constructorKeywords(site: Site): CompletionItem[] | undefined {
  const top = site.ctx.frames[site.ctx.frames.length - 1];
  if (top.open !== '(' || !top.callee || method(top.callee) !== 'DataFlow') return undefined;
  const cur = top.entries[top.entries.length - 1];
  if (cur.keyword !== undefined || site.file.text.slice(cur.start, site.ctx.word.start).trim() !== '') return [];
  const given = new Set(top.entries.map((e) => e.keyword).filter((k): k is string => !!k));
  if (positionalIndex(top) > 0) given.add('database_url');
  return constructorKeywordItems(site, given);
}
