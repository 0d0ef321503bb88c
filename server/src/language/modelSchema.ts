// The table a model becomes in DataFlow 2.20, read from the static model (no Python runs): the
// runtime's own registration rules (defineModel), DDL (createTableSql / createIndexStatements) and
// column types, fed with what the extractor saw in the class. Says which declared indexes are really
// created and which DataFlow ignores, and which index can serve a filtered or sorted field.
import type { FieldFact } from '../model/facts';
import { dictGet, type SExpr } from '../model/staticExpr';
import type { ModelInfo, WorkspaceModel } from '../model/workspaceModel';
import { defineModel, resolveSettings, type ModelDefinition, type RuntimeModel, tableColumns } from '../runtime/dataflow/schema';
import { createIndexStatements, createTableSql, pgColumnType, type IndexStatement } from '../runtime/dataflow/ddl/generateDdl';
import { CallableDefault, type DfRecord, type DfValue } from '../runtime/dataflow/values/dfValues';
import type { FieldRole } from '../rules/indexCoverage';

export interface Column { name: string; sqlType: string; notNull: boolean; primaryKey: boolean; field?: FieldFact }

export interface IndexInfo {
  name: string;
  fields: string[];
  unique: boolean;
  created: boolean;
  /** Why DataFlow 2.20 does not create it. */
  ignoredBecause?: string;
  /** The DDL DataFlow sends (for created indexes). */
  sql: string;
}

export interface ModelSchema {
  model: ModelInfo;
  runtime: RuntimeModel;
  table: string;
  columns: Column[];
  /** Declared indexes, created ones first in declaration order; the primary key is not listed. */
  indexes: IndexInfo[];
  createTableSql: string;
}

