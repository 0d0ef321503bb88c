import { LRUCache } from 'lru-cache';

/**
 * The express cache (§5.2): a separate store keyed by model + operation + arguments (+ the tenant
 * on a multi_tenant DataFlow: each tenant has its own entries). Disabled when cache_ttl == 0 or
 * cache_enabled is false. Only express writes invalidate it, so an express read after a workflow
 * write is stale (as in DataFlow); a tenant's write drops only that tenant's entries.
 */
export class ExpressCache {
  private readonly lru: LRUCache<string, { value: unknown; model: string; tenant: string | null }>;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly enabled: boolean,
    readonly ttlSeconds: number,
    maxSize: number,
  ) {
    this.lru = new LRUCache<string, { value: unknown; model: string; tenant: string | null }>({ max: Math.max(1, maxSize) });
  }

  key(model: string, op: string, args: unknown, tenant: string | null = null): string {
    return `dataflow:express:${tenant === null ? '' : `${tenant}:`}${model}:${op}:${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
  }

  /**
   * `tenant` is asked for only when the cache is in use (DataFlow resolves the tenant for the key
   * then, and raises TenantRequiredError there when a multi_tenant DataFlow has none bound).
   */
  async getOrLoad<T>(model: string, op: string, args: unknown, ttlOverride: number | null | undefined, load: () => Promise<T>, tenant: () => string | null = () => null): Promise<T> {
    const ttl = ttlOverride ?? this.ttlSeconds;
    if (!this.enabled || ttl <= 0) return load();
    const t = tenant();
    const k = this.key(model, op, args, t);
    const hit = this.lru.get(k);
    if (hit) {
      this.hits++;
      return hit.value as T;
    }
    this.misses++;
    const value = await load();
    this.lru.set(k, { value, model, tenant: t }, { ttl: ttl * 1000 });
    return value;
  }

  /** A model's entries; with a tenant, only that tenant's (DataFlow's tenant-scoped invalidate_model). */
  invalidateModel(model: string, tenant: string | null = null): void {
    for (const [k, e] of [...this.lru.entries()]) if (e.model === model && (tenant === null || e.tenant === tenant)) this.lru.delete(k);
  }

  clear(model?: string): void {
    if (model) this.invalidateModel(model);
    else this.lru.clear();
  }

  /** db.express.get_cache_stats() */
  stats(): { hits: number; misses: number; backend: string } {
    return { hits: this.hits, misses: this.misses, backend: 'memory' };
  }
}
