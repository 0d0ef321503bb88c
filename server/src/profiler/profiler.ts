/**
 * The profiler: attach it to the DataFlow runtimes, run workflows through it, build the report.
 *
 *   const profiler = new Profiler({ runtimes: [rt], slowQueryThreshold: 1.0 }).start();
 *   await profiler.execute(rt, built, { parameters, recorder });       // or:
 *   await executeWorkflow(rt, built, profiler.instrument(built, { parameters, recorder }));
 *   const report = await profiler.buildReport({ source: { file: 'jobs.py' } });
 *   profiler.stop();
 *
 * While started, every statement is collected (the profiler's own, tag `dataflow:profiler`, are
 * not); on a PostgreSQL server it carries a sqlcommenter comment naming its workflow, node, node
 * type and file:line (options.sqlComments).
 */
import { OPERATIONS } from '../catalogue';
import type { DataFlowRuntime } from '../runtime/dataflow/runtime';
import type { SchemaCacheMetrics } from '../runtime/dataflow/cache/schemaCache';
import { quoteIdent } from '../runtime/db/quoteIdent';
import type { Database } from '../runtime/db/types';
import { pythonMessageOf, pythonTypeOf } from '../runtime/workflow/errors';
import { executeWorkflow, type ExecuteOptions, type WorkflowRunResult } from '../runtime/workflow/localRuntime';
import { RunRecorder, type RecordInput } from '../runtime/workflow/runRecorder';
import { DEFAULT_MAX_CONCURRENT_NODES } from '../runtime/workflow/concurrentLevel';
import type { BuiltWorkflow } from '../runtime/workflow/workflowBuilder';
import type { PerformanceReport } from '../report/reportTypes';
import { AttributionTracker } from './attribution';
import { assembleReport, MAX_LOG_LINES, TOOL } from './buildReport';
import { explainFingerprints } from './explain';
import { buildGroups } from './grouping';
import { resolveOptions, type ProfilerOptions, type ResolvedProfilerOptions } from './options';
import { profilerQuery } from './sandbox';
import { StatementCollector } from './statementCollector';
import { throwIfAborted, toSourceLoc } from './util';
import { loopVsBulkWhatIfs, type LoopRunInfo } from './whatIf/loopVsBulk';
import { missingIndexWhatIfs } from './whatIf/missingIndex';
import { poolOf, poolWhatIf } from './whatIf/pool';

export interface ProfilerInit extends ProfilerOptions {
  /** The DataFlow instances of the evaluation (their databases are profiled). */
  runtimes: DataFlowRuntime[];
}

export interface BuildReportOptions {
  source: { file: string; entry?: string };
  tool?: { name: string; version: string };
  /** Rows seeded per table before the run (shown in the report's database section). */
  seedRows?: number;
  /** What filter seeding did (runtime/dataflow/seed/filterSeeding.ts). */
  seededFilters?: PerformanceReport['database']['seededFilters'];
  /** The evaluation's recorder: its quirks / divergences / tables are used when given. */
  recorder?: RunRecorder;
  /** Cancels the analysis (plans, what-ifs): statements stop, buildReport rejects. */
  signal?: AbortSignal;
  /** Skip the database work (plans, what-ifs, table counts): only what was collected. */
  collectedOnly?: boolean;
}

export class Profiler {
  readonly options: ResolvedProfilerOptions;
  readonly runtimes: DataFlowRuntime[];
  readonly tracker = new AttributionTracker();
  readonly collector: StatementCollector;
  private readonly runInfo: LoopRunInfo[] = [];
  private readonly notes = new RunRecorder();
  private readonly logLines: string[] = [];
  private logDropped = 0;
  private readonly detach: (() => void)[] = [];
  private schemaBaseline = new Map<DataFlowRuntime, SchemaCacheMetrics>();
  private started = false;
  basePerf = performance.now();
  baseEpoch = Date.now();

  constructor(init: ProfilerInit) {
    if (!init.runtimes.length) throw new Error('the profiler needs at least one DataFlow runtime');
    this.runtimes = [...init.runtimes];
    this.options = resolveOptions(init);
    this.collector = new StatementCollector(this.options, this.tracker);
  }

  /** The distinct databases of the runtimes. */
  get databases(): Database[] {
    return [...new Set(this.runtimes.map((r) => r.db))];
  }

