// Seeded rows that the workflow's own filters select. Synthetic rows never matched a workflow's
// filters ("toys", "acct7"), so every plan and what-if was measured on queries returning nothing.
// Just before a workflow runs (its node configs and `parameters=` known, values included), a share
// of the seeded rows takes the values each List / Count / BulkUpdate / BulkDelete filter asks for:
// equality and `$in` values on 1 row in 20 (one row when a unique index covers the field), ranges
// on 1 row in 10 (a value inside the bounds); `$like` is express-only in 2.20 (the workflow nodes
// refuse it), so it is not seeded. Only rows the
// seeding inserted are changed; each (model, field, condition) once per run; statements tagged
// 'seed' (left out of the profile). The selectivity each condition then has is measured and said.
import { quoteIdent } from '../../db/quoteIdent';
import type { Database, SqlParam } from '../../db/types';
import type { RuntimeField, RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import { isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';
import { FloatNumber } from '../../python/floatNumber';

/** Share of seeded rows given an equality / `$in` value, and a value inside a range. */
export const EQUALITY_SHARE = 20;
export const RANGE_SHARE = 10;
/** Ids per UPDATE (bound parameters, far under PostgreSQL's 65,535). */
const ID_BATCH = 5000;

export interface SeededFilter {
  model: string;
  field: string;
  /** The condition as written, e.g. `category = 'toys'`, `price in [2, 3.5)`. */
  condition: string;
  /** Seeded rows given a matching value. */
  seeded: number;
  /** Rows of the table the condition then selects, and the table's rows. */
  matching: number;
  total: number;
}

type Condition =
  | { kind: 'eq'; values: DfValue[] }
  | { kind: 'range'; lower?: { v: DfValue; strict: boolean }; upper?: { v: DfValue; strict: boolean } };

/** The conditions a DataFlow filter dict puts on each field (`$or` / `$and` branches included). */
export function filterConditions(model: RuntimeModel, filter: DfValue | undefined): Array<{ field: RuntimeField; condition: Condition }> {
  const out: Array<{ field: RuntimeField; condition: Condition }> = [];
  const walk = (f: DfValue | undefined) => {
    if (!isDfRecord(f)) return;
    for (const [key, value] of Object.entries(f)) {
      if (key === '$or' || key === '$and') {
        if (Array.isArray(value)) for (const branch of value) walk(branch);
        continue;
      }
      const field = model.fields.find((x) => x.name === key);
      if (!field) continue;
      if (!isDfRecord(value)) {
        if (isScalar(value)) out.push({ field, condition: { kind: 'eq', values: [value] } });
        continue;
      }
      const range: Extract<Condition, { kind: 'range' }> = { kind: 'range' };
      for (const [op, v] of Object.entries(value)) {
        if (op === '$eq' && isScalar(v)) out.push({ field, condition: { kind: 'eq', values: [v] } });
        else if (op === '$in' && Array.isArray(v) && v.length && v.every(isScalar)) out.push({ field, condition: { kind: 'eq', values: v.slice(0, EQUALITY_SHARE) } });
        else if ((op === '$gt' || op === '$gte') && isScalar(v)) range.lower = { v, strict: op === '$gt' };
        else if ((op === '$lt' || op === '$lte') && isScalar(v)) range.upper = { v, strict: op === '$lt' };
      }
      if (range.lower || range.upper) out.push({ field, condition: range });
    }
  };
  walk(filter);
  return out;
}

function isScalar(v: DfValue | undefined): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof FloatNumber || v instanceof PyDateTime || v instanceof PyDate || v instanceof PyDecimal;
}

/** A value inside the range, of the field's type; undefined when none can be made. */
function insideRange(field: RuntimeField, c: Extract<Condition, { kind: 'range' }>): DfValue | undefined {
  const num = (v: DfValue) => (v instanceof FloatNumber ? v.value : typeof v === 'bigint' ? Number(v) : v instanceof PyDecimal ? Number(v.text) : typeof v === 'number' ? v : undefined);
  if (field.type === 'int' || field.type === 'float' || field.type === 'Decimal') {
    const lo = c.lower ? num(c.lower.v) : undefined;
    const hi = c.upper ? num(c.upper.v) : undefined;
    if ((c.lower && lo === undefined) || (c.upper && hi === undefined)) return undefined;
    const step = field.type === 'int' ? 1 : 0.01;
    let v: number;
    if (lo !== undefined && hi !== undefined) v = field.type === 'int' ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
    else if (lo !== undefined) v = lo + (c.lower!.strict ? step : 0);
    else v = hi! - (c.upper!.strict ? step : 0);
    if (lo !== undefined && (v < lo || (c.lower!.strict && v === lo))) return undefined;
    if (hi !== undefined && (v > hi || (c.upper!.strict && v === hi))) return undefined;
    return field.type === 'Decimal' ? new PyDecimal(v.toFixed(2)) : v;
  }
  if (field.type === 'datetime' || field.type === 'date') {
    const ms = (v: DfValue) => (v instanceof PyDateTime || v instanceof PyDate || typeof v === 'string' ? Date.parse(String(v).replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(String(v)) || String(v).length <= 10 ? '' : 'Z')) : NaN);
    const lo = c.lower ? ms(c.lower.v) : undefined;
    const hi = c.upper ? ms(c.upper.v) : undefined;
    if ((lo !== undefined && Number.isNaN(lo)) || (hi !== undefined && Number.isNaN(hi))) return undefined;
    const day = 86_400_000;
    const t = lo !== undefined && hi !== undefined ? lo + (hi - lo) / 2 : lo !== undefined ? lo + day : hi! - day;
    const iso = new Date(t).toISOString();
    return field.type === 'date' ? new PyDate(iso.slice(0, 10)) : new PyDateTime(iso.slice(0, 19));
  }
  return undefined;
}

