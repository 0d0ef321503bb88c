// Command-line parsing for dataflow-run.
import { tokensOf, UsageError, valueOf, type OptionsConfig } from './commandLine';

export { UsageError };
export interface RunCliOptions {
  file: string;
  /** --root DIR: the project folder imports resolve from. */
  root?: string;
  entry?: string;
  db: { kind: 'embedded' } | { kind: 'url'; url: string } | { kind: 'file' } | { kind: 'env' };
  seed?: number;
  args: Record<string, unknown>;
  env: Record<string, string>;
  json: boolean;
  allowDestructive: boolean;
  allowSeedOnDatabase: boolean;
  timeoutS: number;
  profile: boolean;
  report?: string;
  html?: string;
  explainAnalyze: boolean;
  dataDir?: string;
  /** sys.argv[1:] (everything after `--`). */
  argv?: string[];
  /** --python [PATH]: run the file in this interpreter with the real DataFlow (Profile with Python). */
  python?: string;
  /** --compare: run with both engines and show every node whose result or statements differ. */
  compare: boolean;
}

export const RUN_USAGE = `Usage: dataflow-run FILE[:FUNCTION] [options]

Runs the DataFlow workflows of a Python file with DataFlow 2.20's semantics, without running
Python, on an embedded PostgreSQL (default) or a PostgreSQL you name.

  FILE[:FUNCTION]        the file; FUNCTION is called after the module's top level
                         (default: the if __name__ == "__main__": block; without one,
                         nothing runs and the entry points are listed, exit 2).
                         FUNCTION may be a test (its fixtures resolved from the file and
                         its conftest.py files, like pytest), a fixture, or Class.method
  --db URL|file|env      run on this PostgreSQL instead of the embedded one
                         (file: the URL written in the file's DataFlow(...); env: $DATABASE_URL)
  --seed N               insert N synthetic rows per model table before the run
  --arg NAME=VALUE       a value for a parameter of FUNCTION (a Python literal: 10, 'toys', [1, 2],
                         {'a': None}; else JSON; else the text as a string); repeatable
  --env NAME=VALUE       what os.getenv(NAME) returns inside the file; repeatable
  --json                 print the whole run document as JSON
  --profile              profile the run (statements, plans, measured recommendations)
  --report FILE.json     with --profile: write the report document
  --html FILE.html       with --profile: write the report as one self-contained HTML file
  --explain-analyze      with --profile: EXPLAIN ANALYZE the SELECTs (default: plain EXPLAIN)
  --allow-destructive    let a bulk UPDATE/DELETE that selects every row run on a non-embedded database
  --allow-seed           allow --seed on a non-embedded database
  -- ARG...              what the file sees in sys.argv[1:] (its command line; default none)
  --timeout SECONDS      stop the evaluation after this long (default 300)
  --data-dir DIR         where the embedded database keeps its files
  --root DIR             the project folder its imports resolve from (default: the nearest
                         folder with pyproject.toml/setup.py/.git up to the current directory,
                         else the current directory when it holds the file, else the folder
                         above the file's top-level package)
  --python [PATH]        run the file in the project's own Python (PATH, default python3 on
                         PATH) with the real kailash-dataflow, traced: same output and report.
                         This EXECUTES the file. The embedded database is served to it on a
                         loopback port; --db URL points its DataFlow(...) at your PostgreSQL
  --compare              run the entry point with both engines and list every node whose
                         result or statements differ (implies --python; added to the report)
  -h, --help

Exit codes: 0 success (a test skipped by pytest.skip/skipif: 0, said so), 1 the workflow
(or the test) failed, 2 unsupported Python, bad arguments, or nothing was run.`;

