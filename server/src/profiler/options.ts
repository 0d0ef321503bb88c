/** The profiler's settings, their defaults, and the slow-statement threshold rule. */
import { RUNTIME_INTERNAL_TAG } from '../runtime/db/types';

export interface ProfilerOptions {
  /**
   * DataFlow's `slow_query_threshold`, in SECONDS as DataFlow stores it (default 1.0). Pass the
   * value of the user's DataFlow(...) call.
   */
  slowQueryThreshold?: number | null;
  /** A slow threshold in milliseconds. When both are given, the LOWER one applies. */
  slowQueryMs?: number | null;
  /** Statements kept with their SQL in the report (the rest are counted). Default 10,000. */
  maxStatements?: number;
  /** k: similar statements from one loop (or one node) that make an N+1. Default 5. */
  nPlusOneMin?: number;
  /** Statement / node ids listed per group. Default 1,000. */
  maxIdsPerGroup?: number;
  /** Distinct (fingerprint, parameters) pairs tracked for duplicate detection. Default 200,000. */
  maxDuplicateKeys?: number;
  /** Distinct fingerprints tracked (later new ones are counted, not grouped). Default 5,000. */
  maxFingerprints?: number;
  /** Statement intervals kept for the peak-connection computation. Default 200,000. */
  maxIntervals?: number;
  /**
   * Plans: `true` (default) EXPLAIN (FORMAT JSON) every distinct SELECT fingerprint; 'analyze'
   * EXPLAIN (ANALYZE, BUFFERS) them, and data-changing statements inside a rolled-back
   * transaction; `false` no plans.
   */
  explain?: boolean | 'analyze';
  /** At most this many plans. Default 50. */
  maxPlans?: number;
  /** Which what-ifs run. Default all. */
  whatIfs?: { missingIndex?: boolean; loopVsBulk?: boolean; pool?: boolean };
  /**
   * On a database that is not the embedded one, and without hypopg: allow creating the candidate
   * index inside a transaction that is rolled back (it takes a lock on the table while it lasts).
   */
  allowIndexWhatIfOnUserDb?: boolean;
  /** EXPLAIN ANALYZE runs per side when timing a what-if (median kept). Default 3. */
  whatIfRuns?: number;
  /** Dexter's bar: an index is recommended only when the initial cost is at least this. Default 100. */
  minIndexCost?: number;
  /** … and the cost falls by at least this percentage. Default 50. */
  minCostSavingsPct?: number;
  /** Index what-ifs per report. Default 10. */
  maxIndexWhatIfs?: number;
  /** Tags whose statements are not the user's (besides the profiler's own). */
  excludeTags?: string[];
  /**
   * Install the sqlcommenter: true on every database, false on none. Default: on a PostgreSQL
   * server only, whose logs, pg_stat_activity and pg_stat_statements show the comments. The
   * embedded database has no log and no other session to read them, and each one would only make
   * its statement's text longer to send and parse.
   */
  sqlComments?: boolean;
  /** Pool values a small-pool recommendation proposes (the small-pool quick fix's). */
  pool?: { recommendedSize?: number; recommendedOverflow?: number };
  /** Where DataFlow(...) is constructed, for the pool recommendation. */
  poolLocation?: { file: string; line: number; column?: number };
}

export interface ResolvedProfilerOptions {
  slowMs: number;
  slowSource: string;
  maxStatements: number;
  nPlusOneMin: number;
  maxIdsPerGroup: number;
  maxDuplicateKeys: number;
  maxFingerprints: number;
  maxIntervals: number;
  explain: boolean | 'analyze';
  maxPlans: number;
  whatIfs: { missingIndex: boolean; loopVsBulk: boolean; pool: boolean };
  allowIndexWhatIfOnUserDb: boolean;
  whatIfRuns: number;
  minIndexCost: number;
  minCostSavingsPct: number;
  maxIndexWhatIfs: number;
  excludeTags: Set<string>;
  /** 'server': on the databases that are not embedded. */
  sqlComments: boolean | 'server';
  pool: { recommendedSize: number; recommendedOverflow: number };
  poolLocation?: { file: string; line: number; column?: number };
}

/** Tags the runtime uses for statements that are not the user's workload. */
export const DEFAULT_EXCLUDED_TAGS = ['workflow:run-recorder', 'seed', RUNTIME_INTERNAL_TAG];

/**
 * The slow threshold in ms: `slowQueryThreshold` is seconds (DataFlow's unit, §1.1), `slowQueryMs`
 * milliseconds; when both are given the lower wins; with neither, DataFlow's default 1.0 s.
 */
export function slowThreshold(o: Pick<ProfilerOptions, 'slowQueryThreshold' | 'slowQueryMs'>): { ms: number; source: string } {
  const c: { ms: number; source: string }[] = [];
  if (typeof o.slowQueryThreshold === 'number' && o.slowQueryThreshold >= 0) c.push({ ms: o.slowQueryThreshold * 1000, source: `slow_query_threshold=${o.slowQueryThreshold} s` });
  if (typeof o.slowQueryMs === 'number' && o.slowQueryMs >= 0) c.push({ ms: o.slowQueryMs, source: `slowQueryMs=${o.slowQueryMs}` });
  if (c.length === 0) return { ms: 1000, source: "DataFlow's default slow_query_threshold=1.0 s" };
  return c.reduce((a, b) => (b.ms < a.ms ? b : a));
}

export function resolveOptions(o: ProfilerOptions = {}): ResolvedProfilerOptions {
  const slow = slowThreshold(o);
  const pos = (v: number | undefined, d: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    slowMs: slow.ms,
    slowSource: slow.source,
    maxStatements: Math.floor(pos(o.maxStatements, 10_000)),
    nPlusOneMin: Math.max(2, Math.floor(pos(o.nPlusOneMin, 5))),
    maxIdsPerGroup: Math.floor(pos(o.maxIdsPerGroup, 1000)),
    maxDuplicateKeys: Math.floor(pos(o.maxDuplicateKeys, 200_000)),
    maxFingerprints: Math.floor(pos(o.maxFingerprints, 5000)),
    maxIntervals: Math.floor(pos(o.maxIntervals, 200_000)),
    explain: o.explain ?? true,
    maxPlans: Math.floor(pos(o.maxPlans, 50)),
    whatIfs: { missingIndex: o.whatIfs?.missingIndex ?? true, loopVsBulk: o.whatIfs?.loopVsBulk ?? true, pool: o.whatIfs?.pool ?? true },
    allowIndexWhatIfOnUserDb: o.allowIndexWhatIfOnUserDb === true,
    whatIfRuns: Math.max(1, Math.floor(pos(o.whatIfRuns, 3))),
    minIndexCost: pos(o.minIndexCost, 100),
    minCostSavingsPct: pos(o.minCostSavingsPct, 50),
    maxIndexWhatIfs: Math.floor(pos(o.maxIndexWhatIfs, 10)),
    excludeTags: new Set(o.excludeTags ?? DEFAULT_EXCLUDED_TAGS),
    sqlComments: o.sqlComments ?? 'server',
    pool: { recommendedSize: o.pool?.recommendedSize ?? 20, recommendedOverflow: o.pool?.recommendedOverflow ?? 30 },
    poolLocation: o.poolLocation,
  };
}
