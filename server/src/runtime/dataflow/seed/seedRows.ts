import { quoteIdent } from '../../db/quoteIdent';
import type { Database, SqlParam } from '../../db/types';
import { dataFields, type RuntimeModel } from '../schema';
import { syntheticValue } from './syntheticValues';

export interface SeedOptions {
  /** Required to seed a database that is not the embedded one: its description must match. */
  allowDatabase?: string;
}

const MAX_PARAMS = 65535;

/**
 * Fill each model's table with `n` type-correct synthetic rows: one multi-row INSERT per table,
 * split into a few big batches only where the 65,535 bind-parameter limit requires it.
 * Values are unique per row (so unique indexes hold), continuing after the rows already there.
 * Only the embedded database, unless `allowDatabase` names the target's description.
 */
export async function seedRows(db: Database, models: RuntimeModel[], n: number, options: SeedOptions = {}): Promise<Record<string, number>> {
  if (!db.embedded && options.allowDatabase !== db.description) {
    throw new Error(`Refusing to seed ${db.description}: seeding runs only on the embedded database unless allowDatabase names this database.`);
  }
  if (!Number.isInteger(n) || n < 0) throw new Error('n must be a non-negative integer');
  const counts: Record<string, number> = {};
  for (const m of models) {
    const t = quoteIdent(m.tableName);
    const existing = Number((await db.query(`SELECT COUNT(*) AS c FROM ${t}`, [], { tag: 'seed' })).rows[0]?.c ?? 0);
    const fields = dataFields(m);
    const cols = (m.idType === 'str' ? ['id'] : []).concat(fields.map((f) => f.name));
    let inserted = 0;
    if (cols.length === 0) {
      for (let i = 0; i < n; i++) await db.query(`INSERT INTO ${t} DEFAULT VALUES`, [], { tag: 'seed' });
      counts[m.name] = n;
      continue;
    }
    const perBatch = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
    for (let start = 0; start < n; start += perBatch) {
      const end = Math.min(n, start + perBatch);
      const params: SqlParam[] = [];
      const tuples: string[] = [];
      for (let r = start; r < end; r++) {
        const i = existing + r + 1;
        const ph: string[] = [];
        if (m.idType === 'str') {
          params.push(`${m.tableName}_${i}`);
          ph.push(`$${params.length}`);
        }
        for (const f of fields) {
          params.push(syntheticValue(f, i));
          ph.push(`$${params.length}`);
        }
        tuples.push(`(${ph.join(', ')})`);
      }
      const r = await db.query(`INSERT INTO ${t} (${cols.map(quoteIdent).join(', ')}) VALUES ${tuples.join(', ')}`, params, { tag: 'seed' });
      inserted += r.rowCount;
    }
    counts[m.name] = inserted;
  }
  return counts;
}
