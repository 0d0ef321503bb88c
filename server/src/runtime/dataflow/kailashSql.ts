// What PostgreSQL receives for a statement DataFlow hands to kailash's AsyncSQLDatabaseNode with a
// list of parameters (docs/dataflow-2.20.md §8): AsyncSQLDatabaseNode.async_run renames the
// positional placeholders `?`, `$n`, `%s` to `:p0, :p1, ...` (_convert_to_named_parameters,
// kailash/nodes/data/async_sql.py:6945, called at :5523), then the PostgreSQL adapter writes them
// back as `$n`, adding `::integer` to an int's and `::boolean` to a bool's (:1615-1622). The
// query-cache key hashes DataFlow's own text (before this); the statement sent, profiled and
// explained is this one. Recorded with the oracle's wire spy: test/conformance/cases/*.sql.json.
import type { SqlParam } from '../db/types';
import { positionalWireSql } from '../kailash/sqlPlaceholders';

/** DataFlow on a PostgreSQL URL (or none): kailash's PostgreSQL adapter and asyncpg carry its statements. */
export function viaAsyncpg(url: string | null | undefined): boolean {
  return !url || /^postgres(ql)?(\+\w+)?:/i.test(url);
}

/** The text sent for DataFlow's `sql` with `params` on a PostgreSQL URL. */
export function kailashWireSql(sql: string, params: readonly SqlParam[]): string {
  if (!params.length) return sql;
  // One pass over the text (the rename and the adapter's rewrite, as kailash does them in turn).
  return positionalWireSql(sql, params as SqlParam[]);
}
