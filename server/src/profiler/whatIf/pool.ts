/**
 * Pool what-if. LocalRuntime runs nodes one at a time, so a run's peak demand is 1 and a bigger
 * pool changes nothing. AsyncLocalRuntime runs each level's nodes at the same time (up to
 * max_concurrent_nodes, kailash/runtime/async_local.py:1296, :1650), so its wide levels (two nodes
 * or more) are where the pool matters:
 * - on PostgreSQL they are replayed, measured, on a pool of the current size and on one of the
 *   recommended size (each node's statements in the order it sent them, on a connection of its own,
 *   at most max_concurrent_nodes nodes at a time; a node that wrote does so in a transaction that is
 *   rolled back), and the connection waits of both are reported;
 * - on the embedded database (one connection) the level is simulated from the run's measured
 *   per-node times, and the recommendation says "simulated".
 */
import type { Database } from '../../runtime/db/types';
import { PostgresDatabase } from '../../runtime/db/postgresDatabase';
import type { Recommendation } from '../../report/reportTypes';
import type { RunTrack } from '../attribution';
import type { ReplayStatement } from '../statementCollector';
import { Semaphore } from '../../runtime/workflow/concurrentLevel';
import { round, throwIfAborted } from '../util';

export interface PoolInfo {
  size: number;
  maxOverflow: number;
  peakConnections: number;
  waitMs: number;
}

export function poolOf(db: Database): { size: number; maxOverflow: number } {
  const s = (db as { poolSettings?: { poolSize: number; maxOverflow: number } }).poolSettings;
  if (s) return { size: s.poolSize, maxOverflow: s.maxOverflow };
  return { size: 1, maxOverflow: 0 }; // PGlite: one connection
}

/** One node of a wide level: its measured time, its wait for a connection, its statements. */
export interface LevelNode {
  id: string;
  ms: number;
  waitMs: number;
  /** Milliseconds its statements ran (a connection held), from the collector; else `ms - waitMs` is used. */
  holdMs?: number;
  statements?: ReplayStatement[];
}

/** A level of an AsyncLocalRuntime run whose nodes ran concurrently. */
export interface WideLevel {
  run: number;
  level: number;
  maxConcurrent: number;
  nodes: LevelNode[];
}

/** The levels of AsyncLocalRuntime runs with two nodes or more, in run order, nodes in start order. */
export function wideLevels(runs: RunTrack[], replayable?: Map<string, ReplayStatement[]>, byNode?: Map<string, { sqlMs: number; waitMs: number }>): WideLevel[] {
  const out: WideLevel[] = [];
  for (const run of runs) {
    if (run.maxConcurrentNodes === undefined) continue;
    const byLevel = new Map<number, LevelNode[]>();
    for (const n of run.nodes) {
      if (n.level === undefined || n.skipped) continue;
      let list = byLevel.get(n.level);
      if (!list) byLevel.set(n.level, (list = []));
      const agg = byNode?.get(`${run.index}|${n.id}`);
      list.push({ id: n.id, ms: n.ms, waitMs: n.waitMs ?? 0, holdMs: agg ? Math.max(0, agg.sqlMs - agg.waitMs) : undefined, statements: replayable?.get(`${run.index}|${n.id}`) });
    }
    for (const [level, nodes] of byLevel) {
      if (nodes.length >= 2) out.push({ run: run.index, level, maxConcurrent: run.maxConcurrentNodes, nodes });
    }
  }
  return out;
}

/**
 * A level as `connections` connections would serve it: nodes admitted in start order by a
 * semaphore of `maxConcurrent`, each holding one connection for its statements' time (`holdMs`,
 * else its time without waits, `ms - waitMs`), FIFO. Returns the total wait for a connection and the level's duration.
 */