function describe(field: RuntimeField, c: Condition): string {
  const show = (v: DfValue) => (typeof v === 'string' ? `'${v}'` : String(v));
  if (c.kind === 'eq') return c.values.length === 1 ? `${field.name} = ${show(c.values[0])}` : `${field.name} in (${c.values.map(show).join(', ')})`;
  if (c.lower && c.upper) return `${show(c.lower.v)} ${c.lower.strict ? '<' : '<='} ${field.name} ${c.upper.strict ? '<' : '<='} ${show(c.upper.v)}`;
  if (c.lower) return `${field.name} ${c.lower.strict ? '>' : '>='} ${show(c.lower.v)}`;
  return `${field.name} ${c.upper!.strict ? '<' : '<='} ${show(c.upper!.v)}`;
}

/**
 * Gives seeded rows of `model` (their ids: `seededIds`) the values `filter` selects; `done` holds
 * the conditions already seeded this run. Returns what it did, with the selectivity measured.
 */
export async function seedForFilter(db: Database, model: RuntimeModel, seededIds: readonly SqlParam[], filter: DfValue | undefined, done: Set<string>): Promise<SeededFilter[]> {
  if (!seededIds.length) return [];
  const out: SeededFilter[] = [];
  const uniqueAlone = new Set(model.indexes.filter((x) => x.unique && x.fields.length === 1).map((x) => x.fields[0]));
  const inAnyUnique = new Set(model.indexes.filter((x) => x.unique).flatMap((x) => x.fields));
  const table = quoteIdent(model.tableName);
  for (const { field, condition } of filterConditions(model, filter)) {
    const text = describe(field, condition);
    const key = `${model.name}|${text}`;
    if (done.has(key)) continue;
    done.add(key);
    const column = quoteIdent(field.name);
    // Which seeded rows take which value.
    const assignments: Array<{ value: DfValue; ids: SqlParam[] }> = [];
    if (condition.kind === 'eq') {
      if (uniqueAlone.has(field.name) || inAnyUnique.has(field.name)) {
        condition.values.forEach((value, k) => { if (k < seededIds.length) assignments.push({ value, ids: [seededIds[k]] }); });
      } else {
        const picked = seededIds.filter((_, i) => i % EQUALITY_SHARE === 0);
        condition.values.forEach((value, k) => assignments.push({ value, ids: picked.filter((_, j) => j % condition.values.length === k) }));
      }
    } else {
      const value = insideRange(field, condition);
      if (value === undefined) continue;
      const picked = inAnyUnique.has(field.name) ? seededIds.slice(0, 1) : seededIds.filter((_, i) => i % RANGE_SHARE === 0);
      assignments.push({ value, ids: picked });
    }
    let seeded = 0;
    for (const a of assignments) {
      for (let from = 0; from < a.ids.length; from += ID_BATCH) {
        const ids = a.ids.slice(from, from + ID_BATCH);
        const r = await db.query(`UPDATE ${table} SET ${column} = $1 WHERE "id" IN (${ids.map((_, k) => `$${k + 2}`).join(', ')})`, [bindValue(a.value, field), ...ids], { tag: 'seed' });
        seeded += r.rowCount;
      }
    }
    const where = condition.kind === 'eq'
      ? { sql: `${column} IN (${condition.values.map((_, k) => `$${k + 1}`).join(', ')})`, params: condition.values.map((v) => bindValue(v, field)) }
      : rangeWhere(column, field, condition);
    const counted = (await db.query(`SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE ${where.sql}) AS matching FROM ${table}`, where.params, { tag: 'seed' })).rows[0] ?? {};
    out.push({ model: model.name, field: field.name, condition: text, seeded, matching: Number(counted.matching ?? 0), total: Number(counted.total ?? 0) });
  }
  return out;
}

function rangeWhere(column: string, field: RuntimeField, c: Extract<Condition, { kind: 'range' }>): { sql: string; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  const cast = field.type === 'datetime' ? '::timestamp' : field.type === 'Decimal' ? '::numeric' : '';
  const col = field.type === 'Decimal' ? `${column}::numeric` : column;
  if (c.lower) { params.push(bindValue(c.lower.v, field)); parts.push(`${col} ${c.lower.strict ? '>' : '>='} $${params.length}${cast}`); }
  if (c.upper) { params.push(bindValue(c.upper.v, field)); parts.push(`${col} ${c.upper.strict ? '<' : '<='} $${params.length}${cast}`); }
  return { sql: parts.join(' AND '), params };
}

/** The filter a node config (with its `parameters=` entry merged over it) gives a seeding pass, by operation. */
export function nodeFilter(op: string, config: DfRecord): DfValue | undefined {
  if (op === 'List' || op === 'Count' || op === 'BulkUpdate' || op === 'BulkDelete') return config.filter;
  return undefined;
}
