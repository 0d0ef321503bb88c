// Hover text for DataFlow names: node types (parameters, output, SQL, index, last measured times),
// models (table, columns, indexes created and ignored, generated nodes), field keys in filters
// (column type, covering index) and DataFlow(...) keywords.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPERATIONS, constructorKwarg, generatedNodeNames, DOCUMENTED_BUT_IGNORED, type NodeOperation } from '../catalogue';
import type { ModelInfo, ModelResolution, WorkspaceModel } from '../model/workspaceModel';
import type { SExpr } from '../model/staticExpr';
import { filterUses } from '../rules/indexCoverage';
import { modelSchema, indexFor, type ModelSchema } from './modelSchema';
import { sqlShape } from './sqlShape';
import type { ProfileStore } from './profileStore';
import type { Site } from './siteAt';
import { fieldDeclaration } from './navigation';

/** `True`, `None`, `[]`, `"skip"`: a JSON default as Python writes it. */
export function pyLiteral(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x)}`).join(', ')}}`;
  return String(v);
}

function where(workspace: WorkspaceModel, model: ModelInfo): string {
  const file = workspace.get(model.uri);
  const line = file ? file.doc.lines.positionAt(model.cls.nameSpan.start).line + 1 : undefined;
  let name = model.uri;
  try { name = path.basename(fileURLToPath(model.uri)); } catch { /* not a file uri */ }
  return line ? `${name}:${line}` : name;
}

function ambiguous(name: string, r: ModelResolution, workspace: WorkspaceModel): string {
  return `**${name}** is ambiguous here: ${r.candidates.map((m) => `\`${m.name}\` in ${where(workspace, m)}`).join(', ')}. Import the one you mean.`;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function paramTable(workspace: WorkspaceModel, model: ModelInfo, schema: ModelSchema, op: NodeOperation): string {
  const spec = OPERATIONS[op];
  const rows: string[] = ['| parameter | type | default | in DataFlow 2.20 |', '|---|---|---|---|'];
  for (const p of spec.params) rows.push(`| \`${p.name}\`${p.required ? ' *(required)*' : ''} | ${p.type} | ${p.default === undefined ? 'None' : esc(pyLiteral(p.default))} | ${esc(p.effect)} |`);
  if (spec.modelFieldsFlat !== 'no') {
    for (const f of model.fields) {
      if (f.name === 'created_at' || f.name === 'updated_at') continue;
      const col = schema.columns.find((c) => c.name === f.name);
      const required = op === 'Create' && col?.notNull && !f.default && f.name !== 'id';
      const dflt = f.default ? esc(schema.runtime.fields.find((x) => x.name === f.name)?.default?.kind === 'callable' ? `${defaultText(workspace, model, f.name)} (evaluated per row)` : defaultText(workspace, model, f.name)) : 'None';
      rows.push(`| \`${f.name}\`${required ? ' *(required)*' : ''} | ${esc(f.annotation)} | ${dflt} | ${op === 'Create' ? 'model field (column value)' : 'legacy flat form: SET when `fields` is empty'} |`);
    }
  }
  for (const a of spec.aliases) rows.push(`| \`${a.name}\` | | | ${esc(a.effect)} |`);
  const ignored = DOCUMENTED_BUT_IGNORED[op];
  let out = rows.join('\n');
  if (ignored) out += `\n\nIgnored although documented: ${Object.entries(ignored).map(([k, why]) => `\`${k}\` (${why})`).join('; ')}.`;
  return out;
}

/** A field's default as written in its class (`0.0`, `[]`, `_now`), shortened. */
function defaultText(workspace: WorkspaceModel, model: ModelInfo, field: string): string {
  const d = fieldDeclaration(workspace, model, field);
  const span = d?.fact.default?.span;
  const text = d && span ? workspace.get(d.uri)?.text.slice(span.start, span.end) : undefined;
  if (!text) return '…';
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

function outputText(op: NodeOperation): string {
  const spec = OPERATIONS[op];
  const extra: string[] = [];
  if (spec.outputIncludesInputs) extra.push('every input');
  if (spec.outputIncludesRow) extra.push("the row's columns");
  return `${spec.outputs.map((o) => `\`${o}\``).join(', ')}${extra.length ? ` + ${extra.join(' + ')}` : ''}`;
}

function fmtMs(ms: number): string { return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2); }

function profileSection(profiles: ProfileStore | undefined, uri: string, type: string): string | undefined {
  const hit = profiles?.nodesOfType(uri, type);
  if (!hit || !hit.nodes.length) return undefined;
  const shown = hit.nodes.slice(0, 8);
  const lines = shown.map((n) => `- \`${n.id}\`${n.line ? ` (line ${n.line})` : ''}: ${fmtMs(n.ms)} ms · ${n.statements} stmt · ${n.rows} rows`);
  if (hit.nodes.length > shown.length) {
    const rest = hit.nodes.slice(shown.length);
    lines.push(`- … ${rest.length} more: ${fmtMs(rest.reduce((s, n) => s + n.ms, 0))} ms · ${rest.reduce((s, n) => s + n.statements, 0)} stmt`);
  }
  return `**Last profile** (${hit.report.createdAt}, ${hit.report.database.kind}):\n${lines.join('\n')}`;
}

