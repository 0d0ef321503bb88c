import { quoteIdent } from '../../db/quoteIdent';
import { dataFields, type PyTypeName, type RuntimeField, type RuntimeModel } from '../schema';
import { renderDefaultLiteral } from './sqlLiteral';

/** DataFlow's `_python_type_to_sql_type` for PostgreSQL (§2.2): unmapped types become TEXT. */
export function pgColumnType(t: PyTypeName): string {
  switch (t) {
    case 'int':
      return 'INTEGER';
    case 'str':
      return 'TEXT';
    case 'bool':
      return 'BOOLEAN';
    case 'float':
      return 'REAL';
    case 'datetime':
      return 'TIMESTAMP';
    case 'dict':
    case 'list':
      return 'JSONB';
    case 'bytes':
      return 'BYTEA';
    default:
      return 'TEXT'; // date, Decimal, UUID, Enum, ... (§2.2, probe)
  }
}

function columnDefinition(f: RuntimeField, model: RuntimeModel): string {
  let type = pgColumnType(f.type);
  if (model.useNativeArrays && f.type === 'list') type = 'TEXT[]';
  let sql = `${quoteIdent(f.name)} ${type}`;
  if (f.required) sql += ' NOT NULL';
  if (f.default && f.default.kind === 'value') {
    const lit = renderDefaultLiteral(f.default.value);
    if (lit !== undefined) sql += ` DEFAULT ${lit}`;
  }
  return sql;
}

/** CREATE TABLE IF NOT EXISTS with DataFlow's columns, types, NOT NULL and DEFAULT rules (§2.2–2.3). */
export function createTableSql(model: RuntimeModel): string {
  const cols: string[] = [];
  cols.push(model.idType === 'str' ? `${quoteIdent('id')} TEXT PRIMARY KEY` : `${quoteIdent('id')} SERIAL PRIMARY KEY`);
  for (const f of dataFields(model)) cols.push(columnDefinition(f, model));
  cols.push(`${quoteIdent('created_at')} TIMESTAMP DEFAULT CURRENT_TIMESTAMP`);
  cols.push(`${quoteIdent('updated_at')} TIMESTAMP DEFAULT CURRENT_TIMESTAMP`);
  if (model.softDelete && !model.fields.some((f) => f.name === 'deleted_at')) cols.push(`${quoteIdent('deleted_at')} TIMESTAMP`);
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(model.tableName)} (\n    ${cols.join(',\n    ')}\n)`;
}

export interface IndexStatement {
  sql: string;
  /** The (case-folded) index name PostgreSQL will see. */
  name: string;
  source: '__dataflow__' | '__indexes__';
  /** Set when an earlier index of the same run has the same name: IF NOT EXISTS will skip this one. */
  shadowedBy?: string;
  fields: string[];
  unique: boolean;
}

/**
 * Index DDL (§2.5). DataFlow emits `CREATE [UNIQUE ]INDEX IF NOT EXISTS name ON table (f1, f2)`
 * unquoted; we quote identifiers. Unquoted names fold to lower case in PostgreSQL, so the index
 * name is lower-cased before quoting to keep DataFlow's name-collision behaviour: a second index
 * with the same name is skipped by IF NOT EXISTS (reported via `shadowedBy`).
 */
export function createIndexStatements(model: RuntimeModel, alreadyNamed: Map<string, string> = new Map()): IndexStatement[] {
  const out: IndexStatement[] = [];
  for (const ix of model.indexes) {
    const name = ix.name.toLowerCase();
    const cols = ix.fields.map(quoteIdent).join(', ');
    const sql = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${quoteIdent(model.tableName)} (${cols})`;
    const desc = `${model.name}: ${ix.unique ? 'UNIQUE ' : ''}(${ix.fields.join(', ')})`;
    const prior = alreadyNamed.get(name);
    out.push({ sql, name, source: ix.source, shadowedBy: prior, fields: ix.fields, unique: ix.unique });
    if (!prior) alreadyNamed.set(name, desc);
  }
  return out;
}
