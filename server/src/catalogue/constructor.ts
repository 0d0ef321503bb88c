// The `DataFlow(...)` keyword arguments and their real effect in 2.20 (reference §1.1), and the
// `__dataflow__` model keys (§2.5).

export type KwargEffect = 'effective' | 'limited' | 'no-op' | 'alias' | 'warned';

export interface ConstructorKwarg { name: string; effect: KwargEffect; note: string; aliasOf?: string }

const K = (name: string, effect: KwargEffect, note: string, aliasOf?: string): ConstructorKwarg => ({ name, effect, note, aliasOf });

export const CONSTRUCTOR_KWARGS: ConstructorKwarg[] = [
  K('database_url', 'effective', 'Positional 1. The CRUD connection; without it the nodes use ":memory:" (DATABASE_URL is not read for CRUD).'),
  K('config', 'effective', 'A DataFlowConfig; deep-copied, explicit kwargs override it.'),
  K('pool_size', 'limited', 'Only the startup pool validator and pool monitor read it; the CRUD pool is AsyncSQLDatabaseNode\'s (max 20).'),
  K('pool_max_overflow', 'limited', 'Same limited use as pool_size.'),
  K('max_overflow', 'no-op', 'Declared "alias" of pool_max_overflow that nothing reads.'),
  K('pool_recycle', 'no-op', 'Stored only.'),
  K('echo', 'no-op', 'Stored; no SQL logging on the node path.'),
  K('multi_tenant', 'effective', 'Adds tenant_id to every model; nodes refuse to run without a bound tenant.'),
  K('tenant_isolation_strategy', 'effective', '"row" (default), "schema" or "database".'),
  K('encryption_key', 'limited', 'Security config flag.'),
  K('audit_logging', 'limited', 'Security config flag.'),
  K('credential_provider', 'effective', 'Mints a password/token per physical connection.'),
  K('cache_enabled', 'effective', 'Node query cache and express cache (default True).'),
  K('enable_caching', 'alias', 'Alias of cache_enabled.', 'cache_enabled'),
  K('cache_ttl', 'effective', 'Default 3600 s; 0 disables the express cache.'),
  K('monitoring', 'no-op', 'No consumer on the CRUD path.'),
  K('slow_query_threshold', 'no-op', 'Seconds, not ms; no consumer on the node path.'),
  K('debug', 'limited', 'Config flag.'),
  K('migration_enabled', 'effective', 'False: the migration system is not initialised.'),
  K('auto_migrate', 'effective', 'True: fail-fast DDL; "warn": log and continue; False: no DDL (and no schema cache).'),
  K('existing_schema_mode', 'effective', 'No CREATE/ALTER; tables assumed to exist.'),
  K('enable_model_persistence', 'effective', 'Persists model definitions to a registry table at first connect.'),
  K('tdd_mode', 'limited', 'Test plumbing.'), K('test_context', 'limited', 'Test plumbing.'),
  K('test_mode', 'limited', 'Test plumbing.'), K('test_mode_aggressive_cleanup', 'limited', 'Test plumbing.'),
  K('migration_lock_timeout', 'effective', 'Clamped to at least 1.'),
  K('enable_connection_pooling', 'limited', 'False skips pool validation and the pool monitor.'),
  K('pools', 'no-op', 'Per-database overrides, stored.'),
  K('validate_on_write', 'effective', 'Express writes run __validation__ validators.'),
  K('log_level', 'effective', 'Logging setup.'), K('log_config', 'effective', 'Logging setup.'),
  K('read_url', 'limited', 'A second connection manager; no read routing: nodes always use the primary.'),
  K('read_pool_size', 'limited', 'Read replica pool validation only.'),
  K('redis_url', 'effective', 'Express cache backend only (the query cache always tries localhost:6379/0).'),
  K('trust_enforcement_mode', 'limited', 'Trust plane, disabled by default.'),
  K('trust_audit_enabled', 'limited', 'Trust plane, disabled by default.'), K('trust_audit_signing_key', 'limited', 'Trust plane, disabled by default.'),
  K('trust_audit_verify_key', 'limited', 'Trust plane, disabled by default.'),
  K('runtime', 'effective', 'Override of the lazily chosen runtime.'),
  // **kwargs accepted without warning:
  K('batch_size', 'no-op', 'Sets config.batch_size; the bulk nodes use their own batch_size parameter.'),
  K('cache_max_size', 'effective', 'In-memory LRU size (default 1000).'),
  K('max_retries', 'limited', 'Accepted kwarg.'), K('encryption_enabled', 'limited', 'Accepted kwarg.'),
  K('schema_cache_enabled', 'effective', 'Schema cache on/off.'), K('schema_cache_ttl', 'effective', 'Schema cache TTL (default None: never expires).'),
  K('schema_cache_max_size', 'effective', 'Schema cache size (default 10000).'), K('use_namespaced_nodes', 'limited', 'Accepted kwarg.'),
  K('startup_validation', 'warned', 'Read from kwargs (False skips pool validation) but not in the known set, so DF-CFG-001 is also emitted.'),
];

