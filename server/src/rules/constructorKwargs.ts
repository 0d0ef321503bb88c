// What DataFlow 2.20's constructor does with each keyword (DF/core/engine.py `DataFlow.__init__`,
// reference §1.1), and which database a `DataFlow(...)` call ends up on (§1.3–1.4). Shared by the
// configuration rules (DF004, DF030, DF031, DF033, DF034).
import type { DataFlowInstanceFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import { strValue } from '../model/staticExpr';

/** Named parameters of `DataFlow.__init__` (2.20), in signature order. */
export const SIGNATURE_PARAMS: ReadonlySet<string> = new Set([
  'database_url', 'config', 'pool_size', 'pool_max_overflow', 'pool_recycle', 'echo', 'multi_tenant',
  'tenant_isolation_strategy', 'encryption_key', 'credential_provider', 'audit_logging', 'cache_enabled',
  'cache_ttl', 'monitoring', 'slow_query_threshold', 'debug', 'migration_enabled', 'auto_migrate',
  'existing_schema_mode', 'enable_model_persistence', 'tdd_mode', 'test_context', 'test_mode',
  'test_mode_aggressive_cleanup', 'migration_lock_timeout', 'enable_connection_pooling', 'pools',
  'max_overflow', 'enable_caching', 'validate_on_write', 'log_level', 'log_config', 'read_url',
  'read_pool_size', 'redis_url', 'trust_enforcement_mode', 'trust_audit_enabled',
  'trust_audit_signing_key', 'trust_audit_verify_key', 'runtime',
]);

/** `**kwargs` keys the constructor accepts without the DF-CFG-001 warning (`KNOWN_KWARGS`). */
export const KNOWN_EXTRA_KWARGS: ReadonlySet<string> = new Set([
  'batch_size', 'cache_max_size', 'max_retries', 'encryption_enabled', 'schema_cache_enabled',
  'schema_cache_ttl', 'schema_cache_max_size', 'use_namespaced_nodes', 'log_level', 'log_config',
]);

/**
 * Keywords outside both sets that DataFlow still reads (and warns about anyway): not no-ops.
 * `startup_validation=False` skips the pool validator (§1.5).
 */
export const READ_DESPITE_WARNING: ReadonlySet<string> = new Set(['startup_validation']);

/** What to do about an ignored keyword (one sentence), where there is more to say than "Remove it." */
export const INSTEAD: Readonly<Record<string, string>> = {
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

/** The `__dataflow__` keys DataFlow 2.20 reads (`_KNOWN_DATAFLOW_CONFIG_KEYS`); others warn and do nothing. */
export const KNOWN_MODEL_CONFIG_KEYS: ReadonlySet<string> = new Set([
  'soft_delete', 'multi_tenant', 'indexes', 'retention', 'use_native_arrays', 'audit_log',
]);

export const MODEL_CONFIG_INSTEAD: Readonly<Record<string, string>> = {
  table_name: 'Set __tablename__ = "..." in the class body.',
  versioned: 'It was removed in 2.14.0; nothing implements it.',
  cache_enabled: 'Caching is set per DataFlow instance (cache_enabled=) and per ListNode (enable_cache).',
  cache_ttl: 'Set cache_ttl on the DataFlow instance or on each ListNode.',
};

export type DbKind = 'sqlite' | 'postgresql' | 'mysql' | 'mongodb' | 'unknown';

/** The database a URL string names (§1.3), or undefined when it is not one DataFlow accepts. */
export function dbKindOfUrl(url: string): DbKind | undefined {
  const u = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1]?.toLowerCase();
  if (scheme) {
    const base = scheme.split('+')[0];
    if (base === 'postgresql' || base === 'postgres') return 'postgresql';
    if (base === 'mysql') return 'mysql';
    if (base === 'sqlite' || base === 'file') return 'sqlite';
    if (base === 'mongodb') return 'mongodb';
    return undefined;
  }
  if (u === ':memory:' || /\.(db|sqlite3?)$/i.test(u) || /^(\.\.?\/|\/)/.test(u)) return 'sqlite';
  return undefined;
}

export interface InstanceDatabase {
  kind: DbKind;
  /** How the answer was found. */
  via: 'literal' | 'no-url' | 'config' | 'dynamic';
  url?: string;
}

/**
 * Which database `DataFlow(...)` uses, as far as the file says. A URL held in a constant or given
 * as an `os.getenv` default counts as written; a URL read from the environment without a default,
 * a parameter or a call is `unknown`. No URL (and no `config=`) is in-memory SQLite for the
 * generated nodes (§1.4).
 */
export function databaseOf(file: SourceFile, inst: DataFlowInstanceFact): InstanceDatabase {
  if (!inst.url) {
    if (hasConfigOrSpread(file, inst)) return { kind: 'unknown', via: 'config' };
    return { kind: 'sqlite', via: 'no-url', url: ':memory:' };
  }
  const v = file.resolver.value(inst.url, inst.span.start, inst.functionName);
  const s = strValue(v);
  if (s !== undefined) return { kind: dbKindOfUrl(s) ?? 'unknown', via: 'literal', url: s };
  if (v?.k === 'fstr') {
    const head = v.parts[0];
    if (typeof head === 'string') {
      const k = dbKindOfUrl(head.includes(':') ? head : `${head}x`);
      if (k && /^[a-z+]+:/i.test(head)) return { kind: k, via: 'literal' };
    }
  }
  if (v?.k === 'binop' && v.op === '+') {
    const l = strValue(file.resolver.value(v.l, inst.span.start, inst.functionName));
    if (l && /^[a-z+]+:/i.test(l)) { const k = dbKindOfUrl(l); if (k) return { kind: k, via: 'literal' }; }
  }
  return { kind: 'unknown', via: 'dynamic' };
}

/** `config=` or a `**spread` / `*spread` argument can carry a URL or any setting. */
export function hasConfigOrSpread(file: SourceFile, inst: DataFlowInstanceFact): boolean {
  if (inst.kwargs.some((k) => k.name === 'config')) return true;
  return /[(,]\s*\*\*?\s*[A-Za-z_(]/.test(file.text.slice(inst.argsSpan.start, inst.argsSpan.end));
}

/** True for test files: under a `tests/` directory, `test_*.py`, `*_test.py`, `conftest.py`. */
export function isTestFile(uri: string): boolean {
  const p = decodeURIComponent(uri).replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  return /\/tests\//.test(p) || /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || base === 'conftest.py';
}

/**
 * True when the file imports a `DataFlow` from some other package (`from pipelines import
 * DataFlow`): its calls are not Kailash DataFlow's constructor. Snippets without imports count as
 * DataFlow's.
 */
export function foreignDataFlowClass(file: SourceFile): boolean {
  return file.facts.imports.some((i) => !(i.module === 'dataflow' || i.module.startsWith('dataflow.') || i.module.startsWith('kailash'))
    && i.names.some((n) => n.name === 'DataFlow' && (!n.alias || n.alias === 'DataFlow')));
}
