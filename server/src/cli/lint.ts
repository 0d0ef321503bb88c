// dataflow-lint PATH... — the language server's analysis over files and folders, for CI.
import * as os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { initPython } from '../python/parser';
import { DEFAULT_EXCLUDES } from '../workspace/fileDiscovery';
import { defaultSettings, RULE_NAMES, type RuleName, type SeveritySetting } from '../settings';
import { human, json, sarif } from './formatters';
import { planLint } from './lintBatch/plan';
import { runLint, startShardWorkers } from './lintBatch/runLint';

const VERSION = '0.1.0';
const USAGE = `Usage: dataflow-lint [options] PATH...

Analyses Python files that use Kailash DataFlow for performance mistakes.

Options:
  --format human|json|sarif   output format (default: human)
  --fail-on error|warning|never
                              exit 1 when a finding of this severity or worse is found (default: error)
  --rule NAME=SEVERITY        set a rule's severity (error|warning|information|hint|ignore); repeatable
  --pool-min N                pool_size below N is reported (default 10)
  --max-connections N         the database's max_connections (default 100)
  --exclude GLOB              skip matching paths (repeatable; adds to the defaults)
  --jobs N                    analyse on N threads (default: the number of CPUs, at most 8);
                              the findings are the same whatever N
  --no-project                only read the given paths. By default the other files of each
                              path's Python project (its nearest folder with pyproject.toml,
                              setup.py, setup.cfg or .git, else the path itself; nested projects
                              and virtual environments are skipped) are read too, only to resolve
                              model names the way Python does: findings are still reported for the
                              given paths only, and are the same whatever paths are given.
  -h, --help                  show this help
  --version                   print the version

Exit codes: 0 clean (below --fail-on), 1 findings at or above --fail-on, 2 usage or input error.`;

interface Options { format: 'human' | 'json' | 'sarif'; failOn: 'error' | 'warning' | 'never'; paths: string[]; excludes: string[]; project: boolean; jobs: number }

class UsageError extends Error {}

/**
 * Threads used when --jobs is not given: every thread holds the text of every file (model names
 * resolve through any file's imports) and its own tree-sitter memory, ~300 MB each on kailash-py.
 */
const MAX_DEFAULT_JOBS = 8;

function parseArgs(argv: string[], settings = defaultSettings()): Options & { settings: typeof settings } {
  const o: Options = { format: 'human', failOn: 'error', paths: [], excludes: [], project: true, jobs: Math.min(os.availableParallelism(), MAX_DEFAULT_JOBS) };
  const take = (i: number, flag: string) => {
    if (i >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) { inline = a.slice(a.indexOf('=') + 1); a = a.slice(0, a.indexOf('=')); }
    const val = () => inline ?? take(++i, a);
    switch (a) {
      case '-h': case '--help': process.stdout.write(USAGE + '\n'); process.exit(0);
      // falls through (exit)
      case '--version': process.stdout.write(VERSION + '\n'); process.exit(0);
      // falls through (exit)
      case '--format': {
        const v = val();
        if (v !== 'human' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format "${v}" (human, json or sarif)`);
        o.format = v; break;
      }
      case '--fail-on': {
        const v = val();
        if (v !== 'error' && v !== 'warning' && v !== 'never') throw new UsageError(`--fail-on takes error, warning or never, not "${v}"`);
        o.failOn = v; break;
      }
      case '--rule': {
        const v = val();
        const [name, sev] = v.split('=');
        if (!RULE_NAMES.includes(name as RuleName)) throw new UsageError(`unknown rule "${name}" (${RULE_NAMES.join(', ')})`);
        if (!['error', 'warning', 'information', 'hint', 'ignore'].includes(sev)) throw new UsageError(`unknown severity "${sev}"`);
        settings.lint[name as RuleName] = sev as SeveritySetting; break;
      }
      case '--pool-min': settings.pool.minSize = positiveInt(val(), a); break;
      case '--max-connections': settings.pool.maxConnections = positiveInt(val(), a); break;
      case '--exclude': o.excludes.push(val()); break;
      case '--no-project': o.project = false; break;
      case '--jobs': o.jobs = positiveInt(val(), a); break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        o.paths.push(argv[i]);
    }
  }
  if (!o.paths.length) throw new UsageError('no PATH given');
  return { ...o, settings };
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number, not "${v}"`);
  return n;
}

const RANK: Record<string, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try { opts = parseArgs(argv); } catch (err) {
    if (err instanceof UsageError) { process.stderr.write(`dataflow-lint: ${err.message}\n\n${USAGE}\n`); return 2; }
    throw err;
  }
  const started = Date.now();
  const ready = initPython();
  const workers = startShardWorkers(opts.jobs);
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
  const { reported, skipped, threads, ms } = await runLint(plan, opts.settings, opts.jobs, process.cwd(), workers);
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
    const chars = plan.files.reduce((n, f) => n + f.text.length, 0);
    process.stderr.write(`dataflow-lint: timings: threads=${threads} files=${plan.files.length} chars=${chars} discover+read=${planned - planStarted}ms scan=${ms.scan}ms analyse=${ms.analyse}ms output=${Date.now() - outputStarted}ms\n`);
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
