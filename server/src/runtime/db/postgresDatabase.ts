import * as os from 'node:os';
import { Client, Pool, types as pgTypes, type PoolClient } from 'pg';
import { quoteIdent } from './quoteIdent';
import { redactUrl } from './redactUrl';
import { QueryCancelledError } from './serialLock';
import { StatementHooks, commandOf } from './statementHooks';
import type { SqlCommenter } from './sqlComment';
import { resolvePoolSettings, type PoolSettingsInput, type ResolvedPool } from './poolSettings';
import { prepareParam, textParsers } from './valueParsers';
import type {
  Database,
  DbTransaction,
  HookOptions,
  QueryOptions,
  QueryResult,
  Queryable,
  SqlParam,
  StatementHook,
} from './types';

export interface PostgresOpenOptions extends PoolSettingsInput {
  url: string;
  /** Working schema; created if missing and set as each connection's search_path. Default "public". */
  schema?: string;
  /** Overrides the pool max computed from pool_size + pool_max_overflow. */
  poolMax?: number;
  env?: Record<string, string | undefined>;
  /** Milliseconds to wait for the first connection. Default 5000. */
  connectTimeoutMs?: number;
}

const STATEMENT_TIMEOUT_MS = 60_000; // what AsyncSQLDatabaseNode sets per connection (§1.6)
const IDLE_IN_TX_TIMEOUT_MS = 30_000;

const typeParser = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (format === 'binary') return (v: string) => v;
    const p = textParsers[oid];
    if (p) return p;
    // bytea and anything else: pg's defaults
    return pgTypes.getTypeParser(oid, 'text') as (value: string) => unknown;
  },
};

