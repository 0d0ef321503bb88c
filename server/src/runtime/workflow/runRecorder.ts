import type { DivergenceRecord, ExecutionContext, QuirkRecord } from '../dataflow/context';
import { FloatNumber } from '../python/floatNumber';
import type { DataFlowRuntime } from '../dataflow/runtime';
import { CallableDefault, pyRepr } from '../dataflow/values/dfValues';
import { PyDate, PyDateTime, PyDecimal, HostUUID } from '../shared/hostValues';
import { quoteIdent } from '../db/quoteIdent';
import { KailashError, pythonMessageOf, pythonTypeOf } from './errors';
import type { NodeRun, SourceLocation } from './types';

export interface RecordedError {
  type: string;
  message: string;
  /** The node whose failure stopped the run, when known. */
  node?: string;
}

export interface RecordedRun {
  workflowId?: string;
  location?: SourceLocation;
  /** What execute() returned: `{node_id: output}`; empty when it raised (DataFlow returns nothing then). */
  results: Record<string, unknown>;
  /** When execute() raised: the outputs of the nodes that ran before it did (not part of DataFlow's answer). */
  partialResults?: Record<string, unknown>;
  nodes: NodeRun[];
  error?: RecordedError;
  warnings?: string[];
}

/** The run-result document the CLI prints. */
export interface RunDocument {
  runs: RecordedRun[];
  /** Row count per table of every model after the last run (see snapshotTables). */
  tables: Record<string, number>;
  divergences: DivergenceRecord[];
  quirks: QuirkRecord[];
}

export interface RecordInput {
  workflowId?: string;
  location?: SourceLocation;
  results: Record<string, unknown>;
  nodes: NodeRun[];
  error?: unknown;
  warnings?: string[];
  contexts?: ExecutionContext[];
}

/**
 * Collects, across the execute() calls of one evaluation, what the CLI reports: per run its
 * results (JSON-safe copies), node rows and error; the row count of each table; and the quirks /
 * divergences of every execution context (deduplicated).
 */
export class RunRecorder {
  private readonly runs: RecordedRun[] = [];
  private readonly divergences: DivergenceRecord[] = [];
  private readonly quirks: QuirkRecord[] = [];
  private readonly seen = new Set<string>();
  private tables: Record<string, number> = {};

  record(run: RecordInput): void {
    const rec: RecordedRun = {
      workflowId: run.workflowId,
      location: run.location,
      results: run.error === undefined ? (toJsonValue(run.results) as Record<string, unknown>) : {},
      nodes: run.nodes.map((n) => ({ ...n })),
    };
    if (run.error !== undefined && Object.keys(run.results).length) rec.partialResults = toJsonValue(run.results) as Record<string, unknown>;
    if (run.warnings?.length) rec.warnings = [...run.warnings];
    if (run.error !== undefined) {
      rec.error = { type: pythonTypeOf(run.error), message: pythonMessageOf(run.error) };
      const node = run.error instanceof KailashError ? (run.error as { nodeId?: string }).nodeId : undefined;
      if (node) rec.error.node = node;
    }
    this.runs.push(rec);
    for (const ctx of run.contexts ?? []) this.addNotes(ctx.quirks, ctx.divergences);
  }

  /** Quirks / divergences from outside a workflow run (express calls, startup). */
  addContext(ctx: ExecutionContext): void {
    this.addNotes(ctx.quirks, ctx.divergences);
  }

  private addNotes(quirks: QuirkRecord[], divergences: DivergenceRecord[]): void {
    for (const [kind, list, target] of [
      ['q', quirks, this.quirks],
      ['d', divergences, this.divergences],
    ] as const) {
      for (const item of list) {
        const key = `${kind}|${item.code}|${item.model ?? ''}|${item.node ?? ''}|${item.message}`;
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        target.push({ ...item });
      }
    }
  }

  /** Count the rows of every model table of these runtimes (missing tables are skipped). */
  async snapshotTables(...runtimes: DataFlowRuntime[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const rt of runtimes) {
      for (const m of rt.models.values()) {
        try {
          const r = await rt.db.query(`SELECT COUNT(*) AS c FROM ${quoteIdent(m.tableName)}`, [], { tag: 'workflow:run-recorder' });
          out[m.tableName] = Number(r.rows[0]?.c ?? 0);
        } catch {
          // table not created (DDL off or failed): not reported
        }
      }
    }
    this.tables = { ...this.tables, ...out };
    return out;
  }

  get runCount(): number {
    return this.runs.length;
  }

  toJSON(): RunDocument {
    return { runs: this.runs, tables: { ...this.tables }, divergences: [...this.divergences], quirks: [...this.quirks] };
  }
}

/** A JSON-safe copy: bigint → number (or string beyond 2^53), bytes → {"$bytes": base64}, errors → {type, message}. */
export function toJsonValue(v: unknown, seen = new WeakSet<object>()): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  // inf / nan: a float, marked like a whole one (its repr in the document, as the oracle writes it)
  if (typeof v === 'number') return Number.isFinite(v) ? v : new FloatNumber(v);
  if (typeof v !== 'object') return typeof v === 'function' ? String(v) : v;
  // A whole float stays marked: runFile lists where (RunFileResult.floats) and writes its number.
  if (v instanceof FloatNumber) return v;
  if (v instanceof PyDateTime || v instanceof PyDate || v instanceof PyDecimal || v instanceof HostUUID) return v.toString();
  if (v instanceof CallableDefault) return `<function ${v.name}>`;
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  // An exception (a failed entry's `_exception`) as the oracle writes objects it cannot show: its repr.
  if (v instanceof Error) return `${pythonTypeOf(v)}(${pyRepr(v.message)})`;
  if (seen.has(v)) return '<cycle>';
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => toJsonValue(x, seen));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJsonValue(x, seen);
    return out;
  } finally {
    seen.delete(v);
  }
}
