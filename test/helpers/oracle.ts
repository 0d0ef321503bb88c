// Where the tests find the oracle (the real DataFlow 2.20 and the script that builds its venv),
// which the Profile with Python tests use as "the project's own Python".
import * as fs from 'node:fs';
import * as path from 'node:path';

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
