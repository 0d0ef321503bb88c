// The asyncpg driver (asyncpg 0.31) as used next to DataFlow: connect / create_pool, a pool's
// acquire / release / close, a connection's execute / executemany / fetch / fetchrow / fetchval /
// transaction / close. Every connection runs on the RUN's database (the URL is not opened; a
// session note says so): statements go through the database's statement hooks untagged, so the
// profiler counts them outside any workflow node. Arguments are always bound ($1, $2, ...).
// Anything else on these objects stops the run as not modelled (exit 2).
import { HostObject, hostFunction, argOf, type HostContext, type HostFn } from '../../python/host';
import { PyException, PyList, UnsupportedPythonError, makeException, pyErr, type Kwargs, type PyValue } from '../../python/values';
import { bindValue } from '../../dataflow/values/bindValue';
import type { DfValue as DfValue } from '../../dataflow/values/dfValues';
import type { DbTransaction, QueryResult, Queryable, SqlParam } from '../../db/types';
import type { Session } from '../session';
import { toDataFlow } from '../values';
import { asyncpgErrorFor, type AsyncpgExceptions } from './exceptions';
import { AsyncpgRecord } from './record';
import { splitSqlScript } from './splitScript';

export interface AsyncpgEnv {
  session: Session;
  exceptions: AsyncpgExceptions;
}

function notModelled(what: string, ctx: HostContext): UnsupportedPythonError {
  return new UnsupportedPythonError(`\`${what}\` is not modelled`, ctx.loc, 'the asyncpg driver is modelled for connect/create_pool, acquire/release/close, execute/executemany/fetch/fetchrow/fetchval and transaction()');
}

const DDL_OBJECT = /^\s*(CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:(?:UNIQUE|TEMP|TEMPORARY|UNLOGGED|GLOBAL|LOCAL|TRUSTED|PROCEDURAL)\s+)*(MATERIALIZED\s+VIEW|FOREIGN\s+TABLE|EVENT\s+TRIGGER|TEXT\s+SEARCH\s+\w+|\w+)/i;

/**
 * The status string asyncpg's execute() returns (PostgreSQL's command tag): "INSERT 0 1", "UPDATE 3",
 * "SELECT 2", "CREATE TABLE". The database layer keeps the tag's verb only, so the object of a DDL
 * statement is read from the statement's own text (the last statement of a script).
 */
export function statusOf(sql: string, r: QueryResult): string {
  const cmd = (r.command || '').toUpperCase();
  if (cmd === 'INSERT') return `INSERT 0 ${r.rowCount}`;
  if (['UPDATE', 'DELETE', 'SELECT', 'MOVE', 'FETCH', 'COPY', 'MERGE'].includes(cmd)) return `${cmd} ${r.rowCount}`;
  if (cmd === 'TRUNCATE') return 'TRUNCATE TABLE';
  if (cmd === 'CREATE' || cmd === 'DROP' || cmd === 'ALTER') {
    const statements = sql.split(';').map((s) => s.replace(/--[^\n]*/g, '').trim()).filter(Boolean);
    const m = DDL_OBJECT.exec(statements[statements.length - 1] ?? '');
    if (m && m[1].toUpperCase() === cmd) return `${cmd} ${m[2].toUpperCase().replace(/\s+/g, ' ')}`;
  }
  return cmd;
}

/** A connection: statements auto-commit unless a transaction() is open (then they run in it). */
export class AsyncpgConnection extends HostObject {
  closed = false;
  tx: DbTransaction | undefined;
  savepoints = 0;

  constructor(
    private readonly env: AsyncpgEnv,
    private readonly kind: 'Connection' | 'PoolConnectionProxy' = 'Connection',
    private readonly pool?: AsyncpgPool,
  ) {
    super();
  }
  override get typeName(): string {
    return this.kind;
  }
  override repr(): string {
    return this.kind === 'Connection' ? '<asyncpg.connection.Connection object>' : '<PoolConnectionProxy <asyncpg.connection.Connection object>>';
  }

  private interfaceError(message: string): PyException {
    return new PyException(makeException(this.env.exceptions.classes.get('InterfaceError')!, [message]));
  }

  async query(sql: string, args: PyValue[]): Promise<QueryResult> {
    if (this.closed) throw this.interfaceError(this.kind === 'Connection' ? 'connection is closed' : 'cannot call Connection.fetch(): connection has been released back to the pool');
    const params: SqlParam[] = args.map((a) => bindValue(toDataFlow(a) as DfValue, undefined, true));
    const target: Queryable = this.tx?.active ? this.tx : this.env.session.db;
    try {
      return await target.query(sql, params);
    } catch (e) {
      throw asyncpgErrorFor(this.env.exceptions, e) ?? e;
    }
  }

