import { quoteIdent } from '../../db/quoteIdent';
import type { Database, SqlParam } from '../../db/types';
import { MAX_BIND_PARAMS, valuesPlaceholders } from '../../db/valuesList';
import { dataFields, type RuntimeModel } from '../schema';
import { syntheticValue } from './syntheticValues';

export interface SeedOptions {
  /** Required to seed a database that is not the embedded one: its description must match. */
  allowDatabase?: string;
}

/**
 * Fill each model's table with `n` type-correct synthetic rows: one multi-row INSERT per table,
 * split into a few big batches only where the 65,535 bind-parameter limit requires it.
 * Values are unique per row (so unique indexes hold), continuing after the rows already there.
 * Only the embedded database, unless `allowDatabase` names the target's description.
 */
export async function seedRows(db: Database, models: RuntimeModel[], n: number, options: SeedOptions = {}): Promise<SeedResult> {
  if (!db.embedded && options.allowDatabase !== db.description) {
    throw new Error(`Refusing to seed ${db.description}: seeding runs only on the embedded database unless allowDatabase names this database.`);
  }
  if (!Number.isInteger(n) || n < 0) throw new Error('n must be a non-negative integer');
  const counts: Record<string, number> = {};
  const ids: Record<string, SqlParam[]> = {};
  for (const m of models) {
    // A field in any unique index keeps one value per row (a skewed or repeated value would break it).
    const unique = new Set(m.indexes.filter((x) => x.unique).flatMap((x) => x.fields));
    const rowIds: SqlParam[] = [];
    ids[m.name] = rowIds;
    const t = quoteIdent(m.tableName);
    const existing = Number((await db.query(`SELECT COUNT(*) AS c FROM ${t}`, [], { tag: 'seed' })).rows[0]?.c ?? 0);
    const fields = dataFields(m);
    const cols = (m.idType === 'str' ? ['id'] : []).concat(fields.map((f) => f.name));
    let inserted = 0;
    if (cols.length === 0) {
      for (let i = 0; i < n; i++) rowIds.push((await db.query(`INSERT INTO ${t} DEFAULT VALUES RETURNING "id"`, [], { tag: 'seed' })).rows[0]?.id as SqlParam);
      counts[m.name] = n;
      continue;
    }
    const perBatch = Math.max(1, Math.floor(MAX_BIND_PARAMS / cols.length));
    for (let start = 0; start < n; start += perBatch) {
      const end = Math.min(n, start + perBatch);
      const params: SqlParam[] = [];
      for (let r = start; r < end; r++) {
        const i = existing + r + 1;
        if (m.idType === 'str') params.push(`${m.tableName}_${i}`);
        for (const f of fields) params.push(syntheticValue(f, i, existing + n, unique.has(f.name)));
      }
      const r = await db.query(`INSERT INTO ${t} (${cols.map(quoteIdent).join(', ')}) VALUES ${valuesPlaceholders(end - start, cols.length)} RETURNING "id"`, params, { tag: 'seed' });
      inserted += r.rowCount;
      for (const row of r.rows) rowIds.push(row.id as SqlParam);
    }
    counts[m.name] = inserted;
  }
  return { counts, ids };
}

export interface SeedResult {
  /** Rows inserted per model. */
  counts: Record<string, number>;
  /** The ids of the rows inserted, per model, in insertion order (filterSeeding.ts picks among them). */
  ids: Record<string, SqlParam[]>;
}
