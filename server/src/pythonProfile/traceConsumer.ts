// Turns the tracer's events into what the embedded runtime produces: the run document (every
// execute() with its results and node rows) and, with profiling on, the same Profiler fed with
// the statements real DataFlow sent (so plans, grouping, N+1 and what-ifs are computed the same
// way, against the same database).
import { DataFlowRuntime } from '../runtime/dataflow/runtime';
import type { ModelDefinition, PyTypeName } from '../runtime/dataflow/schema';
import type { Database, SqlParam, StatementEvent } from '../runtime/db/types';
import { commandOf } from '../runtime/db/statementHooks';
import { RunRecorder } from '../runtime/workflow/runRecorder';
import type { NodeRun, SourceLocation } from '../runtime/workflow/types';
import type { ExecuteOptions } from '../runtime/workflow/localRuntime';
import { Profiler } from '../profiler/profiler';
import type { ProfilerOptions } from '../profiler/options';
import type { TraceEvent } from './tracerProcess';

/** One statement as the tracer recorded it. */
export interface TracedStatement {
  sql: string;
  /** Bound parameters (JSON-safe copies; at most 200 kept). */
  params?: unknown[];
  /** The driver call that sent it: execute, fetch, fetchrow, executemany, psycopg2.execute, ... */
  method: string;
  node?: string;
  /** Index of the execute() call (0-based), in call order. */
  run?: number;
  file?: string;
  line?: number;
  /** Epoch ms when it was sent. */
  startedAt: number;
  durationMs: number;
  rows?: number;
  error?: string;
}

const DRIVER_RESET = /^\s*SELECT pg_advisory_unlock_all\(\);/i;
/** The driver's own statements (asyncpg's pool reset), not DataFlow's: kept in the trace, not profiled. */
export const DRIVER_TAG = 'python:driver';
const TYPE_NAMES = new Set<PyTypeName>(['str', 'int', 'float', 'bool', 'datetime', 'date', 'Decimal', 'dict', 'list', 'bytes', 'other']);
const MAX_TRACE = 20000;

interface LiveRun {
  index: number;
  recorderIndex: number;
  options?: ExecuteOptions;
  nodes: NodeRun[];
  locations: Record<string, { type?: string; location?: SourceLocation }>;
  perNode: Map<string, { statements: number; rows: number }>;
  location?: SourceLocation;
  workflowId?: string;
  startTs: number;
}

export class TraceConsumer {
  readonly recorder = new RunRecorder();
  readonly statements: TracedStatement[] = [];
  statementsOmitted = 0;
  readonly runtimes: DataFlowRuntime[] = [];
  profiler?: Profiler;
  hello?: { python: string; dataflow: string; kailash: string; executable: string };
  done?: { ok: boolean; error?: { type: string; message: string; file?: string; line?: number; traceback?: string }; missing?: boolean; badEntry?: boolean; return?: unknown };
  readonly notes: string[] = [];
  private readonly runs = new Map<number, LiveRun>();
  private readonly connIds = new Map<number, number>();
  private readonly inTx = new Set<number>();
  private poolLocation?: SourceLocation;

  constructor(
    private readonly db: Database,
    private readonly profile: ProfilerOptions | undefined,
  ) {}

  /** The performance.now() time of a tracer epoch timestamp. */
  private perf(epochMs: number): number {
    const p = this.profiler!;
    return p.basePerf + (epochMs - p.baseEpoch);
  }

  handle(e: TraceEvent): void {
    switch (e.t) {
      case 'hello':
        this.hello = e as unknown as TraceConsumer['hello'];
        break;
      case 'instance':
        this.onInstance(e);
        break;
      case 'model':
        this.onModel(e);
        break;
      case 'run_start':
        this.onRunStart(e);
        break;
      case 'node_start':
        this.onNodeStart(e);
        break;
      case 'node_end':
        this.onNodeEnd(e);
        break;
      case 'sql':
        this.onSql(e);
        break;
      case 'run_end':
        this.onRunEnd(e);
        break;
      case 'done':
        this.done = e as unknown as TraceConsumer['done'];
        break;
    }
  }

