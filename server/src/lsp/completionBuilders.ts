// The completion items DataFlow's facts make, each with its documentation: node types and model
// names (from the workspace model), a node's parameters and enum values, model fields with type,
// default and index, filter operators, output keys and node ids (from the catalogue), and the
// DataFlow(...) keywords. completion.ts decides which of them a position gets.
import {
  CompletionItemKind, CompletionItemTag, type CompletionItem, type MarkupContent, type Range,
} from 'vscode-languageserver';
import {
  CONSTRUCTOR_KWARGS, NODE_OPERATIONS, OPERATIONS, OPERATOR_EFFECTS, BULK_OPERATORS, EXPRESS_OPERATORS, WORKFLOW_LIST_OPERATORS,
  parseNodeType, type EnumValue, type KwargEffect, type NodeOperation, type ParamSpec,
} from '../catalogue';
import type { FieldFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import type { ModelInfo, WorkspaceModel } from '../model/workspaceModel';
import { classNameToTableName } from '../runtime/dataflow/naming/tableName';

/** What every item needs to know about where it is requested. */
export interface ItemSite {
  file: SourceFile;
  workspace: WorkspaceModel;
  offset: number;
  functionName: string | undefined;
  /** The range each item's edit replaces. */
  replace: Range;
  /** Outside a string, keys are inserted with this quote around them. */
  quote?: string;
}

export const md = (value: string): MarkupContent => ({ kind: 'markdown', value });
export const pad = (n: number) => String(n).padStart(3, '0');

export function item(site: ItemSite, label: string, kind: CompletionItemKind, sort: string, detail: string, doc: string, extra: Partial<CompletionItem> = {}): CompletionItem {
  const insert = site.quote ? `${site.quote}${label}${site.quote}` : label;
  return {
    label, kind, detail, documentation: md(doc), sortText: sort, filterText: site.quote ? insert : label,
    textEdit: { range: site.replace, newText: insert }, ...extra,
  };
}

/** Models visible from the use site, current file first, then by name. */
export function visibleModels(site: ItemSite): ModelInfo[] {
  const out: ModelInfo[] = [];
  for (const name of site.workspace.models().keys()) {
    const r = site.workspace.resolveModel(name, { uri: site.file.uri, offset: site.offset, functionName: site.functionName });
    const m = r.model ?? r.candidates[0];
    if (m) out.push(m);
  }
  return out.sort((a, b) => Number(b.uri === site.file.uri) - Number(a.uri === site.file.uri) || a.name.localeCompare(b.name));
}

export function modelAt(site: ItemSite, name: string): ModelInfo | undefined {
  const r = site.workspace.resolveModel(name, { uri: site.file.uri, offset: site.offset, functionName: site.functionName });
  return r.model ?? r.candidates[0];
}

function fileName(uri: string): string { return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)); }

function showDefault(v: unknown): string { return v === undefined ? 'None' : v === true ? 'True' : v === false ? 'False' : JSON.stringify(v); }

function paramLine(p: ParamSpec): string {
  return `\`${p.name}\`: ${p.type}${p.required ? ' (required)' : ` = ${showDefault(p.default)}`}`;
}

/** The label, detail and documentation of a model's 11 node types, built once per model definition. */
const nodeTypeDocs = new WeakMap<ModelInfo, Array<{ label: string; detail: string; doc: string; description: string }>>();

