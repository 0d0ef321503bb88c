// The SQL a generated node sends in DataFlow 2.20 (reference §3.3, the runtime's executors), for a
// model and, when the call's config is static, for that call: its WHERE, ORDER BY and columns come
// from the runtime's own compilers (compileFilter, compileBulkFilter, compileOrder, selectColumns);
// values not written literally stay `$n`. Also which index the statement can use.
import type { NodeOperation } from '../catalogue';
import { dictGet, strValue, type SExpr } from '../model/staticExpr';
import { bareIdent, quoteIdent } from '../runtime/db/quoteIdent';
import { compileFilter, whereClause } from '../runtime/dataflow/filters/compileFilter';
import { compileBulkFilter } from '../runtime/dataflow/filters/compileBulkFilter';
import { compileOrder } from '../runtime/dataflow/filters/compileOrder';
import { ParamList } from '../runtime/dataflow/filters/sqlParams';
import { selectColumns } from '../runtime/dataflow/nodes/common';
import { dataFields } from '../runtime/dataflow/schema';
import { isDfRecord, type DfRecord, type DfValue } from '../runtime/dataflow/values/dfValues';
import { filterUses, sortUses } from '../rules/indexCoverage';
import { indexFor, literalValue, type ModelSchema } from './modelSchema';

/** A value the SQL binds but the source does not spell out. */
const UNKNOWN = '\u0000?';

/** The filter as the compilers need it: literal values kept, others a placeholder (still `$n`). */
function shapeValue(e: SExpr, depth = 0): DfValue {
  const lit = literalValue(e);
  if (lit !== undefined) return lit;
  if (e.k === 'dict' && depth < 3) {
    const out: DfRecord = {};
    for (const en of e.entries) {
      const k = strValue(en.key ?? undefined);
      if (k === undefined) continue;
      out[k] = (k === '$in' || k === '$nin') && literalValue(en.value) === undefined ? [UNKNOWN] : shapeValue(en.value, depth + 1);
    }
    return out;
  }
  return UNKNOWN;
}

function shapeDict(e: SExpr | undefined): DfRecord | undefined {
  if (!e || e.k !== 'dict') return undefined;
  const v = shapeValue(e);
  return isDfRecord(v) ? v : undefined;
}

function keysOf(e: SExpr | undefined): string[] | undefined {
  if (!e || e.k !== 'dict') return undefined;
  const out: string[] = [];
  for (const en of e.entries) { const k = strValue(en.key ?? undefined); if (k !== undefined) out.push(k); }
  return out;
}

