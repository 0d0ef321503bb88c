/**
 * Missing-index what-if (Dexter's procedure, ankane/dexter): for the filtered or sorted SELECT of
 * a List / Count node, build the candidate index (equality, range, sort columns), skip it when an
 * existing btree index covers it, measure the plan cost before and after, and recommend only when
 * the initial cost is ≥ 100 and the index cuts it by ≥ 50 %.
 *
 * Where the "after" comes from:
 * - embedded database: the index is really created inside a transaction that is rolled back
 *   (EXPLAIN + a few EXPLAIN ANALYZE runs on each side);
 * - user PostgreSQL with hypopg available: a hypothetical index (hypopg_create_index), also in a
 *   rolled-back transaction (the extension itself is created there if needed and rolled back);
 * - user PostgreSQL without hypopg: a real index in a rolled-back transaction only when
 *   allowIndexWhatIfOnUserDb is set (it locks the table while it lasts); else "unverified".
 */
import { quoteIdent } from '../../runtime/db/quoteIdent';
import type { Database, SqlParam } from '../../runtime/db/types';
import type { Measurement, Recommendation, SourceLoc } from '../../report/reportTypes';
import { explainSql } from '../explain';
import { describeScans, parsePlan, usesIndex, type ParsedPlan } from '../planParse';
import { inRolledBackTransaction, profilerQuery, type SandboxTx } from '../sandbox';
import type { FingerprintAgg } from '../statementCollector';
import { median, round, throwIfAborted, errorMessage } from '../util';
import { candidateColumns, coveringIndex, parseListSql, type ExistingIndex } from './listShape';

export interface IndexWhatIfOptions {
  signal?: AbortSignal;
  allowOnUserDb: boolean;
  runs: number;
  minCost: number;
  minSavingsPct: number;
  max: number;
  /** The report's source file, when a statement has no location. */
  fallbackFile: string;
  location: (agg: FingerprintAgg) => SourceLoc | undefined;
}

export type IndexWhatIfDraft = Omit<Recommendation, 'id'> & { table: string; columns: string[]; fingerprints: string[] };

const NOT_WORTH = 'not worth an index at this size';

export async function existingIndexes(db: Database, table: string, signal?: AbortSignal): Promise<ExistingIndex[]> {
  const r = await profilerQuery(
    db,
    `SELECT ic.relname AS name, am.amname AS method, ix.indisunique AS "unique",
            (ix.indpred IS NOT NULL OR ix.indexprs IS NOT NULL) AS partial,
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS columns
       FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid JOIN pg_am am ON am.oid = ic.relam
      WHERE ix.indrelid = $1::regclass`,
    [quoteIdent(table)],
    signal,
  );
  return r.rows.map((row) => ({
    name: String(row.name),
    method: String(row.method),
    unique: row.unique === true,
    partial: row.partial === true,
    columns: Array.isArray(row.columns) ? row.columns.map(String) : typeof row.columns === 'string' ? (JSON.parse(row.columns) as string[]) : [],
  }));
}

async function columnTypes(db: Database, table: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const r = await profilerQuery(
    db,
    `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [quoteIdent(table)],
    signal,
  );
  return new Map(r.rows.map((row) => [String(row.attname), String(row.type)]));
}

async function hypopgAvailable(db: Database, signal?: AbortSignal): Promise<{ available: boolean; installed: boolean }> {
  try {
    const r = await profilerQuery(db, `SELECT installed_version FROM pg_available_extensions WHERE name = 'hypopg'`, [], signal);
    if (r.rows.length === 0) return { available: false, installed: false };
    return { available: true, installed: r.rows[0].installed_version !== null && r.rows[0].installed_version !== undefined };
  } catch {
    return { available: false, installed: false };
  }
}

async function explainIn(s: SandboxTx, sql: string, params: readonly SqlParam[], analyze: boolean): Promise<ParsedPlan> {
  const r = await s.q(explainSql(sql, analyze), params);
  const row = r.rows[0] ?? {};
  let raw = row['QUERY PLAN'] ?? Object.values(row)[0];
  if (typeof raw === 'string') raw = JSON.parse(raw);
  return parsePlan(raw);
}

async function timed(s: SandboxTx, sql: string, params: readonly SqlParam[], runs: number, signal?: AbortSignal): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    throwIfAborted(signal);
    const p = await explainIn(s, sql, params, true);
    ms.push(p.executionMs ?? p.root.actualMs ?? NaN);
  }
  return median(ms);
}

function indexName(table: string, cols: string[]): string {
  return `df_whatif_${table}_${cols.join('_')}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63);
}

