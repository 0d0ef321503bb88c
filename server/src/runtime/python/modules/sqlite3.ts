/**
 * sqlite3 (CPython 3.11's) on a real SQLite (db/sqliteEngine.ts): connect to ":memory:" or to a
 * file inside the project or the run's scratch folder (a project file is read as it is; what the run
 * commits goes to the run's overlay copy, never to the project's own file); Connection / Cursor /
 * Row with CPython's transaction rules (an implicit BEGIN before INSERT/UPDATE/DELETE/REPLACE,
 * commit(), rollback(), `with conn:`), bound parameters (qmark and named), fetchone / fetchmany /
 * fetchall, rowcount / lastrowid / description, row_factory, and CPython's exception classes and
 * messages. aiosqlite (aiosqlite.ts) runs on these same objects. What else the real module has is
 * "not modelled" (exit 2).
 */
import * as fs from 'node:fs';
import { HostContext, HostFn, HostObject, hostClass, hostExceptionClass, hostFunction } from '../host';
import { objectAddress, Kwargs, PyBytes, PyClass, PyDict, PyException, PyFloat, PyList, PySlice, PyTuple, PyValue, SourceLocation, ExceptionClass, makeException, pyErr } from '../values';
import { call } from '../protocols/calls';
import { eq } from '../protocols/equality';
import { str } from '../protocols/text';
import { unsupported, type Interp } from '../runtime';
import { PyDateTimeObj } from './datetime';
import { SQLITE_VERSION, SqliteDatabase, SqliteError, leadingKeyword, type PreparedStatement, type SqliteParam, type SqliteValue, type StatementResult } from '../../db/sqliteEngine';
import { StdlibContext, argOf, partialModule } from './kit';
import { claimForSqlite } from '../sqliteFileClaims';

/** The names the real sqlite3 module has (CPython 3.11); those not modelled here are "not modelled". */
const EXCEPTION_TREE: Array<[string, string]> = [
  ['Warning', 'Exception'],
  ['Error', 'Exception'],
  ['InterfaceError', 'Error'],
  ['DatabaseError', 'Error'],
  ['DataError', 'DatabaseError'],
  ['OperationalError', 'DatabaseError'],
  ['IntegrityError', 'DatabaseError'],
  ['InternalError', 'DatabaseError'],
  ['ProgrammingError', 'DatabaseError'],
  ['NotSupportedError', 'DatabaseError'],
];

export interface Sqlite3Api {
  module: ReturnType<typeof partialModule>;
  exceptions: Map<string, PyClass>;
  Row: PyClass;
  /** sqlite3.connect(database, ...): the opened connection (`what` names the call in messages). */
  connect(args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined, what: string): Promise<Sqlite3Connection>;
  /** Raises the sqlite3 exception for an engine error (other errors pass unchanged). */
  translate(e: unknown): unknown;
  env: Sqlite3Env;
}

const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

function fromSqlite(v: SqliteValue): PyValue {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (typeof v === 'number') return new PyFloat(v);
  if (v instanceof Uint8Array) return new PyBytes(new Uint8Array(v));
  return v;
}

/** The Python int range SQLite's INTEGER holds. */
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** What the sqlite3 objects share within one evaluation: its exception classes, Row, and helpers. */
export interface Sqlite3Env {
  interp: Interp;
  exceptions: Map<string, PyClass>;
  Row: PyClass;
  /** sqlite3.Connection and sqlite3.Cursor (type() of the objects). */
  Connection?: PyClass;
  Cursor?: PyClass;
  raise(cls: string, message: string, code?: number, codeName?: string): PyException;
  /** Runs an engine call, raising its SqliteError as the sqlite3 exception CPython would. */
  engine<T>(f: () => T): T;
  bind(st: PreparedStatement, params: PyValue | undefined, loc: SourceLocation | undefined): Promise<SqliteParam[]>;
  notModelled(what: string, loc: SourceLocation | undefined): Error;
}

