// `db.config`: the DataFlowConfig DataFlow 2.20 builds in DataFlow.__init__ (dataflow/core/config.py),
// for the attributes read straight from the constructor's arguments. With a database URL and no
// `config=`, DataFlow builds DataFlowConfig(database=DatabaseConfig(url, pool_size, max_overflow),
// security=SecurityConfig(multi_tenant, audit_enabled, ...), ...) and the attributes hand those
// arguments back unchanged (None when not given: the pool size is only resolved when a pool is
// made). Without a URL DataFlow reads DataFlowConfig.from_env() / the environment, and with
// `config=` it deep-copies the caller's object: neither is modelled, so every attribute of such a
// config stops the run (exit 2), as does every attribute not listed here.
import type { HostContext } from '../python/host';
import { UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import type { RealClass } from './realNames';
import { RealClassObject, attributeText } from './realClassObject';

/** The constructor arguments db.config is derived from. */
export interface ConfigSource {
  url: PyValue | undefined;
  kwargs: Kwargs;
}

const NO_METHODS: ReadonlySet<string> = new Set();

/** One of the config objects: attributes computed from the constructor's arguments. */
abstract class DerivedConfigObject extends RealClassObject {
  protected readonly methodNames = NO_METHODS;
  protected abstract readonly attrs: Record<string, () => PyValue>;

  constructor(protected readonly source: ConfigSource) { super(); }

  /** A keyword argument as given, None when absent (DataFlow's parameter defaults are None). */
  protected kw(name: string): PyValue {
    const v = this.source.kwargs.get(name);
    return v === undefined ? null : v;
  }

  /** A keyword argument as given, or DataFlow's signature default when absent. */
  protected kwOr(name: string, dflt: PyValue): PyValue {
    const v = this.source.kwargs.get(name);
    return v === undefined ? dflt : v;
  }

  /** Why the config is not modelled at all, or undefined when it is built from the arguments. */
  private unmodelledReason(): string | undefined {
    if (this.source.kwargs.has('config')) return 'DataFlow(config=...) deep-copies a caller-built DataFlowConfig, which is not modelled';
    const url = this.source.url;
    if (url === undefined || url === null || url === '') return 'without a database URL DataFlow builds its config from the environment (DataFlowConfig.from_env / DATABASE_URL), which is not modelled';
    return undefined;
  }

  protected override modelledAttr(name: string, ctx: HostContext): PyValue | undefined {
    const get = Object.prototype.hasOwnProperty.call(this.attrs, name) ? this.attrs[name] : undefined;
    if (!get) return undefined;
    const reason = this.unmodelledReason();
    if (reason) throw new UnsupportedPythonError(`\`${attributeText(ctx, this.typeName, name)}\``, ctx.loc, reason);
    return get();
  }
}

/** `db.config.database`: DatabaseConfig(url=..., pool_size=..., max_overflow=...) after its __post_init__ aliases. */
class DatabaseConfigObject extends DerivedConfigObject {
  protected readonly realClass: RealClass = 'DatabaseConfig';
  protected readonly attrs: Record<string, () => PyValue> = {
    url: () => this.source.url as PyValue,
    // __post_init__: database_url takes url when url is truthy.
    database_url: () => this.source.url as PyValue,
    pool_size: () => this.kw('pool_size'),
    max_overflow: () => this.kw('pool_max_overflow'),
    // __post_init__: pool_max_overflow takes max_overflow only when that is truthy.
    pool_max_overflow: () => { const m = this.kw('pool_max_overflow'); return m !== null && m !== false && m !== 0 ? m : null; },
  };
  override get typeName(): string { return 'DatabaseConfig'; }
  override repr(): string { return '<dataflow.core.config.DatabaseConfig>'; }
}

/** `db.config.security`: SecurityConfig(multi_tenant=..., audit_enabled=audit_logging, ...). */
class SecurityConfigObject extends DerivedConfigObject {
  protected readonly realClass: RealClass = 'SecurityConfig';
  protected readonly attrs: Record<string, () => PyValue> = {
    // DataFlow's signature defaults: multi_tenant=False, audit_logging=False (an explicit None stays None).
    multi_tenant: () => this.kwOr('multi_tenant', false),
    audit_enabled: () => this.kwOr('audit_logging', false),
    tenant_isolation_strategy: () => { const t = this.kw('tenant_isolation_strategy'); return t !== null ? t : 'row'; },
  };
  override get typeName(): string { return 'SecurityConfig'; }
  override repr(): string { return '<dataflow.core.config.SecurityConfig>'; }
}

export class DataFlowConfigObject extends DerivedConfigObject {
  protected readonly realClass: RealClass = 'DataFlowConfig';
  private databaseObj?: DatabaseConfigObject;
  private securityObj?: SecurityConfigObject;
  protected readonly attrs: Record<string, () => PyValue> = {
    // DataFlowConfig.database_url: database.url when truthy (the URL as given).
    database_url: () => this.source.url as PyValue,
    pool_size: () => this.kw('pool_size'),
    // DataFlowConfig.pool_max_overflow is database.max_overflow, set from pool_max_overflow=.
    pool_max_overflow: () => this.kw('pool_max_overflow'),
    // enable_caching wins over cache_enabled; DataFlow's default is True.
    enable_query_cache: () => {
      const a = this.kw('enable_caching');
      if (a !== null) return a;
      const b = this.kw('cache_enabled');
      return b !== null ? b : true;
    },
    cache_ttl: () => { const t = this.kw('cache_ttl'); return t !== null ? t : 3600; },
    // DataFlowConfig.multi_tenant is security.multi_tenant.
    multi_tenant: () => this.kwOr('multi_tenant', false),
    database: () => (this.databaseObj ??= new DatabaseConfigObject(this.source)),
    security: () => (this.securityObj ??= new SecurityConfigObject(this.source)),
  };

  override get typeName(): string { return 'DataFlowConfig'; }
  override repr(): string { return '<dataflow.core.config.DataFlowConfig>'; }
}