export function simulateLevel(nodes: Pick<LevelNode, 'ms' | 'waitMs' | 'holdMs'>[], connections: number, maxConcurrent: number): { waitMs: number; wallMs: number } {
  const service = nodes.map((n) => n.holdMs ?? Math.max(0, n.ms - n.waitMs));
  const free = Array.from({ length: Math.max(1, connections) }, () => 0);
  const finishes: number[] = [];
  let waitMs = 0;
  let wallMs = 0;
  for (let i = 0; i < service.length; i++) {
    // a semaphore slot frees when an earlier node finishes (the (i - maxConcurrent)-th to finish)
    const done = [...finishes].sort((a, b) => a - b);
    const admitted = i < maxConcurrent ? 0 : done[i - maxConcurrent];
    let k = 0;
    for (let j = 1; j < free.length; j++) if (free[j] < free[k]) k = j;
    const start = Math.max(admitted, free[k]);
    waitMs += start - admitted;
    const end = start + service[i];
    free[k] = end;
    finishes.push(end);
    wallMs = Math.max(wallMs, end);
  }
  return { waitMs, wallMs };
}

export interface ReplayResult {
  waitMs: number;
  wallMs: number;
  statements: number;
  errors: number;
  /** Nodes left out: no statement (a cache hit), one in a transaction, or parameters not kept. */
  skippedNodes: number;
}

/**
 * Replays the levels on `db` (a pool of the size being measured): per level, the nodes at most
 * `maxConcurrent` at a time, each node's statements in order; a node whose statements are all
 * SELECTs sends each on a pooled connection of its own as the run did, a node that wrote runs in a
 * transaction that is rolled back. The wait is each connection checkout's, from the pool's statement events.
 */
export async function replayLevels(db: PostgresDatabase, levels: WideLevel[], signal?: AbortSignal): Promise<ReplayResult> {
  const out: ReplayResult = { waitMs: 0, wallMs: 0, statements: 0, errors: 0, skippedNodes: 0 };
  const off = db.onStatement((e) => {
    out.waitMs += e.waitMs;
  });
  try {
    for (const level of levels) {
      throwIfAborted(signal);
      const semaphore = new Semaphore(level.maxConcurrent);
      const t0 = performance.now();
      await Promise.all(
        level.nodes.map(async (node) => {
          const statements = node.statements ?? [];
          if (!statements.length || statements.some((s) => s.inTransaction || s.params === undefined || s.kind === 'transaction')) {
            out.skippedNodes++;
            return;
          }
          const release = await semaphore.acquire();
          try {
            if (statements.every((s) => s.kind === 'select')) {
              for (const s of statements) {
                out.statements++;
                await db.query(s.sql, s.params, { tag: 'dataflow:profiler', signal }).catch(() => void out.errors++);
              }
              return;
            }
            const tx = await db.begin({ tag: 'dataflow:profiler', signal });
            try {
              for (const [i, s] of statements.entries()) {
                out.statements++;
                // a failing statement (a key the run itself created) must not end the transaction's replay
                await tx.query(`SAVEPOINT df_pool_${i}`, [], { tag: 'dataflow:profiler' });
                await tx.query(s.sql, s.params, { tag: 'dataflow:profiler', signal }).catch(async () => {
                  out.errors++;
                  await tx.query(`ROLLBACK TO SAVEPOINT df_pool_${i}`, [], { tag: 'dataflow:profiler' });
                });
              }
            } finally {
              await tx.rollback();
            }
          } finally {
            release();
          }
        }),
      );
      out.wallMs += performance.now() - t0;
    }
  } finally {
    off();
  }
  return out;
}

export interface PoolWhatIfInput {
  db: Database;
  peak: number;
  waitMs: number;
  statements: number;
  recommendedSize: number;
  recommendedOverflow: number;
  location?: { file: string; line: number; column?: number };
  fallbackFile: string;
  /** The DataFlow settings' pool_size / pool_max_overflow (what the user wrote). */
  configured?: { poolSize: number | null; poolMaxOverflow: number | null };
  /** The runs (AsyncLocalRuntime's carry maxConcurrentNodes and their nodes' levels). */
  runs?: RunTrack[];
  /** The collector's per-node statements (StatementCollector.replayable). */
  replayable?: Map<string, ReplayStatement[]>;
  /** The collector's per-node totals (StatementCollector.byNode): statement time and wait. */
  byNode?: Map<string, { sqlMs: number; waitMs: number }>;
  signal?: AbortSignal;
  /** Replay the levels on PostgreSQL (false: simulate them, as on the embedded database). Default true. */
  replay?: boolean;
  /** Replays (PostgreSQL) per pool size; the lowest wait of each is kept. Default 1. */
  replays?: number;
}