function listOfStrings(e: SExpr | undefined): string[] | undefined {
  const v = literalValue(e);
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

const q = quoteIdent;
const ph = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');

export interface SqlShape {
  /** The statements, in order (a bulk node may repeat one per batch or record: see note). */
  statements: string[];
  note?: string;
  /** Lines saying which index each filtered/sorted column or conflict target can use. */
  indexLines: string[];
}

/**
 * The statement(s) of `<Model><op>Node` on `schema`'s table. `config` is the call's config (names
 * resolved), or undefined for the generic shape.
 */
export function sqlShape(schema: ModelSchema, op: NodeOperation, config: SExpr | undefined): SqlShape {
  const rt = schema.runtime;
  const t = q(rt.tableName);
  const cfg = config?.k === 'dict' ? config : undefined;
  const softDelete = rt.softDelete;
  const indexLines: string[] = [];
  const pk = `primary key index \`${rt.tableName}_pkey\` (id)`;
  const lookupFilter = (filter: SExpr | undefined, bulk: boolean, firstParam = 1): { where: string; conds: string[]; params: ParamList } => {
    const params = new ParamList(firstParam);
    let dict = shapeDict(filter) ?? {};
    if (!bulk && softDelete && !includeDeleted() && !('deleted_at' in dict)) dict = { ...dict, deleted_at: { $null: true } };
    let conds: string[];
    try { conds = bulk ? compileBulkFilter(dict, params) : compileFilter(dict, params); } catch { conds = ['<filter>']; }
    if (!filter && !Object.keys(dict).length) conds = cfg ? [] : ['<filter>'];
    return { where: whereClause(conds), conds, params };
  };
  const includeDeleted = () => { const v = dictGet(cfg, 'include_deleted')?.value; return v?.k === 'bool' && v.v; };
  const describeUses = (filter: SExpr | undefined, withSort: boolean) => {
    const uses = filterUses(filter);
    if (withSort) uses.push(...sortUses(cfg));
    const eq = new Set(uses.filter((u) => u.role === 'eq').map((u) => u.field));
    for (const u of uses) indexLines.push(`\`${u.field}\` (${u.role === 'sort' ? 'ORDER BY' : u.role === 'eq' ? 'equality' : u.role === 'range' ? 'range' : 'not indexable'}): ${indexFor(schema, u.field, u.role, eq).text}`);
    if (!uses.length && cfg) indexLines.push(`no filter: PostgreSQL reads \`${rt.tableName}\` in ${withSort ? '"id" DESC order via the primary key' : 'full'}`);
  };
  const conflictIndex = (cols: string[]) => {
    if (cols.length === 1 && cols[0] === 'id') { indexLines.push(`conflict target (id): ${pk}`); return; }
    const ix = schema.indexes.find((i) => i.created && i.unique && i.fields.length === cols.length && i.fields.every((f) => cols.includes(f)));
    indexLines.push(ix
      ? `conflict target (${cols.join(', ')}): unique index \`${ix.name}\``
      : `conflict target (${cols.join(', ')}): no UNIQUE index DataFlow creates matches it, so PostgreSQL raises "no unique or exclusion constraint" (DataFlow: UpsertConflictTargetError)`);
  };
  const data = dataFields(rt).map((f) => f.name);
  switch (op) {
    case 'Create': {
      const given = keysOf(cfg);
      const cols = rt.fields.filter((f) => f.name !== 'created_at' && f.name !== 'updated_at'
        && (given ? given.includes(f.name) || (f.default && !(f.default.kind === 'value' && f.default.value === null)) || f.required : true)).map((f) => f.name);
      const returning = selectColumns(rt, false).filter((c) => c !== 'created_at' && c !== 'updated_at').map(q).join(', ');
      const sql = cols.length ? `INSERT INTO ${t} (${cols.map(q).join(', ')}) VALUES (${ph(cols.length)}) RETURNING ${returning}` : `INSERT INTO ${t} DEFAULT VALUES RETURNING ${returning}`;
      indexLines.push(`no index lookup (INSERT); ${schema.indexes.filter((i) => i.created).length + 1} index(es) are maintained on every row`);
      return { statements: [sql], indexLines };
    }
    case 'Read':
      indexLines.push(`id: ${pk}`);
      return { statements: [`SELECT ${selectColumns(rt, true).map(q).join(', ')} FROM ${t} WHERE ${q('id')} = $1`], indexLines };
    case 'Update': {
      // `fields` (or `updates`) when not empty, else the legacy flat model-field keys.
      const given = keysOf(dictGet(cfg, 'fields')?.value ?? dictGet(cfg, 'updates')?.value);
      const fields = given?.length ? given : cfg ? keysOf(cfg)?.filter((k) => data.includes(k)) : undefined;
      const sets = fields?.length ? fields.map((f, i) => `${q(f)} = $${i + 1}`) : ['<fields>'];
      sets.push(`${q('updated_at')} = CURRENT_TIMESTAMP`);
      indexLines.push(`id: ${pk} (only the id is read from filter/conditions)`);
      return { statements: [`UPDATE ${t} SET ${sets.join(', ')} WHERE ${q('id')} = $${(fields?.length ?? 1) + 1} RETURNING ${selectColumns(rt, false).map(q).join(', ')}`], indexLines };
    }
    case 'Delete':
      indexLines.push(`id: ${pk}`);
      return {
        statements: [softDelete
          ? `UPDATE ${t} SET ${q('deleted_at')} = CURRENT_TIMESTAMP WHERE ${q('id')} = $1 AND ${q('deleted_at')} IS NULL RETURNING ${q('id')}`
          : `DELETE FROM ${t} WHERE ${q('id')} = $1 RETURNING ${q('id')}`],
        indexLines,
      };
    case 'List': case 'Count': {
      const filter = dictGet(cfg, 'filter')?.value;
      const { where, params } = lookupFilter(filter, false);
      describeUses(filter, op === 'List');
      if (op === 'Count') return { statements: [`SELECT COUNT(*) FROM ${t}${where}`], indexLines };
      const orderBy = literalValue(dictGet(cfg, 'order_by')?.value);
      const sort = literalValue(dictGet(cfg, 'sort')?.value);
      let order: string[];
      if (typeof orderBy === 'string') order = compileOrder(orderBy.split(''), []);
      else if (orderBy !== undefined || sort !== undefined || !dictGet(cfg, 'order_by')) order = compileOrder(Array.isArray(orderBy) ? orderBy : [], Array.isArray(sort) ? sort : []);
      else order = ['<order_by>'];
      return { statements: [`SELECT * FROM ${t}${where} ORDER BY ${order.join(', ')} LIMIT ${params.add(null)} OFFSET ${params.add(null)}`], indexLines };
    }
    case 'Upsert': {
      const where = keysOf(dictGet(cfg, 'where')?.value);
      const create = keysOf(dictGet(cfg, 'create')?.value) ?? [];
      const update = keysOf(dictGet(cfg, 'update')?.value) ?? [];
      const conflict = listOfStrings(dictGet(cfg, 'conflict_on')?.value) ?? where;
      const cols = where ? [...new Set([...where, ...create])] : undefined;
      // The update values are bound after the inserted ones.
      // The runtime's (and DataFlow's) text: identifiers unquoted, one clause per line (runtime/dataflow/nodes/upsertNode.ts).
      const u = (c: string) => bareIdent(c) ?? q(c);
      const sets = update.filter((c) => c !== 'id' && !(conflict ?? []).includes(c)).map((c, i) => `${u(c)} = $${(cols?.length ?? 0) + i + 1}`);
      sets.push('updated_at = CURRENT_TIMESTAMP');
      if (conflict) conflictIndex(conflict);
      return {
        statements: [[
          `INSERT INTO ${u(rt.tableName)} (${cols ? cols.map(u).join(', ') : '<where + create>'})`,
          `VALUES (${cols ? ph(cols.length) : '…'})`,
          `ON CONFLICT (${conflict ? conflict.map(u).join(', ') : '<where keys>'})`,
          `DO UPDATE SET ${sets.join(', ')}`,
          'RETURNING *, (xmax = 0) AS _upsert_inserted',
        ].join('\n            ')],
        note: 'DataFlow writes these identifiers unquoted: PostgreSQL folds a mixed-case name to lower case and refuses a reserved word.',
        indexLines,
      };
    }
    case 'BulkCreate': case 'BulkUpsert': {
      const dataE = dictGet(cfg, 'data') ?? dictGet(cfg, 'records') ?? dictGet(cfg, 'rows');
      const first = dataE?.value.k === 'list' ? dataE.value.items[0] : undefined;
      const cols = keysOf(first) ?? (cfg ? undefined : data);
      const colText = cols ? cols.map(q).join(', ') : '<keys of data[0]>';
      const tuple = cols ? `(${ph(cols.length)})` : '(…)';
      const batch = literalValue(dictGet(cfg, 'batch_size')?.value);
      const note = `One statement per batch of ${typeof batch === 'number' ? batch : 1000} records; columns are the keys of data[0] only.`;
      if (op === 'BulkCreate') {
        indexLines.push(`no index lookup (INSERT); ${schema.indexes.filter((i) => i.created).length + 1} index(es) are maintained on every row`);
        return { statements: [`INSERT INTO ${t} (${colText}) VALUES ${tuple}, …`], note, indexLines };
      }
      const conflict = listOfStrings((dictGet(cfg, 'conflict_on') ?? dictGet(cfg, 'conflict_columns') ?? dictGet(cfg, 'conflict_fields'))?.value) ?? ['id'];
      const resolution = strValue(dictGet(cfg, 'conflict_resolution')?.value) ?? 'skip';
      const updateCols = cols?.filter((c) => !conflict.includes(c) && c !== 'id');
      const action = resolution !== 'update' ? 'DO NOTHING'
        : !updateCols ? 'DO UPDATE SET <col> = EXCLUDED.<col>, …'
        : updateCols.length ? `DO UPDATE SET ${updateCols.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}` : 'DO NOTHING';
      conflictIndex(conflict);
      return { statements: [`INSERT INTO ${t} (${colText}) VALUES ${tuple}, … ON CONFLICT (${conflict.map(q).join(', ')}) ${action} RETURNING ${q('id')}, (xmax = 0) AS inserted`], note, indexLines };
    }
    case 'BulkUpdate': {
      const fieldsE = dictGet(cfg, 'fields') ?? dictGet(cfg, 'update');
      const fields = keysOf(fieldsE?.value);
      if (cfg && !fields?.length && (dictGet(cfg, 'data') || dictGet(cfg, 'records'))) {
        indexLines.push(`id: ${pk}`);
        return { statements: [`UPDATE ${t} SET <record's columns> WHERE ${q('id')} = $n`], note: 'Data mode: one UPDATE per record that has an id.', indexLines };
      }
      const filter = dictGet(cfg, 'filter')?.value ?? dictGet(cfg, 'conditions')?.value;
      // The SET values are bound first, then the filter's.
      const sets = fields?.length ? fields.map((f, i) => `${q(f)} = $${i + 1}`) : ['<fields>'];
      const { conds } = lookupFilter(filter, true, (fields?.length ?? 1) + 1);
      describeUses(filter, false);
      if (softDelete && !includeDeleted()) conds.push(`${q('deleted_at')} IS NULL`);
      return { statements: [`UPDATE ${t} SET ${sets.join(', ')}${whereClause(conds)}`], note: 'updated_at is not bumped.', indexLines };
    }
    case 'BulkDelete': {
      const filter = dictGet(cfg, 'filter')?.value ?? dictGet(cfg, 'conditions')?.value;
      const { where, conds } = lookupFilter(filter, true);
      describeUses(filter, false);
      // The pre-count ignores deleted_at; the soft-delete UPDATE skips rows already deleted.
      const del = softDelete ? `UPDATE ${t} SET ${q('deleted_at')} = CURRENT_TIMESTAMP${whereClause([...conds, `${q('deleted_at')} IS NULL`])}` : `DELETE FROM ${t}${where}`;
      return { statements: [`SELECT COUNT(*) as count FROM ${t}${where}`, del], note: where ? undefined : 'An empty filter needs confirmed=True and then deletes the whole table (data is never used).', indexLines };
    }
  }
}
