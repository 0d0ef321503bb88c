/**
 * aiosqlite (0.22.1, the oracle's) on the evaluator's sqlite3 (sqlite3.ts, a real SQLite): its
 * methods are coroutines doing what the sqlite3 call does (aiosqlite runs it on a worker thread);
 * connect() makes an aiosqlite.core.Connection through its class, so a conftest that wraps
 * Connection.__init__ still runs; awaiting it, or `async with`, opens the sqlite3 connection.
 * execute()/cursor() return aiosqlite's Result: awaitable, and an async context manager that
 * closes the cursor. Row and the exception classes are sqlite3's (as aiosqlite re-exports them).
 * What else aiosqlite has is "not modelled" (exit 2).
 */
import { HostContext, HostFn, HostObject, SimpleHostObject, hostFunction, twoStepHostClass } from '../host';
import { objectAddress, Kwargs, PyClass, PyCoroutine, PyList, PyModule, PyTuple, PyValue, SourceLocation, pyErr } from '../values';
import { unsupported } from '../runtime';
import { Sqlite3Connection, Sqlite3Cursor, type Sqlite3Api } from './sqlite3';
import { StdlibContext, argOf } from './kit';

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

const WHY = 'aiosqlite is modelled for connect, execute/executemany/executescript/execute_fetchall/execute_insert, cursors and fetch*, row_factory, commit/rollback/close';

function notModelled(what: string, loc: SourceLocation | undefined): Error {
  return unsupported(`aiosqlite ${what}`, loc, WHY);
}

/** aiosqlite.Cursor: the sqlite3 cursor's calls as coroutines. */
class AioCursor extends HostObject {
  constructor(
    readonly cur: Sqlite3Cursor,
    readonly conn: AioConnection,
  ) {
    super();
    this.hostClass = conn.cursorClass;
  }
  override get typeName(): string {
    return 'Cursor';
  }
  override repr(): string {
    return `<aiosqlite.cursor.Cursor object at ${objectAddress(this)}>`;
  }
  private methods(): Record<string, HostFn> {
    const co = (name: string, body: () => Promise<PyValue> | PyValue) => new PyCoroutine(name, body);
    return {
      execute: (a, k, c) => co('execute', async () => (await this.cur.execute(argOf(a, k, 0, 'sql') ?? null, [argOf(a, k, 1, 'parameters') ?? new PyTuple([])], false, c.loc), this)),
      executemany: (a, k, c) => co('executemany', async () => (await this.cur.execute(argOf(a, k, 0, 'sql') ?? null, await c.evaluator.toArray(argOf(a, k, 1, 'parameters') ?? new PyList([])), true, c.loc), this)),
      executescript: (a, k) => co('executescript', async () => (await this.cur.executescript(argOf(a, k, 0, 'sql_script') ?? null), this)),
      fetchone: (_a, _k, c) => co('fetchone', async () => (await this.cur.fetch(1, c.loc))[0] ?? null),
      fetchmany: (a, k, c) =>
        co('fetchmany', async () => {
          const size = argOf(a, k, 0, 'size');
          return new PyList(await this.cur.fetch(typeof size === 'number' ? size : this.cur.arraysize, c.loc));
        }),
      fetchall: (_a, _k, c) => co('fetchall', async () => new PyList(await this.cur.fetch(undefined, c.loc))),
      close: () => co('close', () => (this.cur.close(), null)),
    };
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    // aiosqlite's Cursor.connection is the sqlite3 connection under it.
    if (['rowcount', 'lastrowid', 'description', 'arraysize', 'row_factory', 'connection'].includes(name)) return this.cur.getAttr(name, ctx);
    const m = this.methods()[name];
    if (m) return hostFunction(name, m);
    if (name.startsWith('__')) return undefined;
    throw notModelled(`Cursor.${name}`, ctx.loc);
  }
  override setAttr(name: string, value: PyValue): boolean {
    return this.cur.setAttr(name, value);
  }
  override iter(ctx: HostContext): AsyncIterable<PyValue> {
    return this.cur.iter(ctx);
  }
  override enter(_ctx: HostContext, isAsync?: boolean): PyValue {
    if (isAsync === false) throw pyErr('TypeError', "'Cursor' object does not support the context manager protocol");
    return this;
  }
  override exit(): boolean {
    this.cur.close();
    return false;
  }
}

