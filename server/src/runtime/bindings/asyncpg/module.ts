// The `asyncpg` and `asyncpg.exceptions` modules for one session: connect / create_pool on the
// run's database, the Record / Connection / Pool classes (isinstance and annotations; not
// constructible) and asyncpg's exception classes. Other names of the modules are not modelled.
import { hostClass, hostFunction, argOf, type HostContext, type HostModule } from '../../python/host';
import { redactUrl } from '../../db/redactUrl';
import { PyModule, UnsupportedPythonError, type PyValue } from '../../python/values';
import type { Session } from '../session';
import { AsyncpgConnection, AsyncpgPool, type AsyncpgEnv } from './driver';
import { asyncpgExceptions } from './exceptions';

function partial(name: string, members: Map<string, PyValue>): PyModule {
  const m = new PyModule(name, members);
  m.dict.set('__name__', name);
  m.partial = true;
  return m;
}

function noteRedirect(session: Session, call: string, url: PyValue | undefined): void {
  const shown = typeof url === 'string' && url ? `"${redactUrl(url)}"` : '';
  const note = `asyncpg.${call}(${shown}) runs on this run's database (${session.db.description}): the URL is not opened.`;
  if (!session.notes.includes(note)) session.notes.push(note);
}

function intArg(v: PyValue | undefined, dflt: number): number {
  return typeof v === 'number' ? v : dflt;
}

export function asyncpgModules(session: Session): Record<string, HostModule> {
  const exceptions = asyncpgExceptions();
  const env: AsyncpgEnv = { session, exceptions };
  const notConstructible = (name: string) => (_a: PyValue[], _k: unknown, ctx: HostContext): PyValue => {
    throw new UnsupportedPythonError(`\`asyncpg.${name}(...)\` is not modelled`, ctx.loc, `use asyncpg.connect / asyncpg.create_pool`);
  };
  const Record = hostClass('Record', notConstructible('Record'), { module: 'asyncpg' });
  const Connection = hostClass('Connection', notConstructible('Connection'), {
    module: 'asyncpg.connection',
    // A pool's PoolConnectionProxy is not an asyncpg.Connection (isinstance is False in asyncpg 0.31).
    isInstance: (v) => v instanceof AsyncpgConnection && v.typeName === 'Connection',
  });
  const Pool = hostClass('Pool', notConstructible('Pool'), { module: 'asyncpg.pool' });
  const connect = hostFunction('connect', (args, kwargs) => {
    noteRedirect(session, 'connect', argOf(args, kwargs, 0, 'dsn'));
    return new AsyncpgConnection(env);
  });
  const create_pool = hostFunction('create_pool', (args, kwargs) => {
    noteRedirect(session, 'create_pool', argOf(args, kwargs, 0, 'dsn'));
    return new AsyncpgPool(env, intArg(kwargs.get('min_size'), 10), intArg(kwargs.get('max_size'), 10));
  });
  const excMembers = new Map<string, PyValue>(exceptions.classes);
  const excModule = partial('asyncpg.exceptions', excMembers);
  const top = new Map<string, PyValue>([
    ['connect', connect],
    ['create_pool', create_pool],
    ['Record', Record],
    ['Connection', Connection],
    ['Pool', Pool],
    ['exceptions', excModule],
    ...exceptions.classes,
  ]);
  // A PyModule is taken as is by the importer (hostModuleObject); the partial flag makes its other names "not modelled".
  return {
    asyncpg: partial('asyncpg', top) as unknown as HostModule,
    'asyncpg.exceptions': excModule as unknown as HostModule,
  };
}