interface Candidate {
  table: string;
  columns: string[];
  aggs: FingerprintAgg[];
}

/** Candidates from the fingerprints of List / Count statements (one per table + column list). */
export function indexCandidates(aggs: Iterable<FingerprintAgg>): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const g of aggs) {
    if (g.kind !== 'select' || g.rep.params === undefined) continue;
    const t = g.rep.nodeType;
    if (t !== undefined && !/(List|Count)Node$/.test(t)) continue;
    const shape = parseListSql(g.rep.sql);
    if (!shape) continue;
    const columns = candidateColumns(shape);
    if (columns.length === 0) continue;
    const key = `${shape.table}|${columns.join(',')}`;
    const c = byKey.get(key);
    if (c) c.aggs.push(g);
    else byKey.set(key, { table: shape.table, columns, aggs: [g] });
  }
  // most expensive first
  return [...byKey.values()].sort((a, b) => b.aggs.reduce((s, g) => s + g.totalMs, 0) - a.aggs.reduce((s, g) => s + g.totalMs, 0));
}

export async function missingIndexWhatIfs(aggs: Iterable<FingerprintAgg>, options: IndexWhatIfOptions): Promise<IndexWhatIfDraft[]> {
  const out: IndexWhatIfDraft[] = [];
  for (const cand of indexCandidates(aggs)) {
    if (out.length >= options.max) break;
    throwIfAborted(options.signal);
    try {
      const d = await oneCandidate(cand, options);
      if (d) out.push(d);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      // a candidate that cannot be measured (table gone, …) is left out
      const rep = cand.aggs[0];
      const loc = options.location(rep) ?? { file: options.fallbackFile, line: 1 };
      out.push(draft(cand, loc, { description: 'could not measure' }, { description: errorMessage(e) }, 'unverified', `The what-if failed: ${errorMessage(e)}`));
    }
  }
  return out;
}

function draft(cand: Candidate, loc: SourceLoc, before: Measurement, after: Measurement, verdict: Recommendation['verdict'], detail: string, ratio?: number): IndexWhatIfDraft {
  const nodeIds = [...new Set(cand.aggs.flatMap((g) => [...g.nodeIds]))];
  return {
    rule: 'missing-index',
    code: 'DF003',
    title: `Index ${cand.table} (${cand.columns.join(', ')})`,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    nodeIds,
    before,
    after,
    ratio: ratio !== undefined && Number.isFinite(ratio) ? round(ratio, 2) : undefined,
    verdict,
    detail,
    table: cand.table,
    columns: cand.columns,
    fingerprints: cand.aggs.map((g) => g.fingerprint),
  };
}

