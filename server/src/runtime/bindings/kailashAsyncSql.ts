// `kailash.nodes.data.async_sql.AsyncSQLDatabaseNode` as test conftests touch it: the class exists
// (import, hasattr, its `cleanup` readable), and its class-level pool cache `_shared_pools` (which
// kailash-py's root conftest empties after every test) is empty. Real kailash fills that cache with
// one adapter per event loop and database a DataFlow node ran on; the runtime runs DataFlow on its own
// connections (as it runs a sqlite URL on PostgreSQL), so there is nothing in it to close. Once a
// DataFlow instance has connected, reading it adds a note saying so (the same kind of substitution
// note as the SQLite one). Making a node directly is not modelled (workflows name it).
import { HostObject, hostClass, type HostContext } from '../python/host';
import { PyDict, PyList, PyModule, UnsupportedPythonError, pyErr, type Kwargs, type PyValue } from '../python/values';

import type { Session } from './session';

const SUBSTITUTED = 'AsyncSQLDatabaseNode._shared_pools is empty here: the runtime runs DataFlow on its own connections, not on kailash\'s class-level pool cache (real kailash holds one adapter per event loop and database DataFlow ran on; code closing them has nothing to close here).';

class SharedPoolCache extends HostObject {
  constructor(private readonly session: Session) { super(); }
  override get typeName(): string { return 'dict'; }
  private entries(): PyValue[] {
    if (this.session.runtimes().length && !this.session.notes.includes(SUBSTITUTED)) this.session.notes.push(SUBSTITUTED);
    return [];
  }
  override callMethod(name: string, _args: PyValue[], _kwargs: Kwargs, ctx: HostContext): PyValue {
    switch (name) {
      case 'items': case 'keys': case 'values':
        return new PyList(this.entries());
      case 'copy':
        this.entries();
        return new PyDict();
      case 'clear':
        return null;
      default:
        throw new UnsupportedPythonError(`AsyncSQLDatabaseNode._shared_pools.${name}()`, ctx.loc, 'the runtime models the cache as read and cleared (items/keys/values/copy/clear, len, iteration)');
    }
  }
  override getItem(key: PyValue): PyValue {
    this.entries();
    throw pyErr('KeyError', key);
  }
  override iter(): Iterable<PyValue> { return this.entries(); }
  override len(): number { return this.entries().length; }
  override truthy(): boolean { return this.len() !== 0; }
  override repr(): string { return '{}'; }
}

export function kailashAsyncSqlModule(session: Session): PyModule {
  const AsyncSQLDatabaseNode = hostClass('AsyncSQLDatabaseNode', (_a, _k, ctx) => {
    throw new UnsupportedPythonError('AsyncSQLDatabaseNode(...) made directly', ctx.loc, 'the runtime runs DataFlow\'s nodes inside workflows; a node object of its own is not modelled');
  }, { module: 'kailash.nodes.data.async_sql', methods: new Set(['cleanup']), attrs: { _shared_pools: new SharedPoolCache(session) }, partial: true });
  const m = new PyModule('kailash.nodes.data.async_sql', new Map<string, PyValue>([['AsyncSQLDatabaseNode', AsyncSQLDatabaseNode]]));
  m.dict.set('__name__', m.name);
  m.partial = true;
  return m;
}
