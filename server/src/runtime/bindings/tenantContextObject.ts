// `db.tenant_context` (DataFlow 2.20's TenantContextSwitch, dataflow/core/tenant_context.py): tenant
// registration, `with db.tenant_context.switch(t):` / `async with ... aswitch(t):`, and the queries
// on the bound tenant. The state lives in dataflow/tenancy/tenantContext.ts; this is its Python face.
import { NOT_HANDLED, argOf, HostObject, type EvaluatorApi, type HostContext } from '../python/host';
import { PyDict, PyFloat, PyList, UnsupportedPythonError, type Kwargs, type PyValue, type PyException } from '../python/values';
import { pyStrRepr } from '../python/runtime';
import { InterleavedTenantSwitchError, TenantContextError, TenantRegistry, type TenantBinding, type TenantInfo } from '../dataflow/tenancy/tenantContext';
import { pyError } from './errors';
import { RealClassObject } from './realClassObject';

const METHODS: ReadonlySet<string> = new Set([
  'register_tenant', 'unregister_tenant', 'get_tenant', 'list_tenants', 'get_current_tenant', 'switch', 'aswitch',
  'require_tenant', 'deactivate_tenant', 'activate_tenant', 'get_stats', 'is_tenant_registered', 'is_tenant_active',
]);

/** str() of a tenant id as DataFlow's f-strings print it. */
function text(v: PyValue | undefined, ctx: HostContext): string {
  return typeof v === 'string' ? v : ctx.evaluator.str(v ?? null);
}

function guarded<T>(ctx: HostContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TenantContextError) throw pyError(e.pyType, e.message);
    if (e instanceof InterleavedTenantSwitchError) throw new UnsupportedPythonError('db.tenant_context switches interleaved across concurrent tasks', ctx.loc, e.message);
    throw e;
  }
}

/** TenantInfo (a dataclass): its fields read and written as attributes. */
export class TenantInfoObject extends RealClassObject {
  protected readonly realClass = 'TenantInfo' as const;
  protected readonly methodNames: ReadonlySet<string> = new Set();
  constructor(
    readonly info: TenantInfo,
    private readonly evaluator: EvaluatorApi,
  ) {
    super();
  }
  override get typeName(): string { return 'TenantInfo'; }
  protected override modelledAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'tenant_id': return this.info.tenantId;
      case 'name': return this.info.name as PyValue;
      case 'metadata': return this.info.metadata as PyValue;
      case 'created_at': return new PyFloat(this.info.createdAt);
      case 'active': return this.info.active;
    }
    return undefined;
  }
  /** The dataclass repr. */
  override repr(): string {
    const r = (v: PyValue): string => this.evaluator.repr(v);
    return `TenantInfo(tenant_id=${r(this.info.tenantId)}, name=${r(this.info.name as PyValue)}, metadata=${r(this.info.metadata as PyValue)}, created_at=${r(new PyFloat(this.info.createdAt))}, active=${r(this.info.active)})`;
  }
}

/** What `switch(t)` / `aswitch(t)` return: the checks and the binding happen on entering the block. */
class TenantSwitchObject extends HostObject {
  private token?: { previous: string | null };
  constructor(
    private readonly registry: TenantRegistry,
    private readonly infos: (info: TenantInfo, ctx: HostContext) => TenantInfoObject,
    private readonly tenantId: PyValue,
    private readonly kind: 'switch' | 'aswitch',
  ) {
    super();
  }
  override get typeName(): string { return this.kind === 'switch' ? '_GeneratorContextManager' : '_AsyncGeneratorContextManager'; }
  override enter(ctx: HostContext): PyValue {
    return guarded(ctx, () => {
      const id = text(this.tenantId, ctx);
      if (typeof this.tenantId !== 'string') {
        // Only strings can be registered: any other id is "not registered", with DataFlow's list.
        throw new TenantContextError('ValueError', `Tenant '${id}' is not registered. Available tenants: [${this.registry.list().map((t) => pyStrRepr(t.tenantId)).join(', ')}]. Use register_tenant() to register this tenant first.`);
      }
      const { info, token } = this.registry.enter(id, pyStrRepr);
      this.token = token;
      return this.infos(info, ctx);
    });
  }
  override exit(_exc: PyException | null, ctx: HostContext): boolean {
    const token = this.token;
    this.token = undefined;
    if (token) guarded(ctx, () => this.registry.leave(token));
    return false;
  }
}

export class TenantContextObject extends RealClassObject {
  protected readonly realClass = 'TenantContextSwitch' as const;
  protected readonly methodNames = METHODS;
  readonly registry: TenantRegistry;
  private readonly infoObjects = new Map<TenantInfo, TenantInfoObject>();

  constructor(binding: TenantBinding, private readonly dataflow: PyValue) {
    super();
    this.registry = new TenantRegistry(binding);
  }

  override get typeName(): string { return 'TenantContextSwitch'; }

  private info(info: TenantInfo, ctx: HostContext): TenantInfoObject {
    let o = this.infoObjects.get(info);
    if (!o) this.infoObjects.set(info, (o = new TenantInfoObject(info, ctx.evaluator)));
    return o;
  }

  protected override modelledAttr(name: string): PyValue | undefined {
    if (name === 'dataflow_instance') return this.dataflow;
    return undefined;
  }

  override callMethod(name: string, args: PyValue[], kw: Kwargs, ctx: HostContext): PyValue | typeof NOT_HANDLED {
    if (!METHODS.has(name)) return NOT_HANDLED;
    const r = this.registry;
    const id = (): PyValue => argOf(args, kw, 0, 'tenant_id') ?? null;
    return guarded(ctx, (): PyValue => {
      switch (name) {
        case 'register_tenant': {
          // `metadata or {}`
          const metadata = argOf(args, kw, 2, 'metadata', null) ?? null;
          return this.info(r.register(id(), argOf(args, kw, 1, 'name') ?? null, ctx.evaluator.truthy(metadata) ? metadata : new PyDict()), ctx);
        }
        case 'unregister_tenant': r.unregister(text(id(), ctx)); return null;
        case 'get_tenant': {
          const t = id();
          const info = typeof t === 'string' ? r.get(t) : undefined;
          return info ? this.info(info, ctx) : null;
        }
        case 'list_tenants': return new PyList(r.list().map((t) => this.info(t, ctx)));
        case 'get_current_tenant': return r.binding.current();
        case 'switch': case 'aswitch': return new TenantSwitchObject(r, (i, c) => this.info(i, c), id(), name);
        case 'require_tenant': return r.require();
        case 'deactivate_tenant': r.setActive(text(id(), ctx), false); return null;
        case 'activate_tenant': r.setActive(text(id(), ctx), true); return null;
        case 'get_stats': return PyDict.fromEntries(Object.entries(r.stats()) as [PyValue, PyValue][]);
        case 'is_tenant_registered': { const t = id(); return typeof t === 'string' && r.isRegistered(t); }
        case 'is_tenant_active': { const t = id(); return typeof t === 'string' && r.isActive(t); }
      }
      return null;
    });
  }

  override repr(): string { return '<dataflow.core.tenant_context.TenantContextSwitch object>'; }
}
