/**
 * Loop-of-single-record-nodes what-if: the nodes of one loop (same loop line) of the same
 * Create / Update / Delete / Upsert / Read type, as run (n × their warm median, and their
 * statements), against the equivalent bulk node run through the SAME DataFlow runtime inside a
 * transaction that is rolled back, warm too (one untimed run first) — like with like, with the
 * spread of both sides in the detail. The database is left as the run left it (on the embedded
 * database the id sequence is restored too):
 *   Create → BulkCreate with the same rows (the rows the loop created are deleted first, inside
 *            the transaction, so unique keys do not collide);
 *   Update → BulkUpdate {filter: {id: {$in: ids}}, fields} when every node set the same fields to
 *            the same values, else BulkUpdate data mode (DataFlow runs one UPDATE per record there);
 *   Delete → BulkDelete {filter: {id: {$in: ids}}} (the run already deleted the rows: measured on
 *            what is left, reported as unverified when nothing matched);
 *   Upsert → BulkUpsert with where ∪ create rows, conflict_on = the where keys, "update";
 *   Read   → List {filter: {id: {$in: ids}}, limit: n} (query cache off).
 */
import { OPERATIONS } from '../../catalogue';
import type { DataFlowRuntime, ResolvedNodeType } from '../../runtime/dataflow/runtime';
import { dataFields, type RuntimeModel } from '../../runtime/dataflow/schema';
import { isDfRecord, type DfRecord, type DfValue } from '../../runtime/dataflow/values/dfValues';
import { quoteIdent } from '../../runtime/db/quoteIdent';
import { PROFILER_TAG } from '../../runtime/db/sqlComment';
import type { NodeRun } from '../../runtime/workflow/types';
import type { BuiltWorkflow } from '../../runtime/workflow/workflowBuilder';
import type { Measurement, Recommendation } from '../../report/reportTypes';
import { fmtMs, plural } from '../../report/html/format';
import { innermostLoop, type RunTrack } from '../attribution';
import { inRolledBackTransaction } from '../sandbox';
import { errorMessage, median, round, throwIfAborted, toSourceLoc } from '../util';

export const BULK_NODE_TAG = `${PROFILER_TAG}:bulk-what-if`;

export interface LoopRunInfo extends RunTrack {
  results?: Record<string, unknown>;
  workflow?: BuiltWorkflow;
}

export interface LoopVsBulkOptions {
  runtimes: DataFlowRuntime[];
  signal?: AbortSignal;
  runs: number;
  fallbackFile: string;
  /** Minimum nodes in one loop. Default 2. */
  minNodes?: number;
}

export type LoopDraft = Omit<Recommendation, 'id'>;

interface LoopGroup {
  rt: DataFlowRuntime;
  model: RuntimeModel;
  op: 'create' | 'update' | 'delete' | 'upsert' | 'read';
  type: string;
  loopLine: number;
  loopFile?: string;
  members: { run: LoopRunInfo; node: NodeRun; output: unknown; config?: DfRecord }[];
}

const SINGLE_OPS = new Set(['create', 'update', 'delete', 'upsert', 'read']);

function resolve(runtimes: DataFlowRuntime[], type: string): { rt: DataFlowRuntime; t: Extract<ResolvedNodeType, { kind: 'model' }> } | undefined {
  for (let i = runtimes.length - 1; i >= 0; i--) {
    const t = runtimes[i].tryResolveNodeType(type);
    if (t?.kind === 'model') return { rt: runtimes[i], t };
  }
  return undefined;
}

export function loopGroups(runs: LoopRunInfo[], runtimes: DataFlowRuntime[], minNodes = 2): LoopGroup[] {
  const groups = new Map<string, LoopGroup>();
  for (const run of runs) {
    for (const node of run.nodes) {
      if (node.error !== undefined) continue;
      const l = innermostLoop(node.location, run.location);
      if (!l) continue;
      const r = resolve(runtimes, node.type);
      const op = r && OPERATIONS[r.t.op].operation;
      if (!r || !op || !SINGLE_OPS.has(op)) continue;
      const key = `${l.file ?? ''}|${l.loop.line}|${node.type}`;
      let g = groups.get(key);
      if (!g) {
        g = { rt: r.rt, model: r.t.model, op: op as LoopGroup['op'], type: node.type, loopLine: l.loop.line, loopFile: l.file, members: [] };
        groups.set(key, g);
      }
      const built = run.workflow?.nodes.get(node.id);
      g.members.push({ run, node, output: run.results?.[node.id], config: built ? (built.instance.config as DfRecord) : undefined });
    }
  }
  return [...groups.values()].filter((g) => g.members.length >= minNodes);
}