/** sqlite3.Row: a row read by index (negative too), slice, or column name (case-insensitive). */
export class SqliteRow extends HostObject {
  constructor(
    private readonly interp: Interp,
    readonly columns: string[],
    readonly values: PyValue[],
  ) {
    super();
  }
  override get typeName(): string {
    return 'Row';
  }
  override getItem(key: PyValue): PyValue {
    if (typeof key === 'number' || typeof key === 'bigint') {
      let i = Number(key);
      if (i < 0) i += this.values.length;
      if (i < 0 || i >= this.values.length) throw pyErr('IndexError', 'Index out of range');
      return this.values[i];
    }
    if (typeof key === 'string') {
      const i = this.columns.findIndex((c) => c.toLowerCase() === key.toLowerCase());
      if (i < 0) throw pyErr('IndexError', 'No item with that key');
      return this.values[i];
    }
    if (key instanceof PySlice) throw unsupported('slicing a sqlite3.Row', undefined);
    throw pyErr('IndexError', 'Index must be int or string');
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'keys') return hostFunction('keys', () => new PyList(this.columns.slice()));
    return undefined;
  }
  override iter(): Iterable<PyValue> {
    return this.values;
  }
  override len(): number {
    return this.values.length;
  }
  override equals(other: PyValue): boolean {
    return other instanceof SqliteRow && other.columns.join('\0') === this.columns.join('\0') && other.values.length === this.values.length && other.values.every((v, i) => eq(this.interp, v, this.values[i]));
  }
  override repr(): string {
    return `<sqlite3.Row object at ${objectAddress(this)}>`;
  }
}