  private onInstance(e: TraceEvent): void {
    const s = (e.settings ?? {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const rt = new DataFlowRuntime({
      db: this.db,
      models: [],
      settings: { poolSize: num(s.pool_size), poolMaxOverflow: num(s.pool_max_overflow), autoMigrate: s.auto_migrate !== false },
    });
    this.runtimes.push(rt);
    const loc = e.location as SourceLocation | undefined;
    if (!this.profile) return;
    if (!this.profiler) {
      this.poolLocation = loc;
      const threshold = num(s.slow_query_threshold);
      this.profiler = new Profiler({
        poolLocation: loc?.file ? { file: loc.file, line: loc.line } : undefined,
        ...this.profile,
        excludeTags: [...(this.profile.excludeTags ?? []), DRIVER_TAG],
        runtimes: [rt],
        slowQueryThreshold: this.profile.slowQueryThreshold ?? threshold ?? 1.0,
      }).start();
    } else this.profiler.runtimes.push(rt);
  }

  private onModel(e: TraceEvent): void {
    const rt = this.runtimes[Number(e.instance)];
    if (!rt || typeof e.name !== 'string' || rt.models.has(e.name)) return;
    const fields = ((e.fields ?? []) as { name: string; type: string; optional?: boolean; default?: unknown; annotation?: string }[]).map((f) => {
      const out: ModelDefinition['fields'][number] = {
        name: f.name,
        type: TYPE_NAMES.has(f.type as PyTypeName) ? (f.type as PyTypeName) : 'other',
        optional: !!f.optional,
        annotation: f.annotation,
      };
      if (Object.prototype.hasOwnProperty.call(f, 'default')) out.default = f.default as never;
      return out;
    });
    const def: ModelDefinition = { name: e.name, fields, tablename: typeof e.table === 'string' ? e.table : undefined, appendOnly: !!e.appendOnly };
    rt.registerModel(def, false).catch((err: Error) => this.notes.push(`Model ${e.name} could not be described to the profiler: ${err.message}`));
  }

  private onRunStart(e: TraceEvent): void {
    const index = Number(e.run);
    const live: LiveRun = {
      index,
      recorderIndex: this.recorder.runCount,
      nodes: [],
      locations: (e.nodes ?? {}) as LiveRun['locations'],
      perNode: new Map(),
      location: e.location as SourceLocation | undefined,
      workflowId: typeof e.workflowId === 'string' ? e.workflowId : undefined,
      startTs: Number(e.ts),
    };
    this.runs.set(index, live);
    if (this.profiler) {
      live.options = this.profiler.instrument(undefined, { location: live.location, recorder: this.recorder });
      const track = this.profiler.tracker.runs[this.profiler.tracker.runs.length - 1];
      track.start = this.perf(live.startTs);
      track.workflowId = live.workflowId;
    }
  }

  private onNodeStart(e: TraceEvent): void {
    const live = this.runs.get(Number(e.run));
    if (!live) return;
    const id = String(e.node);
    const info = live.locations[id];
    live.perNode.set(id, { statements: 0, rows: 0 });
    live.options?.onNodeStart?.({ id, type: info?.type ?? String(e.type), location: info?.location });
  }

  private onNodeEnd(e: TraceEvent): void {
    const live = this.runs.get(Number(e.run));
    if (!live) return;
    const id = String(e.node);
    const info = live.locations[id];
    const counts = live.perNode.get(id) ?? { statements: 0, rows: 0 };
    const row: NodeRun = { id, type: info?.type ?? String(e.type), startedAt: Number(e.ts), ms: Number(e.ms), statements: counts.statements, rows: counts.rows };
    if (info?.location) row.location = info.location;
    if (typeof e.error === 'string') {
      row.error = e.error;
      if (typeof e.errorType === 'string') row.errorType = e.errorType;
    }
    live.nodes.push(row);
    live.options?.onNodeEnd?.(row);
    if (this.profiler) {
      const track = this.profiler.tracker.runs.find((t) => t.recorderIndex === live.recorderIndex);
      if (track) track.end = this.perf(Number(e.ts) + Number(e.ms));
    }
  }

  private onRunEnd(e: TraceEvent): void {
    const index = Number(e.run);
    const live = this.runs.get(index);
    if (!live) return;
    this.runs.delete(index);
    const err = e.error as { type: string; message: string; node?: string } | undefined;
    let error: Error | undefined;
    if (err) {
      error = Object.assign(new Error(err.message), { pythonType: err.type });
      if (err.node) (error as Error & { nodeId?: string }).nodeId = err.node;
    }
    const input = { workflowId: live.workflowId, location: live.location, results: (e.results ?? {}) as Record<string, unknown>, nodes: live.nodes, error };
    if (live.options?.recorder) live.options.recorder.record(input);
    else this.recorder.record(input);
    if (err?.node) {
      const runs = this.recorder.toJSON().runs;
      const rec = runs[runs.length - 1];
      if (rec.error) rec.error.node = err.node;
    }
    if (this.profiler) {
      const track = this.profiler.tracker.runs.find((t) => t.recorderIndex === live.recorderIndex);
      if (track) track.end = this.perf(Number(e.ts));
    }
  }

  private onSql(e: TraceEvent): void {
    const sql = String(e.sql ?? '');
    const run = typeof e.run === 'number' ? e.run : undefined;
    const node = typeof e.node === 'string' ? e.node : undefined;
    const rows = typeof e.rows === 'number' ? e.rows : 0;
    const st: TracedStatement = { sql, method: String(e.method), startedAt: Number(e.ts), durationMs: Number(e.ms) };
    if (Array.isArray(e.params)) st.params = e.params;
    if (run !== undefined) st.run = run;
    if (node !== undefined) st.node = node;
    if (typeof e.file === 'string') st.file = e.file;
    if (typeof e.line === 'number') st.line = e.line;
    if (typeof e.rows === 'number') st.rows = e.rows;
    if (typeof e.error === 'string') st.error = e.error;
    if (this.statements.length < MAX_TRACE) this.statements.push(st);
    else this.statementsOmitted++;

    const live = run !== undefined ? this.runs.get(run) : undefined;
    const driver = DRIVER_RESET.test(sql);
    if (live && node !== undefined && !driver) {
      const c = live.perNode.get(node);
      if (c) {
        c.statements++;
        c.rows += rows;
      }
    }
    const connKey = Number(e.conn ?? 0);
    let conn = this.connIds.get(connKey);
    if (conn === undefined) {
      conn = this.connIds.size + 1;
      this.connIds.set(connKey, conn);
    }
    const command = commandOf(sql);
    const wasInTx = this.inTx.has(conn);
    if (command === 'BEGIN' || command === 'START') this.inTx.add(conn);
    else if (command === 'COMMIT' || command === 'ROLLBACK' || command === 'END') this.inTx.delete(conn);
    if (!this.profiler) return;
    const event: StatementEvent = {
      sql,
      params: (st.params ?? []).map(toSqlParam),
      durationMs: st.durationMs,
      waitMs: 0,
      rowCount: rows,
      command,
      tag: driver ? DRIVER_TAG : live ? node : undefined,
      backend: this.db.kind,
      connectionId: conn,
      inTransaction: wasInTx || this.inTx.has(conn),
      error: st.error ? new Error(st.error) : undefined,
      startedAt: st.startedAt,
    };
    this.profiler.collector.onStatement(this.db, event, this.perf(st.startedAt + st.durationMs));
  }

  /** Runs the tracer never ended (the process died inside an execute()): recorded as failed. */
  closeOpenRuns(reason: string): void {
    for (const index of [...this.runs.keys()]) this.onRunEnd({ t: 'run_end', run: index, ts: Date.now(), error: { type: 'Interrupted', message: reason } });
  }

  get poolSite(): SourceLocation | undefined {
    return this.poolLocation;
  }
}

function toSqlParam(v: unknown): SqlParam {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}