/**
 * The signature of `DataFlow.__init__` plus its accepted `**kwargs` (`KNOWN_KWARGS`) plus
 * startup_validation; every other keyword emits DF-CFG-001 and is ignored.
 */
export function constructorKwarg(name: string): ConstructorKwarg | undefined {
  return CONSTRUCTOR_KWARGS.find((x) => x.name === name);
}

/** Keywords people write that emit DF-CFG-001 and are ignored, with what to do instead where there is more to say than "Remove it." */
export const WARNED_KWARG_INSTEAD: Readonly<Record<string, string>> = {
  pool_pre_ping: 'Nothing on the generated-node path reads it; remove it.',
  pool_timeout: 'The generated nodes use the core SQL pool\'s 30 s timeout, which no DataFlow argument changes; remove it.',
  connect_timeout: 'No DataFlow 2.20 argument sets a connect timeout; remove it.',
  command_timeout: 'The generated nodes use the core SQL node\'s 60 s command timeout, which no DataFlow argument changes; remove it.',
  enable_query_cache: 'Use cache_enabled= (the query cache is on by default).',
  connection_string: 'Pass the URL as the first argument (or database_url=).',
  redis_host: 'Use redis_url="redis://<host>:6379/0".',
  connection_pool_size: 'Use pool_size=.',
  enable_metrics: 'DataFlow\'s own hint is monitoring=True, which does nothing on the generated-node path either.',
  skip_registry: 'Use enable_model_persistence=False for a faster start.',
  skip_migration: 'Use auto_migrate=False.',
  schema_cache_validation: 'It cannot be set through keywords in 2.20.',
};

/** `__dataflow__` keys DataFlow recognises (`_KNOWN_DATAFLOW_CONFIG_KEYS`); others warn and do nothing. */
export const DATAFLOW_MODEL_KEYS = ['soft_delete', 'multi_tenant', 'indexes', 'retention', 'use_native_arrays', 'audit_log'] as const;
/** Unknown `__dataflow__` keys people write, with what to do instead. */
export const UNKNOWN_MODEL_KEY_INSTEAD: Readonly<Record<string, string>> = {
  table_name: 'Set __tablename__ = "..." in the class body.',
  versioned: 'It was removed in 2.14.0; nothing implements it.',
  cache_enabled: 'Caching is set per DataFlow instance (cache_enabled=) and per ListNode (enable_cache).',
  cache_ttl: 'Set cache_ttl on the DataFlow instance or on each ListNode.',
};

/** Keys of one `__dataflow__["indexes"]` entry that DataFlow reads; others (type, where, include) are ignored. */
export const INDEX_ENTRY_KEYS = ['fields', 'name', 'unique'] as const;

/** What each `__dataflow__` key does in 2.20 (reference §2.5, §2.7, §2.8). */
export const DATAFLOW_MODEL_KEY_NOTES: Record<(typeof DATAFLOW_MODEL_KEYS)[number], string> = {
  soft_delete: 'True: Delete/BulkDelete set deleted_at instead of deleting; List, Read and Count skip deleted rows.',
  multi_tenant: 'Recognised but not read per model: only DataFlow(multi_tenant=True) adds tenant_id.',
  indexes: 'The only index format DataFlow creates: [{"fields": [...], "name": ..., "unique": ...}] (btree).',
  retention: '{"policy", "after_days", "archive_table", "cutoff_field"}: the retention policy.',
  use_native_arrays: 'True: list values pass through unchanged (for PostgreSQL array columns) instead of json.dumps.',
  audit_log: 'Recognised; no effect found on the CRUD path.',
};

/** What each key of a `__dataflow__["indexes"]` entry does (§2.5). */
export const INDEX_ENTRY_KEY_NOTES: Record<(typeof INDEX_ENTRY_KEYS)[number], string> = {
  fields: 'Required: the columns, in order (an entry without fields is skipped).',
  name: 'Default idx_<table>_<first field>: unnamed indexes sharing a first column collide and the second is never created.',
  unique: 'Default False; upserts on a non-PK conflict target need a unique index.',
};
