// Where the tests find the oracle (the real DataFlow 2.20 and the script that builds its venv),
// which the Profile with Python tests use as "the project's own Python".
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';

/** $DATAFLOW_ORACLE_DIR, else <repo>/../shared/oracle (a checkout beside shared/), else two levels up (a worktree). */
export function oracleDir(repo: string): string | undefined {
  const candidates = [process.env.DATAFLOW_ORACLE_DIR, path.join(repo, '..', 'shared', 'oracle'), path.join(repo, '..', '..', 'shared', 'oracle')];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'setup.sh')));
}

/**
 * Whether a missing oracle fails the run instead of skipping the tests that need it: under CI,
 * unless .ci/run found no oracle on this machine and said so (DATAFLOW_ORACLE_OPTIONAL=1).
 */
export function oracleRequired(): boolean {
  return !!process.env.CI && process.env.DATAFLOW_ORACLE_OPTIONAL !== '1';
}

/**
 * The folder holding the real DataFlow 2.20 `dataflow` package (the oracle's unpacked source), for
 * tests that evaluate DataFlow's own pure-Python modules: $DATAFLOW_ORACLE_HOME/src/packages/kailash-dataflow/src
 * (default ~/.cache/dataflow-oracle), unpacked by the oracle's setup.sh when it is not there yet; undefined without an oracle.
 */
export function oracleDataflowSource(repo: string): string | undefined {
  const home = process.env.DATAFLOW_ORACLE_HOME ?? path.join(os.homedir(), '.cache', 'dataflow-oracle');
  const src = (cache: string) => path.join(cache, 'src', 'packages', 'kailash-dataflow', 'src');
  if (fs.existsSync(path.join(src(home), 'dataflow', 'debug'))) return src(home);
  const dir = oracleDir(repo);
  if (!dir) return undefined;
  const r = spawnSync('bash', [path.join(dir, 'setup.sh')], { encoding: 'utf8', timeout: 600000 });
  const cache = r.status === 0 ? r.stdout.trim().split('\n').pop() : undefined;
  return cache && fs.existsSync(path.join(src(cache), 'dataflow', 'debug')) ? src(cache) : undefined;
}

/** The oracle venv's python with DataFlow's source tree on PYTHONPATH, as one executable in `dir` (a "project interpreter" for Profile with Python). */
export function oracleWrapper(oracle: string, dir: string): string {
  const cache = execFileSync('bash', [path.join(oracle, 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim().split('\n').pop()!;
  const wrapper = path.join(dir, 'python');
  fs.writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH='${cache}/src/src:${cache}/src/packages/kailash-dataflow/src'\${PYTHONPATH:+:$PYTHONPATH}\nexport PYTHONPATH\nexec '${cache}/venv/bin/python' "$@"\n`, { mode: 0o755 });
  return wrapper;
}

/**
 * The oracle's project interpreter (oracleWrapper) for a test suite's `before`, written into the
 * folder `makeDir()` returns; a missing oracle fails under CI (oracleRequired) and skips otherwise.
 */
export function oraclePythonOrSkip(ctx: Mocha.Context, repo: string, makeDir: () => string): { dir: string; python: string } {
  const oracle = oracleDir(repo);
  if (!oracle) {
    if (oracleRequired()) throw new Error('the oracle is missing: set DATAFLOW_ORACLE_DIR or put it at <repo>/../shared/oracle');
    ctx.skip();
  }
  const dir = makeDir();
  return { dir, python: oracleWrapper(oracle!, dir) };
}
