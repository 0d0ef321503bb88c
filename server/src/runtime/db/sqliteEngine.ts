// A real SQLite (sql.js: SQLite compiled to WASM, loaded once per process from beside the bundle or
// from node_modules) for the evaluator's `sqlite3` and `aiosqlite` modules. One SqliteDatabase is one
// sqlite3 connection: an in-memory database, or a file's bytes loaded at open and written back after
// each change that is committed (the caller decides where: inside the run's FileAccess rules).
// Statements are prepared by SQLite itself (its own tokenizer finds the end of the first statement);
// values are always bound, never pasted: integers as 64-bit INTEGER, floats as REAL (an integral
// float too, as CPython's sqlite3 binds it), text, blobs and NULL. Read back, INTEGER is a bigint,
// REAL a number, TEXT a string, BLOB a Uint8Array.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue, type Statement } from 'sql.js';

/** The SQLite sql.js 1.17 is built from (sqlite3.sqlite_version; a test checks it against the engine). */
export const SQLITE_VERSION = '3.54.1';

export type SqliteValue = null | bigint | number | string | Uint8Array;
/** A value to bind: `{ real }` is a float (REAL even when integral). */
export type SqliteParam = null | bigint | { real: number } | string | Uint8Array;

/** An error SQLite reported: its message and extended result code (SQLITE_CONSTRAINT_UNIQUE = 2067...). */
export class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
  get primary(): number {
    return this.code & 0xff;
  }
  get codeName(): string {
    return sqliteCodeName(this.code);
  }
}

const PRIMARY_NAMES: Record<number, string> = {
  0: 'SQLITE_OK', 1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};
const EXTENDED_NAMES: Record<number, string> = {
  275: 'SQLITE_CONSTRAINT_CHECK', 531: 'SQLITE_CONSTRAINT_COMMITHOOK', 787: 'SQLITE_CONSTRAINT_FOREIGNKEY', 1043: 'SQLITE_CONSTRAINT_FUNCTION',
  1299: 'SQLITE_CONSTRAINT_NOTNULL', 1555: 'SQLITE_CONSTRAINT_PRIMARYKEY', 1811: 'SQLITE_CONSTRAINT_TRIGGER', 2067: 'SQLITE_CONSTRAINT_UNIQUE',
  2323: 'SQLITE_CONSTRAINT_VTAB', 2579: 'SQLITE_CONSTRAINT_ROWID', 3091: 'SQLITE_CONSTRAINT_DATATYPE', 257: 'SQLITE_ERROR_MISSING_COLLSEQ',
  513: 'SQLITE_ERROR_RETRY', 769: 'SQLITE_ERROR_SNAPSHOT',
};

/** SQLite's name of a result code, as CPython's sqlite3 shows it in sqlite_errorname. */
export function sqliteCodeName(code: number): string {
  return EXTENDED_NAMES[code] ?? PRIMARY_NAMES[code & 0xff] ?? `SQLITE_UNKNOWN_${code}`;
}

let loading: Promise<SqlJsStatic> | undefined;
let stmtKey: string | undefined;

function wasmPath(): string {
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(beside)) return beside;
  return path.join(path.dirname(require.resolve('sql.js')), 'sql-wasm.wasm');
}

function load(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: () => wasmPath() });
  return loading;
}

/** The sqlite3_stmt* of a sql.js Statement (a private field; found once by asking SQLite for each candidate's SQL). */
function stmtPointer(SQL: SqlJsStatic, st: Statement, probeSql?: string): number {
  if (stmtKey) return (st as unknown as Record<string, number>)[stmtKey];
  if (!probeSql) throw new Error('sql.js: the statement handle is not located yet');
  for (const [k, v] of Object.entries(st as unknown as Record<string, unknown>)) {
    if (typeof v !== 'number' || v < 1024) continue;
    try {
      if (SQL.UTF8ToString(SQL._sqlite3_sql(v)) === probeSql) {
        stmtKey = k;
        return v;
      }
    } catch {
      // not a statement handle
    }
  }
  throw new Error('sql.js: the statement handle could not be located');
}

