// `aiosqlite` and `aiosqlite.core` as far as a test conftest uses them: the modules exist and
// `aiosqlite.core.Connection` is a class whose attributes can be read and patched (kailash-py's
// root conftest wraps Connection.__init__ to make its worker thread a daemon). The runtime never opens
// SQLite through aiosqlite (a sqlite DataFlow URL runs on the run's PostgreSQL), so connecting or
// making a Connection is not modelled (exit 2). Names are aiosqlite 0.22.1's (the oracle's venv).
import { hostFunction, type HostModule } from '../python/host';
import { PyModule, UnsupportedPythonError, type PyValue } from '../python/values';
import { notModelledClass } from './frameworkClasses';

const TOP_NAMES = ['Connection', 'Cursor', 'DatabaseError', 'Error', 'IntegrityError', 'NotSupportedError', 'OperationalError', 'ProgrammingError', 'Row', 'Warning',
  'connect', 'context', 'core', 'cursor', 'paramstyle', 'register_adapter', 'register_converter', 'sqlite_version', 'sqlite_version_info'];
const CORE_NAMES = ['Any', 'AsyncIterator', 'AuthorizerCallback', 'Callable', 'Connection', 'Cursor', 'Empty', 'Generator', 'IsolationLevel', 'Iterable', 'LOG', 'Literal',
  'Optional', 'Path', 'Queue', 'SimpleQueue', 'Thread', 'Union', '_STOP_RUNNING_SENTINEL', '_TxQueue', '_connection_worker_thread', 'asyncio', 'connect',
  'contextmanager', 'logging', 'partial', 'set_exception', 'set_result', 'sqlite3', 'warn'];

function partialModule(name: string, members: Map<string, PyValue>, real: readonly string[]): PyModule {
  const m = new PyModule(name, members);
  m.dict.set('__name__', name);
  m.partial = true;
  m.realMembers = new Set(real);
  return m;
}

export function aiosqliteModules(): Record<string, HostModule> {
  const why = 'the runtime never opens SQLite through aiosqlite (a sqlite DataFlow URL runs on the run\'s database)';
  const Connection = notModelledClass('Connection', 'aiosqlite.core', why);
  const connect = hostFunction('connect', (_a, _k, ctx) => {
    throw new UnsupportedPythonError('aiosqlite.connect(...)', ctx.loc, why);
  });
  const core = partialModule('aiosqlite.core', new Map<string, PyValue>([['Connection', Connection], ['connect', connect]]), CORE_NAMES);
  const top = partialModule('aiosqlite', new Map<string, PyValue>([['Connection', Connection], ['connect', connect], ['core', core]]), TOP_NAMES);
  // A PyModule is taken as is by the importer; its partial flag makes the other real names "not modelled".
  return { aiosqlite: top as unknown as HostModule, 'aiosqlite.core': core as unknown as HostModule };
}
