// `db.config`: the DataFlowConfig DataFlow 2.20 builds in DataFlow.__init__ (dataflow/core/config.py),
// for the attributes read straight from the constructor's arguments. With a database URL and no
// `config=`, DataFlow builds DataFlowConfig(database=DatabaseConfig(url, pool_size, max_overflow), ...)
// and the properties hand those arguments back unchanged (None when not given: the pool size is only
// resolved when a pool is made). Without a URL DataFlow reads DataFlowConfig.from_env() / the
// environment, and with `config=` it deep-copies the caller's object: neither is modelled, so every
// attribute of such a config stops the run (exit 2), as does every attribute not listed here.
import type { HostContext } from '../python/host';
import { UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import { RealClassObject, attributeText } from './realClassObject';

/** The constructor arguments db.config is derived from. */
export interface ConfigSource {
  url: PyValue | undefined;
  kwargs: Kwargs;
}

const METHODS: ReadonlySet<string> = new Set();

export class DataFlowConfigObject extends RealClassObject {
  protected readonly realClass = 'DataFlowConfig';
  protected readonly methodNames = METHODS;

  constructor(private readonly source: ConfigSource) { super(); }

  override get typeName(): string { return 'DataFlowConfig'; }

  /** Why the config is not modelled at all, or undefined when it is built from the arguments. */
  private unmodelledReason(): string | undefined {
    if (this.source.kwargs.has('config')) return 'DataFlow(config=...) deep-copies a caller-built DataFlowConfig, which is not modelled';
    const url = this.source.url;
    if (url === undefined || url === null || url === '') return 'without a database URL DataFlow builds its config from the environment (DataFlowConfig.from_env / DATABASE_URL), which is not modelled';
    return undefined;
  }

  private kw(name: string): PyValue {
    const v = this.source.kwargs.get(name);
    return v === undefined ? null : v;
  }

  protected override modelledAttr(name: string, ctx: HostContext): PyValue | undefined {
    const attrs: Record<string, () => PyValue> = {
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
    };
    const get = attrs[name];
    if (!get) return undefined;
    const reason = this.unmodelledReason();
    if (reason) throw new UnsupportedPythonError(`\`${attributeText(ctx, 'DataFlowConfig', name)}\``, ctx.loc, reason);
    return get();
  }

  override repr(): string { return '<dataflow.core.config.DataFlowConfig>'; }
}