export function nodeTypeHover(workspace: WorkspaceModel, site: Extract<Site, { kind: 'nodeType' }>, profiles?: ProfileStore): string {
  const model = site.resolution.model;
  if (!model) return ambiguous(site.model, site.resolution, workspace);
  const schema = modelSchema(workspace, model);
  const config = site.node?.config;
  const shape = sqlShape(schema, site.op, config);
  const parts: string[] = [];
  parts.push(`**${site.type}** — \`${site.op}\` on model **${model.name}** (table \`${schema.table}\`, ${where(workspace, model)})`);
  if (model.cls.modelDecoratorOf === undefined && !model.instance) parts.push('_Not registered with a DataFlow instance._');
  parts.push(paramTable(workspace, model, schema, site.op));
  parts.push(`**Output:** ${outputText(site.op)}`);
  parts.push(`**SQL${config ? ' for this call' : ''}:**\n\`\`\`sql\n${shape.statements.join(';\n')}\n\`\`\`${shape.note ? `\n${shape.note}` : ''}`);
  if (shape.indexLines.length) parts.push(`**Index:**\n${shape.indexLines.map((l) => `- ${l}`).join('\n')}`);
  const prof = profileSection(profiles, site.at.uri, site.type);
  if (prof) parts.push(prof);
  return parts.join('\n\n');
}

function rowCount(profiles: ProfileStore | undefined, uri: string, table: string): string | undefined {
  const r = profiles?.reportFor(uri);
  const n = r?.tables?.[table];
  return n === undefined ? undefined : `**Rows** in \`${table}\` after the last profile (${r!.database.kind} database): ${n}`;
}