function asSqliteError(e: unknown, SQL: SqlJsStatic, db: Database): SqliteError {
  if (e instanceof SqliteError) return e;
  const err = e as { message?: string; errcode?: number };
  const code = typeof err.errcode === 'number' ? err.errcode : SQL._sqlite3_extended_errcode(db.db);
  return new SqliteError(typeof e === 'string' ? e : (err.message ?? String(e)), code || 1);
}

/** The leading keyword of a statement (after comments and blanks), upper-cased. */
export function leadingKeyword(sql: string): string {
  const s = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return (/^[A-Za-z]+/.exec(s)?.[0] ?? '').toUpperCase();
}

/**
 * The parameters of one statement as SQLite numbers them: `?` takes the next number, `?NNN` that
 * number, `:name` / `@name` / `$name` a number on first use (the same one when repeated). Text in
 * quotes and comments is skipped. The map gives each number's name (undefined for `?`, `?NNN`).
 */
export function statementParameters(sql: string): Map<number, string | undefined> {
  const out = new Map<number, string | undefined>();
  const named = new Map<string, number>();
  let max = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? n : end + 1;
      // A doubled quote continues the literal: the loop sees it as the start of another one.
    } else if (c === '[') {
      const end = sql.indexOf(']', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '?') {
      const m = /^\d+/.exec(sql.slice(i + 1));
      if (m) {
        const k = Number(m[0]);
        if (!out.has(k)) out.set(k, undefined);
        max = Math.max(max, k);
        i += 1 + m[0].length;
      } else {
        out.set(++max, undefined);
        i += 1;
      }
    } else if ((c === ':' || c === '@' || c === '$') && /[A-Za-z0-9_\u0080-\uffff]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z0-9_\u0080-\uffff]+/.exec(sql.slice(i + 1))!;
      const name = c + m[0];
      if (!named.has(name)) {
        named.set(name, ++max);
        out.set(max, name);
      }
      i += 1 + m[0].length;
    } else i += 1;
  }
  return out;
}

export interface StatementResult {
  /** The result columns' names; empty for a statement that returns no rows (INSERT, CREATE...). */
  columns: string[];
  rows: SqliteValue[][];
  /** sqlite3_changes() after the statement. */
  changes: number;
}

/** A file database: the file its content is read from (absent: a new database) and where what is committed is written. */
export interface SqliteFile {
  read?: string;
  write: () => string;
}

export interface PreparedStatement {
  /** How many parameters the statement has. */
  count: number;
  /** Each parameter number's name (":a", "@a", "$a"; undefined for `?` and `?NNN`). */
  names: Map<number, string | undefined>;
  /** Whether the SQL text holds another statement after this one. */
  more: boolean;
  /** Binds `params` (by number, from 1), steps to the end and frees the statement. */
  run(params: SqliteParam[]): StatementResult;
  free(): void;
}

function isReal(p: SqliteParam): p is { real: number } {
  return p !== null && typeof p === 'object' && !(p instanceof Uint8Array);
}

export class SqliteDatabase {
  private closed = false;
  private constructor(
    private readonly SQL: SqlJsStatic,
    private readonly db: Database,
    /** Where a file database's content goes (undefined: in memory). */
    private readonly file: SqliteFile | undefined,
  ) {}

  /** Whether the database lives in a file. */
  get inFile(): boolean {
    return this.file !== undefined;
  }