  /** Start collecting (and commenting) statements. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    this.basePerf = performance.now();
    this.baseEpoch = Date.now();
    for (const db of this.databases) {
      this.collector.attach(db);
      const comments = this.options.sqlComments === 'server' ? !db.embedded : this.options.sqlComments;
      if (comments && db.setSqlCommenter) this.detach.push(db.setSqlCommenter(this.tracker.commenter));
    }
    for (const rt of this.runtimes) this.schemaBaseline.set(rt, { ...rt.getSchemaCacheMetrics() });
    return this;
  }

  /** Stop collecting and remove the sqlcommenter. Idempotent. */
  stop(): void {
    this.collector.stop();
    for (const d of this.detach.splice(0)) d();
    this.started = false;
  }

  /** A print() line or log line of the run, for the report (bounded). */
  log(line: string): void {
    if (this.logLines.length < MAX_LOG_LINES) this.logLines.push(line);
    else this.logDropped++;
  }

  /**
   * ExecuteOptions for one executeWorkflow call: node start / end callbacks (chained to the
   * caller's) for attribution, and a recorder wrapper that notes the run's end, results and error
   * (and still records into the caller's recorder). Call it right before executeWorkflow.
   */
  instrument(workflow: BuiltWorkflow | undefined, options: ExecuteOptions = {}): ExecuteOptions {
    const userRecorder = options.recorder;
    const track = this.tracker.startRun({ workflowId: workflow?.workflowId, location: options.location, recorderIndex: userRecorder?.runCount });
    const info = track as LoopRunInfo;
    info.workflow = workflow;
    if (options.runtime === 'AsyncLocalRuntime') info.maxConcurrentNodes = options.maxConcurrentNodes ?? DEFAULT_MAX_CONCURRENT_NODES;
    this.runInfo.push(info);
    const recorder = {
      record: (input: RecordInput) => {
        this.tracker.endRun(track);
        info.results = input.results;
        if (input.error !== undefined) info.error = { type: pythonTypeOf(input.error), message: pythonMessageOf(input.error) };
        for (const ctx of input.contexts ?? []) this.notes.addContext(ctx);
        userRecorder?.record(input);
      },
      get runCount() {
        return userRecorder?.runCount ?? 0;
      },
    } as unknown as RunRecorder;
    return {
      ...options,
      recorder,
      onNodeStart: (node) => {
        this.tracker.nodeStart(track, node);
        options.onNodeStart?.(node);
      },
      onNodeEnd: (run) => {
        this.tracker.nodeEnd(track, run);
        options.onNodeEnd?.(run);
      },
    };
  }

  /** executeWorkflow under the profiler. */
  execute(rt: DataFlowRuntime, workflow: BuiltWorkflow, options: ExecuteOptions = {}): Promise<WorkflowRunResult> {
    return executeWorkflow(rt, workflow, this.instrument(workflow, options));
  }

  private describeType = (type: string): { model?: string; operation?: string } | undefined => {
    for (let i = this.runtimes.length - 1; i >= 0; i--) {
      const t = this.runtimes[i].tryResolveNodeType(type);
      if (t) return t.kind === 'model' ? { model: t.model.name, operation: OPERATIONS[t.op].operation } : { operation: 'transaction' };
    }
    return undefined;
  };

