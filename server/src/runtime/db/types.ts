/**
 * The data layer's contract. Everything above it (the DataFlow semantics layer,
 * the seeder, the profiler) talks to a `Database` through these types only.
 *
 * Rules every backend honours:
 * - every value is a bound parameter ($1, $2, ...); SQL text never carries values;
 * - every statement is reported to the statement hooks (sql, params, duration, rows, tag);
 * - result values are normalised the same way on both backends (see valueParsers.ts).
 */

import type { SqlAttribution, SqlCommenter } from './sqlComment';
import type { FloatNumber } from '../python/floatNumber';

/**
 * The tag of a statement the runtime sends for its own bookkeeping, which production DataFlow does
 * not send (the unique indexes read before an Upsert): never counted in a profile.
 */
export const RUNTIME_INTERNAL_TAG = 'runtime:internal';

/** A value that may be bound to a $n placeholder (a FloatNumber: a whole Python float, sent as its number). */
export type SqlParam = null | boolean | number | bigint | string | Uint8Array | FloatNumber;

/** One result row, keyed by column name. */
export type Row = Record<string, unknown>;

export interface QueryResult {
  rows: Row[];
  /** Rows returned (SELECT / RETURNING) or affected (INSERT/UPDATE/DELETE without RETURNING). */
  rowCount: number;
  /** Command tag verb: SELECT, INSERT, UPDATE, DELETE, CREATE, ... */
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

export interface QueryOptions {
  /** Free-form label reported to statement hooks (e.g. the workflow node id). */
  tag?: string;
  /** Abort the statement (PostgreSQL: pg_cancel_backend; PGlite: only before it starts). */
  signal?: AbortSignal;
  /**
   * sqlcommenter attribution for this statement (workflow, node, file:line, ...). Used when no
   * commenter is installed on the database (see Database.setSqlCommenter), which decides otherwise.
   */
  attribution?: SqlAttribution;
  /**
   * The schema the statement's unqualified names resolve to, when not the working schema (a
   * DataFlow(":memory:") instance of its own; see scopedDatabase.ts). Set on the connection's
   * search_path before the statement, outside the statement hooks.
   */
  schema?: string;
}

/** Anything that runs one statement. */
export interface Queryable {
  query(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<QueryResult>;
}

/** A transaction pinned to one connection. */
export interface DbTransaction extends Queryable {
  readonly active: boolean;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export type BackendKind = 'pglite' | 'postgres';

/** What a statement hook receives after every statement (success or failure). */
export interface StatementEvent {
  sql: string;
  params: readonly SqlParam[];
  /** Wall time in milliseconds (includes waiting for PGlite's single connection). */
  durationMs: number;
  /** Milliseconds spent waiting for a connection / the PGlite lock before the statement ran. */
  waitMs: number;
  rowCount: number;
  command: string;
  tag?: string;
  backend: BackendKind;
  /** PostgreSQL backend pid (pg) or 0 (PGlite). */
  connectionId: number;
  inTransaction: boolean;
  error?: Error;
  startedAt: number;
  /**
   * The sqlcommenter comment appended to `sql` when it was sent (`sql` itself is the statement as
   * the caller built it, without the comment).
   */
  comment?: string;
}

export interface HookOptions {
  /** When true the statement's caller waits for the hook's promise (tests, fault injection). */
  awaitResult?: boolean;
}

export type StatementHook = (event: StatementEvent) => void | Promise<void>;

/** How the embedded database's data directory was first set up (a one-time cost, not a run's). */
export interface DatabasePreparation {
  how: 'seed' | 'initdb';
  ms: number;
}

export interface Database extends Queryable {
  readonly kind: BackendKind;
  /** True for the embedded PGlite database. Destructive-operation guards key off this. */
  readonly embedded: boolean;
  /** Human-readable target with any password removed. */
  readonly description: string;
  /** What the caller should know about how it was opened (e.g. the embedded data directory was in use, another was used). */
  readonly notes?: readonly string[];
  /** The one-time set-up of a fresh embedded data directory, handed out once (to the first run). */
  takePreparation?(): DatabasePreparation | undefined;
  /** The schema all unqualified names resolve to (search_path). */
  readonly schema: string;
  /** Start a transaction on one dedicated connection. */
  begin(options?: QueryOptions): Promise<DbTransaction>;
  /** Run several statements on one connection, each auto-committing. */
  withConnection<T>(fn: (conn: Queryable & { readonly connectionId: number }) => Promise<T>): Promise<T>;
  /** Register a statement hook; returns a function that removes it. */
  onStatement(hook: StatementHook, options?: HookOptions): () => void;
  /**
   * Install (or with undefined remove) the sqlcommenter that decides each statement's trailing
   * `/*key='value'*\/` comment. Returns a function restoring the previous commenter.
   */
  setSqlCommenter?(commenter: SqlCommenter | undefined): () => void;
  /** Drop and recreate the working schema (all tables gone). */
  resetSchema(): Promise<void>;
  close(): Promise<void>;
}
