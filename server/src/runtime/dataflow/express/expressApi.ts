import type { ExecutionContext, Surface } from '../context';
import { DataFlowNodeError } from '../errors';
import type { ExpressCache } from '../cache/expressCache';
import type { ResolvedSettings, RuntimeModel } from '../schema';
import { generatedNodeName, OPERATIONS, type NodeOperation } from '../../../catalogue';
import { pyRepr, truthy, type DfRecord, type DfValue } from '../values/dfValues';

/** `_resolve_tenant_id`: a multi_tenant DataFlow's express cache needs a bound tenant. */
export class TenantRequiredError extends Error {
  readonly pyType = 'TenantRequiredError';
  constructor() {
    super(
      'DataFlow is configured with multi_tenant=True but no tenant_id is bound to the current context. ' +
        'Bind one via `db.tenant_context.switch(tenant_id)` / `aswitch(tenant_id)` before calling Express methods.',
    );
    this.name = 'TenantRequiredError';
  }
}

/** `_raise_for_failed_result`: a write node's `{"success": False, "error": ...}` raised as RuntimeError. */
export class ExpressFailedResultError extends Error {
  readonly pyType = 'RuntimeError';
  constructor(
    readonly operation: string,
    readonly model: string,
    readonly errorText: string,
  ) {
    super(`express.${operation} failed for model ${pyRepr(model)}: ${errorText}`);
    this.name = 'ExpressFailedResultError';
  }
}

/**
 * `db.express` (§9.10): calls the node executors directly — no parameter defaults (so
 * BulkUpsert updates), no input sanitiser / operator allow-list for single-record calls ($like
 * works), limit 100 for list. Reads go through the separate express cache, which only express
 * writes invalidate.
 */
/** What the express API uses of its DataFlow instance (DataFlowRuntime provides it; the API does not import the runtime that makes it). */
export interface ExpressHost {
  readonly models: ReadonlyMap<string, RuntimeModel>;
  readonly settings: ResolvedSettings;
  readonly expressCache: ExpressCache;
  executeNode(ctx: ExecutionContext, type: string, inputs: DfRecord, opts: { surface?: Surface; nodeId?: string }): Promise<DfRecord>;
}

export class ExpressApi {
  constructor(
    private readonly rt: ExpressHost,
    private readonly ctx: ExecutionContext,
  ) {}

  private run(model: string, op: NodeOperation, inputs: DfRecord): Promise<DfRecord> {
    if (!this.rt.models.has(model)) throw new DataFlowNodeError(`Model '${model}' not found`);
    return this.rt.executeNode(this.ctx, generatedNodeName(model, op), inputs, { surface: 'express', nodeId: `express.${OPERATIONS[op].operation}(${model})` });
  }

  /** The tenant of the cache key / invalidation: null on a single-tenant DataFlow. */
  private cacheTenant(): string | null {
    if (!this.rt.settings.multiTenant) return null;
    const tenant = this.ctx.options.tenant ?? null;
    if (!tenant) throw new TenantRequiredError();
    return tenant;
  }

  /** `_invalidate_model_cache`: nothing with caching off; a tenant's write drops that tenant's entries. */
  private written(model: string): void {
    if (!this.rt.settings.cacheEnabled) return;
    this.rt.expressCache.invalidateModel(model, this.cacheTenant());
  }

  async create(model: string, data: DfRecord): Promise<DfRecord> {
    const out = await this.run(model, 'Create', { ...data });
    if (out.success === false) throw new ExpressFailedResultError('create', model, typeof out.error === 'string' && out.error ? out.error : 'operation failed');
    this.written(model);
    return out;
  }

  async read(model: string, id: DfValue, opts: { cache_ttl?: number | null; include_deleted?: boolean } = {}): Promise<DfRecord | null> {
    return this.rt.expressCache.getOrLoad(model, 'read', [id, opts.include_deleted ?? false], opts.cache_ttl, async () => {
      const out = await this.run(model, 'Read', { id, raise_on_not_found: false, include_deleted: opts.include_deleted ?? false });
      // ReadNode.async_run's output as it is: the record with found=True (recorded: test/conformance/cases/express_api).
      if (!truthy(out.found)) return null;
      return { ...out };
    }, () => this.cacheTenant());
  }

  /**
   * UpdateNode.async_run(filter={"id": id}, fields=fields) called directly (not in a workflow), then
   * the record read back with read(model, id, cache_ttl=0) (dataflow/features/express.py:1159,
   * "Issue #490"; recorded: test/conformance/cases/express_api.sql.json); when the read finds
   * nothing, the updated record with found=True, without the inputs a workflow run echoes.
   */
  async update(model: string, id: DfValue, fields: DfRecord): Promise<DfRecord> {
    const out = await this.run(model, 'Update', { filter: { id }, fields });
    this.written(model);
    if (out.success === false) return out;
    const fresh = await this.read(model, id, { cache_ttl: 0 });
    if (fresh) return fresh;
    const rec: DfRecord = { ...out };
    for (const k of ['filter', 'fields', 'conditions', 'updates', 'updated']) delete rec[k];
    rec.found = true;
    return rec;
  }

  async delete(model: string, id: DfValue): Promise<boolean> {
    const out = await this.run(model, 'Delete', { id });
    this.written(model);
    return out.deleted === true;
  }

