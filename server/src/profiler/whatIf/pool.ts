/**
 * Pool what-if, kept honest: the demand the run really put on the pool (peak concurrent
 * statements, total wait for a connection) against the pool's size. The workflow runtime runs
 * nodes one at a time (AsyncLocalRuntime included — a documented divergence), so a run's peak is
 * normally 1 and a bigger pool cannot change it: the verdict is then "not-worth-it" and no
 * synthetic benchmark is substituted for the user's run. Only when the run itself waited for
 * connections is a bigger pool worth trying.
 */
import type { Database } from '../../runtime/db/types';
import type { Recommendation } from '../../report/reportTypes';
import { round } from '../util';

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
}

export function poolWhatIf(i: PoolWhatIfInput): Omit<Recommendation, 'id'> | undefined {
  const pool = poolOf(i.db);
  const configuredSmall =
    i.configured?.poolSize !== null && i.configured?.poolSize !== undefined && i.configured.poolSize < i.recommendedSize;
  // PGlite is one connection (its "wait" is the lock, in whole milliseconds): pool size is moot there
  const waited = !i.db.embedded && i.waitMs > 0;
  if (!configuredSmall && !waited) return undefined;
  const loc = i.location ?? { file: i.fallbackFile, line: 1 };
  const max = pool.size + pool.maxOverflow;
  const before = {
    description: `${i.db.embedded ? 'embedded database (one connection)' : `pool ${pool.size} + ${pool.maxOverflow} overflow`}: peak ${i.peak} concurrent statement(s), ${round(i.waitMs, 1)} ms waiting for a connection over ${i.statements} statements`,
    ms: round(i.waitMs),
  };
  const base = {
    rule: 'small-pool' as const,
    code: 'DF004',
    title: `Connection pool: peak demand ${i.peak} of ${max}`,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    nodeIds: [],
    before,
  };
  if (waited && i.peak >= max) {
    return {
      ...base,
      after: { description: `pool ${i.recommendedSize} + ${i.recommendedOverflow}: not re-run (the runtime executes nodes sequentially, so the parallel part cannot be replayed faithfully)` },
      verdict: 'unverified',
      detail: `The run waited ${round(i.waitMs, 1)} ms for connections with all ${max} in use; a pool of ${i.recommendedSize} + ${i.recommendedOverflow} may remove that wait.`,
    };
  }
  return {
    ...base,
    after: { description: `pool ${i.recommendedSize} + ${i.recommendedOverflow}: same peak demand (${i.peak}); nothing to gain in this run` },
    verdict: 'not-worth-it',
    detail: `This run never needed more than ${i.peak} connection(s) at once${i.waitMs > 0 ? ` and waited only ${round(i.waitMs, 1)} ms` : ' and never waited for one'}: the workflow runtime runs nodes one at a time, so a larger pool would not change it. (DataFlow 2.20's own node pool is asyncpg max 20 whatever pool_size says.)`,
  };
}