function nodeTypeDocsOf(m: ModelInfo): Array<{ label: string; detail: string; doc: string; description: string }> {
  let docs = nodeTypeDocs.get(m);
  if (docs) return docs;
  docs = NODE_OPERATIONS.map((op) => {
    const spec = OPERATIONS[op];
    const label = `${m.name}${op}Node`;
    const doc = [
      `**${label}** — ${op} on model \`${m.name}\` (${fileName(m.uri)}, table \`${tableOf(m)}\`)`,
      spec.summary,
      `Parameters: ${spec.params.map(paramLine).join(', ')}${spec.modelFieldsFlat === 'yes' ? `, and the model fields flat (${m.fields.map((f) => `\`${f.name}\``).join(', ')})` : ''}`,
      `Outputs: ${outputKeys(m, op).slice(0, 12).map((k) => `\`${k.key}\``).join(', ')}`,
    ].join('\n\n');
    return { label, detail: spec.summary, doc, description: `${m.name} · ${fileName(m.uri)}` };
  });
  nodeTypeDocs.set(m, docs);
  return docs;
}

export function nodeTypeItems(site: ItemSite): CompletionItem[] {
  const out: CompletionItem[] = [];
  visibleModels(site).forEach((m, mi) => {
    nodeTypeDocsOf(m).forEach((d, oi) => {
      out.push(item(site, d.label, CompletionItemKind.Class, `${pad(mi)}${pad(oi)}`, d.detail, d.doc, { labelDetails: { description: d.description } }));
    });
  });
  return out;
}

export function modelNameItems(site: ItemSite): CompletionItem[] {
  return visibleModels(site).map((m, i) => item(site, m.name, CompletionItemKind.Class, pad(i), `model · ${fileName(m.uri)}`,
    `**${m.name}** — table \`${tableOf(m)}\` (${fileName(m.uri)})\n\nFields: ${m.fields.map((f) => `\`${f.name}\`: ${f.annotation}`).join(', ')}`));
}

export function operationItems(site: ItemSite): CompletionItem[] {
  return NODE_OPERATIONS.map((op, i) => item(site, op, CompletionItemKind.EnumMember, pad(i), OPERATIONS[op].summary, `**${op}**\n\n${OPERATIONS[op].summary}`));
}

function tableOf(m: ModelInfo): string {
  return m.cls.tableName ?? classNameToTableName(m.name);
}

// ----- fields ---------------------------------------------------------------------------------

interface Column { name: string; type: string; field?: FieldFact; implicit: boolean }

/** Which columns DataFlow adds to list besides the model's fields: all (id, timestamps, deleted_at), only id, none. */
export type Implicit = 'all' | 'id' | 'none';

function columns(m: ModelInfo, implicit: Implicit): Column[] {
  const out: Column[] = m.fields.map((f) => ({ name: f.name, type: f.annotation, field: f, implicit: false }));
  if (implicit !== 'none') {
    const have = new Set(out.map((c) => c.name));
    const extra: Array<[string, string]> = [['id', 'int']];
    if (implicit === 'all') {
      extra.push(['created_at', 'datetime'], ['updated_at', 'datetime']);
      if (m.cls.softDelete) extra.push(['deleted_at', 'datetime']);
    }
    for (const [name, type] of extra) if (!have.has(name)) out.push({ name, type, implicit: true });
  }
  return out;
}

function indexNote(m: ModelInfo, name: string): string {
  if (name === 'id') return 'primary key (indexed)';
  const notes: string[] = [];
  for (const ix of m.indexes) {
    const pos = ix.fields.indexOf(name);
    if (pos < 0) continue;
    if (ix.source === 'legacy') { notes.push(`listed in \`__indexes__\`, which DataFlow 2.20 ignores`); continue; }
    const label = `${ix.unique ? 'unique ' : ''}index \`${ix.name ?? `idx_${tableOf(m)}_${ix.fields[0]}`}\``;
    notes.push(pos === 0 ? `leading column of ${label}` : `column ${pos + 1} of ${label} (not usable on its own)`);
  }
  const usable = notes.some((n) => n.startsWith('leading'));
  return notes.length ? `${usable ? 'indexed' : 'not indexed'}: ${notes.join('; ')}` : 'not indexed';
}

export function fieldItems(site: ItemSite, m: ModelInfo, opts: { implicit: Implicit; only?: string[]; descending?: boolean; note?: string }): CompletionItem[] {
  const out: CompletionItem[] = [];
  const modelFile = site.workspace.get(m.uri);
  columns(m, opts.implicit).forEach((c, i) => {
    if (opts.only && !opts.only.includes(c.name)) return;
    const dflt = c.field?.default ? ` = ${modelFile?.text.slice(c.field.default.span.start, c.field.default.span.end) ?? '…'}` : '';
    const detail = `${c.type}${dflt} · ${indexNote(m, c.name).split(':')[0]}`;
    const doc = `**${m.name}.${c.name}**: \`${c.type}${dflt}\`${c.implicit ? ' (added by DataFlow)' : ''}\n\n${indexNote(m, c.name)}${opts.note ? `\n\n${opts.note}` : ''}`;
    out.push(item(site, c.name, CompletionItemKind.Field, `0${pad(i)}`, detail, doc));
    if (opts.descending) out.push(item(site, `-${c.name}`, CompletionItemKind.Field, `1${pad(i)}`, `${detail} · descending`, `${doc}\n\n\`"-${c.name}"\`: ORDER BY "${c.name}" DESC`));
  });
  return out;
}

export function operatorItems(site: ItemSite, surface: 'workflow' | 'express' | 'bulk'): CompletionItem[] {
  const ops: readonly string[] = surface === 'workflow' ? WORKFLOW_LIST_OPERATORS : surface === 'express' ? EXPRESS_OPERATORS : BULK_OPERATORS;
  const where = surface === 'workflow' ? 'List/Count nodes' : surface === 'express' ? 'express list/count/find_one' : 'BulkUpdate/BulkDelete filters (one operator per field)';
  return ops.map((op, i) => item(site, op, CompletionItemKind.Operator, pad(i), OPERATOR_EFFECTS[op] ?? '', `**${op}** on ${where} in DataFlow 2.20\n\n${OPERATOR_EFFECTS[op] ?? ''}`));
}

export function enumItems(site: ItemSite, param: string, values: EnumValue[]): CompletionItem[] {
  return values.map((v, i) => item(site, v.value, CompletionItemKind.EnumMember, pad(i), v.effect, `\`${param}="${v.value}"\`\n\n${v.effect}`));
}

// ----- a node's parameters ----------------------------------------------------------------------

export interface NodeTarget { op: NodeOperation; model: ModelInfo; type: string }