  async list(
    model: string,
    filter: DfRecord | null = null,
    opts: { limit?: number; offset?: number; order_by?: string | null; cache_ttl?: number | null; include_deleted?: boolean } = {},
  ): Promise<DfRecord[]> {
    const inputs: DfRecord = { filter: filter ?? {}, limit: opts.limit ?? 100, offset: opts.offset ?? 0, include_deleted: opts.include_deleted ?? false };
    if (opts.order_by !== undefined && opts.order_by !== null) inputs.order_by = opts.order_by;
    return this.rt.expressCache.getOrLoad(model, 'list', inputs, opts.cache_ttl, async () => {
      const out = await this.run(model, 'List', inputs);
      return (out.records as DfRecord[]) ?? [];
    }, () => this.cacheTenant());
  }

  async find_one(model: string, filter: DfRecord, opts: { cache_ttl?: number | null; include_deleted?: boolean } = {}): Promise<DfRecord | null> {
    return this.rt.expressCache.getOrLoad(model, 'find_one', [filter, opts.include_deleted ?? false], opts.cache_ttl, async () => {
      const out = await this.run(model, 'List', { filter, limit: 1, offset: 0, include_deleted: opts.include_deleted ?? false });
      const recs = (out.records as DfRecord[]) ?? [];
      return recs[0] ?? null;
    }, () => this.cacheTenant());
  }

  async count(model: string, filter: DfRecord | null = null, opts: { cache_ttl?: number | null; include_deleted?: boolean } = {}): Promise<number> {
    return this.rt.expressCache.getOrLoad(model, 'count', [filter ?? {}, opts.include_deleted ?? false], opts.cache_ttl, async () => {
      const out = await this.run(model, 'Count', { filter: filter ?? {}, include_deleted: opts.include_deleted ?? false });
      return Number(out.count);
    }, () => this.cacheTenant());
  }

  /**
   * where = data's conflict_on (default ["id"]) fields; create = update = data. Read back only when
   * `data` names its id (`self.read(model, pk, cache_ttl=0)`), else the node's record as RETURNING
   * gave it (dataflow/features/express.py upsert). Case: express_bulk (no id: no read sent).
   */
  async upsert(model: string, data: DfRecord, conflict_on: string[] | null = null): Promise<DfRecord | null> {
    const keys = conflict_on ?? ['id'];
    const where: DfRecord = {};
    for (const k of keys) if (k in data) where[k] = data[k];
    const out = await this.run(model, 'Upsert', { where, create: { ...data }, update: { ...data }, ...(conflict_on ? { conflict_on } : {}) });
    this.written(model);
    const pk = data.id;
    if (pk !== undefined && pk !== null) {
      const fresh = await this.read(model, pk, { cache_ttl: 0 });
      if (fresh) return fresh;
    }
    return (out.record as DfRecord | undefined) ?? out;
  }

  async bulk_create(model: string, records: DfRecord[]): Promise<DfRecord> {
    const out = await this.run(model, 'BulkCreate', { data: records });
    this.written(model);
    return out;
  }

  /**
   * `self.update(model, str(record_id), fields)` per record, as express.py does
   * (dataflow/features/express.py:1901): the updated records (read back, `found: True`); a record
   * without its key, with nothing to set, or whose update raises is counted as failed and left
   * out (DataFlow logs bulk_update.partial_failure). Case: express_bulk.
   */
  async bulk_update(model: string, records: DfRecord[], key_field = 'id'): Promise<DfRecord[]> {
    // A record left out is only logged by DataFlow (bulk_update.partial_failure): the caller sees the shorter list.
    const results: DfRecord[] = [];
    for (const rec of records) {
      const id = rec[key_field];
      const fields = { ...rec };
      delete fields[key_field];
      if (id === undefined || id === null || !Object.keys(fields).length) continue;
      try {
        results.push(await this.update(model, typeof id === 'string' ? id : String(id), fields));
      } catch {
        // left out, as DataFlow's per-record `except Exception` does
      }
    }
    this.written(model);
    return results;
  }

  async bulk_delete(model: string, ids: DfValue[]): Promise<boolean> {
    const out = await this.run(model, 'BulkDelete', { filter: { id: { $in: ids } } });
    this.written(model);
    return out.success === true;
  }

  /**
   * The BulkUpsert node's result in express's own shape (dataflow/features/express.py:2031):
   * `{records, created, updated, total}`, plus `success: False` and `error` when the node failed.
   * Case: express_bulk.
   */
  async bulk_upsert(model: string, records: DfRecord[], conflict_on: string[] | null = null, batch_size = 1000): Promise<DfRecord> {
    const out = await this.run(model, 'BulkUpsert', {
      data: records,
      batch_size,
      conflict_resolution: 'update',
      ...(conflict_on ? { conflict_on } : {}),
    });
    this.written(model);
    const result: DfRecord = {
      records: Array.isArray(out.records) ? out.records : [],
      created: out.inserted ?? 0,
      updated: out.updated ?? 0,
      total: out.total ?? records.length,
    };
    if (out.success === false) {
      result.success = false;
      if (out.error !== undefined && out.error !== null) result.error = out.error;
    }
    return result;
  }

  get_cache_stats(): { hits: number; misses: number; backend: string } {
    return this.rt.expressCache.stats();
  }

  clear_cache(model?: string): void {
    this.rt.expressCache.clear(model);
  }
}
