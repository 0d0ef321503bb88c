// Runs dataflow-lint's analysis over a plan on `jobs` threads: the files are split into shares of
// about equal parsing work (files that mention DataFlow; the others are never parsed), each share
// is extracted on its own worker thread (which decodes only its share's texts from the plan's
// shared bytes), the shared facts of all files go to every worker, and each analyses its share of
// the given files, whose full facts it kept from the extraction (heldFactsChars). Findings come
// back in the plan's order, the same as with one thread (the workspace model is built in the same
// order on every thread).
import { mentionsDataFlow } from '../../model/sourceFile';
import type { AnalysisSettings } from '../../settings';
import type { Reported } from '../formatters';
import type { LintPlan } from './plan';
import { heldFactsChars, LintShard, type Extracted, type ShareFile, type WorkspaceEntry } from './shard';
import { ShardWorker } from './shardWorker';

export interface LintOutcome {
  /** Every finding, file by file in the plan's order. */
  reported: Reported[];
  /** Paths skipped, in the order the single-threaded scan reported them. */
  skipped: Array<{ path: string; reason: string }>;
  /** Threads the analysis ran on (1: this one). */
  threads: number;
  /** How long each step took (ms): parsing and extracting what other files read, then analysing. */
  ms: { scan: number; analyse: number };
}

/**
 * Starts the worker threads of a run with `jobs` threads before its files are read, so their
 * start (loading the bundle and tree-sitter) overlaps the reading. None for one thread.
 */
export function startShardWorkers(jobs: number): ShardWorker[] {
  return jobs > 1 ? Array.from({ length: jobs }, () => new ShardWorker()) : [];
}

/**
 * `started`: workers from startShardWorkers(jobs); all are terminated before this returns.
 * `fixes`: compute each finding's quick-fix to report `fixable` (only --format json prints it).
 */
export async function runLint(plan: LintPlan, settings: AnalysisSettings, jobs: number, cwd: string, started: ShardWorker[] = [], fixes = true): Promise<LintOutcome> {
  // On the bytes: the workers decode the texts (the same answer, see FileTexts.bytesAsText).
  const relevant = plan.files.map((f) => mentionsDataFlow(plan.texts.bytesAsText(f.index)));
  const threads = Math.min(jobs, relevant.filter(Boolean).length);
  try {
    return await lintOn(plan, relevant, threads, settings, cwd, started, fixes);
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}

async function lintOn(plan: LintPlan, relevant: boolean[], threads: number, settings: AnalysisSettings, cwd: string, started: ShardWorker[], fixes: boolean): Promise<LintOutcome> {
  const base = { projectFiles: plan.projectFiles, scopePaths: plan.scopePaths, settings, cwd, fixes };
  const extracted = new Map<string, Extracted>();
  const analysed = new Set(plan.given.map((g) => g.uri));
  const shareFile = (f: LintPlan['files'][number]): ShareFile => ({ uri: f.uri, index: f.index, analysed: analysed.has(f.uri) });
  const findings = new Map<string, Reported[]>();
  const t0 = performance.now();
  let scanned: number;
  if (threads <= 1) {
    const shard = new LintShard(plan.texts);
    for (const e of shard.extract(plan.files.map(shareFile), false, heldFactsChars(1))) extracted.set(e.uri, e);
    scanned = performance.now();
    const workspace = plan.files.filter((f) => !extracted.get(f.uri)?.absent).map((f) => ({ uri: f.uri }));
    for (const r of shard.analyse({ ...base, workspace, analyse: plan.given.map((g) => g.uri) })) findings.set(r.uri, r.reported);
  } else {
    const shares = split(plan, relevant, threads);
    const workers = shares.map((_, k) => started[k] ?? new ShardWorker());
    try {
      const hold = heldFactsChars(workers.length);
      const results = await Promise.all(workers.map((w, k) => w.extract(plan.texts, shares[k].map((i) => shareFile(plan.files[i])), hold)));
      for (const list of results) for (const e of list) extracted.set(e.uri, e);
      scanned = performance.now();
      const owner = new Map<string, number>();
      shares.forEach((share, k) => { for (const i of share) owner.set(plan.files[i].uri, k); });
      const present = plan.files.filter((f) => !extracted.get(f.uri)?.absent);
      const findingsOf = await Promise.all(workers.map((w, k) => {
        const workspace: WorkspaceEntry[] = present.map((f) => owner.get(f.uri) === k ? { uri: f.uri } : { uri: f.uri, index: f.index, shared: extracted.get(f.uri)?.shared });
        const analyse = plan.given.filter((g) => owner.get(g.uri) === k).map((g) => g.uri);
        return w.analyse({ ...base, workspace, analyse });
      }));
      for (const list of findingsOf) for (const r of list) findings.set(r.uri, r.reported);
    } finally {
      await Promise.all(workers.filter((w) => !started.includes(w)).map((w) => w.terminate()));
    }
  }
  const skipped = [...plan.discoverySkipped];
  for (const g of plan.given) {
    const reason = g.readError ?? extracted.get(g.uri)?.skip;
    if (reason) skipped.push({ path: g.path, reason });
  }
  const reported: Reported[] = [];
  for (const g of plan.given) reported.push(...(findings.get(g.uri) ?? []));
  const ms = { scan: Math.round(scanned - t0), analyse: Math.round(performance.now() - scanned) };
  return { reported, skipped, threads: Math.max(1, threads), ms };
}

/**
 * `n` shares of the plan's file indexes (each in plan order) with about the same parsing and
 * analysis work: largest files first, each to the least loaded share. Files that never mention
 * DataFlow are not parsed and weigh little.
 */
function split(plan: LintPlan, relevant: boolean[], n: number): number[][] {
  const cost = plan.files.map((f, i) => (relevant[i] ? plan.texts.size(f.index) + 2000 : plan.texts.size(f.index) / 50 + 50));
  const order = plan.files.map((_, i) => i).sort((a, b) => cost[b] - cost[a] || a - b);
  const load = new Array<number>(n).fill(0);
  const shares: number[][] = Array.from({ length: n }, () => []);
  for (const i of order) {
    let k = 0;
    for (let j = 1; j < n; j++) if (load[j] < load[k]) k = j;
    load[k] += cost[i];
    shares[k].push(i);
  }
  for (const s of shares) s.sort((a, b) => a - b);
  return shares;
}
