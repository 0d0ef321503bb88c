// dataflow-lint PATH... — the language server's analysis over files and folders, for CI.
import * as os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { initPython } from '../syntax/parser';
import { DEFAULT_EXCLUDES } from '../workspace/fileDiscovery';
import { human, json, sarif } from './formatters';
import { LINT_USAGE, parseLintArgs, type LintCliOptions } from './lintArgs';
import { UsageError } from './commandLine';
import { VERSION } from '../version';
import { planLint } from './lintBatch/plan';
import { runLint, startShardWorkers } from './lintBatch/runLint';

/**
 * Threads used when --jobs is not given: every thread holds the shared facts of every file (model
 * names resolve through any file's imports), its own tree-sitter memory and the full facts of its
 * share (see HELD_FACTS_CHARS).
 */
const MAX_DEFAULT_JOBS = 8;

const RANK: Record<string, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export async function main(argv: string[]): Promise<number> {
  let opts: LintCliOptions;
  try {
    const parsed = parseLintArgs(argv);
    if (parsed === 'help') { process.stdout.write(LINT_USAGE + '\n'); return 0; }
    if (parsed === 'version') { process.stdout.write(VERSION + '\n'); return 0; }
    opts = parsed;
  } catch (err) {
    if (err instanceof UsageError) { process.stderr.write(`dataflow-lint: ${err.message}\n\n${LINT_USAGE}\n`); return 2; }
    throw err;
  }
  const jobs = opts.jobs ?? Math.min(os.availableParallelism(), MAX_DEFAULT_JOBS);
  const started = Date.now();
  const ready = initPython();
  const workers = startShardWorkers(jobs);
  const planStarted = Date.now();
  let plan: Awaited<ReturnType<typeof planLint>>;
  try {
    plan = await planLint(opts.paths, [...DEFAULT_EXCLUDES, ...opts.excludes], opts.project);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  if (plan.missing.length === opts.paths.length) {
    await Promise.all(workers.map((w) => w.terminate()));
    for (const s of plan.discoverySkipped) process.stderr.write(`dataflow-lint: skipped ${s.path}: ${s.reason}\n`);
    return 2;
  }
  const planned = Date.now();
  await ready;
  const { reported, skipped, threads, ms } = await runLint(plan, opts.settings, jobs, process.cwd(), workers, opts.format === 'json');
  const outputStarted = Date.now();
  for (const s of skipped) process.stderr.write(`dataflow-lint: skipped ${s.path}: ${s.reason}\n`);
  const out = opts.format === 'json' ? json(reported) : opts.format === 'sarif' ? sarif(reported, VERSION) : human(reported);
  if (out) process.stdout.write(out + '\n');
  const counts = { error: 0, warning: 0, information: 0, hint: 0 } as Record<string, number>;
  for (const r of reported) counts[r.severity]++;
  const checked = plan.given.length;
  const summary = `dataflow-lint: ${checked} file${checked === 1 ? '' : 's'} checked in ${Date.now() - started} ms: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}${counts.information + counts.hint ? `, ${counts.information + counts.hint} info` : ''}`;
  // The summary goes to stderr for machine formats so stdout stays valid JSON/SARIF.
  (opts.format === 'human' ? process.stdout : process.stderr).write(summary + '\n');
  // Where the time went (benchmarks, tests of --jobs): DATAFLOW_LINT_TIMINGS=1.
  if (process.env.DATAFLOW_LINT_TIMINGS) {
    const bytes = plan.files.reduce((n, f) => n + plan.texts.size(f.index), 0);
    process.stderr.write(`dataflow-lint: timings: threads=${threads} files=${plan.files.length} bytes=${bytes} discover+read=${planned - planStarted}ms scan=${ms.scan}ms analyse=${ms.analyse}ms output=${Date.now() - outputStarted}ms\n`);
  }
  if (opts.failOn === 'never') return 0;
  const threshold = RANK[opts.failOn];
  return reported.some((r) => RANK[r.severity] >= threshold) ? 1 : 0;
}

if (require.main === module && isMainThread) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`dataflow-lint: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
  });
}