async function oneCandidate(cand: Candidate, o: IndexWhatIfOptions): Promise<IndexWhatIfDraft | undefined> {
  const rep = cand.aggs.reduce((a, b) => (b.totalMs > a.totalMs ? b : a)).rep;
  const db = rep.db;
  const loc = o.location(cand.aggs[0]) ?? { file: o.fallbackFile, line: 1 };
  const params = rep.params ?? [];
  const existing = await existingIndexes(db, cand.table, o.signal);
  if (coveringIndex(cand.columns, existing)) return undefined; // already covered: nothing to suggest
  const types = await columnTypes(db, cand.table, o.signal);
  if (cand.columns.some((c) => /^(json|jsonb|point)$/.test(types.get(c) ?? ''))) return undefined; // no btree (Dexter drops them)
  if (cand.columns.some((c) => !types.has(c))) return undefined;

  const name = indexName(cand.table, cand.columns);
  const ddl = `CREATE INDEX ${quoteIdent(name)} ON ${quoteIdent(cand.table)} (${cand.columns.map(quoteIdent).join(', ')})`;
  const rowsR = await profilerQuery(db, `SELECT COUNT(*) AS c FROM ${quoteIdent(cand.table)}`, [], o.signal);
  const rows = Number(rowsR.rows[0]?.c ?? 0);
  const sizeNote = `${cand.table} has ${rows.toLocaleString('en-US')} rows`;

  let mode: 'real' | 'hypopg' | 'none';
  if (db.embedded) mode = 'real';
  else {
    const h = await hypopgAvailable(db, o.signal);
    mode = h.available ? 'hypopg' : o.allowOnUserDb ? 'real' : 'none';
  }

  if (mode === 'none') {
    const plan = await explainOnly(db, rep.sql, params, o.signal);
    const before: Measurement = { cost: round(plan.totalCost, 2), plan: describeScans(plan.root, cand.table), description: `EXPLAIN as run (${sizeNote})` };
    if (plan.totalCost < o.minCost) {
      return draft(cand, loc, before, { description: 'not measured' }, 'not-worth-it', `${NOT_WORTH}: initial cost ${round(plan.totalCost, 1)} is below ${o.minCost} (${sizeNote}).`);
    }
    return draft(
      cand,
      loc,
      before,
      { description: 'not measured: hypopg is not available on this database and allowIndexWhatIfOnUserDb is off' },
      'unverified',
      `Candidate: ${ddl}. Not verified on a user database without hypopg; install hypopg or allow the rolled-back what-if to measure it.`,
    );
  }

  return inRolledBackTransaction(
    db,
    async (s) => {
      // planner statistics for a table never analysed (a freshly seeded one): Dexter's --analyze,
      // here inside the transaction, so pg_statistic is rolled back with it
      if (await neverAnalyzed(s, cand.table)) await s.q(`ANALYZE ${quoteIdent(cand.table)}`);
      const beforePlan = await explainIn(s, rep.sql, params, false);
      const beforeMs = mode === 'real' ? await timed(s, rep.sql, params, o.runs, o.signal) : undefined;
      let indexLabel = name;
      if (mode === 'hypopg') {
        await s.q('CREATE EXTENSION IF NOT EXISTS hypopg');
        const h = await s.q('SELECT indexname FROM hypopg_create_index($1)', [ddl.replace(quoteIdent(name) + ' ', '')]);
        indexLabel = String(h.rows[0]?.indexname ?? 'btree');
      } else {
        await s.q(ddl);
      }
      const afterPlan = await explainIn(s, rep.sql, params, false);
      const afterMs = mode === 'real' ? await timed(s, rep.sql, params, o.runs, o.signal) : undefined;
      if (mode === 'hypopg') await s.q('SELECT hypopg_reset()').catch(() => undefined);

      const used = usesIndex(afterPlan.root, indexLabel);
      const how = mode === 'hypopg' ? 'hypothetical index (hypopg)' : 'index created in a transaction that was rolled back';
      const before: Measurement = {
        cost: round(beforePlan.totalCost, 2),
        ms: beforeMs !== undefined ? round(beforeMs) : undefined,
        plan: describeScans(beforePlan.root, cand.table),
        description: `as run (${sizeNote})${beforeMs !== undefined ? `, EXPLAIN ANALYZE median of ${o.runs}` : ''}`,
      };
      const after: Measurement = {
        cost: round(afterPlan.totalCost, 2),
        ms: afterMs !== undefined ? round(afterMs) : undefined,
        plan: describeScans(afterPlan.root, cand.table),
        description: `with ${ddl} (${how})`,
      };
      // The card's one ratio is time when both sides were timed, else cost (report-schema: ratio),
      // as its label says: a cost ratio under a 'faster' label read '1.9× faster' over 1.13 -> 2.08 ms.
      const ratio =
        before.ms !== undefined && after.ms !== undefined ? (after.ms > 0 ? before.ms / after.ms : undefined) : afterPlan.totalCost > 0 ? beforePlan.totalCost / afterPlan.totalCost : undefined;
      const savings = beforePlan.totalCost > 0 ? (1 - afterPlan.totalCost / beforePlan.totalCost) * 100 : 0;
      const change = `${before.plan} → ${after.plan}`;
      if (beforePlan.totalCost < o.minCost) {
        return draft(cand, loc, before, after, 'not-worth-it', `${NOT_WORTH}: initial cost ${round(beforePlan.totalCost, 1)} is below ${o.minCost} (${sizeNote}); plan ${change}.`, ratio);
      }
      if (!used || !worthAnIndex(savings, o.minSavingsPct, beforeMs, afterMs)) {
        return draft(
          cand,
          loc,
          before,
          after,
          'not-worth-it',
          `${NOT_WORTH}: ${used ? `the index saves only ${round(savings, 1)}% of the cost` : 'the planner does not use the index'} (${sizeNote}); plan ${change}.`,
          ratio,
        );
      }
      return draft(
        cand,
        loc,
        before,
        after,
        'recommended',
        `Cost ${round(beforePlan.totalCost, 1)} → ${round(afterPlan.totalCost, 1)} (−${round(savings, 1)}%)${beforeMs !== undefined && afterMs !== undefined ? `, ${round(beforeMs, 2)} ms → ${round(afterMs, 2)} ms` : ''}; plan ${change}.`,
        ratio,
      );
    },
    { signal: o.signal, lockTimeoutMs: db.embedded ? undefined : 2000, statementTimeoutMs: db.embedded ? undefined : 30_000 },
  );
}

