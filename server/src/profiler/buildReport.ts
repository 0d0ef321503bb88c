/**
 * Assembles the PerformanceReport (report/reportTypes.ts) from what the profiler collected:
 * statements and their groups, runs and node rows, plans, recommendations, table sizes, notes.
 * Pure: no database access here (the analysis happened before, see profiler.ts).
 */
import {
  REPORT_SCHEMA,
  REPORT_VERSION,
  type NodeProfile,
  type PerformanceReport,
  type PlanProfile,
  type Recommendation,
  type StatementProfile,
} from '../report/reportTypes';
import type { LoopRunInfo } from './whatIf/loopVsBulk';
import type { Groups } from './grouping';
import type { PoolInfo } from './whatIf/pool';
import type { StatementCollector } from './statementCollector';
import { displaySql } from './sqlDisplay';
import { round, toSourceLoc } from './util';
import { VERSION } from '../version';

export interface ReportInput {
  collector: StatementCollector;
  runs: LoopRunInfo[];
  groups: Groups;
  plans: PlanProfile[];
  planIdOf: Map<string, number>;
  recommendations: Omit<Recommendation, 'id'>[];
  tables: Record<string, number>;
  divergences: unknown[];
  quirks: unknown[];
  log: string[];
  source: { file: string; entry?: string };
  tool?: { name: string; version: string };
  database: PerformanceReport['database'];
  cache: { schemaHits: number; schemaMisses: number };
  pool: PoolInfo;
  profilerMs: number;
  analysisMs?: number;
  /** performance.now() / Date.now() at the profiler's start: the report's time origin. */
  basePerf: number;
  baseEpoch: number;
  /** The model and operation of a node type, when it is a DataFlow node. */
  describeType?: (type: string) => { model?: string; operation?: string } | undefined;
  createdAt?: Date;
}

export const TOOL = { name: 'dataflow-performance', version: VERSION };
export const MAX_LOG_LINES = 2000;

export function assembleReport(i: ReportInput): PerformanceReport {
  const c = i.collector;
  const g = i.groups;
  const byNodeKey = c.byNode;

  const statements: StatementProfile[] = c.statements.map((s) => {
    const p: StatementProfile = {
      id: s.id,
      sql: displaySql(s.sql),
      fingerprint: s.fingerprint,
      kind: s.kind,
      paramCount: s.paramCount,
      durationMs: round(s.durationMs),
      waitMs: round(s.waitMs),
      rows: s.rows,
      startMs: round(s.start - i.basePerf),
      slow: s.slow,
    };
    if (s.run !== undefined) p.run = s.run;
    if (s.nodeId !== undefined) p.nodeId = s.nodeId;
    const loc = toSourceLoc(s.location, i.source.file);
    if (loc) p.location = loc;
    if (s.error !== undefined) p.error = s.error;
    const sg = g.similarIdOf.get(s.fingerprint);
    if (sg !== undefined) p.similarGroup = sg;
    const dg = s.duplicateKey !== undefined ? g.duplicateIdOf.get(s.duplicateKey) : undefined;
    if (dg !== undefined) p.duplicateGroup = dg;
    const pid = i.planIdOf.get(s.fingerprint);
    if (pid !== undefined) p.planId = pid;
    return p;
  });

  let queryHits = 0;
  let queryMisses = 0;
  let failedNodes = 0;
  let nodeCount = 0;
  const runs: PerformanceReport['runs'] = i.runs.map((r) => {
    const nodes: NodeProfile[] = r.nodes.map((n) => {
      nodeCount++;
      const agg = byNodeKey.get(`${r.index}|${n.id}`);
      const t = i.describeType?.(n.type);
      if (n.cacheHit === true) queryHits++;
      if (n.cacheHit === false) queryMisses++;
      if (n.failed) failedNodes++;
      const np: NodeProfile = {
        id: n.id,
        type: n.type,
        run: r.index,
        startMs: round(n.startedAt - i.baseEpoch),
        ms: round(n.ms),
        sqlMs: round(agg?.sqlMs ?? 0),
        statements: agg?.statements ?? n.statements,
        rows: agg?.rows ?? n.rows,
        cache: { hits: n.cacheHit === true ? 1 : 0, misses: n.cacheHit === false ? 1 : 0 },
        poolWaitMs: round(agg?.waitMs ?? 0),
        statementIds: agg ? [...agg.ids] : [],
      };
      if (t?.model) np.model = t.model;
      if (t?.operation) np.operation = t.operation;
      const loc = toSourceLoc(n.location, i.source.file);
      if (loc) np.location = loc;
      if (n.location?.loops?.length) np.loops = n.location.loops.map((l) => ({ ...l }));
      if (n.failed || n.error !== undefined) np.failed = true;
      if (n.error !== undefined) np.error = n.error;
      return np;
    });
    const end = r.end ?? r.start;
    const out: PerformanceReport['runs'][number] = { index: r.index, startMs: round(r.start - i.basePerf), ms: round(end - r.start), nodes };
    const loc = toSourceLoc(r.location, i.source.file);
    if (loc) out.location = loc;
    if (r.workflowId !== undefined) out.workflowId = r.workflowId;
    if (r.error) out.error = { ...r.error };
    return out;
  });

  const firstStart = runs.length ? Math.min(...runs.map((r) => r.startMs)) : 0;
  const lastEnd = runs.length ? Math.max(...runs.map((r) => r.startMs + r.ms)) : statements.reduce((m, s) => Math.max(m, s.startMs + s.durationMs), 0);
  const recs: Recommendation[] = i.recommendations.map((r, k) => ({ ...r, id: k + 1 }));
  const hitDenom = queryHits + queryMisses;

  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: (i.createdAt ?? new Date()).toISOString(),
    tool: i.tool ?? TOOL,
    source: { ...i.source },
    database: { ...i.database },
    summary: {
      totalMs: round(Math.max(0, lastEnd - firstStart)),
      sqlMs: round(c.sqlMs),
      statements: c.total,
      rows: c.rows,
      nodes: nodeCount,
      runs: runs.length,
      errors: runs.filter((r) => r.error).length + failedNodes,
      slowStatements: c.slow,
      nPlusOne: g.nPlusOne.length,
      cache: {
        queryHits,
        queryMisses,
        queryHitRate: hitDenom ? round(queryHits / hitDenom, 4) : null,
        schemaHits: i.cache.schemaHits,
        schemaMisses: i.cache.schemaMisses,
      },
      pool: { size: i.pool.size, maxOverflow: i.pool.maxOverflow, peakConnections: i.pool.peakConnections, waitMs: round(i.pool.waitMs) },
      profilerMs: round(i.profilerMs),
      ...(i.analysisMs !== undefined ? { analysisMs: round(i.analysisMs) } : {}),
    },
    runs,
    statements,
    statementsOmitted: c.statementsOmitted,
    groups: { similar: g.similar, duplicate: g.duplicate, nPlusOne: g.nPlusOne },
    plans: i.plans,
    recommendations: recs,
    tables: { ...i.tables },
    divergences: [...i.divergences],
    quirks: [...i.quirks],
    log: i.log.slice(0, MAX_LOG_LINES),
  };
}
