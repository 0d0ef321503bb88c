import { LRUCache } from 'lru-cache';
import { modelKeyPrefix } from './cacheKey';
import type { DfRecord } from '../values/dfValues';

export interface CacheMarker extends DfRecord {
  key: string;
  hit: boolean;
  source: 'database' | 'cache';
  timestamp: string;
}

export interface QueryCacheStats {
  hits: number;
  misses: number;
  sets: number;
  invalidations: number;
  size: number;
}

/**
 * The node query cache (List only, §5.1): in-memory LRU (max 1000 entries by default), TTL from
 * the node's cache_ttl or DataFlow's cache_ttl (3600 s). Entries hold the result OBJECT itself:
 * a hit returns the same object and stamps its `_cache` marker in place, so a result the caller
 * got earlier later shows `hit: true` (addendum). Writes sweep the model's generated keys
 * (`dataflow:query:<Model>:*`); a custom cache_key never matches that pattern and stays stale.
 */
export class QueryCache {
  private readonly lru: LRUCache<string, DfRecord>;
  private hits = 0;
  private misses = 0;
  private sets = 0;
  private invalidations = 0;

  constructor(
    readonly defaultTtlSeconds: number,
    maxSize: number,
    private readonly now: () => string = pythonNowIso,
  ) {
    this.lru = new LRUCache<string, DfRecord>({ max: Math.max(1, maxSize), ttlAutopurge: false });
  }

  /** Look up `key`, or run `execute` and store its result. Returns the (shared) result object. */
  async executeWithCache(key: string, ttlSeconds: number | null | undefined, execute: () => Promise<DfRecord>): Promise<DfRecord> {
    const cached = this.lru.get(key);
    if (cached !== undefined) {
      this.hits++;
      cached._cache = { key, hit: true, source: 'cache', timestamp: this.now() } satisfies CacheMarker;
      return cached;
    }
    this.misses++;
    const result = await execute();
    result._cache = { key, hit: false, source: 'database', timestamp: this.now() } satisfies CacheMarker;
    const ttl = ttlSeconds === null || ttlSeconds === undefined ? this.defaultTtlSeconds : ttlSeconds;
    if (ttl > 0) {
      this.lru.set(key, result, { ttl: ttl * 1000 });
      this.sets++;
    }
    return result;
  }

  /** invalidate_model_cache: delete every generated key of the model. Returns how many went. */
  invalidateModel(model: string): number {
    const prefix = modelKeyPrefix(model);
    let n = 0;
    for (const k of [...this.lru.keys()]) {
      if (k.startsWith(prefix)) {
        this.lru.delete(k);
        n++;
      }
    }
    this.invalidations++;
    return n;
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  clear(): void {
    this.lru.clear();
  }

  stats(): QueryCacheStats {
    return { hits: this.hits, misses: this.misses, sets: this.sets, invalidations: this.invalidations, size: this.lru.size };
  }
}

/** Python's datetime.now().isoformat() (local, naive). */
export function pythonNowIso(): string {
  const d = new Date();
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const ms = d.getMilliseconds();
  return ms ? `${base}.${pad(ms, 3)}000` : base;
}
