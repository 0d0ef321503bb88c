// `db.express` / `db.express_sync` (reference §9.10): the DataFlow layer's express API, with
// Python's signatures and defaults. Async and sync twins behave the same here (await is synchronous).
import { NOT_HANDLED, argOf, type HostContext } from '../python/host';
import { RealClassObject } from './realClassObject';
import type { Kwargs, PyValue } from '../python/values';
import type { DfRecord, DfValue as DfValue } from '../dataflow/values/dfValues';
import type { PendingInstance, Session } from './session';
import { asPythonError, pythonErrors } from './errors';
import { tenantScopingError, tenantScopingUnmodelled } from '../workflow/errors';
import { ExpressFailedResultError } from '../dataflow/express/expressApi';
import type { UnsupportedPythonError } from '../python/values';
import { fromDataFlow, toDataFlow, toDataFlowDict } from './values';

const KNOWN: ReadonlySet<string> = new Set(['create', 'read', 'update', 'delete', 'list', 'find_one', 'count', 'upsert', 'bulk_create', 'bulk_update', 'bulk_delete', 'bulk_upsert', 'get_cache_stats', 'cache_stats', 'clear_cache']);

export class ExpressObject extends RealClassObject {
  protected readonly realClass;
  protected readonly methodNames = KNOWN;
  constructor(private readonly session: Session, private readonly pending: PendingInstance, private readonly sync: boolean) {
    super();
    this.realClass = sync ? 'SyncExpress' as const : 'DataFlowExpress' as const;
  }

  override get typeName(): string { return this.sync ? 'SyncExpress' : 'DataFlowExpress'; }

  override callMethod(name: string, args: PyValue[], kw: Kwargs, site: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    if (!KNOWN.has(name)) return NOT_HANDLED;
    return pythonErrors(async () => {
      const rt = await this.session.connect(this.pending);
      const target = rt.models.get(String(argOf(args, kw, 0, 'model')));
      const tenant = this.session.tenantBinding.current();
      const unmodelled = (what: string): never => {
        const e = asPythonError(tenantScopingError(target!.name, what)) as UnsupportedPythonError;
        e.locate(site.site);
        throw e;
      };
      if (target && tenantScopingUnmodelled(rt.settings, target, name, tenant, 'express')) unmodelled(`express.${name}`);
      const ctx = rt.newExecution({ signal: this.session.options.signal, allowUnfilteredWritesOnExternal: this.session.options.allowDestructive, tenant });
      const api = rt.express(ctx);
      const model = String(argOf(args, kw, 0, 'model'));
      const opt = (n: string) => kw.get(n);
      const dict = (i: number, n: string) => toDataFlowDict(argOf(args, kw, i, n, null) ?? null);
      const val = (i: number, n: string) => toDataFlow(argOf(args, kw, i, n, null) ?? null) as DfValue;
      const ttl = opt('cache_ttl');
      const readOpts = { cache_ttl: typeof ttl === 'number' ? ttl : null, include_deleted: opt('include_deleted') === true };
      let out: unknown;
      try {
        switch (name) {
          case 'create': out = await api.create(model, dict(1, 'data')); break;
          case 'read': out = await api.read(model, val(1, 'id'), readOpts); break;
          case 'update': out = await api.update(model, val(1, 'id'), dict(2, 'fields')); break;
          case 'delete': out = await api.delete(model, val(1, 'id')); break;
          case 'list': {
            const filter = argOf(args, kw, 1, 'filter', null);
            const limit = argOf(args, kw, 2, 'limit', 100);
            const offset = argOf(args, kw, 3, 'offset', 0);
            const orderBy = argOf(args, kw, 4, 'order_by', null);
            out = await api.list(model, filter === null || filter === undefined ? null : toDataFlowDict(filter), { limit: Number(limit), offset: Number(offset), order_by: typeof orderBy === 'string' ? orderBy : null, ...readOpts });
            break;
          }
          case 'find_one': out = await api.find_one(model, dict(1, 'filter'), readOpts); break;
          case 'count': {
            const filter = argOf(args, kw, 1, 'filter', null);
            out = await api.count(model, filter === null || filter === undefined ? null : toDataFlowDict(filter), readOpts);
            break;
          }
          case 'upsert': out = await api.upsert(model, dict(1, 'data'), (toDataFlow(argOf(args, kw, 2, 'conflict_on', null) ?? null) as string[] | null)); break;
          case 'bulk_create': out = await api.bulk_create(model, toDataFlow(argOf(args, kw, 1, 'records') ?? null) as DfRecord[]); break;
          case 'bulk_update': out = await api.bulk_update(model, toDataFlow(argOf(args, kw, 1, 'records') ?? null) as DfRecord[], String(argOf(args, kw, 2, 'key_field', 'id'))); break;
          case 'bulk_delete': out = await api.bulk_delete(model, toDataFlow(argOf(args, kw, 1, 'ids') ?? null) as DfValue[]); break;
          case 'bulk_upsert': out = await api.bulk_upsert(model, toDataFlow(argOf(args, kw, 1, 'records') ?? null) as DfRecord[], (toDataFlow(argOf(args, kw, 2, 'conflict_on', null) ?? null) as string[] | null), Number(argOf(args, kw, 3, 'batch_size', 1000))); break;
          case 'get_cache_stats': case 'cache_stats': out = api.get_cache_stats(); break;
          case 'clear_cache': api.clear_cache(name === 'clear_cache' && args[0] !== undefined ? String(args[0]) : undefined); out = null; break;
        }
      } catch (e) {
        // A primary-key collision under a bound tenant: DataFlow tells a same-tenant duplicate from a
        // cross-tenant one (TenantNaturalKeyCollisionError, issue #1526); not modelled here.
        if (e instanceof ExpressFailedResultError && target && rt.settings.multiTenant && tenant && /duplicate key value violates unique constraint "[^"]*_pkey"/.test(e.errorText)) {
          unmodelled(`express.${name} primary-key collision`);
        }
        throw e;
      }
      this.session.recordContexts([ctx]);
      return fromDataFlow(out, this.session.floatFields);
    });
  }

  override repr(): string { return `<${this.typeName}>`; }
}