/** At most this many wide levels (the widest) are replayed or simulated. */
const MAX_LEVELS = 5;

export async function poolWhatIf(i: PoolWhatIfInput): Promise<Omit<Recommendation, 'id'> | undefined> {
  const pool = poolOf(i.db);
  const max = pool.size + pool.maxOverflow;
  const recommendedMax = i.recommendedSize + i.recommendedOverflow;
  const loc = i.location ?? { file: i.fallbackFile, line: 1 };
  const base = {
    rule: 'small-pool' as const,
    code: 'DF004',
    title: `Connection pool: peak demand ${i.peak} of ${max}`,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    nodeIds: [] as string[],
  };
  const levels = wideLevels(i.runs ?? [], i.replayable, i.byNode)
    .sort((a, b) => b.nodes.length - a.nodes.length)
    .slice(0, MAX_LEVELS);
  if (levels.length) return levelWhatIf(i, levels, base, max, recommendedMax);

  const configuredSmall =
    i.configured?.poolSize !== null && i.configured?.poolSize !== undefined && i.configured.poolSize < i.recommendedSize;
  // PGlite is one connection (its "wait" is the lock): pool size is moot there
  const waited = !i.db.embedded && i.waitMs > 0;
  if (!configuredSmall && !waited) return undefined;
  const before = {
    description: `${i.db.embedded ? 'embedded database (one connection)' : `pool ${pool.size} + ${pool.maxOverflow} overflow`}: peak ${i.peak} concurrent statement(s), ${round(i.waitMs, 1)} ms waiting for a connection over ${i.statements} statements`,
    ms: round(i.waitMs),
  };
  if (waited && i.peak >= max) {
    return {
      ...base,
      before,
      after: { description: `pool ${i.recommendedSize} + ${i.recommendedOverflow}: not re-run (no AsyncLocalRuntime level ran nodes concurrently, so there is no parallel part to replay)` },
      verdict: 'unverified',
      detail: `The run waited ${round(i.waitMs, 1)} ms for connections with all ${max} in use; a pool of ${i.recommendedSize} + ${i.recommendedOverflow} may remove that wait.`,
    };
  }
  return {
    ...base,
    before,
    after: { description: `pool ${i.recommendedSize} + ${i.recommendedOverflow}: same peak demand (${i.peak}); nothing to gain in this run` },
    verdict: 'not-worth-it',
    detail: `This run never needed more than ${i.peak} connection(s) at once${i.waitMs > 0 ? ` and waited only ${round(i.waitMs, 1)} ms` : ' and never waited for one'}: LocalRuntime runs nodes one at a time (AsyncLocalRuntime runs a level's nodes concurrently; no level here had two), so a larger pool would not change it. (DataFlow 2.20's own node pool is asyncpg max 20 whatever pool_size says.)`,
  };
}

type Base = Omit<Recommendation, 'id' | 'before' | 'after' | 'verdict' | 'detail'>;

/** "3 levels (12, 11, 2 nodes; max_concurrent_nodes 10)". */
function describeLevels(levels: WideLevel[]): string {
  const mc = [...new Set(levels.map((l) => l.maxConcurrent))].join('/');
  return `${levels.length} AsyncLocalRuntime level(s) of ${levels.map((l) => l.nodes.length).join(', ')} concurrent nodes (max_concurrent_nodes ${mc})`;
}

