import { FloatNumber } from '../../python/floatNumber';
import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { nodeValueError } from '../errors';
import { queryCacheKey } from '../cache/cacheKey';
import { compileFilter, whereClause } from '../filters/compileFilter';
import { compileOrder } from '../filters/compileOrder';
import { ParamList } from '../filters/sqlParams';
import type { RuntimeModel } from '../schema';
import { isDfRecord, truthy, type DfRecord, type DfValue } from '../values/dfValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { deserializeJsonFields, parseJsonParam, rowToOutput, runSql } from './common';
import { deferredBindChecks } from '../values/asyncpgBindCheck';

/** The filter a List/Count runs with: JSON-string filters parsed, soft-delete condition appended. */
export function effectiveFilter(model: RuntimeModel, inputs: DfRecord): DfRecord {
  const parsed = parseJsonParam(inputs.filter, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  const filter: DfRecord = isDfRecord(parsed) ? { ...parsed } : {};
  if (model.softDelete && !truthy(inputs.include_deleted) && !('deleted_at' in filter)) filter.deleted_at = { $null: true };
  return filter;
}

function nonNegativeInt(name: string, v: DfValue | undefined, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (v instanceof FloatNumber) v = v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw nodeValueError(`${name} must be a non-negative integer`); // QueryBuilder.limit/offset (database/query_builder.py:218, :225)
  }
  return v;
}

/**
 * <Model>ListNode (dataflow/core/nodes.py:3186; docs/dataflow-2.20.md §4, §6, §8, §9): `SELECT *`, default `"id" DESC`, limit 10,
 * `count` = page length, `_cache` marker when the query cache is used.
 */
export async function executeList(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const limitRaw = 'limit' in inputs ? inputs.limit : 10;
  const limit = nonNegativeInt('limit', limitRaw, 10);
  const offset = nonNegativeInt('offset', inputs.offset, 0);
  let orderBy: DfValue = inputs.order_by ?? [];
  if (typeof orderBy === 'string') {
    const parsed = parseJsonParam(orderBy, [], (x) => Array.isArray(x));
    if (!Array.isArray(parsed) || parsed.length === 0) {
      ctx.quirk('order-by-string-ignored', `order_by ${JSON.stringify(orderBy)} is a string that is not a JSON list: ignored, default ordering "id" DESC used.`, { model: model.name });
    }
    orderBy = Array.isArray(parsed) ? parsed : [];
  }
  const sort: DfValue[] = Array.isArray(inputs.sort) ? inputs.sort : [];
  const orderList: DfValue[] = Array.isArray(orderBy) ? orderBy : [];
  if (orderList.some((o) => o === '' || o === '-' || (typeof o === 'string' && o.length === 1))) {
    ctx.quirk('order-by-string-split', 'order_by was a string in the node config; the core SDK turned it into a list of characters, so ORDER BY names one-letter (and empty) columns.', { model: model.name });
  }
  const countOnly = truthy(inputs.count_only);
  const t = quoteIdent(model.tableName);
  const params = new ParamList();
  let sql: string;
  if ('filter' in inputs || model.softDelete) {
    const filter = effectiveFilter(model, inputs);
    noteFilterQuirks(ctx, model, filter);
    const deferred = deferredBindChecks(ctx, model);
    const where = whereClause(compileFilter(filter, params, deferred.add));
    deferred.run();
    if (countOnly) {
      sql = `SELECT COUNT(*) FROM ${t}${where}`;
    } else {
      const order = compileOrder(orderList, sort);
      sql = `SELECT * FROM ${t}${where} ORDER BY ${order.join(', ')} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
    }
  } else if (countOnly) {
    sql = `SELECT COUNT(*) FROM ${t}`;
  } else {
    // the template path, reached only when no filter is passed at all (never in a workflow)
    sql = `SELECT * FROM ${t} ORDER BY ${quoteIdent('id')} ASC LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
  }
  // Scoped before the cache key is taken: each tenant's page is its own cache entry, as in DataFlow.
  const scoped = scopeStatement(ctx, model, sql, params.values);
  if (countOnly) ctx.quirk('count-only-returns-zero', 'ListNode count_only=True returns {"count": 0} whatever the row count (DataFlow 2.20 bug); use CountNode.', { model: model.name });

  const execute = async (): Promise<DfRecord> => {
    const r = await runSql(ctx, scoped.sql, scoped.params);
    if (countOnly) return { count: 0 };
    // Each record through _deserialize_json_fields, as Read does (dataflow/core/nodes.py:3436).
    const records = r.rows.map((row) => deserializeJsonFields(model, rowToOutput(r, row)));
    return { records, count: records.length, limit: limitRaw ?? 10 };
  };

  const enableCache = 'enable_cache' in inputs ? truthy(inputs.enable_cache) : true;
  if (!ctx.services.settings.cacheEnabled || !enableCache) return execute();
  const customKey = typeof inputs.cache_key === 'string' && inputs.cache_key.length > 0 ? inputs.cache_key : undefined;
  const key = customKey ?? queryCacheKey(model.name, ctx.services.dbIdentity, scoped.sql, scoped.params);
  if (customKey && ctx.services.queryCache.has(customKey)) {
    ctx.quirk('custom-cache-key-not-invalidated', `cache_key '${customKey}' is never invalidated by writes; rows may be stale until the TTL.`, { model: model.name });
  }
  const ttl = typeof inputs.cache_ttl === 'number' || inputs.cache_ttl instanceof FloatNumber ? Number(inputs.cache_ttl) : null;
  return ctx.services.queryCache.executeWithCache(key, ttl, execute);
}

export function noteFilterQuirks(ctx: ExecutionContext, model: RuntimeModel, filter: DfRecord): void {
  for (const [field, value] of Object.entries(filter)) {
    if (field.startsWith('$')) {
      ctx.quirk('top-level-logical-operator', `Top-level '${field}' is treated as a column name by DataFlow's QueryBuilder (no $or/$and support).`, { model: model.name });
    }
    if (!isDfRecord(value)) continue;
    for (const [op, v] of Object.entries(value)) {
      if ((op === '$in' || op === '$nin') && Array.isArray(v) && v.length === 0) {
        ctx.quirk('empty-in-list', `{"${op}": []} on ${field} compiles to ${op === '$in' ? 'IN' : 'NOT IN'} (), a PostgreSQL syntax error (as in DataFlow).`, { model: model.name });
      }
      if ((op === '$exists' || op === '$null') && v === false) {
        ctx.quirk('operator-value-ignored', `{"${op}": False} on ${field}: DataFlow ignores the value (${op === '$exists' ? 'IS NOT NULL' : 'IS NULL'}).`, { model: model.name });
      }
    }
  }
}