export class Sqlite3Cursor extends HostObject {
  /** The rows the last statement returned and not yet fetched. */
  private pending: SqliteValue[][] = [];
  columns: string[] | undefined;
  rowcount = -1;
  lastrowid: PyValue = null;
  arraysize = 1;
  rowFactory: PyValue;
  private closed = false;
  readonly env: Sqlite3Env;
  constructor(readonly conn: Sqlite3Connection) {
    super();
    this.env = conn.env;
    this.hostClass = conn.env.Cursor;
    this.rowFactory = conn.rowFactory;
  }
  override get typeName(): string {
    return 'Cursor';
  }
  override repr(): string {
    return `<sqlite3.Cursor object at ${objectAddress(this)}>`;
  }
  private check(): void {
    this.conn.check();
    if (this.closed) throw this.env.raise('ProgrammingError', 'Cannot operate on a closed cursor.');
  }
  private async row(values: SqliteValue[], loc: SourceLocation | undefined): Promise<PyValue> {
    const items = values.map(fromSqlite);
    if (this.rowFactory === null) return new PyTuple(items);
    if (this.rowFactory === this.env.Row) {
      const row = new SqliteRow(this.env.interp, this.columns ?? [], items);
      row.hostClass = this.env.Row;
      return row;
    }
    return call(this.env.interp, this.rowFactory, [this, new PyTuple(items)], null, loc);
  }
  /** CPython's _pysqlite_query_execute for one statement and one or many parameter sets. */
  async execute(sql: PyValue, paramSets: PyValue[] | undefined, many: boolean, loc: SourceLocation | undefined): Promise<this> {
    this.check();
    if (typeof sql !== 'string') throw pyErr('TypeError', `execute() argument 1 must be str, not ${this.env.interp.typeName(sql)}`);
    const db = this.conn.db;
    const probe = this.env.engine(() => db.prepare(sql));
    probe.free();
    if (probe.more) throw this.env.raise('ProgrammingError', 'You can only execute one statement at a time.');
    const keyword = leadingKeyword(sql);
    const isDml = DML.has(keyword);
    // CPython refuses a read-only statement (sqlite3_stmt_readonly) in executemany().
    const readOnly = keyword === 'SELECT' || keyword === 'VALUES' || (keyword === 'WITH' && !/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql));
    if (many && readOnly) throw this.env.raise('ProgrammingError', 'executemany() can only execute DML statements.');
    this.pending = [];
    this.columns = undefined;
    this.rowcount = isDml ? 0 : -1;
    const sets = paramSets ?? [new PyTuple([])];
    for (const set of sets) {
      if (this.conn.isolationLevel !== null && isDml && !this.env.engine(() => db.inTransaction())) this.env.engine(() => db.exec('BEGIN ' + this.conn.isolationLevel));
      const st = this.env.engine(() => db.prepare(sql));
      let r: StatementResult;
      try {
        const params = await this.env.bind(st, set, loc);
        r = this.env.engine(() => st.run(params));
      } finally {
        st.free();
      }
      if (isDml) this.rowcount += r.changes;
      if (r.columns.length) {
        this.columns = r.columns;
        this.pending = r.rows;
      }
      if (!many) this.lastrowid = Number(this.env.engine(() => db.lastInsertRowid()));
    }
    this.conn.afterStatement();
    return this;
  }
  async executescript(script: PyValue): Promise<this> {
    this.check();
    if (typeof script !== 'string') throw pyErr('ValueError', 'script argument must be unicode.');
    const db = this.conn.db;
    // CPython commits a pending transaction first, then runs the script as it is.
    if (this.conn.isolationLevel !== null && this.env.engine(() => db.inTransaction())) this.env.engine(() => db.exec('COMMIT'));
    this.env.engine(() => db.exec(script));
    this.pending = [];
    this.columns = undefined;
    this.conn.afterStatement();
    return this;
  }
  async fetch(n: number | undefined, loc: SourceLocation | undefined): Promise<PyValue[]> {
    this.check();
    const take = n === undefined ? this.pending.length : Math.max(0, n);
    const out: PyValue[] = [];
    for (const values of this.pending.splice(0, take)) out.push(await this.row(values, loc));
    return out;
  }
  close(): void {
    this.closed = true;
    this.pending = [];
  }
  get description(): PyValue {
    if (!this.columns) return null;
    return new PyTuple(this.columns.map((c) => new PyTuple([c, null, null, null, null, null, null])));
  }
  private methods(): Record<string, HostFn> {
    return {
      execute: (a, k, c) => this.execute(argOf(a, k, 0, 'sql') ?? null, [argOf(a, k, 1, 'parameters') ?? new PyTuple([])], false, c.loc),
      executemany: async (a, k, c) => this.execute(argOf(a, k, 0, 'sql') ?? null, await this.env.interp.toArray(argOf(a, k, 1, 'seq_of_parameters') ?? new PyList([])), true, c.loc),
      executescript: (a, k) => this.executescript(argOf(a, k, 0, 'sql_script') ?? null),
      fetchone: async (_a, _k, c) => (await this.fetch(1, c.loc))[0] ?? null,
      fetchmany: async (a, k, c) => {
        const size = argOf(a, k, 0, 'size');
        return new PyList(await this.fetch(typeof size === 'number' ? size : this.arraysize, c.loc));
      },
      fetchall: async (_a, _k, c) => new PyList(await this.fetch(undefined, c.loc)),
      close: () => {
        this.closed = true;
        this.pending = [];
        return null;
      },
      setinputsizes: () => null,
      setoutputsize: () => null,
    };
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    switch (name) {
      case 'rowcount':
        return this.rowcount;
      case 'lastrowid':
        return this.lastrowid;
      case 'description':
        return this.description;
      case 'arraysize':
        return this.arraysize;
      case 'row_factory':
        return this.rowFactory;
      case 'connection':
        return this.conn;
    }
    const m = this.methods()[name];
    if (m) return hostFunction(name, m);
    if (name.startsWith('__')) return undefined;
    throw this.env.notModelled(`Cursor.${name}`, ctx.loc);
  }
  override setAttr(name: string, value: PyValue): boolean {
    if (name === 'arraysize' && typeof value === 'number') this.arraysize = value;
    else if (name === 'row_factory') this.rowFactory = value;
    else return false;
    return true;
  }
  override iter(ctx: HostContext): AsyncIterable<PyValue> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const [r] = await self.fetch(1, ctx.loc);
          if (r === undefined) return;
          yield r;
        }
      },
    };
  }
}