  async begin(): Promise<void> {
    if (this.tx?.active) {
      await this.query(`SAVEPOINT asyncpg_sp_${++this.savepoints}`, []);
      return;
    }
    this.tx = await this.env.session.db.begin();
    this.savepoints = 0;
  }
  async end(commit: boolean, savepoint: number): Promise<void> {
    if (savepoint > 0) {
      await this.query(commit ? `RELEASE SAVEPOINT asyncpg_sp_${savepoint}` : `ROLLBACK TO SAVEPOINT asyncpg_sp_${savepoint}`, []);
      this.savepoints = savepoint - 1;
      return;
    }
    const tx = this.tx;
    this.tx = undefined;
    if (!tx?.active) return;
    try {
      if (commit) await tx.commit();
      else await tx.rollback();
    } catch (e) {
      throw asyncpgErrorFor(this.env.exceptions, e) ?? e;
    }
  }

  /**
   * Several statements without arguments: PostgreSQL runs such a script (simple query protocol) as
   * one implicit transaction unless it controls transactions itself; each statement is sent, and
   * seen by the statement hooks, on its own. The status is the last statement's.
   */
  private async runScript(statements: string[]): Promise<PyValue> {
    const controlsTx = statements.some((st) => /^(BEGIN|START|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION)\b/i.test(st));
    const own = !controlsTx;
    let savepoint = 0;
    if (own) {
      const outer = this.tx?.active;
      await this.begin();
      savepoint = outer ? this.savepoints : 0;
    }
    let status = '';
    try {
      for (const st of statements) status = statusOf(st, await this.query(st, []));
    } catch (e) {
      if (own) await this.end(false, savepoint);
      throw e;
    }
    if (own) await this.end(true, savepoint);
    return status;
  }

  private methods(): Record<string, HostFn> {
    const sqlOf = (args: PyValue[], ctx: HostContext, name: string): string => {
      const sql = args[0];
      if (typeof sql !== 'string') throw new PyException(makeException(this.env.exceptions.classes.get('InterfaceError')!, [`${name}(): the query must be a str, got ${ctx.evaluator.typeName(sql ?? null)}`]));
      return sql;
    };
    return {
      execute: async (args, _kw, ctx) => {
        const sql = sqlOf(args, ctx, 'execute');
        const script = args.length === 1 ? splitSqlScript(sql) : [];
        if (script.length <= 1) return statusOf(sql, await this.query(sql, args.slice(1)));
        return this.runScript(script);
      },
      executemany: async (args, kw, ctx) => {
        const sql = sqlOf(args, ctx, 'executemany');
        const sets = await ctx.evaluator.toArray(argOf(args, kw, 1, 'args') ?? new PyList([]));
        // asyncpg's executemany is atomic: all argument sets or none.
        const own = !this.tx?.active;
        await this.begin();
        const savepoint = own ? 0 : this.savepoints;
        try {
          for (const set of sets) await this.query(sql, await ctx.evaluator.toArray(set));
        } catch (e) {
          await this.end(false, savepoint);
          throw e;
        }
        await this.end(true, savepoint);
        return null;
      },
      fetch: async (args, _kw, ctx) => new PyList(AsyncpgRecord.rowsOf(await this.query(sqlOf(args, ctx, 'fetch'), args.slice(1)))),
      fetchrow: async (args, _kw, ctx) => AsyncpgRecord.rowsOf(await this.query(sqlOf(args, ctx, 'fetchrow'), args.slice(1)))[0] ?? null,
      fetchval: async (args, kw, ctx) => {
        const rows = AsyncpgRecord.rowsOf(await this.query(sqlOf(args, ctx, 'fetchval'), args.slice(1)));
        const column = Number(kw.get('column') ?? 0);
        return rows.length ? rows[0].getItem(column) : null;
      },
      transaction: () => new AsyncpgTransaction(this),
      close: () => {
        if (this.pool) this.pool.release(this);
        this.closed = true;
        return null;
      },
      terminate: () => {
        this.closed = true;
        return null;
      },
      is_closed: () => this.closed,
      is_in_transaction: () => !!this.tx?.active,
    };
  }

  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name.startsWith('__')) return undefined;
    const m = this.methods()[name];
    if (m) return hostFunction(name, m);
    throw notModelled(`asyncpg.Connection.${name}`, ctx);
  }
  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> {
    const m = this.methods()[name];
    if (!m) throw notModelled(`asyncpg.Connection.${name}`, ctx);
    return m(args, kwargs, ctx);
  }
  override enter(): PyValue {
    // asyncpg's Connection has no __aenter__ / __enter__ (a pool's acquire() is the context manager).
    throw pyErr('TypeError', `'${this.kind}' object does not support the asynchronous context manager protocol`);
  }
}