export function paramItems(site: ItemSite, node: NodeTarget): CompletionItem[] {
  const spec = OPERATIONS[node.op];
  const out: CompletionItem[] = spec.params.map((p, i) => item(site, p.name, CompletionItemKind.Property, `0${pad(i)}`,
    `${p.type}${p.required ? ', required' : ` = ${showDefault(p.default)}`}`,
    `**${p.name}** of ${node.type}: \`${p.type}\`${p.required ? ' (required)' : `, default \`${showDefault(p.default)}\``}\n\n${p.effect}${p.values ? `\n\nValues: ${p.values.map((v) => `\`"${v.value}"\``).join(', ')}` : ''}`));
  spec.aliases.forEach((a, i) => {
    if (spec.params.some((p) => p.name === a.name)) return;
    out.push(item(site, a.name, CompletionItemKind.Property, `1${pad(i)}`, a.of === a.name ? 'read although undeclared' : `alias of ${a.of}`, `**${a.name}** of ${node.type}: ${a.effect}`));
  });
  if (spec.modelFieldsFlat !== 'no') {
    const note = spec.modelFieldsFlat === 'yes' ? 'A column value (CreateNode takes the model fields flat).' : 'Legacy flat form: used only when `fields` and `updates` are empty.';
    for (const f of fieldItems(site, node.model, { implicit: 'none', note })) {
      if (out.some((o) => o.label === f.label)) continue;
      out.push({ ...f, sortText: `${spec.modelFieldsFlat === 'yes' ? '/' : '2'}${f.sortText}` });
    }
  }
  return out;
}


/** The ids of a workflow's nodes (id -> node type), but `except`. */
export function nodeIdItems(site: ItemSite, workflow: string, nodes: Map<string, string>, except: string | undefined): CompletionItem[] {
  const out: CompletionItem[] = [];
  let i = 0;
  for (const [id, type] of nodes) {
    if (id === except) continue;
    const parsed = parseNodeType(type);
    out.push(item(site, id, CompletionItemKind.Reference, pad(i++), type || 'node', `Node \`${id}\` of \`${workflow}\`: ${type || 'type not static'}${parsed ? `\n\n${OPERATIONS[parsed.op].summary}` : ''}`));
  }
  return out;
}

function outputKeys(m: ModelInfo, op: NodeOperation): Array<{ key: string; note: string; col?: Column }> {
  const spec = OPERATIONS[op];
  const out: Array<{ key: string; note: string; col?: Column }> = spec.outputs.map((k) => ({ key: k, note: spec.outputNotes?.[k] ?? '' }));
  const have = new Set(out.map((o) => o.key));
  if (spec.outputIncludesRow || spec.outputIncludesInputs) {
    for (const c of columns(m, !spec.outputIncludesRow ? 'none' : op === 'Create' ? 'id' : 'all')) {
      if (have.has(c.name)) continue;
      have.add(c.name);
      out.push({ key: c.name, note: spec.outputIncludesRow ? 'A column of the row.' : 'Echo of the input.', col: c });
    }
  }
  for (const r of spec.rowOutputs ?? []) {
    for (const c of columns(m, 'all')) out.push({ key: `${r}.${c.name}`, note: `Column \`${c.name}\` of \`${r}\` (a dotted path into the output).`, col: c });
  }
  return out;
}

/** A node's output keys: its own, the row's columns, dotted paths into row outputs (`record.id`). */
export function outputItems(site: ItemSite, node: NodeTarget): CompletionItem[] {
  return outputKeys(node.model, node.op).map((o, i) => item(site, o.key, o.col ? CompletionItemKind.Field : CompletionItemKind.Property, pad(i),
    o.col ? `${o.col.type} · output of ${node.type}` : `output of ${node.type}`,
    `**${o.key}** — output of ${node.type}\n\n${o.note}`));
}


const EFFECT_RANK: Record<KwargEffect, number> = { effective: 0, limited: 1, alias: 2, warned: 3, 'no-op': 4 };
const EFFECT_TEXT: Record<KwargEffect, string> = {
  effective: 'has an effect', limited: 'limited effect', alias: 'alias', warned: 'warns DF-CFG-001', 'no-op': 'no effect in 2.20',
};


/** `DataFlow(...)` keywords but those `given`, with an effect first, no-ops last (and struck through). */
export function constructorKeywordItems(site: ItemSite, given: Set<string>): CompletionItem[] {
  return CONSTRUCTOR_KWARGS.filter((k) => !given.has(k.name)).map((k, i) => ({
    label: k.name,
    kind: CompletionItemKind.Property,
    detail: `${EFFECT_TEXT[k.effect]}${k.aliasOf ? ` (of ${k.aliasOf})` : ''}`,
    documentation: md(`**DataFlow(${k.name}=...)** — ${EFFECT_TEXT[k.effect]} in DataFlow 2.20\n\n${k.note}`),
    sortText: `${EFFECT_RANK[k.effect]}${pad(i)}`,
    filterText: k.name,
    textEdit: { range: site.replace, newText: `${k.name}=` },
    ...(k.effect === 'no-op' ? { tags: [CompletionItemTag.Deprecated] } : {}),
  }));
}
