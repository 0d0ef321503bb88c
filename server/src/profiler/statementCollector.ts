/**
 * Statement collection: one onStatement hook per database. Every statement of the user's workload
 * is counted and grouped; the profiler's own statements (tag `dataflow:profiler[:…]`) and the
 * excluded runtime tags are never counted. Memory stays bounded: only the first `maxStatements`
 * keep their SQL text; groups keep counts plus a bounded list of ids; one representative
 * statement (SQL + parameters) is kept per fingerprint for EXPLAIN.
 *
 * The hook itself only notes the statement with its node (which is known only while the node
 * runs); the grouping is done by flush(), after the run (the report calls it), or during it
 * every MAX_PENDING statements to bound memory. Grouping a statement cost 8-14 µs of a
 * 300 µs PostgreSQL statement when it ran in the hook.
 */
import { isProfilerTag } from '../runtime/db/sqlComment';
import type { Database, SqlParam, StatementEvent } from '../runtime/db/types';
import type { StatementKind } from '../report/reportTypes';
import type { SourceLocation } from '../runtime/workflow/types';
import type { AttributionTracker, NodeOrigin } from './attribution';
import type { ResolvedProfilerOptions } from './options';
import { FingerprintCache, hashParams } from './sqlDisplay';

export interface CollectedStatement {
  id: number;
  sql: string;
  fingerprint: string;
  kind: StatementKind;
  paramCount: number;
  durationMs: number;
  waitMs: number;
  rows: number;
  /** performance.now() when the statement started running (after any wait). */
  start: number;
  run?: number;
  nodeId?: string;
  location?: SourceLocation;
  slow: boolean;
  error?: string;
  comment?: string;
  connectionId: number;
  duplicateKey?: string;
}

/** The first statement seen with a fingerprint: what EXPLAIN re-runs. */
export interface Representative {
  sql: string;
  /** Parameters of that statement (kept for explainable kinds only). */
  params?: readonly SqlParam[];
  kind: StatementKind;
  db: Database;
  run?: number;
  nodeId?: string;
  nodeType?: string;
  location?: SourceLocation;
  inTransaction: boolean;
}

export interface GroupAgg {
  key: string;
  fingerprint: string;
  firstSql: string;
  kind: StatementKind;
  count: number;
  totalMs: number;
  ids: number[];
  nodeIds: Set<string>;
}

/**
 * A duplicate key seen once. Most statements' parameters are unique: they keep this instead of a
 * group (with its id list and node set) until the same statement comes again.
 */
export interface DuplicateFirst {
  count: 1;
  fingerprint: string;
  firstSql: string;
  kind: StatementKind;
  id: number;
  ms: number;
  nodeId?: string;
  keep: boolean;
}

export interface FingerprintAgg extends GroupAgg {
  rep: Representative;
}

export interface OriginAgg {
  fingerprint: string;
  firstSql: string;
  count: number;
  totalMs: number;
  nodeIds: Set<string>;
  loop?: NodeOrigin['loop'];
  location?: SourceLocation;
  /** "loop" when the statements came from nodes of one loop, "node" from one node. */
  by: 'loop' | 'node';
}

export interface NodeAgg {
  run: number;
  nodeId: string;
  statements: number;
  sqlMs: number;
  waitMs: number;
  rows: number;
  ids: number[];
}

const EXPLAINABLE: ReadonlySet<StatementKind> = new Set(['select', 'insert', 'update', 'delete']);
/** Statements (and parameters per statement) kept for the pool what-if's replay. */
const MAX_REPLAY_STATEMENTS = 5000;
const MAX_REPLAY_PARAMS = 2000;

/** A node's statement as the pool what-if replays it (params undefined: too many to keep, not replayable). */
export interface ReplayStatement {
  sql: string;
  params?: readonly SqlParam[];
  kind: StatementKind;
  inTransaction: boolean;
  db: Database;
}
/** Parameters kept for a representative at most (a bigger statement is explained without being kept). */
const MAX_REP_PARAMS = 65535;
/**
 * Statements noted by the hook and not yet grouped, at most, and their parameters in all (a bulk
 * statement's can be 60,000): past either, the hook groups them, which keeps no parameters but
 * a bounded few.
 */