async function levelWhatIf(i: PoolWhatIfInput, levels: WideLevel[], base: Base, max: number, recommendedMax: number): Promise<Omit<Recommendation, 'id'>> {
  const nodeIds = [...new Set(levels.flatMap((l) => l.nodes.map((n) => n.id)))].slice(0, 50);
  const measuredWait = levels.reduce((s, l) => s + l.nodes.reduce((t, n) => t + n.waitMs, 0), 0);
  const what = describeLevels(levels);
  const recommended = `pool ${i.recommendedSize} + ${i.recommendedOverflow}`;
  if (i.db instanceof PostgresDatabase && i.replay !== false) {
    const need = Math.max(...levels.map((l) => Math.min(l.maxConcurrent, l.nodes.length)));
    const measure = async (size: number): Promise<ReplayResult> => {
      let best: ReplayResult | undefined;
      for (let k = 0; k < Math.max(1, i.replays ?? 1); k++) {
        const r = await (i.db as PostgresDatabase).withPool(size, need, (db) => replayLevels(db, levels, i.signal));
        if (!best || r.waitMs < best.waitMs) best = r;
      }
      return best!;
    };
    const before = await measure(max);
    const after = await measure(recommendedMax);
    const replayed = `${before.statements} statements replayed${before.errors ? `, ${before.errors} of them failed (e.g. a key the run itself had created) and count as they ran` : ''}${before.skippedNodes ? `; ${before.skippedNodes} node(s) not replayed (no statement, e.g. a cache hit; a statement in a transaction; or parameters not kept)` : ''}`;
    const gain = before.waitMs - after.waitMs;
    const worth = gain >= 1 && gain >= 0.1 * before.wallMs;
    return {
      ...base,
      nodeIds,
      before: {
        description: `pool ${max} (${(poolOf(i.db)).size} + ${poolOf(i.db).maxOverflow}), measured: ${round(before.waitMs, 1)} ms waiting for a connection (summed over the nodes), ${round(before.wallMs, 1)} ms for ${what} (the run itself waited ${round(measuredWait, 1)} ms)`,
        ms: round(before.waitMs),
        statements: before.statements,
      },
      after: {
        description: `${recommended} (${recommendedMax}), measured: ${round(after.waitMs, 1)} ms waiting, ${round(after.wallMs, 1)} ms for the same levels`,
        ms: round(after.waitMs),
        statements: after.statements,
      },
      ...(after.waitMs > 0 ? { ratio: round(before.waitMs / after.waitMs, 2) } : {}),
      verdict: worth ? 'recommended' : 'not-worth-it',
      detail: worth
        ? `Measured on PostgreSQL: with ${max} connection(s) the concurrent nodes of ${what} waited ${round(before.waitMs, 1)} ms for one; with ${recommendedMax} they waited ${round(after.waitMs, 1)} ms (${replayed}; writes rolled back). DataFlow 2.20's own node pool is asyncpg max 20 whatever pool_size says; this runtime's pool follows pool_size.`
        : `Measured on PostgreSQL: ${what} waited ${round(before.waitMs, 1)} ms for a connection with ${max} and ${round(after.waitMs, 1)} ms with ${recommendedMax} (${replayed}; writes rolled back): a larger pool gains nothing worth having here.`,
    };
  }
  // one connection (or a database this runtime cannot open a second pool to): simulate the levels from the run's per-node times
  const current = i.db.embedded ? 1 : max;
  const sim = (connections: number) =>
    levels.reduce(
      (acc, l) => {
        const r = simulateLevel(l.nodes, Math.min(connections, l.maxConcurrent), l.maxConcurrent);
        return { waitMs: acc.waitMs + r.waitMs, wallMs: acc.wallMs + r.wallMs };
      },
      { waitMs: 0, wallMs: 0 },
    );
  const one = sim(current);
  const more = sim(recommendedMax);
  const gain = one.waitMs - more.waitMs;
  return {
    ...base,
    nodeIds,
    before: {
      description: `${i.db.embedded ? 'embedded database (one connection)' : `pool ${max}`}: ${round(measuredWait, 1)} ms measured waiting for a connection in ${what}; simulated from the nodes' measured times: ${round(one.waitMs, 1)} ms waiting (summed over the nodes), ${round(one.wallMs, 1)} ms`,
      ms: round(one.waitMs),
    },
    after: {
      description: `${recommended} (${recommendedMax} connections), simulated: ${round(more.waitMs, 1)} ms waiting, ${round(more.wallMs, 1)} ms for the same levels`,
      ms: round(more.waitMs),
    },
    verdict: 'unverified',
    detail: `Simulated, not measured: ${i.db.embedded ? `the embedded database has one connection, so ${what} took turns on it` : `${what} ran on a pool of ${max} and were not replayed`}. Served by ${recommendedMax} connections (each node holding one for its statements' measured time) they would wait ${round(more.waitMs, 1)} ms instead of ${round(one.waitMs, 1)} ms${gain > 0 ? `, ${round(gain, 1)} ms less` : ''}. Profile against PostgreSQL to measure it.`,
  };
}
