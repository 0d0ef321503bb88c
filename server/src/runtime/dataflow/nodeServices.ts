// What a node executor uses of its DataFlow instance: the database, the resolved settings and the
// instance's caches. DataFlowRuntime provides it; the executors (nodes/, transactions/, tenancy/)
// see only this, through their ExecutionContext, so they never import the runtime that calls them.
import type { Database } from '../db/types';
import type { QueryCache } from './cache/queryCache';
import type { SchemaCache } from './cache/schemaCache';
import type { ResolvedSettings } from './schema';

export interface NodeServices {
  readonly db: Database;
  readonly settings: ResolvedSettings;
  /** Identity of the target database, part of every query-cache key. */
  readonly dbIdentity: string;
  readonly queryCache: QueryCache;
  /** ensure_table_exists's record of the tables made (schemaManager.ts). */
  readonly schemaCache: SchemaCache;
  /** Column sets of each table's primary key and unique indexes (nodes/uniqueKeys.ts). */
  readonly uniqueIndexCache: Map<string, string[][]>;
}
