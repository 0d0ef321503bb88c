// Command-line parsing for dataflow-lint.
import { defaultSettings, RULE_NAMES, type RuleName, type AnalysisSettings, type SeveritySetting } from '../settings';
import { positiveInt, tokensOf, UsageError, valueOf, type OptionsConfig } from './commandLine';

export const LINT_USAGE = `Usage: dataflow-lint [options] PATH...

Analyses Python files that use Kailash DataFlow for performance mistakes.

Options:
  --format human|json|sarif   output format (default: human)
  --fail-on error|warning|never
                              exit 1 when a finding of this severity or worse is found (default: error)
  --rule NAME=SEVERITY        set a rule's severity (error|warning|information|hint|ignore); repeatable
  --pool-min N                pool_size below N is reported (default 10)
  --max-connections N         the database's max_connections (default 100)
  --exclude GLOB              skip matching paths (repeatable; adds to the defaults)
  --no-project                only read the given paths. By default the other files of each
                              path's Python project (its nearest folder with pyproject.toml,
                              setup.py, setup.cfg or .git, else the path itself; nested projects
                              and virtual environments are skipped) are read too, only to resolve
                              model names the way Python does: findings are still reported for the
                              given paths only, and are the same whatever paths are given.
  -h, --help                  show this help
  --version                   print the version

Exit codes: 0 clean (below --fail-on), 1 findings at or above --fail-on, 2 usage or input error.`;

export interface LintCliOptions {
  format: 'human' | 'json' | 'sarif';
  failOn: 'error' | 'warning' | 'never';
  paths: string[];
  excludes: string[];
  project: boolean;
  /** --jobs N: how many files are analysed at once. */
  jobs?: number;
  settings: AnalysisSettings;
}

const OPTIONS: OptionsConfig = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'pool-min': { type: 'string' },
  'max-connections': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  'no-project': { type: 'boolean' },
  jobs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

/** The options of a dataflow-lint command line; 'help' / 'version' when it asks for them. Throws UsageError. */
export function parseLintArgs(argv: string[], settings = defaultSettings()): LintCliOptions | 'help' | 'version' {
  const o: LintCliOptions = { format: 'human', failOn: 'error', paths: [], excludes: [], project: true, settings };
  for (const t of tokensOf(argv, OPTIONS)) {
    // `--` is not special here: a path never starts with "-" (write ./-name).
    if (t.kind === 'end') throw new UsageError('unknown option --');
    if (t.kind === 'positional') { o.paths.push(t.value); continue; }
    if (!t.known) throw new UsageError(`unknown option ${t.flag}`);
    switch (t.name) {
      case 'help': return 'help';
      case 'version': return 'version';
      case 'format': {
        const v = valueOf(t);
        if (v !== 'human' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format "${v}" (human, json or sarif)`);
        o.format = v; break;
      }
      case 'fail-on': {
        const v = valueOf(t);
        if (v !== 'error' && v !== 'warning' && v !== 'never') throw new UsageError(`--fail-on takes error, warning or never, not "${v}"`);
        o.failOn = v; break;
      }
      case 'rule': {
        const [name, sev] = valueOf(t).split('=');
        if (!RULE_NAMES.includes(name as RuleName)) throw new UsageError(`unknown rule "${name}" (${RULE_NAMES.join(', ')})`);
        if (!['error', 'warning', 'information', 'hint', 'ignore'].includes(sev)) throw new UsageError(`unknown severity "${sev}"`);
        settings.lint[name as RuleName] = sev as SeveritySetting; break;
      }
      case 'pool-min': settings.pool.minSize = positiveInt(valueOf(t), t.flag); break;
      case 'max-connections': settings.pool.maxConnections = positiveInt(valueOf(t), t.flag); break;
      case 'jobs': o.jobs = positiveInt(valueOf(t), t.flag); break;
      case 'exclude': o.excludes.push(valueOf(t)); break;
      case 'no-project': o.project = false; break;
    }
  }
  if (!o.paths.length) throw new UsageError('no PATH given');
  return o;
}