const OPTIONS: OptionsConfig = {
  db: { type: 'string' },
  seed: { type: 'string' },
  arg: { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  profile: { type: 'boolean' },
  report: { type: 'string' },
  html: { type: 'string' },
  'explain-analyze': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  'allow-seed': { type: 'boolean' },
  'data-dir': { type: 'string' },
  root: { type: 'string' },
  // --python [PATH]: its value is optional, so it is read below, not by parseArgs.
  python: { type: 'boolean' },
  compare: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** The options of a dataflow-run command line, or 'help'. Throws UsageError. */
export function parseRunArgs(argv: string[]): RunCliOptions | 'help' {
  const o: RunCliOptions = { file: '', db: { kind: 'embedded' }, args: {}, env: {}, json: false, allowDestructive: false, allowSeedOnDatabase: false, timeoutS: 300, profile: false, explainAnalyze: false, compare: false };
  const positional: string[] = [];
  /** The argv index --python took as its PATH. */
  let pythonPathAt = -1;
  for (const t of tokensOf(argv, OPTIONS)) {
    if (t.kind === 'end') { o.argv = argv.slice(t.index + 1); break; }
    if (t.kind === 'positional') {
      if (t.index === pythonPathAt) continue;
      if (t.value.startsWith('-')) throw new UsageError(`unknown option ${t.value}`);
      positional.push(t.value);
      continue;
    }
    if (!t.known) throw new UsageError(`unknown option ${t.flag}`);
    switch (t.name) {
      case 'help': return 'help';
      case 'db': {
        const v = valueOf(t);
        o.db = v === 'file' ? { kind: 'file' } : v === 'env' ? { kind: 'env' } : v === 'embedded' ? { kind: 'embedded' } : { kind: 'url', url: v };
        if (o.db.kind === 'url' && !/^postgres(ql)?(\+\w+)?:\/\//.test(o.db.url)) throw new UsageError('--db takes a postgresql:// URL, "file", "env" or "embedded"');
        break;
      }
      case 'seed': {
        const n = Number(valueOf(t));
        if (!Number.isInteger(n) || n < 0) throw new UsageError('--seed takes a whole number of rows');
        o.seed = n; break;
      }
      case 'arg': case 'env': {
        const v = valueOf(t);
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`${t.flag} takes NAME=VALUE`);
        // Kept as text here; run.ts reads it as a Python literal once the grammar is loaded (argValue.ts).
        if (t.name === 'arg') o.args[v.slice(0, eq)] = v.slice(eq + 1);
        else o.env[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case 'json': o.json = true; break;
      case 'profile': o.profile = true; break;
      case 'report': o.report = valueOf(t); break;
      case 'html': o.html = valueOf(t); break;
      case 'explain-analyze': o.explainAnalyze = true; break;
      case 'allow-destructive': o.allowDestructive = true; break;
      case 'allow-seed': o.allowSeedOnDatabase = true; break;
      case 'data-dir': o.dataDir = valueOf(t); break;
      case 'root': o.root = valueOf(t); break;
      case 'python': {
        // PATH is optional: taken when given inline or when the next word is not an option or the FILE
        const next = argv[t.index + 1];
        if (t.inline) o.python = t.value;
        else if (next !== undefined && !next.startsWith('-') && !/\.py(:[\w.]+)?$/.test(next)) { o.python = next; pythonPathAt = t.index + 1; }
        else o.python = 'python3';
        break;
      }
      case 'compare': o.compare = true; break;
      case 'timeout': {
        const n = Number(valueOf(t));
        if (!(n > 0)) throw new UsageError('--timeout takes a number of seconds');
        o.timeoutS = n; break;
      }
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? 'one FILE[:FUNCTION] at a time' : 'no FILE given');
  const spec = positional[0];
  const m = /^(.*\.py):([A-Za-z_][\w.]*)$/.exec(spec);
  if (m) { o.file = m[1]; o.entry = m[2]; } else o.file = spec;
  if ((o.report || o.html) && !o.profile) o.profile = true;
  if (o.compare && !o.python) o.python = 'python3';
  if (o.python && o.seed !== undefined) throw new UsageError('--seed is not available with --python (the real DataFlow creates its tables when it runs)');
  return o;
}
