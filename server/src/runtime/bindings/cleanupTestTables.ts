// `await db.cleanup_test_tables()` as DataFlow 2.20 does it (DataFlow.cleanup_test_tables in
// dataflow/core/engine.py): with a `postgresql://` URL it opens a connection of its own, lists the
// tables of schema `public` whose names match each of its test patterns (`LIKE $1`), and drops each
// one (`DROP TABLE IF EXISTS "name" CASCADE`). Every failure is logged and swallowed, and with any
// other URL nothing is dropped: SQLite connections have no `fetch` (the per-pattern query fails and
// is swallowed), other schemes fail to connect (swallowed). It never connects the DataFlow instance.
// Here the run's working schema stands for `public`.
import type { Database } from '../db/types';
import { quoteIdent } from '../db/quoteIdent';

/** The LIKE patterns DataFlow drops, in its order. */
export const TEST_TABLE_PATTERNS = ['connection_tests%', 'test_%', '%_test_%', 'load_test%', 'bulk_item%', 'article%'];

/** Whether DataFlow's cleanup would reach a PostgreSQL database for this URL (its `startswith("postgresql://")`). */
export function cleanupReachesDatabase(url: string): boolean {
  return url.startsWith('postgresql://');
}

/** Drops the run's tables matching DataFlow's test patterns; returns their names in drop order. */
export async function dropTestTables(db: Database): Promise<string[]> {
  const dropped: string[] = [];
  for (const pattern of TEST_TABLE_PATTERNS) {
    const found = await db.query('SELECT schemaname, tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE $2', [db.schema, pattern], { tag: 'dataflow:cleanup_test_tables' });
    for (const row of found.rows) {
      const name = row.tablename;
      if (typeof name !== 'string' || !name) continue;
      try {
        await db.query(`DROP TABLE IF EXISTS ${quoteIdent(name)} CASCADE`, [], { tag: 'dataflow:cleanup_test_tables' });
        dropped.push(name);
      } catch {
        // DataFlow logs "Failed to drop test table" at debug level and goes on.
      }
    }
  }
  return dropped;
}