export class Sqlite3Connection extends HostObject {
  rowFactory: PyValue = null;
  isolationLevel: string | null = '';
  closed = false;
  constructor(
    readonly env: Sqlite3Env,
    readonly db: SqliteDatabase,
  ) {
    super();
    this.hostClass = env.Connection;
  }
  override get typeName(): string {
    return 'Connection';
  }
  override repr(): string {
    return `<sqlite3.Connection object at ${objectAddress(this)}>`;
  }
  check(): void {
    if (this.closed) throw this.env.raise('ProgrammingError', 'Cannot operate on a closed database.');
  }
  /** A file database keeps what is committed: written back whenever no transaction is open. */
  afterStatement(): void {
    if (this.db.inFile && !this.env.engine(() => this.db.inTransaction())) this.db.persist();
  }
  cursor(): Sqlite3Cursor {
    this.check();
    return new Sqlite3Cursor(this);
  }
  commit(): void {
    this.check();
    if (this.env.engine(() => this.db.inTransaction())) this.env.engine(() => this.db.exec('COMMIT'));
    this.afterStatement();
  }
  rollback(): void {
    this.check();
    if (this.env.engine(() => this.db.inTransaction())) this.env.engine(() => this.db.exec('ROLLBACK'));
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
  private methods(): Record<string, HostFn> {
    return {
      cursor: (a, k, c) => {
        if (argOf(a, k, 0, 'factory') !== undefined) throw this.env.notModelled('Connection.cursor(factory=...)', c.loc);
        return this.cursor();
      },
      execute: (a, k, c) => this.cursor().execute(argOf(a, k, 0, 'sql') ?? null, [argOf(a, k, 1, 'parameters') ?? new PyTuple([])], false, c.loc),
      executemany: async (a, k, c) => this.cursor().execute(argOf(a, k, 0, 'sql') ?? null, await this.env.interp.toArray(argOf(a, k, 1, 'parameters') ?? new PyList([])), true, c.loc),
      executescript: (a, k) => this.cursor().executescript(argOf(a, k, 0, 'sql_script') ?? null),
      commit: () => (this.commit(), null),
      rollback: () => (this.rollback(), null),
      close: () => (this.close(), null),
    };
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    switch (name) {
      case 'row_factory':
        return this.rowFactory;
      case 'isolation_level':
        return this.isolationLevel;
      case 'in_transaction':
        this.check();
        return this.env.engine(() => this.db.inTransaction());
      case 'total_changes':
        this.check();
        return Number(this.env.engine(() => this.db.totalChanges()));
      case 'text_factory':
        return this.env.interp.builtins.get('str') ?? null;
      case 'Error':
      case 'Warning':
      case 'InterfaceError':
      case 'DatabaseError':
      case 'DataError':
      case 'OperationalError':
      case 'IntegrityError':
      case 'InternalError':
      case 'ProgrammingError':
      case 'NotSupportedError':
        return this.env.exceptions.get(name)!;
    }
    const m = this.methods()[name];
    if (m) return hostFunction(name, m);
    if (name.startsWith('__')) return undefined;
    throw this.env.notModelled(`Connection.${name}`, ctx.loc);
  }
  override setAttr(name: string, value: PyValue, ctx: HostContext): boolean {
    if (name === 'row_factory') {
      this.rowFactory = value;
      return true;
    }
    if (name === 'isolation_level') {
      if (value !== null && (typeof value !== 'string' || !['', 'DEFERRED', 'IMMEDIATE', 'EXCLUSIVE'].includes(value.toUpperCase()))) {
        throw pyErr('ValueError', "isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'");
      }
      // Setting None commits a pending transaction (autocommit from then on).
      if (value === null && this.env.engine(() => this.db.inTransaction())) this.env.engine(() => this.db.exec('COMMIT'));
      this.isolationLevel = value === null ? null : value.toUpperCase();
      return true;
    }
    if (name === 'text_factory') throw this.env.notModelled('Connection.text_factory (only str is modelled)', ctx.loc);
    return false;
  }
  /** `with conn:` commits when the block succeeds and rolls back when it raises; the connection stays open. */
  override enter(_ctx: HostContext, isAsync?: boolean): PyValue {
    if (isAsync) throw pyErr('TypeError', "'sqlite3.Connection' object does not support the asynchronous context manager protocol");
    this.check();
    return this;
  }
  override exit(exc: PyException | null): boolean {
    if (exc === null) this.commit();
    else if (!this.closed) this.rollback();
    return false;
  }
}


export function sqlite3Module(ctx: StdlibContext): Sqlite3Api {
  const { interp } = ctx;
  const exceptions = new Map<string, PyClass>();
  for (const [name, base] of EXCEPTION_TREE) exceptions.set(name, hostExceptionClass(name, base === 'Exception' ? ExceptionClass : exceptions.get(base)!, 'sqlite3'));
  const raise = (cls: string, message: string, code?: number, codeName?: string): PyException => {
    const inst = makeException(exceptions.get(cls)!, [message]);
    if (code !== undefined) {
      inst.dict.set('sqlite_errorcode', code);
      inst.dict.set('sqlite_errorname', codeName ?? null);
    }
    return new PyException(inst);
  };
  /** CPython's _pysqlite_seterror: the exception class for SQLite's primary result code. */
  const translate = (e: unknown): unknown => {
    if (!(e instanceof SqliteError)) return e;
    const p = e.primary;
    const cls =
      p === 2 || p === 12 ? 'InternalError'
      : p === 11 ? 'DatabaseError'
      : p === 18 ? 'DataError'
      : p === 19 || p === 20 ? 'IntegrityError'
      : p === 21 || p === 25 ? 'InterfaceError'
      : [1, 3, 4, 5, 6, 8, 9, 10, 13, 14, 15, 16, 17].includes(p) ? 'OperationalError'
      : 'DatabaseError';
    if (p === 7) return pyErr('MemoryError');
    return raise(cls, e.message, e.code, e.codeName);
  };
  const engine = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw translate(e);
    }
  };

  /** One Python value as a SQLite parameter (CPython 3.11's binding, its default date/datetime adapters included). */
  const toParam = (v: PyValue, index: number): SqliteParam => {
    if (v === null) return null;
    if (typeof v === 'boolean') return v ? 1n : 0n;
    if (typeof v === 'number' || typeof v === 'bigint') {
      const b = BigInt(v);
      if (b < I64_MIN || b > I64_MAX) throw pyErr('OverflowError', 'Python int too large to convert to SQLite INTEGER');
      return b;
    }
    if (v instanceof PyFloat) return { real: v.v };
    if (typeof v === 'string') return v;
    if (v instanceof PyBytes) return v.data;
    if (v instanceof PyDateTimeObj) return v.dateOnly ? v.isoformat() : v.isoformat(' ');
    throw raise('ProgrammingError', `Error binding parameter ${index}: type '${interp.typeName(v)}' is not supported`);
  };

  /** CPython's bind_parameters: a sequence by position, a dict by name. */
  const bind = async (st: PreparedStatement, params: PyValue | undefined, loc: SourceLocation | undefined): Promise<SqliteParam[]> => {
    if (params === undefined) params = new PyTuple([]);
    if (params instanceof PyDict) {
      const out: SqliteParam[] = [];
      for (let i = 1; i <= st.count; i++) {
        const name = st.names.get(i);
        if (name === undefined) throw raise('ProgrammingError', `Binding ${i} has no name, but you supplied a dictionary (which has only names).`);
        const v = params.get(name.slice(1));
        if (v === undefined) throw raise('ProgrammingError', `You did not supply a value for binding parameter ${name}.`);
        out.push(toParam(v, i));
      }
      return out;
    }
    if (params instanceof HostObject && !(params instanceof PyDateTimeObj) && params.getAttr('keys', interp.hostContext(loc)) !== undefined) {
      throw unsupported('sqlite3 parameters given as a mapping other than dict', loc);
    }
    if (!(params instanceof PyList || params instanceof PyTuple || typeof params === 'string')) {
      if (params instanceof HostObject || params === null || typeof params !== 'object') throw raise('ProgrammingError', 'parameters are of unsupported type');
    }
    const items = await interp.toArray(params);
    if (items.length !== st.count) throw raise('ProgrammingError', `Incorrect number of bindings supplied. The current statement uses ${st.count}, and there are ${items.length} supplied.`);
    return items.map((v, i) => toParam(v, i + 1));
  };

  const Row = hostClass(
    'Row',
    (args) => {
      const cur = args[0];
      const data = args[1];
      if (!(cur instanceof Sqlite3Cursor)) throw pyErr('TypeError', `Row() argument 1 must be sqlite3.Cursor, not ${interp.typeName(cur ?? null)}`);
      if (!(data instanceof PyTuple)) throw pyErr('TypeError', `Row() argument 2 must be tuple, not ${interp.typeName(data ?? null)}`);
      return new SqliteRow(interp, cur.columns ?? [], data.items.slice());
    },
    { module: 'sqlite3', isInstance: (v) => v instanceof SqliteRow },
  );

  const notModelled = (what: string, loc: SourceLocation | undefined) =>
    unsupported(`sqlite3 ${what}`, loc, 'the sqlite3 module is modelled for connect, execute/executemany/executescript, cursors, fetch*, rowcount/lastrowid/description, row_factory, commit/rollback/close');

  const env: Sqlite3Env = { interp, exceptions, Row, raise, engine, bind, notModelled };
  const openFile = (database: string, loc: SourceLocation | undefined, what: string): { read?: string; write: () => string } => {
    const files = ctx.files;
    if (!files) throw unsupported(`${what} on a file`, loc, 'this evaluation has no project folder (":memory:" databases work)');
    const abs = files.resolve(database);
    if (!files.canRead(abs) && !files.canWrite(abs)) throw unsupported(`${what} on a file outside the project root and the run's scratch folder`, loc, abs);
    claimForSqlite(interp, abs, files.root, loc, what);
    const read = files.diskForRead(abs);
    let target: string | undefined;
    return {
      read: read !== undefined && fs.existsSync(read) ? read : undefined,
      write: () => {
        target ??= files.diskForWrite(abs);
        if (target === undefined) throw unsupported(`${what} writing ${abs}`, loc, 'the run may not write there');
        return target;
      },
    };
  };

  const connect = async (args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined, what: string): Promise<Sqlite3Connection> => {
    let database = argOf(args, kwargs, 0, 'database');
    if (database === undefined) throw pyErr('TypeError', "connect() missing required argument 'database' (pos 1)");
    if (database instanceof HostObject && /Path$/.test(database.typeName)) database = str(interp, database);
    if (database instanceof PyBytes) database = new TextDecoder().decode(database.data);
    if (typeof database !== 'string') throw pyErr('TypeError', `expected str, bytes or os.PathLike object, not ${interp.typeName(database)}`);
    for (const k of ['detect_types', 'factory', 'uri', 'cached_statements']) {
      const v = kwargs?.get(k);
      if (v !== undefined && !(k === 'detect_types' && v === 0) && !(k === 'uri' && v === false) && k !== 'cached_statements') throw notModelled(`connect(${k}=...)`, loc);
    }
    const iso = kwargs?.get('isolation_level');
    let db: SqliteDatabase;
    try {
      if (database === ':memory:' || database === '') db = await SqliteDatabase.open();
      else if (database.startsWith('file:')) throw notModelled('connect() to a "file:" URI name', loc);
      else {
        const f = openFile(database, loc, what);
        db = await SqliteDatabase.open(f);
      }
    } catch (e) {
      if (e instanceof SqliteError) throw raise(e.primary === 14 ? 'OperationalError' : 'DatabaseError', e.primary === 14 ? 'unable to open database file' : e.message, e.code, e.codeName);
      throw e;
    }
    const conn = new Sqlite3Connection(env, db);
    if (iso !== undefined) conn.setAttr('isolation_level', iso, interp.hostContext(loc));
    return conn;
  };

  const Connection = hostClass('Connection', (_a, _k, c) => {
    throw notModelled('Connection(...) made directly (use sqlite3.connect)', c.loc);
  }, { module: 'sqlite3', isInstance: (v) => v instanceof Sqlite3Connection });
  const Cursor = hostClass('Cursor', (a) => {
    if (!(a[0] instanceof Sqlite3Connection)) throw pyErr('TypeError', `Cursor() argument 1 must be sqlite3.Connection, not ${interp.typeName(a[0] ?? null)}`);
    return a[0].cursor();
  }, { module: 'sqlite3', isInstance: (v) => v instanceof Sqlite3Cursor });

  env.Connection = Connection;
  env.Cursor = Cursor;
  const members: Record<string, PyValue> = {
    connect: hostFunction('connect', (a, k, c) => connect(a, k, c.loc, 'sqlite3.connect()')),
    Connection,
    Cursor,
    Row,
    paramstyle: 'qmark',
    apilevel: '2.0',
    threadsafety: 3,
    sqlite_version: SQLITE_VERSION,
    sqlite_version_info: new PyTuple(SQLITE_VERSION.split('.').map(Number)),
    PARSE_DECLTYPES: 1,
    PARSE_COLNAMES: 2,
  };
  for (const [n, c] of exceptions) members[n] = c;
  return { module: partialModule('sqlite3', members), exceptions, Row, connect, translate, env };
}