  /** Opens an in-memory database, or a file's database (created empty, as SQLite does, when there is none). */
  static async open(file?: SqliteFile): Promise<SqliteDatabase> {
    await SqliteDatabase.ready();
    const SQL = await load();
    let bytes: Uint8Array | undefined;
    if (file?.read !== undefined && fs.existsSync(file.read)) bytes = fs.readFileSync(file.read);
    let db: Database;
    try {
      db = new SQL.Database(bytes && bytes.length ? bytes : undefined);
    } catch (e) {
      throw new SqliteError((e as Error).message ?? String(e), 26);
    }
    // Bytes that are not a database fail on first use ("file is not a database"), as in SQLite.
    const out = new SqliteDatabase(SQL, db, file);
    if (file !== undefined && !bytes) out.persist();
    return out;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether a transaction is open (sqlite3_get_autocommit() is false): BEGIN fails inside one; outside, the empty BEGIN is rolled back at once. */
  inTransaction(): boolean {
    try {
      this.db.exec('BEGIN');
    } catch {
      return true;
    }
    this.db.exec('ROLLBACK');
    return false;
  }

  /**
   * Prepares the first statement of `sql` (SQLite's own parser; a SqliteError when it cannot): its
   * parameters (how many, each number's name: `:a` → ":a") and whether `sql` holds more than one
   * statement (text other than blanks and comments after the first). Run it once, or free it.
   */
  prepare(sql: string): PreparedStatement {
    this.check();
    let st: Statement;
    try {
      st = this.db.prepare(sql);
    } catch (e) {
      throw asSqliteError(e, this.SQL, this.db);
    }
    const ptr = stmtPointer(this.SQL, st);
    const own = this.SQL.UTF8ToString(this.SQL._sqlite3_sql(ptr));
    const at = sql.indexOf(own);
    const tail = at >= 0 ? sql.slice(at + own.length) : '';
    let count = 0;
    // sqlite3_bind_parameter_count() is not exported: binding past the last parameter is SQLITE_RANGE (25).
    while (this.SQL._sqlite3_bind_double(ptr, count + 1, 0) !== 25) count++;
    const more = tail.replace(/(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|;)+/g, '') !== '';
    let freed = false;
    const free = () => {
      if (!freed) st.free();
      freed = true;
    };
    return {
      count,
      names: statementParameters(own),
      more,
      free,
      run: (params) => {
        try {
          const values: SqlValue[] = params.map((p) => (isReal(p) ? p.real : p));
          st.bind(values);
          params.forEach((p, i) => {
            if (isReal(p)) this.SQL._sqlite3_bind_double(ptr, i + 1, p.real);
          });
          const rows: SqliteValue[][] = [];
          while (st.step()) rows.push(st.get(null, { useBigInt: true }) as SqliteValue[]);
          return { columns: st.getColumnNames(), rows, changes: this.db.getRowsModified() };
        } catch (e) {
          throw asSqliteError(e, this.SQL, this.db);
        } finally {
          free();
        }
      },
    };
  }

  /** Runs the first statement of `sql` with `params` (by number, from 1) to the end. */
  run(sql: string, params: SqliteParam[]): StatementResult {
    return this.prepare(sql).run(params);
  }

  /** Runs a script of statements without parameters (sqlite3_exec). */
  exec(script: string): void {
    this.check();
    try {
      this.db.exec(script);
    } catch (e) {
      throw asSqliteError(e, this.SQL, this.db);
    }
  }

  /** sqlite3_last_insert_rowid(). */
  lastInsertRowid(): bigint {
    return this.scalar('SELECT last_insert_rowid()');
  }
  /** sqlite3_total_changes(). */
  totalChanges(): bigint {
    return this.scalar('SELECT total_changes()');
  }
  private scalar(sql: string): bigint {
    this.check();
    const st = this.db.prepare(sql);
    try {
      st.step();
      return st.get(null, { useBigInt: true })[0] as bigint;
    } finally {
      st.free();
    }
  }

  /** Writes a file database's content back to its file (nothing for an in-memory one). */
  persist(): void {
    if (this.file === undefined || this.closed) return;
    fs.writeFileSync(this.file.write(), this.db.export());
  }

  /** Closes the database; an open transaction is rolled back (as sqlite3_close does). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private check(): void {
    if (this.closed) throw new SqliteError('Cannot operate on a closed database.', 21);
  }

  /** Loads the engine and locates its statement handle once (called before the first use in a process). */
  static async ready(): Promise<void> {
    const SQL = await load();
    if (stmtKey) return;
    const db = new SQL.Database();
    const probe = 'SELECT 1 AS sqlite_engine_probe';
    const st = db.prepare(probe);
    try {
      stmtPointer(SQL, st, probe);
    } finally {
      st.free();
      db.close();
    }
  }
}