  private async tableCounts(signal?: AbortSignal): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const rt of this.runtimes) {
      for (const m of rt.models.values()) {
        throwIfAborted(signal);
        try {
          const r = await profilerQuery(rt.db, `SELECT COUNT(*) AS c FROM ${quoteIdent(m.tableName)}`, [], signal);
          out[m.tableName] = Number(r.rows[0]?.c ?? 0);
        } catch (e) {
          if (signal?.aborted) throw e;
        }
      }
    }
    return out;
  }

  /**
   * Analyse what was collected (plans, what-ifs, table sizes) and assemble the report. The
   * database work is the profiler's own (never counted); data-changing what-ifs run in
   * transactions that are rolled back.
   */
  async buildReport(opts: BuildReportOptions): Promise<PerformanceReport> {
    const t0 = performance.now();
    const o = this.options;
    const signal = opts.signal;
    const primary = this.runtimes[0];
    const db = primary.db;
    const c = this.collector;
    c.flush(); // the statements the hook noted are grouped now, after the run

    // everything that analysis could disturb is read first
    let schemaHits = 0;
    let schemaMisses = 0;
    for (const rt of this.runtimes) {
      const now = rt.getSchemaCacheMetrics();
      const base = this.schemaBaseline.get(rt);
      schemaHits += now.hits - (base?.hits ?? 0);
      schemaMisses += now.misses - (base?.misses ?? 0);
    }
    const pool = { ...poolOf(db), peakConnections: c.peakConcurrency(), waitMs: c.waitMs };
    const groups = buildGroups(c, o.nPlusOneMin);
    const runs = this.runInfo.map((r) => {
      // runs instrumented without reaching record() (should not happen) end at their last node
      if (r.end === undefined) r.end = r.nodes.length ? r.start + r.nodes.reduce((s, n) => s + n.ms, 0) : r.start;
      return r;
    });

    let serverVersion: string | undefined;
    let tables: Record<string, number> = opts.recorder?.toJSON().tables ?? {};
    let plans: Awaited<ReturnType<typeof explainFingerprints>> = { plans: [], planIdOf: new Map(), errors: [] };
    const recommendations: Parameters<typeof assembleReport>[0]['recommendations'] = [];
    const log = [...this.logLines];
    if (this.logDropped) log.push(`… ${this.logDropped} more log lines`);

    if (!opts.collectedOnly) {
      try {
        serverVersion = String((await profilerQuery(db, 'SHOW server_version', [], signal)).rows[0]?.server_version ?? '') || undefined;
      } catch (e) {
        if (signal?.aborted) throw e;
      }
      tables = { ...tables, ...(await this.tableCounts(signal)) };
      plans = await explainFingerprints(c.byFingerprint.values(), { mode: o.explain, maxPlans: o.maxPlans, signal });
      for (const e of plans.errors) log.push(`EXPLAIN failed for ${e.fingerprint.slice(0, 120)}: ${e.error}`);
      if (o.whatIfs.missingIndex) {
        const drafts = await missingIndexWhatIfs(c.byFingerprint.values(), {
          signal,
          allowOnUserDb: o.allowIndexWhatIfOnUserDb,
          runs: o.whatIfRuns,
          minCost: o.minIndexCost,
          minSavingsPct: o.minCostSavingsPct,
          max: o.maxIndexWhatIfs,
          fallbackFile: opts.source.file,
          location: (agg) => toSourceLoc(agg.rep.location, opts.source.file),
        });
        for (const d of drafts) {
          const { table: _t, columns: _c, fingerprints: _f, ...rec } = d;
          recommendations.push(rec);
        }
      }
      if (o.whatIfs.loopVsBulk) {
        recommendations.push(...(await loopVsBulkWhatIfs(runs, { runtimes: this.runtimes, signal, runs: o.whatIfRuns, fallbackFile: opts.source.file })));
      }
    }
    if (o.whatIfs.pool) {
      const p = await poolWhatIf({
        db,
        peak: pool.peakConnections,
        waitMs: pool.waitMs,
        statements: c.total,
        recommendedSize: o.pool.recommendedSize,
        recommendedOverflow: o.pool.recommendedOverflow,
        location: o.poolLocation,
        fallbackFile: opts.source.file,
        configured: { poolSize: primary.settings.poolSize, poolMaxOverflow: primary.settings.poolMaxOverflow },
        runs,
        replayable: c.replayable,
        byNode: c.byNode,
        signal,
        // the replay sends statements: not when only what was collected is wanted
        replay: !opts.collectedOnly,
        replays: o.whatIfRuns,
      });
      if (p) recommendations.push(p);
    }

    const notes = opts.recorder ? opts.recorder.toJSON() : this.notes.toJSON();
    const ownNotes = this.notes.toJSON();
    // The run's overhead is what the hooks cost while it ran; the plans and what-if experiments
    // above ran after it and are reported apart (they used to be added here: "1509 % of total").
    const profilerMs = c.hookMs;
    const analysisMs = performance.now() - t0;
    const report = assembleReport({
      collector: c,
      runs,
      groups,
      plans: plans.plans,
      planIdOf: plans.planIdOf,
      recommendations,
      tables,
      divergences: dedupe([...notes.divergences, ...ownNotes.divergences]),
      quirks: dedupe([...notes.quirks, ...ownNotes.quirks]),
      log,
      source: opts.source,
      tool: opts.tool ?? TOOL,
      database: {
        kind: db.embedded ? 'embedded' : 'postgresql',
        description: db.description,
        ...(serverVersion ? { serverVersion } : {}),
        ...(opts.seedRows !== undefined ? { seedRows: opts.seedRows } : {}),
        ...(opts.seededFilters?.length ? { seededFilters: opts.seededFilters } : {}),
      },
      cache: { schemaHits, schemaMisses },
      pool,
      profilerMs,
      analysisMs,
      basePerf: this.basePerf,
      baseEpoch: this.baseEpoch,
      describeType: this.describeType,
    });
    return report;
  }
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