/** conn.transaction(): BEGIN on entry (a SAVEPOINT inside another), COMMIT on a clean exit, ROLLBACK on an exception. */
class AsyncpgTransaction extends HostObject {
  private level: number | undefined;
  private done = false;
  constructor(private readonly conn: AsyncpgConnection) {
    super();
  }
  override get typeName(): string {
    return 'Transaction';
  }
  private async start(): Promise<PyValue> {
    await this.conn.begin();
    this.level = this.conn.savepoints;
    return null;
  }
  private async finish(commit: boolean): Promise<PyValue> {
    if (this.level === undefined || this.done) return null;
    this.done = true;
    await this.conn.end(commit, this.level);
    return null;
  }
  override async enter(): Promise<PyValue> {
    await this.start();
    return this;
  }
  override async exit(exc: PyException | null): Promise<boolean> {
    await this.finish(exc === null);
    return false;
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name.startsWith('__')) return undefined;
    if (name === 'start') return hostFunction('start', () => this.start());
    if (name === 'commit') return hostFunction('commit', () => this.finish(true));
    if (name === 'rollback') return hostFunction('rollback', () => this.finish(false));
    throw notModelled(`asyncpg.transaction.Transaction.${name}`, ctx);
  }
}

/** pool.acquire(): awaitable (→ a connection) and an async context manager (released on exit). */
class PoolAcquireContext extends HostObject {
  private conn: AsyncpgConnection | undefined;
  constructor(private readonly pool: AsyncpgPool) {
    super();
  }
  override get typeName(): string {
    return 'PoolAcquireContext';
  }
  override enter(): PyValue {
    this.conn = this.pool.acquire();
    return this.conn;
  }
  override exit(): boolean {
    if (this.conn) this.pool.release(this.conn);
    return false;
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name === '__await__') return hostFunction('__await__', () => this.pool.acquire());
    if (name.startsWith('__')) return undefined;
    throw notModelled(`asyncpg.pool.PoolAcquireContext.${name}`, ctx);
  }
}

/** A pool: every connection it hands out runs on the run's database. */
export class AsyncpgPool extends HostObject {
  closed = false;
  private readonly out = new Set<AsyncpgConnection>();
  constructor(
    private readonly env: AsyncpgEnv,
    private readonly minSize: number,
    private readonly maxSize: number,
  ) {
    super();
  }
  override get typeName(): string {
    return 'Pool';
  }
  override repr(): string {
    return `<asyncpg.pool.Pool max=${this.maxSize} min=${this.minSize} cur=${this.minSize} use=${this.out.size}>`;
  }
  acquire(): AsyncpgConnection {
    if (this.closed) throw new PyException(makeException(this.env.exceptions.classes.get('InterfaceError')!, ['pool is closed']));
    const c = new AsyncpgConnection(this.env, 'PoolConnectionProxy', this);
    this.out.add(c);
    return c;
  }
  release(c: AsyncpgConnection): void {
    if (!this.out.delete(c)) return;
    c.closed = true;
    // An open transaction on a released connection is rolled back, as asyncpg's reset does.
    if (c.tx?.active) void c.tx.rollback().catch(() => undefined);
  }
  private async withConnection<T>(fn: (c: AsyncpgConnection) => Promise<T>): Promise<T> {
    const c = this.acquire();
    try {
      return await fn(c);
    } finally {
      this.release(c);
    }
  }
  private methods(): Record<string, HostFn> {
    const through = (name: string): HostFn => (args, kw, ctx) => this.withConnection(async (c) => c.callMethod(name, args, kw, ctx) as PyValue | Promise<PyValue>);
    return {
      acquire: () => new PoolAcquireContext(this),
      release: (args) => {
        if (args[0] instanceof AsyncpgConnection) this.release(args[0]);
        return null;
      },
      close: () => {
        for (const c of [...this.out]) this.release(c);
        this.closed = true;
        return null;
      },
      terminate: () => {
        for (const c of [...this.out]) this.release(c);
        this.closed = true;
        return null;
      },
      is_closing: () => this.closed,
      get_size: () => Math.max(this.minSize, this.out.size),
      get_min_size: () => this.minSize,
      get_max_size: () => this.maxSize,
      get_idle_size: () => Math.max(0, this.minSize - this.out.size),
      execute: through('execute'),
      executemany: through('executemany'),
      fetch: through('fetch'),
      fetchrow: through('fetchrow'),
      fetchval: through('fetchval'),
    };
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name.startsWith('__')) return undefined;
    // asyncpg's own (private) size attributes, which test harnesses log.
    if (name === '_minsize') return this.minSize;
    if (name === '_maxsize') return this.maxSize;
    const m = this.methods()[name];
    if (m) return hostFunction(name, m);
    throw notModelled(`asyncpg.Pool.${name}`, ctx);
  }
  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> {
    const m = this.methods()[name];
    if (!m) throw notModelled(`asyncpg.Pool.${name}`, ctx);
    return m(args, kwargs, ctx);
  }
  override enter(): PyValue {
    return this;
  }
  override exit(): boolean {
    for (const c of [...this.out]) this.release(c);
    this.closed = true;
    return false;
  }
}