export function modelHover(workspace: WorkspaceModel, name: string, resolution: ModelResolution, uri: string, profiles?: ProfileStore): string {
  const model = resolution.model;
  if (!model) return ambiguous(name, resolution, workspace);
  const schema = modelSchema(workspace, model);
  const parts: string[] = [];
  parts.push(`**${model.name}** — DataFlow model${model.instance ? ` of \`${model.instance}\`` : ''} → table \`${schema.table}\`${schema.runtime.tableNameSource === '__tablename__' ? ' (`__tablename__`)' : ''} · ${where(workspace, model)}`);
  const cols = ['| column | SQL type | from |', '|---|---|---|'];
  for (const c of schema.columns) cols.push(`| \`${c.name}\` | ${c.sqlType}${c.primaryKey ? ' PRIMARY KEY' : c.notNull ? ' NOT NULL' : ''} | ${c.field ? esc(c.field.annotation) : 'added by DataFlow'} |`);
  parts.push(cols.join('\n'));
  const created = schema.indexes.filter((i) => i.created);
  const ignored = schema.indexes.filter((i) => !i.created);
  const idx = [`- \`${schema.table}_pkey\` (id) — primary key`];
  for (const i of created) idx.push(`- \`${i.name}\`${i.unique ? ' UNIQUE' : ''} (${i.fields.join(', ')})`);
  parts.push(`**Indexes DataFlow 2.20 creates:**\n${idx.join('\n')}`);
  if (ignored.length) parts.push(`**Declared but never created:**\n${ignored.map((i) => `- \`${i.name}\`${i.unique ? ' UNIQUE' : ''} (${i.fields.join(', ')}): ${i.ignoredBecause}`).join('\n')}`);
  parts.push(`**Generated nodes:** ${generatedNodeNames(model.name).map((n) => `\`${n}\``).join(', ')}`);
  parts.push(`**DDL:**\n\`\`\`sql\n${schema.createTableSql};\n${created.map((i) => `${i.sql};`).join('\n')}\n\`\`\``);
  const rows = rowCount(profiles, uri, schema.table);
  if (rows) parts.push(rows);
  return parts.join('\n\n');
}

const PLACE_TEXT: Record<string, string> = {
  filter: 'filter', order_by: 'ORDER BY', sort: 'sort', data: 'record value', fields: 'SET value', conflict_on: 'conflict target',
  where: 'upsert identity', update: 'upsert SET', create: 'upsert insert', flat: 'column value',
};

export function fieldHover(workspace: WorkspaceModel, site: Extract<Site, { kind: 'field' }>): string | undefined {
  const model = site.model;
  if (!model) return undefined;
  const schema = modelSchema(workspace, model);
  const col = schema.columns.find((c) => c.name === site.field);
  const place = PLACE_TEXT[site.ref.place] ?? site.ref.place;
  if (!col) return `\`${site.field}\` is not a column of \`${schema.table}\` (model **${model.name}**): ${schema.columns.map((c) => `\`${c.name}\``).join(', ')}.`;
  const parts = [`**${site.field}** (${place}) — \`${col.sqlType}${col.primaryKey ? ' PRIMARY KEY' : col.notNull ? ' NOT NULL' : ''}\` column of \`${schema.table}\`${col.field ? `, declared \`${esc(col.field.annotation)}\`` : ''}`];
  if (site.ref.place === 'filter' || site.ref.place === 'order_by' || site.ref.place === 'sort') {
    const filterRefs = site.siblings.filter((r) => r.place === 'filter');
    // The roles come from the filter dict as the index rules read it (operators → eq/range/none).
    const dict: SExpr = { k: 'dict', entries: filterRefs.map((r) => ({ key: { k: 'str', v: r.field, span: r.span }, value: r.value ?? { k: 'none', span: r.span }, span: r.span })), span: site.span };
    const uses = filterUses(dict);
    const eq = new Set(uses.filter((u) => u.role === 'eq').map((u) => u.field));
    const role = site.ref.place === 'filter' ? uses.find((u) => u.field === site.field)?.role ?? 'eq' : 'sort';
    parts.push(`**Index:** ${indexFor(schema, site.field, role, eq).text}`);
  }
  return parts.join('\n\n');
}

const EFFECT_TEXT: Record<string, string> = {
  effective: 'Has an effect', limited: 'Limited effect', 'no-op': 'No effect', alias: 'Alias', warned: 'Read, and warned about (DF-CFG-001)',
};

export function kwargHover(name: string): string {
  const k = constructorKwarg(name);
  if (!k) return `**DataFlow(${name}=…)** — not a DataFlow 2.20 keyword: DataFlow warns \`DF-CFG-001\` and ignores it.`;
  return `**DataFlow(${name}=…)** — ${EFFECT_TEXT[k.effect] ?? k.effect} in DataFlow 2.20${k.aliasOf ? ` (alias of \`${k.aliasOf}\`)` : ''}: ${k.note}`;
}

