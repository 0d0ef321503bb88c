// The performance report: a versioned JSON document (docs/report-schema.md). The panel, the HTML
// export and `dataflow-run --report` are all views of it. Never holds a password.
import type { RuleName } from '../settings';

export const REPORT_SCHEMA = 'dataflow-performance-report';
export const REPORT_VERSION = 1;

/** A place in the user's source. `line` and `column` are 1-based. */
export interface SourceLoc {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  function?: string;
}

export interface LoopRef { kind: 'for' | 'while' | 'comprehension'; line: number; iteration?: number }

export interface ReportSummary {
  totalMs: number;
  /** Time in SQL (sum of statement durations, excluding the profiler's own statements). */
  sqlMs: number;
  statements: number;
  rows: number;
  nodes: number;
  runs: number;
  errors: number;
  slowStatements: number;
  nPlusOne: number;
  cache: {
    queryHits: number;
    queryMisses: number;
    /** hits / (hits + misses), 0..1; null when no cacheable read ran. */
    queryHitRate: number | null;
    schemaHits: number;
    schemaMisses: number;
  };
  pool: { size: number; maxOverflow: number; peakConnections: number; waitMs: number };
  /**
   * The profiler's cost inside the run: its statement hooks and bookkeeping while the workflow ran,
   * the part of totalMs that production would not spend. Measured the same way on every run.
   */
  profilerMs: number;
  /** After the run: building this report (EXPLAIN plans, what-if experiments, assembly); not in totalMs. */
  analysisMs?: number;
}

export interface NodeProfile {
  id: string;
  type: string;
  model?: string;
  operation?: string;
  run: number;
  location?: SourceLoc;
  loops?: LoopRef[];
  /** Milliseconds from the report's start. */
  startMs: number;
  ms: number;
  sqlMs: number;
  statements: number;
  rows: number;
  cache: { hits: number; misses: number };
  poolWaitMs: number;
  failed?: boolean;
  error?: string;
  statementIds: number[];
}

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'ddl' | 'transaction' | 'other';

export interface StatementProfile {
  id: number;
  /** SQL as sent, with long IN lists and VALUES collapsed (`IN (… 5,000 values)`). */
  sql: string;
  /** The "similar" key: SQL without parameters and with IN/VALUES lists normalised. */
  fingerprint: string;
  kind: StatementKind;
  paramCount: number;
  durationMs: number;
  waitMs: number;
  rows: number;
  startMs: number;
  run?: number;
  nodeId?: string;
  location?: SourceLoc;
  slow: boolean;
  error?: string;
  similarGroup?: number;
  duplicateGroup?: number;
  planId?: number;
}

export interface StatementGroup {
  id: number;
  fingerprint: string;
  sql: string;
  count: number;
  totalMs: number;
  statementIds: number[];
  nodeIds: string[];
}

export interface NPlusOne {
  id: number;
  fingerprint: string;
  sql: string;
  count: number;
  totalMs: number;
  /** The loop (or node) the similar statements came from. */
  location?: SourceLoc;
  loop?: LoopRef;
  nodeIds: string[];
}

export interface PlanNode {
  nodeType: string;
  relation?: string;
  index?: string;
  startupCost: number;
  totalCost: number;
  planRows: number;
  actualMs?: number;
  actualRows?: number;
  loops?: number;
  filter?: string;
  /** The node with the largest exclusive cost (or time, when analysed) in the plan. */
  costliest?: boolean;
  children: PlanNode[];
}

export interface PlanProfile {
  id: number;
  fingerprint: string;
  sql: string;
  analyzed: boolean;
  totalCost: number;
  executionMs?: number;
  root: PlanNode;
  /** The server's EXPLAIN (FORMAT JSON) output, untouched. */
  raw: unknown;
}

export interface Measurement {
  ms?: number;
  cost?: number;
  statements?: number;
  plan?: string;
  description: string;
}

export type Verdict = 'recommended' | 'not-worth-it' | 'unverified';

export interface Recommendation {
  id: number;
  rule: RuleName;
  code: string;
  title: string;
  file: string;
  line: number;
  column?: number;
  nodeIds: string[];
  before: Measurement;
  after: Measurement;
  /** before / after of the main measure (time or cost), when both are known. */
  ratio?: number;
  verdict: Verdict;
  detail: string;
  /** The static diagnostic at the same source range, when the analysis reports one. */
  diagnostic?: { code: string; line: number; column: number; fixTitle?: string };
}

export interface PerformanceReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  createdAt: string;
  tool: { name: string; version: string };
  source: { file: string; entry?: string };
  database: {
    kind: 'embedded' | 'postgresql';
    description: string;
    serverVersion?: string;
    seedRows?: number;
    /** Conditions of the workflow's filters that seeded rows were given values for, with the selectivity they then had. */
    seededFilters?: Array<{ model: string; field: string; condition: string; seeded: number; matching: number; total: number }>;
  };
  summary: ReportSummary;
  runs: Array<{ index: number; location?: SourceLoc; startMs: number; ms: number; workflowId?: string; error?: { type: string; message: string }; nodes: NodeProfile[] }>;
  statements: StatementProfile[];
  /** Statements left out of `statements` (a run of more than the report keeps); counted in the summary. */
  statementsOmitted: number;
  groups: { similar: StatementGroup[]; duplicate: StatementGroup[]; nPlusOne: NPlusOne[] };
  plans: PlanProfile[];
  recommendations: Recommendation[];
  tables: Record<string, number>;
  divergences: unknown[];
  quirks: unknown[];
  /** print() output and the run's log lines (bounded). */
  log: string[];
  /** Which engine ran the file: the embedded runtime (absent = embedded) or the project's Python. */
  engine?: 'embedded' | 'python';
  /** Engines compared (dataflow-run --compare): every node whose result or statements differ. */
  engines?: EnginesCompared;
}

/** One node (or whole run) where the embedded runtime and the real DataFlow disagree. */
export interface EngineDifference {
  /** Index of the execute() call (0-based), in call order. */
  run: number;
  /** The node id; absent for a run-level difference (a run missing on one side). */
  node?: string;
  /** 'volatile': the results differ only in clock or random values (timestamps, UUIDs, hex ids); the node counts as agreeing. */
  kind: 'result' | 'statements' | 'error' | 'missing' | 'run' | 'volatile';
  message: string;
  embedded?: unknown;
  python?: unknown;
  /** A result as Python prints it (json.dumps: `8.0`), when its JSON cannot show a float so. */
  embeddedText?: string;
  pythonText?: string;
}

export interface EnginesCompared {
  embeddedMs?: number;
  pythonMs?: number;
  embeddedRuns?: number;
  pythonRuns?: number;
  embeddedExitCode?: number;
  pythonExitCode?: number;
  /** Why an engine's run stopped (e.g. the embedded runtime's exit 2: a construct it does not model). */
  embeddedError?: { type: string; message: string; file?: string; line?: number };
  pythonError?: { type: string; message: string; file?: string; line?: number };
  /** The interpreter and DataFlow version of the Python side. */
  python?: string;
  nodesCompared: number;
  nodesAgreeing: number;
  differences: EngineDifference[];
}