function idOf(output: unknown): DfValue | undefined {
  if (!isDfRecord(output)) return undefined;
  if (output.id !== undefined && output.id !== null) return output.id;
  if (isDfRecord(output.record) && output.record.id !== undefined) return output.record.id;
  return undefined;
}

interface BulkPlan {
  type: string;
  inputs: DfRecord;
  /** Rows to delete (inside the transaction) before the bulk node runs. */
  deleteFirst?: DfValue[];
  what: string;
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

function bulkPlan(g: LoopGroup): BulkPlan | string {
  const m = g.model;
  const n = g.members.length;
  const ids = g.members.map((x) => idOf(x.output));
  if (g.op !== 'upsert' && ids.some((i) => i === undefined)) return 'the nodes\u2019 outputs do not carry their ids';
  const fieldNames = new Set(dataFields(m).map((f) => f.name));
  switch (g.op) {
    case 'create': {
      const rows = g.members.map((x) => {
        const out = x.output as DfRecord;
        const row: DfRecord = {};
        if (m.idType === 'str' && out.id !== undefined) row.id = out.id;
        for (const k of Object.keys(out)) if (fieldNames.has(k)) row[k] = out[k];
        return row;
      });
      return { type: `${m.name}BulkCreateNode`, inputs: { data: rows }, deleteFirst: ids as DfValue[], what: `1 × ${m.name}BulkCreateNode with the same ${n} rows` };
    }
    case 'update': {
      const fieldsOf = (x: LoopGroup['members'][number]): DfRecord | undefined => {
        const out = x.output as DfRecord;
        if (isDfRecord(out.fields) && Object.keys(out.fields).length) return out.fields;
        if (isDfRecord(out.updates) && Object.keys(out.updates).length) return out.updates;
        const cfg = x.config ?? {};
        const flat: DfRecord = {};
        for (const k of Object.keys(cfg)) if (fieldNames.has(k) && k in out) flat[k] = out[k];
        return Object.keys(flat).length ? flat : undefined;
      };
      const fields = g.members.map(fieldsOf);
      if (fields.some((f) => f === undefined)) return 'the updated fields are not known';
      const same = fields.every((f) => stable(f) === stable(fields[0]));
      if (same) return { type: `${m.name}BulkUpdateNode`, inputs: { filter: { id: { $in: ids as DfValue[] } }, fields: fields[0]! }, what: `1 × ${m.name}BulkUpdateNode (filter mode: id $in ${n} ids)` };
      return {
        type: `${m.name}BulkUpdateNode`,
        inputs: { data: g.members.map((_, i) => ({ ...fields[i]!, id: ids[i]! })) },
        what: `1 × ${m.name}BulkUpdateNode (data mode, ${n} records: DataFlow still sends one UPDATE per record)`,
      };
    }
    case 'delete':
      return { type: `${m.name}BulkDeleteNode`, inputs: { filter: { id: { $in: ids as DfValue[] } } }, what: `1 × ${m.name}BulkDeleteNode (filter id $in ${n} ids)` };
    case 'read':
      return { type: `${m.name}ListNode`, inputs: { filter: { id: { $in: ids as DfValue[] } }, limit: n, enable_cache: false }, what: `1 × ${m.name}ListNode (filter id $in ${n} ids)` };
    case 'upsert': {
      const rows: DfRecord[] = [];
      let conflict: string[] | undefined;
      for (const x of g.members) {
        const cfg = x.config;
        if (!cfg || !isDfRecord(cfg.where)) return 'the upserts\u2019 where / create values are not known';
        const keys = Object.keys(cfg.where);
        if (conflict && stable(conflict) !== stable(keys)) return 'the upserts use different conflict keys';
        conflict = keys;
        rows.push({ ...(isDfRecord(cfg.create) ? cfg.create : {}), ...(isDfRecord(cfg.update) ? cfg.update : {}), ...cfg.where });
      }
      return { type: `${m.name}BulkUpsertNode`, inputs: { data: rows, conflict_on: conflict ?? ['id'], conflict_resolution: 'update' }, what: `1 × ${m.name}BulkUpsertNode with the same ${n} rows` };
    }
  }
}

/** Run the bulk node once inside a rolled-back transaction; its wall time, statements and rows. */
async function measureBulk(g: LoopGroup, plan: BulkPlan, signal?: AbortSignal): Promise<{ ms: number; statements: number; rows: number; output: DfRecord }> {
  const rt = g.rt;
  let statements = 0;
  let rows = 0;
  const off = rt.db.onStatement((e) => {
    if (e.tag === BULK_NODE_TAG) {
      statements++;
      rows += e.rowCount;
    }
  });
  try {
    return await inRolledBackTransaction(
      rt.db,
      async ({ tx, q }) => {
        if (plan.deleteFirst?.length) {
          const ph = plan.deleteFirst.map((_, i) => `$${i + 1}`).join(', ');
          await q(`DELETE FROM ${quoteIdent(g.model.tableName)} WHERE ${quoteIdent('id')} IN (${ph})`, plan.deleteFirst as never[]);
        }
        const ctx = rt.newExecution({ signal, allowUnfilteredWritesOnExternal: false });
        ctx.transaction = tx;
        const t0 = performance.now();
        const output = await rt.runNode(ctx, plan.type, plan.inputs, {}, BULK_NODE_TAG);
        const ms = performance.now() - t0;
        ctx.transaction = undefined;
        return { ms, statements, rows, output };
      },
      { signal, restoreSequencesOf: g.op === 'create' || g.op === 'upsert' ? [g.model.tableName] : undefined, lockTimeoutMs: rt.db.embedded ? undefined : 2000 },
    );
  } finally {
    off();
  }
}

/** The q-quantile of sorted values (linear between neighbours). */
function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The loop side, like with like against warm bulk runs: the first node of the loop runs cold (its
 * statement is parsed and planned for the first time) and a commit now and then takes 10–20 ms on a
 * busy disk, so the loop is estimated as n × the median of its warm nodes (every node but the
 * first, from 3 nodes on), with their middle half as the spread; what the nodes took in all is
 * said beside it.
 */
export function warmLoopEstimate(nodeMs: readonly number[]): { ms: number; perNode: number; low: number; high: number; warmNodes: number; asRun: number; first: number } {
  const n = nodeMs.length;
  const warm = (n >= 3 ? nodeMs.slice(1) : [...nodeMs]).sort((a, b) => a - b);
  const perNode = median(warm);
  return { ms: perNode * n, perNode, low: quantile(warm, 0.25), high: quantile(warm, 0.75), warmNodes: warm.length, asRun: nodeMs.reduce((a, b) => a + b, 0), first: nodeMs[0] ?? 0 };
}

export async function loopVsBulkWhatIfs(runs: LoopRunInfo[], o: LoopVsBulkOptions): Promise<LoopDraft[]> {
  const out: LoopDraft[] = [];
  for (const g of loopGroups(runs, o.runtimes, o.minNodes ?? 2)) {
    throwIfAborted(o.signal);
    const n = g.members.length;
    const first = g.members[0];
    const loc = toSourceLoc(first.node.location?.loops?.length ? first.node.location : first.run.location ?? first.node.location, o.fallbackFile) ?? { file: o.fallbackFile, line: g.loopLine };
    const loop = warmLoopEstimate(g.members.map((x) => x.node.ms));
    const loopMs = loop.ms;
    const loopStatements = g.members.reduce((s, x) => s + x.node.statements, 0);
    const warmText =
      loop.warmNodes < n
        ? `${n} × the median of the ${loop.warmNodes} warm nodes, ${fmtMs(loop.perNode)} (as run: ${fmtMs(loop.asRun)} in all, the first node ${fmtMs(loop.first)} cold)`
        : `${n} × the median node, ${fmtMs(loop.perNode)} (as run: ${fmtMs(loop.asRun)} in all)`;
    const before: Measurement = { ms: round(loopMs), statements: loopStatements, description: `${n} × ${g.type} from the loop at line ${g.loopLine}: ${warmText}` };
    const rule = g.op === 'read' ? 'read-in-loop' : 'bulk-loop';
    const base = {
      rule,
      code: g.op === 'read' ? 'DF002' : 'DF001',
      title: g.op === 'read' ? `${n} ${g.type} in a loop: read them with one ${g.model.name}ListNode` : `${n} ${g.type} in a loop: use one ${g.type.replace(/(Create|Update|Delete|Upsert)Node$/, 'Bulk$1Node')}`,
      file: loc.file,
      line: loc.line,
      column: loc.column,
      nodeIds: g.members.map((x) => x.node.id),
      before,
    } as const;
    const plan = bulkPlan(g);
    if (typeof plan === 'string') {
      out.push({ ...base, after: { description: `not measured: ${plan}` }, verdict: 'unverified', detail: `The bulk equivalent could not be built: ${plan}.` });
      continue;
    }
    try {
      // One untimed run first: the bulk statement's first parse and plan would be the cold side's.
      await measureBulk(g, plan, o.signal);
      const samples: { ms: number; statements: number; rows: number; output: DfRecord }[] = [];
      for (let i = 0; i < o.runs; i++) samples.push(await measureBulk(g, plan, o.signal));
      const times = samples.map((s) => s.ms).sort((a, b) => a - b);
      const ms = median(times);
      const last = samples[samples.length - 1];
      const failed = last.output.success === false ? String(last.output.error ?? 'failed') : undefined;
      const after: Measurement = {
        ms: round(ms),
        statements: last.statements,
        description: `${plan.what}, run through the same runtime in a transaction that was rolled back (median of ${plural(o.runs, 'warm run')} after an untimed one; commit cost not included)`,
      };
      const ratio = ms > 0 ? loopMs / ms : undefined;
      const spread =
        ` Spread: the loop's warm nodes took ${fmtMs(loop.low)}–${fmtMs(loop.high)} each (middle half of ${loop.warmNodes})` +
        (times.length > 1 ? `, the bulk node ${fmtMs(times[0])}–${fmtMs(times[times.length - 1])} (${plural(times.length, 'run')}).` : '.');
      const seqNote = g.rt.db.embedded ? '' : ' The id sequence may have advanced (sequences are not transactional).';
      const figures = `${fmtMs(loopMs)} and ${plural(loopStatements, 'statement')} as a loop → ${fmtMs(ms)} and ${plural(last.statements, 'statement')} as one bulk node.`;
      let verdict: Recommendation['verdict'];
      let detail: string;
      if (failed) {
        verdict = 'unverified';
        detail = `The bulk node failed: ${failed}.`;
      } else if (g.op === 'delete' && last.rows === 0) {
        verdict = 'unverified';
        detail = `The run had already deleted these rows, so the bulk delete matched none; its ${fmtMs(ms)} is a lower bound. ${plural(loopStatements, 'statement')} → ${plural(last.statements, 'statement')}.${spread}`;
      } else if (ratio !== undefined && ratio >= 1.2 && last.statements <= loopStatements) {
        verdict = 'recommended';
        detail = figures + spread;
      } else {
        verdict = 'not-worth-it';
        detail = `The bulk node is not clearly faster here: ${figures}${spread}`;
      }
      out.push({ ...base, after, ratio: ratio !== undefined ? round(ratio, 2) : undefined, verdict, detail: detail + seqNote });
    } catch (e) {
      if (o.signal?.aborted) throw e;
      out.push({ ...base, after: { description: `not measured: ${errorMessage(e)}` }, verdict: 'unverified', detail: `The bulk what-if failed: ${errorMessage(e)}` });
    }
  }
  return out;
}