/** aiosqlite's Result (what execute() and cursor() return): awaiting it runs the call once; `async with` closes the cursor it gave. */
class AioResult extends HostObject {
  private done: Promise<PyValue> | undefined;
  constructor(private readonly body: () => Promise<PyValue>) {
    super();
  }
  override get typeName(): string {
    return 'Result';
  }
  private run(): Promise<PyValue> {
    this.done ??= this.body();
    return this.done;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__await__') return hostFunction('__await__', () => this.run());
    return undefined;
  }
  override enter(_ctx: HostContext, isAsync?: boolean): Promise<PyValue> {
    if (isAsync === false) throw pyErr('TypeError', "'Result' object does not support the context manager protocol");
    return this.run();
  }
  override async exit(): Promise<boolean> {
    const cur = await this.run();
    if (cur instanceof AioCursor) cur.exit();
    return false;
  }
}

/** Attributes aiosqlite's Connection has (assigning them is not modelled). */
const KNOWN_ATTRS = new Set(['_thread', '_connector', '_iter_chunk_size', '_running', '_connection', '_tx', '_loop', 'in_transaction', 'total_changes']);

/** aiosqlite.core.Connection: made by connect() (through the class), opened when awaited or entered. */
export class AioConnection extends HostObject {
  connector: PyValue = null;
  /** aiosqlite.cursor.Cursor (type() of the cursors it makes). */
  cursorClass: PyClass | undefined;
  iterChunkSize: PyValue = 64;
  conn: Sqlite3Connection | undefined;
  private opening: Promise<PyValue> | undefined;
  private readonly extras = new Map<string, PyValue>();
  private ended = false;
  /** aiosqlite's worker thread (never started here: the calls run in the evaluator). */
  readonly thread = new SimpleHostObject('Thread', {}, { daemon: false, name: 'Thread-1 (_connection_worker_thread)' }, '<Thread(_connection_worker_thread, initial)>');
  constructor() {
    super();
  }
  override get typeName(): string {
    return 'Connection';
  }
  override repr(): string {
    return `<aiosqlite.core.Connection object at ${objectAddress(this)}>`;
  }
  private active(): Sqlite3Connection {
    if (!this.conn || this.ended) throw pyErr('ValueError', 'no active connection');
    return this.conn;
  }
  open(ctx: HostContext): Promise<PyValue> {
    this.opening ??= (async () => {
      if (this.ended) throw pyErr('ValueError', 'no active connection');
      const c = await ctx.evaluator.resolve(await ctx.evaluator.call(this.connector));
      if (!(c instanceof Sqlite3Connection)) throw notModelled('Connection with a connector that does not return a sqlite3 connection', ctx.site);
      this.conn = c;
      return this;
    })();
    return this.opening;
  }
  private result(body: (c: Sqlite3Connection) => Promise<PyValue>): AioResult {
    return new AioResult(async () => body(this.active()));
  }
  private methods(): Record<string, HostFn> {
    const co = (name: string, body: () => Promise<PyValue> | PyValue) => new PyCoroutine(name, body);
    const sql = (a: PyValue[], k: Kwargs) => argOf(a, k, 0, 'sql') ?? null;
    const params = (a: PyValue[], k: Kwargs) => argOf(a, k, 1, 'parameters') ?? new PyTuple([]);
    return {
      cursor: () => this.result(async (conn) => new AioCursor(conn.cursor(), this)),
      execute: (a, k, c) =>
        this.result(async (conn) => {
          const cur = conn.cursor();
          await cur.execute(sql(a, k), [params(a, k)], false, c.site);
          return new AioCursor(cur, this);
        }),
      executemany: (a, k, c) =>
        this.result(async (conn) => {
          const cur = conn.cursor();
          await cur.execute(sql(a, k), await c.evaluator.toArray(params(a, k)), true, c.site);
          return new AioCursor(cur, this);
        }),
      executescript: (a, k) =>
        this.result(async (conn) => {
          const cur = conn.cursor();
          await cur.executescript(argOf(a, k, 0, 'sql_script') ?? null);
          return new AioCursor(cur, this);
        }),
      execute_fetchall: (a, k, c) =>
        this.result(async (conn) => {
          const cur = conn.cursor();
          await cur.execute(sql(a, k), [params(a, k)], false, c.site);
          return new PyList(await cur.fetch(undefined, c.site));
        }),
      execute_insert: (a, k, c) =>
        this.result(async (conn) => {
          const cur = conn.cursor();
          await cur.execute(sql(a, k), [params(a, k)], false, c.site);
          await cur.execute('SELECT last_insert_rowid()', [new PyTuple([])], false, c.site);
          return (await cur.fetch(1, c.site))[0] ?? null;
        }),
      commit: () => co('commit', () => (this.active().commit(), null)),
      rollback: () => co('rollback', () => (this.active().rollback(), null)),
      close: () =>
        co('close', () => {
          // aiosqlite's close() on a connection never opened, or closed already, does nothing.
          if (this.conn && !this.ended) this.conn.close();
          this.ended = true;
          return null;
        }),
    };
  }
  override getAttr(name: string, ctx: HostContext): PyValue | Promise<PyValue> | undefined {
    const extra = this.extras.get(name);
    if (extra !== undefined) return extra;
    switch (name) {
      case '__await__':
        return hostFunction('__await__', () => this.open(ctx));
      case '_thread':
        return this.ended ? null : this.thread;
      case '_connector':
        return this.connector;
      case '_iter_chunk_size':
        return this.iterChunkSize;
      case '_running':
        return !!this.conn && !this.ended;
      case '_connection':
        return this.ended ? null : (this.conn ?? null);
      case 'row_factory':
      case 'isolation_level':
      case 'in_transaction':
      case 'total_changes':
      case 'text_factory':
        return this.active().getAttr(name, ctx);
    }
    const m = this.methods()[name];
    if (m) return hostFunction(name, m);
    if (name.startsWith('__')) return undefined;
    throw notModelled(`Connection.${name}`, ctx.site);
  }
  override setAttr(name: string, value: PyValue, ctx: HostContext): boolean {
    if (name === 'row_factory' || name === 'isolation_level' || name === 'text_factory') return this.active().setAttr(name, value, ctx);
    if (KNOWN_ATTRS.has(name) || name in this.methods()) throw notModelled(`setting Connection.${name}`, ctx.site);
    // A plain Python object: other attributes are the caller's own.
    this.extras.set(name, value);
    return true;
  }
  override enter(ctx: HostContext, isAsync?: boolean): Promise<PyValue> {
    if (isAsync === false) throw pyErr('TypeError', "'Connection' object does not support the context manager protocol");
    return this.open(ctx);
  }
  override exit(): boolean {
    if (this.conn && !this.ended) this.conn.close();
    this.ended = true;
    return false;
  }
}

