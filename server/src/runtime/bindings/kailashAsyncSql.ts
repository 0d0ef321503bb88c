// `kailash.nodes.data.async_sql.AsyncSQLDatabaseNode` as test conftests touch it: the class exists
// (import, hasattr, its `cleanup` readable), and its class-level pool cache `_shared_pools` (which
// kailash-py's root conftest empties after every test) is empty while nothing has connected. Kailash
// fills that cache with one adapter per event loop and database a DataFlow node ran on; the runtime
// runs DataFlow on its own connections, so once a DataFlow instance has connected, reading the cache's
// entries is not modelled (exit 2). Making a node directly is not modelled either (workflows name it).
import { HostObject, NOT_HANDLED, hostClass, type HostContext } from '../python/host';
import { PyModule, UnsupportedPythonError, type PyValue } from '../python/values';
import type { Session } from './session';

const CACHE = '`AsyncSQLDatabaseNode._shared_pools`';

class SharedPoolCache extends HostObject {
  constructor(private readonly session: Session) { super(); }
  override get typeName(): string { return 'dict'; }
  private entries(ctx: HostContext): PyValue[] {
    if (this.session.runtimes().length) throw new UnsupportedPythonError(`${CACHE} entries`, ctx.loc, 'kailash\'s per-event-loop pool cache: the runtime runs DataFlow on its own connections');
    return [];
  }
  override callMethod(name: string, _args: PyValue[], _kwargs: unknown, ctx: HostContext): PyValue | typeof NOT_HANDLED {
    switch (name) {
      case 'items': case 'keys': case 'values': case 'copy':
        this.entries(ctx);
        return name === 'copy' ? new SharedPoolCache(this.session) : new (class extends HostObject { override get typeName() { return `dict_${name}`; } override iter() { return []; } override len() { return 0; } })();
      case 'clear':
        return null;
      default:
        return NOT_HANDLED;
    }
  }
  override iter(ctx: HostContext): Iterable<PyValue> { return this.entries(ctx); }
  override len(): number | undefined {
    if (this.session.runtimes().length) throw new UnsupportedPythonError(`len(${CACHE})`, undefined, 'kailash\'s per-event-loop pool cache is not modelled once DataFlow has connected');
    return 0;
  }
  override truthy(): boolean { return this.len() !== 0; }
  override repr(): string { return '{}'; }
}

export function kailashAsyncSqlModule(session: Session): PyModule {
  const AsyncSQLDatabaseNode = hostClass('AsyncSQLDatabaseNode', (_a, _k, ctx) => {
    throw new UnsupportedPythonError('AsyncSQLDatabaseNode(...) made directly', ctx.loc, 'the runtime runs DataFlow\'s nodes inside workflows; a node object of its own is not modelled');
  }, { module: 'kailash.nodes.data.async_sql', methods: new Set(['cleanup']), attrs: { _shared_pools: new SharedPoolCache(session) } });
  const m = new PyModule('kailash.nodes.data.async_sql', new Map<string, PyValue>([['AsyncSQLDatabaseNode', AsyncSQLDatabaseNode]]));
  m.dict.set('__name__', m.name);
  m.partial = true;
  return m;
}