/**
 * A real PostgreSQL through pg.Pool. Every connection gets statement_timeout 60 s and
 * idle_in_transaction_session_timeout 30 s (what DataFlow's SQL node sets) and the working
 * search_path. Cancellation uses pg_cancel_backend from a separate short-lived connection.
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly embedded = false;
  readonly description: string;
  private readonly hooks = new StatementHooks();
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    readonly schema: string,
    readonly poolSettings: ResolvedPool,
  ) {
    this.description = `PostgreSQL ${redactUrl(url)} (pool max ${poolSettings.max})`;
  }

  static async open(options: PostgresOpenOptions): Promise<PostgresDatabase> {
    const schema = options.schema ?? 'public';
    const connectTimeout = options.connectTimeoutMs ?? 5000;
    let maxConnections: number | undefined;
    const needsProbe =
      (options.poolSize === undefined || options.poolSize === null) &&
      !(options.env ?? process.env).DATAFLOW_POOL_SIZE;
    // Probe reachability (and max_connections for DataFlow's auto pool size) on one client.
    const probe = new Client({ connectionString: options.url, connectionTimeoutMillis: connectTimeout });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if (needsProbe) {
        const r = await probe.query<{ max_connections: string }>('SHOW max_connections');
        maxConnections = Number(r.rows[0]?.max_connections);
      }
      await probe.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await probe.end().catch(() => undefined);
    }
    const resolved = resolvePoolSettings(options, {
      env: options.env ?? process.env,
      cpuCount: os.cpus().length,
      maxConnections,
    });
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolMax ?? resolved.max,
      connectionTimeoutMillis: connectTimeout,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TX_TIMEOUT_MS,
      types: typeParser,
    });
    pool.on('error', () => undefined); // an idle client died (e.g. pg_terminate_backend): pool drops it
    pool.on('connect', (client) => {
      client.query(`SET search_path TO ${quoteIdent(schema)}`).catch(() => undefined);
    });
    return new PostgresDatabase(pool, options.url, schema, resolved);
  }

  onStatement(hook: StatementHook, options?: HookOptions): () => void {
    return this.hooks.add(hook, options);
  }

  setSqlCommenter(commenter: SqlCommenter | undefined): () => void {
    return this.hooks.setCommenter(commenter);
  }

  async query(sql: string, params: readonly SqlParam[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    return this.withClient(options, async (client, waitMs) => {
      await this.useSchema(client, options.schema);
      return this.run(client, sql, params, options, waitMs, false);
    });
  }

  /**
   * Connections a cancel was sent for (pg_cancel_backend, from another connection). It may land
   * after its statement ended, on whatever the backend runs then: the connection's next statement
   * waits until it was sent (a cancel that finds the backend idle is ignored), and the connection
   * is not given back to the pool but closed (a test's next schema reset was cancelled so).
   */
  private readonly cancels = new WeakMap<PoolClient, Promise<void>>();

  /** Why `client` must be closed rather than pooled: a cancel was sent for one of its statements (waited for). */
  private async cancelledOn(client: PoolClient): Promise<Error | undefined> {
    const cancel = this.cancels.get(client);
    if (!cancel) return undefined;
    await cancel;
    return new Error('a statement on this connection was cancelled');
  }

  /** Each pooled connection's search_path, when a statement moved it off the working schema. */
  private readonly clientSchemas = new WeakMap<PoolClient, string>();

  /** Points the connection's search_path at `schema` (default: the working schema) if it is elsewhere. */
  private async useSchema(client: PoolClient, schema: string | undefined): Promise<void> {
    const s = schema ?? this.schema;
    if ((this.clientSchemas.get(client) ?? this.schema) === s) return;
    await client.query(`SET search_path TO ${quoteIdent(s)}`);
    this.clientSchemas.set(client, s);
  }

  async withConnection<T>(fn: (conn: Queryable & { readonly connectionId: number }) => Promise<T>): Promise<T> {
    return this.withClient({}, (client) =>
      fn({
        connectionId: pidOf(client),
        query: async (sql, params = [], opts = {}) => {
          await this.useSchema(client, opts.schema);
          return this.run(client, sql, params, opts, 0, false);
        },
      }),
    );
  }

  async begin(options: QueryOptions = {}): Promise<DbTransaction> {
    this.assertOpen();
    const queued = performance.now();
    const client = await this.pool.connect();
    const waitMs = performance.now() - queued;
    let broken: Error | undefined;
    const onError = (e: Error): void => {
      broken = e;
    };
    client.on('error', onError);
    try {
      await this.useSchema(client, options.schema);
      await this.run(client, 'BEGIN', [], options, waitMs, true);
    } catch (e) {
      client.removeListener('error', onError);
      await this.cancelledOn(client);
      client.release(e instanceof Error ? e : true);
      throw e;
    }
    let active = true;
    const finish = async (verb: 'COMMIT' | 'ROLLBACK'): Promise<void> => {
      if (!active) return;
      active = false;
      try {
        await this.run(client, verb, [], { tag: options.tag, attribution: options.attribution }, 0, true); // never cancelled: a transaction must end
      } catch (e) {
        broken = broken ?? (e instanceof Error ? e : new Error(String(e)));
        throw e;
      } finally {
        client.removeListener('error', onError);
        broken ??= await this.cancelledOn(client);
        client.release(broken ?? undefined);
      }
    };
    return {
      get active() {
        return active;
      },
      query: (sql, params = [], opts = {}) => {
        if (!active) return Promise.reject(new Error('transaction is no longer active'));
        return this.run(client, sql, params, opts, 0, true);
      },
      commit: () => finish('COMMIT'),
      rollback: () => finish('ROLLBACK'),
    };
  }

  /**
   * Runs `fn` on a second pool to the same database and schema with `max` connections (the pool
   * what-if's replay), `warm` of them opened first so connecting is not counted as waiting; closed after.
   */
  async withPool<T>(max: number, warm: number, fn: (db: PostgresDatabase) => Promise<T>): Promise<T> {
    this.assertOpen();
    const other = await PostgresDatabase.open({ url: this.url, schema: this.schema, poolMax: max, poolSize: this.poolSettings.poolSize, poolMaxOverflow: this.poolSettings.maxOverflow });
    try {
      const held = await Promise.all(Array.from({ length: Math.max(0, Math.min(warm, max)) }, () => other.pool.connect()));
      for (const c of held) c.release();
      return await fn(other);
    } finally {
      await other.close();
    }
  }

  async resetSchema(): Promise<void> {
    const s = quoteIdent(this.schema);
    await this.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await this.query(`CREATE SCHEMA ${s}`);
  }

  /** Drop the working schema (test clean-up) — never "public". */
  async dropSchema(): Promise<void> {
    if (this.schema === 'public') throw new Error('refusing to drop the public schema');
    await this.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the database pool is closed');
  }

  private async withClient<T>(options: QueryOptions, fn: (client: PoolClient, waitMs: number) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (options.signal?.aborted) throw new QueryCancelledError('statement cancelled before it started');
    const queued = performance.now();
    const client = await this.pool.connect();
    const waitMs = performance.now() - queued;
    let broken: Error | undefined;
    const onError = (e: Error): void => {
      broken = e;
    };
    client.on('error', onError);
    try {
      return await fn(client, waitMs);
    } catch (e) {
      if (isConnectionError(e)) broken = broken ?? (e as Error);
      throw e;
    } finally {
      client.removeListener('error', onError);
      broken ??= await this.cancelledOn(client);
      client.release(broken ?? undefined);
    }
  }

  private async run(
    client: PoolClient,
    sql: string,
    params: readonly SqlParam[],
    options: QueryOptions,
    waitMs: number,
    inTransaction: boolean,
  ): Promise<QueryResult> {
    // A cancel sent for this connection's previous statement (a transaction's) is delivered before this one starts.
    const cancelled = this.cancels.get(client);
    if (cancelled) await cancelled;
    const sent = this.hooks.decorate(sql, options);
    const started = Date.now();
    const t0 = performance.now();
    let result: QueryResult | undefined;
    let error: Error | undefined;
    const pid = pidOf(client);
    const onAbort = (): void => {
      this.cancels.set(client, this.cancelBackend(pid));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (options.signal?.aborted) throw new QueryCancelledError('statement cancelled before it started');
      const r = await client.query({ text: sent.text, values: params.map(prepareParam) as unknown[] });
      const rows = (r.rows ?? []) as Record<string, unknown>[];
      result = {
        rows,
        rowCount: rows.length > 0 ? rows.length : r.rowCount ?? 0,
        command: r.command ?? commandOf(sql),
        fields: (r.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      };
      return result;
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await this.hooks.emit({
        sql,
        params,
        durationMs: performance.now() - t0 + waitMs,
        waitMs,
        rowCount: result?.rowCount ?? 0,
        command: result?.command ?? commandOf(sql),
        tag: options.tag,
        backend: 'postgres',
        connectionId: pid,
        inTransaction,
        error,
        startedAt: started,
        comment: sent.comment,
      });
    }
  }

  private async cancelBackend(pid: number): Promise<void> {
    if (!pid) return;
    const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // best effort
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

function pidOf(client: PoolClient): number {
  return (client as unknown as { processID?: number }).processID ?? 0;
}

function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: string }).code;
  return (
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '08006' ||
    code === '08003' ||
    /Connection terminated|not queryable|ECONNRESET|EPIPE/i.test(e.message)
  );
}
