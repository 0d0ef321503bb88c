// DF034 pool-per-worker: connection arithmetic across processes. Each worker process has its own
// core SQL pool for the generated nodes — asyncpg max 20 connections on PostgreSQL, whatever
// DataFlow's pool_size says (reference §1.6) — so N workers can open up to 20·N connections.
// Reported on the DataFlow(...) call when an explicit worker count in the nearest deployment files
// (gunicorn `workers = N`, `--workers N` / `-w N` on a gunicorn/uvicorn/hypercorn command,
// WEB_CONCURRENCY & co.) or a WEB_CONCURRENCY default in the file makes 20·N exceed
// `dataflow.pool.maxConnections`. Only for PostgreSQL (see projectDatabase.ts); worker counts
// computed at start-up (cpu_count() * 2 + 1) are not guessed.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { parseWorkers } from '../model/projectConfig';
import { postgresEvidence, whereIn } from './projectDatabase';
import { finding, fmt, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF034',
  name: 'pool-per-worker',
  defaultSeverity: 'warning',
  summary: 'Worker processes × 20 connections (the generated nodes\' pool per process) above max_connections',
  fix: 'none',
});

/** Connections the generated nodes' core SQL pool may open per process on PostgreSQL (§1.6). */
export const NODE_POOL_MAX = 20;

const ENV_DEFAULT = /\b(?:os\.getenv|os\.environ\.get|getenv)\(\s*["'](WEB_CONCURRENCY|GUNICORN_WORKERS|UVICORN_WORKERS|DATAFLOW_WORKER_COUNT|KAILASH_WORKERS)["']\s*,\s*["']?(\d+)["']?\s*\)/g;

export const poolPerWorkerRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    if (!ctx.facts.instances.length) return [];
    const max = ctx.settings.pool.maxConnections;
    let best: { workers: number; where: string; what: string } | undefined;
    for (const f of ctx.workspace.nearestProjectFiles(ctx.file.uri, 'deploy')) {
      for (const w of parseWorkers(f.name, f.text)) {
        if (!best || w.workers > best.workers) best = { workers: w.workers, where: whereIn(f, w.span.start), what: w.what };
      }
    }
    let m: RegExpExecArray | null;
    ENV_DEFAULT.lastIndex = 0;
    while ((m = ENV_DEFAULT.exec(ctx.file.text))) {
      const n = Number(m[2]);
      if (!best || n > best.workers) best = { workers: n, where: 'in this file', what: `${m[1]} defaults to ${n}` };
    }
    if (!best || best.workers * NODE_POOL_MAX <= max) return [];
    const out: Finding[] = [];
    for (const inst of ctx.facts.instances) {
      const pg = postgresEvidence(ctx.file, inst, ctx.workspace);
      if (!pg) continue;
      const total = best.workers * NODE_POOL_MAX;
      out.push(finding(SPEC, severity, inst.url!.span, `${best.what} (${best.where}) starts ${best.workers} worker processes, and in DataFlow 2.20 each process's generated nodes use their own core SQL pool of up to ${NODE_POOL_MAX} PostgreSQL connections whatever pool_size says: up to ${fmt(total)} connections against max_connections=${fmt(max)} (dataflow.pool.maxConnections); connections beyond it are refused. Run fewer workers per database, put PgBouncer in front, or raise max_connections.`));
    }
    return out;
  },
};