const MAX_PENDING = 4096;
const MAX_PENDING_PARAMS = 200_000;

/** A statement as the hook noted it, for record(). */
interface PendingStatement {
  db: Database;
  e: StatementEvent;
  /** The node that ran it, and the run going on, when it ran. */
  origin: NodeOrigin | undefined;
  run: number | undefined;
  /** performance.now() when it ended. */
  end: number;
}

export class StatementCollector {
  readonly statements: CollectedStatement[] = [];
  statementsOmitted = 0;
  /** Statements of the workload seen (counted by the hook; grouped or pending). */
  total = 0;
  /** Statements grouped so far (each one's id is its rank). */
  private grouped = 0;
  private pending: PendingStatement[] = [];
  private pendingParams = 0;
  sqlMs = 0;
  rows = 0;
  waitMs = 0;
  slow = 0;
  errors = 0;
  /** Statements excluded from every count: the profiler's own and excluded tags. */
  excluded = 0;
  excludedMs = 0;
  /** Time spent in the hook itself while the workload ran (bookkeeping), ms. */
  hookMs = 0;
  untrackedFingerprints = 0;
  untrackedDuplicates = 0;
  readonly byFingerprint = new Map<string, FingerprintAgg>();
  /** Duplicate groups by fingerprint and parameter values; keys seen once hold a DuplicateFirst. */
  readonly byDuplicate = new Map<string, GroupAgg | DuplicateFirst>();
  readonly byOrigin = new Map<string, OriginAgg>();
  readonly byNode = new Map<string, NodeAgg>();
  /**
   * Each node's statements with their parameters, by `run|nodeId`, for the pool what-if's replay of
   * AsyncLocalRuntime's wide levels (bounded: MAX_REPLAY_STATEMENTS in all; none in a transaction).
   */
  readonly replayable = new Map<string, ReplayStatement[]>();
  private replayKept = 0;
  /** Connection-holding intervals [start, end] in performance.now() ms, for the peak. */
  private intervals = new Float64Array(1024);
  intervalCount = 0;
  intervalsDropped = 0;
  connections = new Set<number>();
  private readonly fps = new FingerprintCache();
  /** A small number per fingerprint, so the duplicate and N+1 keys are short strings, not the SQL. */
  private readonly fingerprintIds = new Map<string, number>();
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly options: ResolvedProfilerOptions,
    private readonly tracker: AttributionTracker,
  ) {}

  attach(db: Database): void {
    this.detach.push(db.onStatement((e) => this.onStatement(db, e)));
  }

  stop(): void {
    for (const d of this.detach.splice(0)) d();
    this.flush();
  }

  isExcluded(tag: string | undefined): boolean {
    return isProfilerTag(tag) || (tag !== undefined && this.options.excludeTags.has(tag));
  }

  /**
   * One statement. `endedAt` (performance.now() domain) is when it ended, for statements that were
   * recorded elsewhere and delivered later (the Python tracer's); default now.
   */
  onStatement(db: Database, e: StatementEvent, endedAt?: number): void {
    const now = performance.now();
    if (this.isExcluded(e.tag)) {
      this.excluded++;
      this.excludedMs += e.durationMs;
      return;
    }
    this.total++;
    this.pending.push({ db, e, origin: this.tracker.originOf(e.tag), run: this.tracker.currentRun?.index, end: endedAt ?? now });
    this.pendingParams += e.params.length;
    if (this.pending.length >= MAX_PENDING || this.pendingParams >= MAX_PENDING_PARAMS) this.flush();
    this.hookMs += performance.now() - now;
  }

  /**
   * Group the statements noted since the last flush. Whatever reads the groups, counts or
   * statements calls it first (Profiler.buildReport, stop()).
   */
  flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.pendingParams = 0;
    for (const p of batch) this.record(p);
  }

  private record({ db, e, origin, run: runNow, end: now }: PendingStatement): void {
    const o = this.options;
    const id = ++this.grouped;
    const run = origin?.run ?? runNow;
    const nodeId = origin?.nodeId ?? (e.tag && runNow !== undefined ? e.tag : undefined);
    const { fingerprint: fp, kind } = this.fps.get(e.sql, e.command);
    const execMs = Math.max(0, e.durationMs - e.waitMs);
    const start = now - execMs;
    const slow = e.durationMs >= o.slowMs;
    this.sqlMs += e.durationMs;
    this.rows += e.rowCount;
    this.waitMs += e.waitMs;
    if (slow) this.slow++;
    if (e.error) this.errors++;
    this.connections.add(e.connectionId);
    this.addInterval(start, now);

    // similar
    let agg = this.byFingerprint.get(fp);
    if (!agg) {
      if (this.byFingerprint.size < o.maxFingerprints) {
        agg = {
          key: fp,
          fingerprint: fp,
          firstSql: e.sql,
          kind,
          count: 0,
          totalMs: 0,
          ids: [],
          nodeIds: new Set(),
          rep: {
            sql: e.sql,
            params: EXPLAINABLE.has(kind) && e.params.length <= MAX_REP_PARAMS ? e.params.slice() : undefined,
            kind,
            db,
            run,
            nodeId,
            nodeType: origin?.type,
            location: origin?.location,
            inTransaction: e.inTransaction,
          },
        };
        this.byFingerprint.set(fp, agg);
      } else this.untrackedFingerprints++;
    }
    const keep = this.statements.length < o.maxStatements;
    if (agg) this.addTo(agg, id, e.durationMs, nodeId, keep);

    // duplicate: same fingerprint and the same parameter values
    // (bounded as the fingerprints are: past the cap, a fingerprint keys by its own text)
    let fpId: number | string | undefined = this.fingerprintIds.get(fp);
    if (fpId === undefined) {
      if (this.fingerprintIds.size < o.maxFingerprints) this.fingerprintIds.set(fp, (fpId = this.fingerprintIds.size));
      else fpId = 'sql:' + fp;
    }
    let dupKey: string | undefined;
    if (kind !== 'transaction') {
      dupKey = fpId + '|' + hashParams(e.params);
      const dup = this.byDuplicate.get(dupKey);
      if (dup === undefined) {
        if (this.byDuplicate.size < o.maxDuplicateKeys) {
          this.byDuplicate.set(dupKey, { count: 1, fingerprint: fp, firstSql: e.sql, kind, id, ms: e.durationMs, nodeId, keep });
        } else this.untrackedDuplicates++;
      } else if ('id' in dup) {
        // the second time: the DuplicateFirst becomes a group
        const group: GroupAgg = { key: dupKey, fingerprint: fp, firstSql: dup.firstSql, kind, count: 0, totalMs: 0, ids: [], nodeIds: new Set() };
        this.addTo(group, dup.id, dup.ms, dup.nodeId, dup.keep);
        this.addTo(group, id, e.durationMs, nodeId, keep);
        this.byDuplicate.set(dupKey, group);
      } else this.addTo(dup, id, e.durationMs, nodeId, keep);
    }

    // N+1 origin: the loop the issuing node ran in, else the node itself
    if (kind !== 'transaction' && kind !== 'ddl' && (origin || nodeId)) {
      const byLoop = origin?.loop !== undefined;
      const okey = byLoop ? `loop|${fpId}|${origin!.loop!.line}|${origin!.loopFile ?? ''}` : `node|${fpId}|${run ?? ''}|${nodeId}`;
      let oa = this.byOrigin.get(okey);
      if (!oa) {
        oa = {
          fingerprint: fp,
          firstSql: e.sql,
          count: 0,
          totalMs: 0,
          nodeIds: new Set(),
          loop: origin?.loop ? { kind: origin.loop.kind, line: origin.loop.line } : undefined,
          location: byLoop ? { file: origin!.loopFile, line: origin!.loop!.line } : origin?.location,
          by: byLoop ? 'loop' : 'node',
        };
        // origins are at most (#loops + #nodes) × fingerprints; bounded by the fingerprint cap too
        if (this.byOrigin.size < o.maxDuplicateKeys) this.byOrigin.set(okey, oa);
      }
      oa.count++;
      oa.totalMs += e.durationMs;
      if (nodeId && oa.nodeIds.size < o.maxIdsPerGroup) oa.nodeIds.add(nodeId);
    }

    // per node
    if (run !== undefined && nodeId !== undefined) {
      const nkey = `${run}|${nodeId}`;
      let na = this.byNode.get(nkey);
      if (!na) {
        na = { run, nodeId, statements: 0, sqlMs: 0, waitMs: 0, rows: 0, ids: [] };
        this.byNode.set(nkey, na);
      }
      na.statements++;
      na.sqlMs += e.durationMs;
      na.waitMs += e.waitMs;
      na.rows += e.rowCount;
      if (keep) na.ids.push(id);
      // only AsyncLocalRuntime runs' levels are replayed (the pool what-if)
      if (kind !== 'ddl' && this.replayKept < MAX_REPLAY_STATEMENTS && this.tracker.runs[run]?.maxConcurrentNodes !== undefined) {
        let list = this.replayable.get(nkey);
        if (!list) this.replayable.set(nkey, (list = []));
        list.push({ sql: e.sql, params: e.params.length <= MAX_REPLAY_PARAMS ? e.params.slice() : undefined, kind, inTransaction: e.inTransaction, db });
        this.replayKept++;
      }
    }

    if (keep) {
      this.statements.push({
        id,
        sql: e.sql,
        fingerprint: fp,
        kind,
        paramCount: e.params.length,
        durationMs: e.durationMs,
        waitMs: e.waitMs,
        rows: e.rowCount,
        start,
        run,
        nodeId,
        location: origin?.location,
        slow,
        error: e.error ? e.error.message : undefined,
        comment: e.comment,
        connectionId: e.connectionId,
        duplicateKey: dupKey,
      });
    } else {
      this.statementsOmitted++;
    }
  }

  private addTo(g: GroupAgg, id: number, ms: number, nodeId: string | undefined, keep: boolean): void {
    g.count++;
    g.totalMs += ms;
    if (keep && g.ids.length < this.options.maxIdsPerGroup) g.ids.push(id);
    if (nodeId !== undefined && g.nodeIds.size < this.options.maxIdsPerGroup) g.nodeIds.add(nodeId);
  }

  private addInterval(start: number, end: number): void {
    if (this.intervalCount >= this.options.maxIntervals) {
      this.intervalsDropped++;
      return;
    }
    if ((this.intervalCount + 1) * 2 > this.intervals.length) {
      const bigger = new Float64Array(this.intervals.length * 2);
      bigger.set(this.intervals);
      this.intervals = bigger;
    }
    this.intervals[this.intervalCount * 2] = start;
    this.intervals[this.intervalCount * 2 + 1] = end;
    this.intervalCount++;
  }

  /** Most statements running at the same moment (a sweep over the recorded intervals). */
  peakConcurrency(): number {
    const n = this.intervalCount;
    if (n === 0) return 0;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      starts[i] = this.intervals[2 * i];
      ends[i] = this.intervals[2 * i + 1];
    }
    starts.sort();
    ends.sort();
    let peak = 0;
    let cur = 0;
    let j = 0;
    for (let i = 0; i < n; i++) {
      // back-to-back statements (one ends as the next starts) do not overlap
      while (j < n && ends[j] <= starts[i] + 1e-6) {
        cur--;
        j++;
      }
      cur++;
      if (cur > peak) peak = cur;
    }
    return peak;
  }
}