/** A literal Python value, or undefined when the expression is not a literal. */
export function literalValue(e: SExpr | undefined, depth = 0): DfValue | undefined {
  if (!e || depth > 20) return undefined;
  switch (e.k) {
    case 'str': return e.v;
    case 'num': return e.v;
    case 'bool': return e.v;
    case 'none': return null;
    case 'unary': {
      const v = literalValue(e.v, depth + 1);
      return e.op === '-' && typeof v === 'number' ? -v : undefined;
    }
    case 'list': case 'tuple': case 'set': {
      const out: DfValue[] = [];
      for (const i of e.items) { const v = literalValue(i, depth + 1); if (v === undefined) return undefined; out.push(v); }
      return out;
    }
    case 'dict': {
      const out: DfRecord = {};
      for (const en of e.entries) {
        const k = en.key && en.key.k === 'str' ? en.key.v : undefined;
        const v = literalValue(en.value, depth + 1);
        if (k === undefined || v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    default: return undefined;
  }
}

function multiTenant(workspace: WorkspaceModel, model: ModelInfo): boolean {
  for (const { fact } of workspace.instances()) {
    if (fact.binding !== model.instance) continue;
    const kw = fact.kwargs.find((k) => k.name === 'multi_tenant');
    if (kw?.value.k === 'bool' && kw.value.v) return true;
  }
  return false;
}

const cache = new WeakMap<ModelInfo, { multiTenant: boolean; schema: ModelSchema }>();

/**
 * The schema of a model as DataFlow 2.20 registers it. Cached per ModelInfo (the workspace rebuilds
 * those when a class changes) and per DataFlow(multi_tenant=...) of its instance, which lives elsewhere.
 */
export function modelSchema(workspace: WorkspaceModel, model: ModelInfo): ModelSchema {
  const mt = multiTenant(workspace, model);
  const hit = cache.get(model);
  if (hit && hit.multiTenant === mt) return hit.schema;
  const def: ModelDefinition = {
    name: model.name,
    fields: model.fields.map((f) => {
      const out: ModelDefinition['fields'][number] = { name: f.name, type: f.type, optional: f.optional, annotation: f.annotation };
      if (f.default) {
        const v = literalValue(f.default);
        // A non-literal default (a function, a constant) emits no SQL DEFAULT, like a callable.
        out.default = v === undefined ? new CallableDefault(f.name, () => null) : v;
      }
      return out;
    }),
    tablename: model.cls.tableName,
    dataflow: {
      soft_delete: model.cls.softDelete,
      use_native_arrays: dictGet(model.cls.dataflowConfig?.value, 'use_native_arrays')?.value.k === 'bool'
        && (dictGet(model.cls.dataflowConfig?.value, 'use_native_arrays')?.value as { v: boolean }).v,
      indexes: model.indexes.filter((i) => i.source === 'dataflow').map((i) => ({ fields: i.fields, unique: i.unique, ...(i.name ? { name: i.name } : {}) })),
    },
    indexesAttr: model.indexes.filter((i) => i.source === 'legacy').map((i) => ({ fields: i.fields, unique: i.unique, ...(i.name ? { name: i.name } : {}) })),
  };
  let runtime: RuntimeModel;
  try {
    runtime = defineModel(def, resolveSettings({ multiTenant: mt }));
  } catch {
    // An invalid __tablename__: show the derived name rather than nothing.
    runtime = defineModel({ ...def, tablename: undefined }, resolveSettings({ multiTenant: mt }));
  }
  const byName = new Map(model.fields.map((f) => [f.name, f]));
  const columns: Column[] = tableColumns(runtime).map((name) => {
    const rf = runtime.fields.find((f) => f.name === name);
    if (name === 'id') return { name, sqlType: runtime.idType === 'str' ? 'TEXT' : 'SERIAL', notNull: true, primaryKey: true, field: byName.get('id') };
    if (!rf) return { name, sqlType: 'TIMESTAMP', notNull: false, primaryKey: false, field: byName.get(name) };
    const sqlType = runtime.useNativeArrays && rf.type === 'list' ? 'TEXT[]' : pgColumnType(rf.type);
    return { name, sqlType, notNull: rf.required, primaryKey: false, field: byName.get(name) };
  });
  const statements: IndexStatement[] = createIndexStatements(runtime);
  const indexes: IndexInfo[] = statements.map((s) => {
    let ignoredBecause: string | undefined;
    if (s.source === '__indexes__') ignoredBecause = '`__indexes__` is never read by DataFlow 2.20 (only `__dataflow__["indexes"]`)';
    else if (s.shadowedBy) ignoredBecause = `same name \`${s.name}\` as an earlier index (${s.shadowedBy}): \`IF NOT EXISTS\` skips it`;
    return { name: s.name, fields: s.fields, unique: s.unique, created: !ignoredBecause, ignoredBecause, sql: s.sql };
  });
  const out: ModelSchema = { model, runtime, table: runtime.tableName, columns, indexes, createTableSql: createTableSql(runtime) };
  cache.set(model, { multiTenant: mt, schema: out });
  return out;
}

export interface IndexUse {
  /** The index name (`products_pkey` for the primary key), when one can serve the field. */
  index?: string;
  /** One line: which index serves it, or why none does. */
  text: string;
}

const NO_BTREE_TYPES = new Set(['JSONB', 'BYTEA', 'TEXT[]']);

/**
 * Which index DataFlow creates that can serve `field` used in `role`, given the fields the same
 * filter compares by equality (leftmost-prefix rule, as the DF003 rule reads it).
 */
export function indexFor(schema: ModelSchema, field: string, role: FieldRole, eqFields: ReadonlySet<string>): IndexUse {
  const col = schema.columns.find((c) => c.name === field);
  if (field === 'id') return { index: `${schema.table}_pkey`, text: `primary key index \`${schema.table}_pkey\`` };
  if (!col) return { text: `no column \`${field}\` in \`${schema.table}\`` };
  if (NO_BTREE_TYPES.has(col.sqlType)) return { text: `no index: DataFlow creates btree indexes only, and a btree cannot serve a ${col.sqlType} condition` };
  if (role === 'none') return { text: 'no index: a btree cannot serve this operator ($ne, $nin, $regex, $like)' };
  for (const ix of schema.indexes) {
    if (!ix.created) continue;
    const pos = ix.fields.indexOf(field);
    if (pos < 0) continue;
    const before = ix.fields.slice(0, pos);
    if (before.every((f) => eqFields.has(f))) {
      return { index: ix.name, text: `index \`${ix.name}\` (${ix.fields.join(', ')})${pos > 0 ? `, after equality on ${before.join(', ')}` : ''}` };
    }
  }
  const ignored = schema.indexes.find((ix) => !ix.created && ix.fields[0] === field);
  if (ignored) return { text: `no index that DataFlow creates: \`${ignored.name}\` would, but ${ignored.ignoredBecause}` };
  const later = schema.indexes.find((ix) => ix.created && ix.fields.includes(field));
  if (later) return { text: `no index can lead with it: \`${later.name}\` (${later.fields.join(', ')}) needs equality on ${later.fields.slice(0, later.fields.indexOf(field)).join(', ')} first` };
  return { text: `no index covers it: PostgreSQL scans \`${schema.table}\`` };
}