/**
 * Whether an index the planner uses is worth recommending: it saves minSavingsPct of the
 * statement's cost, or — measured — the statement takes half the time or less with it and the cost
 * falls by at least half of minSavingsPct. On rows where the filter selects a realistic share
 * (seeding gives 1 in 20 the filtered value) a bitmap scan's estimated cost halves less readily
 * than its time: 20,000 rows, 5 % selected, cost -48.7 % but 3.19 ms -> 0.68 ms.
 */
export function worthAnIndex(savingsPct: number, minSavingsPct: number, beforeMs: number | undefined, afterMs: number | undefined): boolean {
  if (savingsPct >= minSavingsPct) return true;
  const measured = beforeMs !== undefined && afterMs !== undefined && afterMs > 0;
  return measured && beforeMs / afterMs >= 2 && savingsPct >= minSavingsPct / 2;
}

async function neverAnalyzed(s: SandboxTx, table: string): Promise<boolean> {
  try {
    // pg_stats (pg_statistic) is transactional, unlike pg_stat_user_tables.last_analyze: an
    // ANALYZE rolled back by an earlier what-if leaves no statistics behind
    const r = await s.q(`SELECT COUNT(*) AS c FROM pg_stats WHERE schemaname = current_schema() AND tablename = $1`, [table]);
    return Number(r.rows[0]?.c ?? 0) === 0;
  } catch {
    return true;
  }
}

async function explainOnly(db: Database, sql: string, params: readonly SqlParam[], signal?: AbortSignal): Promise<ParsedPlan> {
  const r = await profilerQuery(db, explainSql(sql, false), params, signal);
  const row = r.rows[0] ?? {};
  let raw = row['QUERY PLAN'] ?? Object.values(row)[0];
  if (typeof raw === 'string') raw = JSON.parse(raw);
  return parsePlan(raw);
}