/** The aiosqlite and aiosqlite.core modules of one evaluation, on its sqlite3. */
export function aiosqliteModules(_ctx: StdlibContext, sqlite3: Sqlite3Api): { top: PyModule; core: PyModule } {
  const Cursor = twoStepHostClass(
    'Cursor',
    {
      allocate: (c) => {
        throw notModelled('Cursor(...) made directly (use await conn.cursor())', c.site);
      },
      initialize: () => undefined,
    },
    { module: 'aiosqlite.cursor', isInstance: (v) => v instanceof AioCursor },
  );
  const Connection = twoStepHostClass(
    'Connection',
    {
      allocate: () => {
        const c = new AioConnection();
        c.cursorClass = Cursor;
        return c;
      },
      initialize: (self, args, kwargs) => {
        const c = self as AioConnection;
        c.connector = argOf(args, kwargs, 0, 'connector') ?? null;
        c.iterChunkSize = argOf(args, kwargs, 1, 'iter_chunk_size') ?? 64;
      },
    },
    { module: 'aiosqlite.core', isInstance: (v) => v instanceof AioConnection },
  );
  const connect = hostFunction('connect', async (args, kwargs, c) => {
    const database = argOf(args, kwargs, 0, 'database');
    if (database === undefined) throw pyErr('TypeError', "connect() missing 1 required positional argument: 'database'");
    const rest = new Map(kwargs);
    rest.delete('database');
    const chunk = rest.get('iter_chunk_size') ?? 64;
    rest.delete('iter_chunk_size');
    rest.delete('loop');
    const connector = hostFunction('connector', (_a, _k, cc) => sqlite3.connect([database], rest, cc.site, 'aiosqlite.connect()'));
    return c.evaluator.call(Connection, [connector, chunk]);
  });
  const shared = new Map<string, PyValue>([
    ['Connection', Connection],
    ['connect', connect],
  ]);
  const core = partialModule('aiosqlite.core', new Map(shared), CORE_NAMES);
  const top = partialModule('aiosqlite', new Map<string, PyValue>([...shared, ['Cursor', Cursor], ['Row', sqlite3.Row], ['core', core], ['paramstyle', 'qmark'], ['sqlite_version', sqlite3.module.dict.get('sqlite_version') ?? null]]), TOP_NAMES);
  for (const n of ['DatabaseError', 'Error', 'IntegrityError', 'NotSupportedError', 'OperationalError', 'ProgrammingError', 'Warning']) top.dict.set(n, sqlite3.exceptions.get(n)!);
  return { top, core };
}
