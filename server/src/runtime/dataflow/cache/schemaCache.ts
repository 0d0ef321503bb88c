/**
 * The schema (table-existence) cache of §5.3: key `${database_url}:${model}`, states
 * ensured / failed / unknown / validating, LRU-ish eviction of the oldest 10% by
 * last_validated_at above max size, failure back-off.
 */
export type SchemaCacheState = 'ensured' | 'failed' | 'unknown' | 'validating';

export interface SchemaCacheEntry {
  model_name: string;
  state: SchemaCacheState;
  first_ensured_at: number | null;
  last_validated_at: number;
  validation_count: number;
  failure_count: number;
  last_failure_reason: string | null;
}

/** Exactly the keys of db.get_schema_cache_metrics(). */
export interface SchemaCacheMetrics {
  enabled: boolean;
  cache_size: number;
  max_size: number;
  hits: number;
  misses: number;
  hit_rate_percent: number;
  evictions: number;
  failures: number;
  ttl_seconds: number | null;
}

export class SchemaCache {
  private readonly entries = new Map<string, SchemaCacheEntry>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private failures = 0;
  static readonly MAX_FAILURE_COUNT = 3;
  static readonly FAILURE_BACKOFF_SECONDS = 60;

  constructor(
    readonly enabled: boolean,
    readonly maxSize: number,
    readonly ttlSeconds: number | null,
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {}

  static key(databaseUrl: string | null, model: string): string {
    return `${databaseUrl ?? ':memory:'}:${model}`;
  }

  /** True (a hit) when the table is known to exist; counts hits and misses. */
  isTableEnsured(databaseUrl: string | null, model: string): boolean {
    if (!this.enabled) return false;
    const e = this.entries.get(SchemaCache.key(databaseUrl, model));
    const now = this.clock();
    if (e && e.state === 'ensured' && (this.ttlSeconds === null || now - e.last_validated_at <= this.ttlSeconds)) {
      this.hits++;
      return true;
    }
    this.misses++;
    return false;
  }

  /** Whether a failed entry is still backing off (exponential 60·2^failures; after 3 failures, until cleared). */
  isBackingOff(databaseUrl: string | null, model: string): boolean {
    const e = this.entries.get(SchemaCache.key(databaseUrl, model));
    if (!e || e.state !== 'failed') return false;
    if (e.failure_count >= SchemaCache.MAX_FAILURE_COUNT) return true;
    return this.clock() - e.last_validated_at < SchemaCache.FAILURE_BACKOFF_SECONDS * 2 ** e.failure_count;
  }

  markTableEnsured(databaseUrl: string | null, model: string): void {
    if (!this.enabled) return;
    const k = SchemaCache.key(databaseUrl, model);
    const now = this.clock();
    const prev = this.entries.get(k);
    this.entries.set(k, {
      model_name: model,
      state: 'ensured',
      first_ensured_at: prev?.first_ensured_at ?? now,
      last_validated_at: now,
      validation_count: (prev?.validation_count ?? 0) + 1,
      failure_count: 0,
      last_failure_reason: null,
    });
    this.evictIfNeeded();
  }

  markTableFailed(databaseUrl: string | null, model: string, reason: string): void {
    this.failures++;
    if (!this.enabled) return;
    const k = SchemaCache.key(databaseUrl, model);
    const prev = this.entries.get(k);
    this.entries.set(k, {
      model_name: model,
      state: 'failed',
      first_ensured_at: prev?.first_ensured_at ?? null,
      last_validated_at: this.clock(),
      validation_count: prev?.validation_count ?? 0,
      failure_count: (prev?.failure_count ?? 0) + 1,
      last_failure_reason: reason,
    });
    this.evictIfNeeded();
  }

  clearTable(databaseUrl: string | null, model: string): boolean {
    return this.entries.delete(SchemaCache.key(databaseUrl, model));
  }

  clear(): void {
    this.entries.clear();
  }

  getMetrics(): SchemaCacheMetrics {
    const total = this.hits + this.misses;
    return {
      enabled: this.enabled,
      cache_size: this.entries.size,
      max_size: this.maxSize,
      hits: this.hits,
      misses: this.misses,
      hit_rate_percent: total ? Math.round((this.hits / total) * 10000) / 100 : 0,
      evictions: this.evictions,
      failures: this.failures,
      ttl_seconds: this.ttlSeconds,
    };
  }

  /** db.get_cached_tables() */
  getCachedTables(): Record<string, SchemaCacheEntry & { age_seconds: number }> {
    const now = this.clock();
    const out: Record<string, SchemaCacheEntry & { age_seconds: number }> = {};
    for (const [k, e] of this.entries) out[k] = { ...e, age_seconds: now - (e.first_ensured_at ?? e.last_validated_at) };
    return out;
  }

  private evictIfNeeded(): void {
    if (this.entries.size <= this.maxSize) return;
    const n = Math.max(1, Math.floor(this.maxSize * 0.1));
    const oldest = [...this.entries.entries()].sort((a, b) => a[1].last_validated_at - b[1].last_validated_at).slice(0, n);
    for (const [k] of oldest) {
      this.entries.delete(k);
      this.evictions++;
    }
  }
}
