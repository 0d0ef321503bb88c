import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { quoteIdent } from './quoteIdent';
import { LOCK_FILE, acquireDataDir, type DataDirLease } from './dataDirLock';
import { QueryCancelledError, SerialLock } from './serialLock';
import { StatementHooks, commandOf } from './statementHooks';
import type { SqlCommenter } from './sqlComment';
import { prepareParam, textParsers } from './valueParsers';
import { findPgliteSeed } from './pgliteSeed';
import type {
  Database,
  DatabasePreparation,
  DbTransaction,
  HookOptions,
  QueryOptions,
  QueryResult,
  Queryable,
  SqlParam,
  StatementHook,
} from './types';

export interface PgliteOpenOptions {
  /**
   * A directory for the data files. A fresh directory is filled from the bundled seed
   * (pgliteSeed.ts, ~1 s) or, without one, initialised by PGlite (~2-10 s); reopening an existing
   * one takes ~0.3-1.5 s. Omit for a purely in-memory database.
   */
  dataDir?: string;
  /** The seed for a fresh data directory (default: the bundled one, if any; null: none, initdb). */
  seed?: string | null;
  /** Working schema (created if missing, set as search_path). Default "dataflow". */
  schema?: string;
  /**
   * Take the data directory's lock (default true): when another live process holds it, a sibling
   * directory (`<dir>-2`, …) or a fresh temporary one is used and `notes` says so.
   */
  lock?: boolean;
}

/**
 * A fresh data directory: filled from the seed when there is one (and, should loading it fail,
 * emptied again and initialised by PGlite), else initialised by PGlite. Says how and how long.
 */
async function createFresh(dir: string, seed: string | undefined): Promise<{ pg: PGlite; preparation: DatabasePreparation }> {
  const started = Date.now();
  if (seed) {
    let pg: PGlite | undefined;
    try {
      pg = await PGlite.create(dir, { loadDataDir: new Blob([fs.readFileSync(seed)]) });
      await pg.query('SELECT 1');
      return { pg, preparation: { how: 'seed', ms: Date.now() - started } };
    } catch {
      await pg?.close().catch(() => undefined);
      for (const f of fs.readdirSync(dir)) if (f !== LOCK_FILE) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    }
  }
  const pg = await PGlite.create(dir);
  return { pg, preparation: { how: 'initdb', ms: Date.now() - started } };
}

/** Renames a data directory PGlite cannot open to `<dir>.broken-<time>` (a free name) and returns it. */
function setAsideBrokenDataDir(dir: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let kept = `${dir}.broken-${stamp}`;
  for (let i = 2; fs.existsSync(kept); i++) kept = `${dir}.broken-${stamp}-${i}`;
  fs.renameSync(dir, kept);
  fs.rmSync(path.join(kept, LOCK_FILE), { force: true });
  return kept;
}

