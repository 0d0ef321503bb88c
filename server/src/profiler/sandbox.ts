/**
 * Where the profiler may change things: inside a transaction that is always rolled back, with
 * the profiler's tag on every statement. On the embedded database the id sequences of the given
 * tables are restored afterwards too (sequences are not transactional); on a user database they
 * are left alone (another session may be using them) and the caller says so.
 */
import { quoteIdent } from '../runtime/db/quoteIdent';
import { PROFILER_TAG } from '../runtime/db/sqlComment';
import type { Database, DbTransaction, QueryResult, SqlParam } from '../runtime/db/types';
import { throwIfAborted } from './util';

export interface SandboxOptions {
  signal?: AbortSignal;
  /** Tables whose serial id sequences are restored after the rollback (embedded database only). */
  restoreSequencesOf?: string[];
  /** SET LOCAL lock_timeout / statement_timeout inside the transaction (ms). */
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
}

export interface SandboxTx {
  tx: DbTransaction;
  q(sql: string, params?: readonly SqlParam[]): Promise<QueryResult>;
}

/** The profiler's own statement outside a transaction. */
export function profilerQuery(db: Database, sql: string, params: readonly SqlParam[] = [], signal?: AbortSignal): Promise<QueryResult> {
  return db.query(sql, params, { tag: PROFILER_TAG, signal });
}

interface SeqState {
  seq: string;
  lastValue: string;
  isCalled: boolean;
}

async function sequenceStates(db: Database, tables: string[], signal?: AbortSignal): Promise<SeqState[]> {
  const out: SeqState[] = [];
  for (const t of tables) {
    const r = await profilerQuery(db, `SELECT pg_get_serial_sequence($1, 'id') AS seq`, [quoteIdent(t)], signal).catch(() => undefined);
    const seq = r?.rows[0]?.seq;
    if (typeof seq !== 'string') continue;
    const s = await profilerQuery(db, `SELECT last_value::text AS last_value, is_called FROM ${seq}`, [], signal);
    out.push({ seq, lastValue: String(s.rows[0].last_value), isCalled: s.rows[0].is_called === true });
  }
  return out;
}

/** Run `fn` in a transaction that is rolled back whatever happens. Returns fn's value. */
export async function inRolledBackTransaction<T>(db: Database, fn: (s: SandboxTx) => Promise<T>, options: SandboxOptions = {}): Promise<T> {
  throwIfAborted(options.signal);
  const seqs = db.embedded && options.restoreSequencesOf?.length ? await sequenceStates(db, options.restoreSequencesOf, options.signal) : [];
  const tx = await db.begin({ tag: PROFILER_TAG, signal: options.signal });
  const q = (sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> => tx.query(sql, params, { tag: PROFILER_TAG, signal: options.signal });
  try {
    if (options.lockTimeoutMs) await q(`SET LOCAL lock_timeout = ${Math.floor(options.lockTimeoutMs)}`);
    if (options.statementTimeoutMs) await q(`SET LOCAL statement_timeout = ${Math.floor(options.statementTimeoutMs)}`);
    return await fn({ tx, q });
  } finally {
    if (tx.active) await tx.rollback().catch(() => undefined);
    for (const s of seqs) {
      await profilerQuery(db, 'SELECT setval($1::regclass, $2::bigint, $3)', [s.seq, s.lastValue, s.isCalled]).catch(() => undefined);
    }
  }
}
