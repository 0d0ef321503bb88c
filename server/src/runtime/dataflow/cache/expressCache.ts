import { LRUCache } from 'lru-cache';

/**
 * The express cache (§5.2): a separate store keyed by model + operation + arguments. Disabled when
 * cache_ttl == 0 or cache_enabled is false. Only express writes invalidate it, so an express read
 * after a workflow write is stale (as in DataFlow).
 */
export class ExpressCache {
  private readonly lru: LRUCache<string, { value: unknown }>;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly enabled: boolean,
    readonly ttlSeconds: number,
    maxSize: number,
  ) {
    this.lru = new LRUCache<string, { value: unknown }>({ max: Math.max(1, maxSize) });
  }

  key(model: string, op: string, args: unknown): string {
    return `dataflow:express:${model}:${op}:${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
  }

  async getOrLoad<T>(model: string, op: string, args: unknown, ttlOverride: number | null | undefined, load: () => Promise<T>): Promise<T> {
    const ttl = ttlOverride ?? this.ttlSeconds;
    if (!this.enabled || ttl <= 0) return load();
    const k = this.key(model, op, args);
    const hit = this.lru.get(k);
    if (hit) {
      this.hits++;
      return hit.value as T;
    }
    this.misses++;
    const value = await load();
    this.lru.set(k, { value }, { ttl: ttl * 1000 });
    return value;
  }

  invalidateModel(model: string): void {
    const prefix = `dataflow:express:${model}:`;
    for (const k of [...this.lru.keys()]) if (k.startsWith(prefix)) this.lru.delete(k);
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
