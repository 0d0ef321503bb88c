import { RUNTIME_INTERNAL_TAG } from '../../db/types';
import type { ExecutionContext } from '../context';
import { databaseQueryFailed } from '../errors';
import type { RuntimeModel } from '../schema';

/**
 * Column sets of the table's PRIMARY KEY and UNIQUE (non-partial) indexes, cached per runtime.
 * DataFlow sends no such query (docs/dataflow-2.20.md §8): it is tagged RUNTIME_INTERNAL_TAG, so a
 * profile's statements are the ones production sends.
 */
export async function uniqueKeySets(ctx: ExecutionContext, model: RuntimeModel): Promise<string[][]> {
  const cached = ctx.services.uniqueIndexCache.get(model.tableName);
  if (cached) return cached;
  const r = await ctx.queryable.query(
    `SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) AS cols
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE c.relname = $1 AND n.nspname = current_schema() AND i.indisunique AND i.indpred IS NULL
      GROUP BY i.indexrelid`,
    [model.tableName],
    { tag: RUNTIME_INTERNAL_TAG, signal: ctx.options.signal },
  ).catch((e: unknown) => {
    throw databaseQueryFailed(e);
  });
  const sets = r.rows.map((row) => String(row.cols).split(','));
  ctx.services.uniqueIndexCache.set(model.tableName, sets);
  return sets;
}
