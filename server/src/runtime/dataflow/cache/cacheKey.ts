import { createHash } from 'node:crypto';
import type { SqlParam } from '../../db/types';
import { pyJsonDumps, type DfValue } from '../values/dfValues';

/**
 * A parameter as DataFlow's CacheKeyGenerator._serialize_params leaves it: None → "__null__",
 * str/int/float/bool as they are, anything else as its str().
 */
function serializedParam(p: SqlParam): DfValue {
  if (p === null) return '__null__';
  if (typeof p === 'bigint') return p;
  if (p instanceof Uint8Array) return `b'${Buffer.from(p).toString('latin1')}'`;
  return p;
}

/**
 * DataFlow's query-cache key shape (§5.1):
 * `dataflow:query:<Model>:<db-identity-hash>:v2:<hash(normalised SQL + params)>`; keys over 250
 * characters are hashed. Only SQL and params count, so two Lists that differ in ignored
 * parameters share an entry.
 */
const dbHashes = new Map<string, string>();
/** The database identity's short hash, computed once per identity (it is the same for every List). */
function dbHashOf(dbIdentity: string): string {
  let h = dbHashes.get(dbIdentity);
  if (h === undefined) {
    h = createHash('sha256').update(dbIdentity).digest('hex').slice(0, 8);
    if (dbHashes.size > 100) dbHashes.clear();
    dbHashes.set(dbIdentity, h);
  }
  return h;
}

export function queryCacheKey(model: string, dbIdentity: string, sql: string, params: readonly SqlParam[]): string {
  // CacheKeyGenerator._hash_query: sha256 of json.dumps({"sql": <SQL, whitespace collapsed>,
  // "params": [...]}, sort_keys=True), first 16 hex digits (dataflow/cache/key_generator.py).
  const normalised = sql.split(/\s+/).filter(Boolean).join(' ');
  const material = `{"params": ${pyJsonDumps(params.map(serializedParam))}, "sql": ${pyJsonDumps(normalised)}}`;
  const digest = createHash('sha256').update(material).digest('hex').slice(0, 16);
  const dbHash = dbHashOf(dbIdentity);
  const key = `dataflow:query:${model}:${dbHash}:v2:${digest}`;
  if (key.length <= 250) return key;
  return `dataflow:query:${model}:h:${createHash('sha256').update(key).digest('hex')}`;
}

/** Prefix every generated key of a model starts with; invalidation sweeps it. */
export function modelKeyPrefix(model: string): string {
  return `dataflow:query:${model}:`;
}
