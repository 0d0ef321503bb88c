/**
 * Plans: `EXPLAIN (FORMAT JSON)` for every distinct SELECT fingerprint, re-run with the first
 * occurrence's parameters; `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` when asked, data-changing
 * statements then only inside a transaction that is rolled back. Every statement is the
 * profiler's own (tag dataflow:profiler), so none of them is counted.
 */
import type { PlanProfile } from '../report/reportTypes';
import type { Database, SqlParam } from '../runtime/db/types';
import { parsePlan, type ParsedPlan } from './planParse';
import { inRolledBackTransaction, profilerQuery } from './sandbox';
import type { FingerprintAgg } from './statementCollector';
import { displaySql } from './sqlDisplay';
import { errorMessage, throwIfAborted } from './util';

export interface ExplainOptions {
  analyze?: boolean;
  signal?: AbortSignal;
}

/** Text of the EXPLAIN statement for `sql`. Refuses several statements (pganalyze's rule). */
export function explainSql(sql: string, analyze: boolean): string {
  const body = sql.trim().replace(/;\s*$/, '');
  if (body.includes(';') && /;\s*\S/.test(body)) throw new Error('refusing to EXPLAIN several statements');
  return `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}FORMAT JSON) ${body}`;
}

function rawPlan(rows: Record<string, unknown>[]): unknown {
  const row = rows[0] ?? {};
  return row['QUERY PLAN'] ?? Object.values(row)[0];
}

/** EXPLAIN one statement. Data-changing statements with analyze run in a rolled-back transaction. */
export async function explainStatement(
  db: Database,
  sql: string,
  params: readonly SqlParam[],
  options: ExplainOptions & { kind?: string; restoreSequencesOf?: string[] } = {},
): Promise<{ raw: unknown; plan: ParsedPlan }> {
  throwIfAborted(options.signal);
  const analyze = options.analyze === true;
  const text = explainSql(sql, analyze);
  const writes = options.kind !== undefined && options.kind !== 'select';
  let raw: unknown;
  if (analyze && writes) {
    raw = await inRolledBackTransaction(db, async ({ q }) => rawPlan((await q(text, params)).rows), { signal: options.signal, restoreSequencesOf: options.restoreSequencesOf });
  } else {
    raw = rawPlan((await profilerQuery(db, text, params, options.signal)).rows);
  }
  if (typeof raw === 'string') raw = JSON.parse(raw);
  return { raw, plan: parsePlan(raw) };
}

export interface PlanResult {
  plans: PlanProfile[];
  /** fingerprint → plan id */
  planIdOf: Map<string, number>;
  errors: { fingerprint: string; error: string }[];
}

/** Tables a statement names after FROM / INTO / UPDATE (DataFlow's quoted identifiers). */
export function tablesOf(sql: string): string[] {
  const out = new Set<string>();
  const re = /\b(?:FROM|INTO|UPDATE|JOIN)\s+"((?:[^"]|"")+)"/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(sql))) out.add(m[1].replace(/""/g, '"'));
  return [...out];
}

export async function explainFingerprints(groups: Iterable<FingerprintAgg>, options: { mode: boolean | 'analyze'; maxPlans: number; signal?: AbortSignal }): Promise<PlanResult> {
  const plans: PlanProfile[] = [];
  const planIdOf = new Map<string, number>();
  const errors: PlanResult['errors'] = [];
  if (options.mode === false) return { plans, planIdOf, errors };
  const analyze = options.mode === 'analyze';
  const candidates = [...groups]
    .filter((g) => g.rep.params !== undefined && (g.kind === 'select' || (analyze && (g.kind === 'insert' || g.kind === 'update' || g.kind === 'delete'))))
    .sort((a, b) => b.totalMs - a.totalMs);
  for (const g of candidates) {
    if (plans.length >= options.maxPlans) break;
    throwIfAborted(options.signal);
    try {
      const { raw, plan } = await explainStatement(g.rep.db, g.rep.sql, g.rep.params!, {
        analyze,
        kind: g.kind,
        signal: options.signal,
        restoreSequencesOf: g.kind === 'insert' ? tablesOf(g.rep.sql) : undefined,
      });
      const id = plans.length + 1;
      plans.push({
        id,
        fingerprint: g.fingerprint,
        sql: displaySql(g.rep.sql),
        analyzed: plan.analyzed,
        totalCost: plan.totalCost,
        executionMs: plan.executionMs,
        root: plan.root,
        raw,
      });
      planIdOf.set(g.fingerprint, id);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      errors.push({ fingerprint: g.fingerprint, error: errorMessage(e) });
    }
  }
  return { plans, planIdOf, errors };
}