/**
 * The embedded database. PGlite is single-connection: every statement and every transaction
 * takes the lock in turn. A transaction holds the lock from BEGIN to COMMIT/ROLLBACK, so code
 * inside a transaction must use the transaction object (never the database) or it would wait forever.
 * Note: COPY through PGlite's node-postgres adapter crashes PGlite; this class uses PGlite's own
 * query API only.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly embedded = true;
  readonly description: string;
  private readonly lock = new SerialLock();
  /** The search_path of PGlite's single connection. */
  private activeSchema: string;
  private readonly hooks = new StatementHooks();
  private closed = false;
  /** What the caller should know about how the database was opened (e.g. another data directory was used). */
  readonly notes: string[] = [];
  private lease: DataDirLease | undefined;
  /** How a fresh data directory was set up, until a run takes it (takePreparation). */
  private preparation: DatabasePreparation | undefined;

  takePreparation(): DatabasePreparation | undefined {
    const p = this.preparation;
    this.preparation = undefined;
    return p;
  }

  private constructor(
    private readonly pg: PGlite,
    readonly schema: string,
    dataDir: string | undefined,
  ) {
    this.description = dataDir ? `PGlite (embedded, ${dataDir})` : 'PGlite (embedded, in memory)';
    this.activeSchema = schema;
  }

  /** Points the connection's search_path at `schema` (default: the working schema) if it is elsewhere. Call holding the lock. */
  private async useSchema(schema: string | undefined): Promise<void> {
    const s = schema ?? this.schema;
    if (s === this.activeSchema) return;
    await this.raw(`SET search_path TO ${quoteIdent(s)}`, []);
    this.activeSchema = s;
  }

  static async open(options: PgliteOpenOptions = {}): Promise<PgliteDatabase> {
    const schema = options.schema ?? 'dataflow';
    let pg: PGlite;
    let lease: DataDirLease | undefined;
    let dataDir = options.dataDir;
    let recovered: string | undefined;
    let preparation: DatabasePreparation | undefined;
    if (dataDir) {
      let dir = path.resolve(dataDir);
      if (options.lock !== false) {
        lease = acquireDataDir(dir);
        dir = dataDir = lease.dir;
      }
      fs.mkdirSync(dir, { recursive: true });
      try {
        if (PgliteDatabase.hasDataDir(dir)) pg = await PGlite.create(dir);
        else ({ pg, preparation } = await createFresh(dir, options.seed === undefined ? findPgliteSeed() : options.seed ?? undefined));
      } catch (e) {
        if (!PgliteDatabase.hasDataDir(dir)) {
          lease?.release();
          throw e;
        }
        // A data directory PGlite cannot start from (a process killed mid-checkpoint, files removed
        // by hand, an older layout): keep it aside, untouched, and start a fresh one in its place.
        const brokenDir = dir;
        const kept = setAsideBrokenDataDir(brokenDir);
        lease?.release();
        if (options.lock !== false) {
          lease = acquireDataDir(dir);
          dir = dataDir = lease.dir;
        }
        fs.mkdirSync(dir, { recursive: true });
        try {
          ({ pg, preparation } = await createFresh(dir, options.seed === undefined ? findPgliteSeed() : options.seed ?? undefined));
        } catch (again) {
          lease?.release();
          throw new Error(`the embedded database could not be started in ${dir}: ${(again as Error).message}`, { cause: again });
        }
        recovered = `the embedded database at ${brokenDir} could not be opened (PGlite: ${String((e as Error).message).split('\n')[0]}); it was kept, untouched, at ${kept} and this run uses a fresh one (tables from earlier runs are in the kept copy)`;
      }
    } else {
      pg = await PGlite.create();
    }
    const db = new PgliteDatabase(pg, schema, dataDir);
    db.lease = lease;
    db.preparation = preparation;
    if (lease?.note) db.notes.push(lease.note);
    if (recovered) db.notes.push(recovered);
    await db.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`, []);
    await db.raw(`SET search_path TO ${quoteIdent(schema)}`, []);
    return db;
  }

  /** The PGlite instance itself (to serve it on a loopback port for another process: pythonProfile). */
  get engine(): PGlite {
    return this.pg;
  }

  /** True when `dir` already holds a PGlite data directory (reopening it is the fast path). */
  static hasDataDir(dir: string): boolean {
    return fs.existsSync(path.join(dir, 'PG_VERSION'));
  }

  onStatement(hook: StatementHook, options?: HookOptions): () => void {
    return this.hooks.add(hook, options);
  }

  setSqlCommenter(commenter: SqlCommenter | undefined): () => void {
    return this.hooks.setCommenter(commenter);
  }

  async query(sql: string, params: readonly SqlParam[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    this.assertOpen();
    const queued = performance.now();
    const release = await this.lock.acquire(options.signal);
    const waitMs = performance.now() - queued;
    try {
      await this.useSchema(options.schema);
      return await this.run(sql, params, options, waitMs, false);
    } finally {
      release();
    }
  }

  async withConnection<T>(fn: (conn: Queryable & { readonly connectionId: number }) => Promise<T>): Promise<T> {
    // A single connection: each statement takes the lock itself, so the callback may interleave
    // with nothing else only as far as the lock allows. That matches "one connection, auto-commit".
    return fn({ connectionId: 0, query: (sql, params, opts) => this.query(sql, params, opts) });
  }

  async begin(options: QueryOptions = {}): Promise<DbTransaction> {
    this.assertOpen();
    const queued = performance.now();
    const release = await this.lock.acquire(options.signal);
    const waitMs = performance.now() - queued;
    try {
      await this.useSchema(options.schema);
      await this.run('BEGIN', [], options, waitMs, true);
    } catch (e) {
      release();
      throw e;
    }
    let active = true;
    const finish = async (verb: 'COMMIT' | 'ROLLBACK'): Promise<void> => {
      if (!active) return;
      active = false;
      try {
        await this.run(verb, [], { tag: options.tag, attribution: options.attribution }, 0, true); // never cancelled: a transaction must end
      } finally {
        release();
      }
    };
    return {
      get active() {
        return active;
      },
      query: (sql, params = [], opts = {}) => {
        if (!active) return Promise.reject(new Error('transaction is no longer active'));
        return this.run(sql, params, opts, 0, true);
      },
      commit: () => finish('COMMIT'),
      rollback: () => finish('ROLLBACK'),
    };
  }

  async resetSchema(): Promise<void> {
    const s = quoteIdent(this.schema);
    await this.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await this.query(`CREATE SCHEMA ${s}`);
    await this.query(`SET search_path TO ${s}`);
    this.activeSchema = this.schema;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const release = await this.lock.acquire();
    try {
      await this.pg.close();
    } finally {
      release();
      this.lease?.release();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the embedded database is closed');
  }

  private async raw(sql: string, params: readonly SqlParam[]): Promise<void> {
    await this.pg.query(sql, params.map(prepareParam) as unknown[], { parsers: textParsers });
  }

  private async run(
    sql: string,
    params: readonly SqlParam[],
    options: QueryOptions,
    waitMs: number,
    inTransaction: boolean,
  ): Promise<QueryResult> {
    if (options.signal?.aborted) {
      throw new QueryCancelledError('statement cancelled before it started');
    }
    const sent = this.hooks.decorate(sql, options);
    const started = Date.now();
    const t0 = performance.now();
    let result: QueryResult | undefined;
    let error: Error | undefined;
    try {
      const r = await this.pg.query<Record<string, unknown>>(sent.text, params.map(prepareParam) as unknown[], {
        parsers: textParsers,
      });
      const command = r.command ?? commandOf(sql);
      const rowCount = r.rows.length > 0 ? r.rows.length : r.rowCount ?? r.affectedRows ?? 0;
      result = { rows: r.rows, rowCount, command, fields: r.fields };
      return result;
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
      throw error;
    } finally {
      await this.hooks.emit({
        sql,
        params,
        durationMs: performance.now() - t0 + waitMs,
        waitMs,
        rowCount: result?.rowCount ?? 0,
        command: result?.command ?? commandOf(sql),
        tag: options.tag,
        backend: 'pglite',
        connectionId: 0,
        inTransaction,
        error,
        startedAt: started,
        comment: sent.comment,
      });
    }
  }
}
