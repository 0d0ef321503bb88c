// dataflow-lint, the built CLI (dist/dataflow-lint.js) run as a separate process over fixture
// folders written to a temp dir: output formats (human, JSON, SARIF 2.1.0), exit codes
// (--fail-on), argument errors, and the folders it never scans.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LINT_JS, REPO_ROOT } from '../helpers/lspClient';
import { parseRunArgs } from '../../server/src/cli/runArgs';
import { parseLintArgs } from '../../server/src/cli/lintArgs';
import { UsageError } from '../../server/src/cli/commandLine';

const MODELS_PY = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=20, pool_max_overflow=30)


@db.model
class Product:
    name: str
    price: int
    category: str
`;

const WORKFLOWS_PY = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime


def import_products(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results


def products_in(category):
    workflow = WorkflowBuilder()
    workflow.add_node("ProductListNode", "list", {"filter": {"category": category}, "limit": 50})
    return LocalRuntime().execute(workflow.build())


def load_each(ids):
    workflow = WorkflowBuilder()
    for pid in ids:
        workflow.add_node("ProductReadNode", f"read_{pid}", {"id": pid})
    return LocalRuntime().execute(workflow.build())
`;

/** Would produce a DF001 if it were scanned. */
const TRAP_PY = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
wf = WorkflowBuilder()
for i in range(10):
    wf.add_node("TrapCreateNode", f"t{i}", {"x": i})
`;

/** pool_size above max_connections: an error-severity DF004. */
const HUGE_POOL_PY = `from dataflow import DataFlow

db = DataFlow("postgresql://localhost/app", pool_size=500, pool_max_overflow=10)
`;

interface Run { status: number | null; stdout: string; stderr: string }

function lint(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [LINT_JS, ...args], { cwd, encoding: 'utf8', timeout: 120000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const HUMAN_LINE = /^(?<file>[^:\n]+):(?<line>\d+):(?<col>\d+): (?<sev>error|warning|information|hint) (?<code>DF\d{3}) \[(?<rule>[a-z-]+)\] (?<msg>.+)$/;
const SUMMARY = /^dataflow-lint: (\d+) files? checked in \d+ ms: (\d+) errors?, (\d+) warnings?(, \d+ info)?$/;

describe('dataflow-lint CLI (built bundle, separate process)', function () {
  this.timeout(120000);
  let tmp: string, proj: string, clean: string, errors: string;

  before(() => {
    assert.ok(fs.existsSync(LINT_JS), `${LINT_JS} is missing: build first`);
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-cli-')));
    proj = path.join(tmp, 'proj');
    clean = path.join(tmp, 'clean');
    errors = path.join(tmp, 'errors');
    const files: Record<string, string> = {
      'proj/models.py': MODELS_PY,
      'proj/app/workflows.py': WORKFLOWS_PY,
      'proj/node_modules/pkg/trap.py': TRAP_PY,
      'proj/.venv/lib/python3.12/site-packages/trap.py': TRAP_PY,
      'proj/.git/hooks/trap.py': TRAP_PY,
      'proj/app/__pycache__/trap.py': TRAP_PY,
      'proj/README.md': 'not python: for i in x: wf.add_node("ProductCreateNode")\n',
      'clean/ok.py': 'print("hello")\n',
      'clean/models.py': MODELS_PY,
      'errors/settings.py': HUGE_POOL_PY,
    };
    for (const [rel, text] of Object.entries(files)) {
      const p = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('human format: file:line:col: severity CODE [rule] message lines, then the summary', () => {
    const r = lint(['.'], proj);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4, r.stdout);
    const findings = lines.slice(0, -1).map((l) => {
      const m = HUMAN_LINE.exec(l);
      assert.ok(m?.groups, `not in the human format: ${l}`);
      return m.groups;
    });
    assert.deepEqual(findings.map((g) => `${g.file}:${g.line}:${g.col} ${g.sev} ${g.code} ${g.rule}`), [
      'app/workflows.py:8:27 warning DF001 bulk-loop',
      'app/workflows.py:16:62 warning DF003 missing-index',
      'app/workflows.py:23:27 warning DF002 read-in-loop',
    ]);
    assert.match(findings[0].msg, /ProductCreateNode is added inside a loop/);
    const summary = SUMMARY.exec(lines[lines.length - 1]);
    assert.ok(summary, `summary line: ${lines[lines.length - 1]}`);
    assert.deepEqual(summary.slice(1, 4), ['2', '0', '3']);
    assert.equal(r.stderr, '');
  });

  it('--format json: a valid JSON array with 1-based file/line/column/endLine/endColumn/code/rule/severity/message', () => {
    const r = lint(['--format', 'json', '.'], proj);
    assert.equal(r.status, 0, r.stderr);
    const items = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(items));
    assert.equal(items.length, 3);
    for (const it of items) {
      for (const k of ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'rule', 'severity', 'message']) assert.ok(k in it, `missing ${k}: ${JSON.stringify(it)}`);
      assert.equal(typeof it.line, 'number');
      assert.ok((it.line as number) >= 1 && (it.column as number) >= 1);
    }
    const df003 = items.find((i) => i.code === 'DF003')!;
    assert.deepEqual({ ...df003, message: undefined }, {
      file: 'app/workflows.py', line: 16, column: 62, endLine: 16, endColumn: 72, code: 'DF003', rule: 'missing-index', severity: 'warning', message: undefined, fixable: true, fixApplicability: 'safe',
    });
    // The 1-based column points at the reported text.
    const line16 = WORKFLOWS_PY.split('\n')[15];
    assert.equal(line16.slice((df003.column as number) - 1, (df003.endColumn as number) - 1), '"category"');
    // The summary goes to stderr so stdout stays parseable.
    assert.match(r.stderr, /dataflow-lint: 2 files checked/);
  });

  it('--format sarif: SARIF 2.1.0 with tool.driver.rules and results pointing into the files', () => {
    const r = lint(['--format=sarif', '.'], proj);
    assert.equal(r.status, 0, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'dataflow-lint');
    assert.ok(Array.isArray(driver.rules) && driver.rules.length >= 4);
    for (const rule of driver.rules) {
      assert.match(rule.id, /^DF\d{3}$/);
      assert.equal(typeof rule.shortDescription?.text, 'string');
    }
    const results = log.runs[0].results;
    assert.equal(results.length, 3);
    for (const res of results) {
      assert.match(res.ruleId, /^DF00[123]$/);
      assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
      assert.equal(res.level, 'warning');
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, 'app/workflows.py');
      assert.ok(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1);
      assert.ok(loc.region.startColumn >= 1 && loc.region.endLine >= loc.region.startLine);
    }
    assert.deepEqual(results.map((x: { locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => x.locations[0].physicalLocation.region.startLine), [8, 16, 23]);
  });

  it('exit codes: default --fail-on error is 0 with only warnings; warning gives 1; never gives 0', () => {
    assert.equal(lint(['.'], proj).status, 0);
    assert.equal(lint(['--fail-on', 'warning', '.'], proj).status, 1);
    assert.equal(lint(['--fail-on=warning', '--format', 'json', '.'], proj).status, 1);
    assert.equal(lint(['--fail-on', 'never', '.'], proj).status, 0);
    assert.equal(lint(['--fail-on', 'error', '.'], proj).status, 0);
  });

  it('exit codes: an error-severity finding fails by default, not with --fail-on never', () => {
    const r = lint(['.'], errors);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^settings\.py:3:\d+: error DF004 \[small-pool\] pool_size=500 .* exceeds max_connections=100/m);
    assert.match(r.stdout, /: 1 error, 0 warnings$/m);
    assert.equal(lint(['--fail-on', 'never', '.'], errors).status, 0);
    // --max-connections raises the limit: no longer an error.
    assert.equal(lint(['--max-connections', '1000', '.'], errors).status, 0);
  });

  it('--rule changes severities: error fails the run, ignore drops the rule', () => {
    const r = lint(['--rule', 'bulk-loop=error', '.'], proj);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /app\/workflows\.py:8:27: error DF001 \[bulk-loop\]/);
    const q = lint(['--rule', 'bulk-loop=ignore', '--rule=missing-index=ignore', '--format', 'json', '.'], proj);
    assert.deepEqual((JSON.parse(q.stdout) as Array<{ code: string }>).map((x) => x.code), ['DF002']);
  });

  it('a clean project: no finding lines, a summary, exit 0 even with --fail-on warning', () => {
    const r = lint(['--fail-on', 'warning', '.'], clean);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^dataflow-lint: 2 files checked in \d+ ms: 0 errors, 0 warnings\n$/);
    const j = lint(['--format', 'json', '.'], clean);
    assert.deepEqual(JSON.parse(j.stdout), []);
  });

  it('bad arguments exit 2 with a clear message and the usage on stderr, nothing on stdout', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'xml', '.'], /unknown format "xml"/],
      [['--bogus', '.'], /unknown option --bogus/],
      [[], /no PATH given/],
      [['--fail-on', 'sometimes', '.'], /--fail-on takes error, warning or never, not "sometimes"/],
      [['--rule', 'nope=error', '.'], /unknown rule "nope"/],
      [['--rule', 'bulk-loop=loud', '.'], /unknown severity "loud"/],
      [['--pool-min', '0', '.'], /--pool-min takes a positive whole number, not "0"/],
      [['--max-connections', 'many', '.'], /--max-connections takes a positive whole number/],
      [['.', '--format'], /--format needs a value/],
    ];
    for (const [args, message] of cases) {
      const r = lint(args, proj);
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.match(r.stderr, /^dataflow-lint: /, args.join(' '));
      assert.match(r.stderr, /Usage: dataflow-lint \[options\] PATH\.\.\./, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  it('--help and --version exit 0', () => {
    const h = lint(['--help'], proj);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /^Usage: dataflow-lint/);
    const v = lint(['--version'], proj);
    assert.equal(v.status, 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(v.stdout, `${pkg.version}\n`);
  });

  it('never scans node_modules, .venv (site-packages), .git or __pycache__; --exclude adds globs', () => {
    const r = lint(['--format', 'json', '.'], proj);
    const files = new Set((JSON.parse(r.stdout) as Array<{ file: string }>).map((x) => x.file));
    assert.deepEqual([...files], ['app/workflows.py']);
    assert.doesNotMatch(r.stdout + r.stderr, /trap|node_modules|\.venv|\.git|__pycache__/);
    assert.match(r.stderr, /2 files checked/);
    // Even when the root itself is given from outside.
    const outside = lint(['proj'], tmp);
    assert.doesNotMatch(outside.stdout, /trap/);
    assert.match(outside.stdout, /^proj\/app\/workflows\.py:8:27: warning DF001/m);
    const excluded = lint(['--exclude', 'app/**', '.'], proj);
    assert.equal(excluded.status, 0);
    assert.match(excluded.stdout, /^dataflow-lint: 1 file checked in \d+ ms: 0 errors, 0 warnings$/m);
  });

  it('single files can be given; a path that does not exist exits 2', () => {
    const one = lint(['app/workflows.py', 'models.py'], proj);
    assert.equal(one.status, 0);
    assert.match(one.stdout, /2 files checked/);
    // Alone, the workflow file still sees its project's model (proj/ holds .git): DF003 as with '.'.
    const alone = lint(['--format', 'json', 'app/workflows.py'], proj);
    assert.deepEqual((JSON.parse(alone.stdout) as Array<{ code: string }>).map((x) => x.code), ['DF001', 'DF003', 'DF002']);
    // With --no-project only the given file is read: Product is unknown, the loops still count.
    const bare = lint(['--format', 'json', '--no-project', 'app/workflows.py'], proj);
    assert.deepEqual((JSON.parse(bare.stdout) as Array<{ code: string }>).map((x) => x.code), ['DF001', 'DF002']);
    const missing = lint(['no/such/dir'], proj);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no\/such\/dir: does not exist/);
    assert.equal(missing.stdout, '');
    // One missing among existing paths: reported on stderr, the rest is linted.
    const mixed = lint(['no_such.py', '.'], proj);
    assert.equal(mixed.status, 0);
    assert.match(mixed.stderr, /skipped .*no_such\.py: does not exist/);
    assert.match(mixed.stdout, /2 files checked/);
  });

  it('reads dependency files above a single file given on the command line (DF033)', () => {
    const deps = path.join(tmp, 'deps');
    fs.mkdirSync(path.join(deps, 'app'), { recursive: true });
    fs.writeFileSync(path.join(deps, 'requirements.txt'), 'kailash-dataflow>=2.20\n');
    fs.writeFileSync(path.join(deps, 'app', 'main.py'), 'from dataflow import DataFlow\n\ndb = DataFlow("postgresql://u:p@db:5432/app")\n');
    const r = lint(['--format', 'json', 'app/main.py'], deps);
    assert.equal(r.status, 1, r.stderr);
    const found = JSON.parse(r.stdout) as Array<{ code: string; file: string; message: string }>;
    assert.deepEqual(found.map((f) => `${f.file} ${f.code}`), ['app/main.py DF033']);
    assert.match(found[0].message, /requirements\.txt:1 declares "kailash-dataflow>=2\.20"/);
  });
});

describe('dataflow-lint: a file gets the same findings whatever paths are given', function () {
  this.timeout(120000);
  let tmp: string;
  const MODELS = (fields: string, indexes: string) => `from dataflow import DataFlow

db = DataFlow("postgresql://localhost/app", pool_size=20, pool_max_overflow=30)


@db.model
class User:
${fields}
    __dataflow__ = {"indexes": [${indexes}]}
`;
  const FLOW = (imp: string) => `from kailash.workflow.builder import WorkflowBuilder
${imp}


def users_by(value):
    wf = WorkflowBuilder()
    wf.add_node("UserListNode", "list", {"filter": {"email": value, "team": "core"}})
    return wf
`;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-scope-')));
    const files: Record<string, string> = {
      'mono/pyproject.toml': '[project]\nname = "mono"\n',
      'mono/shop/__init__.py': '',
      'mono/shop/models.py': MODELS('    email: str\n    team: str', '{"name": "idx_user_email", "fields": ["email"]}'),
      'mono/shop/flows/__init__.py': '',
      'mono/shop/flows/by_email.py': FLOW('from shop.models import User'),
      'mono/shop/flows/relative.py': FLOW('from ..models import User'),
      'mono/crm/__init__.py': '',
      'mono/crm/models.py': MODELS('    email: str\n    team: str\n    phone: str', ''),
      'mono/crm/jobs.py': FLOW('from . import models'),
    };
    for (const [rel, text] of Object.entries(files)) {
      const p = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  const findings = (args: string[]) => {
    const r = lint(['--format', 'json', '--fail-on', 'never', ...args], path.join(tmp, 'mono'));
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as Array<{ file: string; line: number; code: string; message: string }>).map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`).sort();
  };

  it('linting a subfolder gives the findings the parent gives for its files', () => {
    const all = findings(['.']);
    const sub = findings(['shop/flows']);
    assert.deepEqual(sub, all.filter((f) => f.startsWith('shop/flows/')));
    assert.deepEqual(findings(['crm/jobs.py']), all.filter((f) => f.startsWith('crm/jobs.py')));
    // Each file checked its own User: shop's indexes email, so only "team" is reported there;
    // crm's User has no index, so the filter's first field is.
    assert.ok(sub.length === 2 && sub.every((f) => /filters on "team"/.test(f)), sub.join('\n'));
    assert.ok(all.some((f) => f.startsWith('crm/jobs.py') && /filters on "email", "team"/.test(f)), all.join('\n'));
  });

  it('--help says what the project files are read for', () => {
    const r = lint(['--help'], tmp);
    assert.match(r.stdout, /--no-project/);
    assert.match(r.stdout, /pyproject\.toml/);
  });
});

describe('dataflow-run arguments', () => {
  it('passes everything after -- to the file as sys.argv[1:], options before it still apply', () => {
    const o = parseRunArgs(['jobs.py:main', '--json', '--', 'send', '--to', 'a@b.c']);
    assert.ok(o !== 'help');
    assert.equal(o.file, 'jobs.py');
    assert.equal(o.entry, 'main');
    assert.equal(o.json, true);
    assert.deepEqual(o.argv, ['send', '--to', 'a@b.c']);
    const none = parseRunArgs(['jobs.py']);
    assert.ok(none !== 'help');
    assert.equal(none.argv, undefined);
  });
});

describe('command lines read with node:util parseArgs', () => {
  const usageError = (f: () => unknown, message: string) =>
    assert.throws(f, (e: unknown) => e instanceof UsageError && e.message === message, message);

  it('dataflow-lint: values inline or next, repeatable flags, --jobs, and its own messages for bad input', () => {
    const o = parseLintArgs(['--format=json', '--rule', 'bulk-loop=hint', '--rule=read-in-loop=ignore', '--exclude', 'a/**', '--exclude=b/**', '--jobs', '3', '--no-project', 'src', 'more.py']);
    assert.ok(typeof o === 'object');
    assert.equal(o.format, 'json');
    assert.equal(o.settings.lint['bulk-loop'], 'hint');
    assert.equal(o.settings.lint['read-in-loop'], 'ignore');
    assert.deepEqual(o.excludes, ['a/**', 'b/**']);
    assert.equal(o.jobs, 3);
    assert.equal(o.project, false);
    assert.deepEqual(o.paths, ['src', 'more.py']);
    assert.equal(parseLintArgs(['.', '-h', '--bogus']), 'help'); // in argv order: help before the bad flag
    assert.equal(parseLintArgs(['--version']), 'version');
    usageError(() => parseLintArgs(['--bogus=1', '.']), 'unknown option --bogus');
    usageError(() => parseLintArgs(['-hx', '.']), 'unknown option -hx');
    usageError(() => parseLintArgs(['--format', 'xml', '--bogus', '.']), 'unknown format "xml" (human, json or sarif)');
    usageError(() => parseLintArgs(['.', '--format']), '--format needs a value');
    usageError(() => parseLintArgs(['--jobs', '0', '.']), '--jobs takes a positive whole number, not "0"');
    usageError(() => parseLintArgs(['--jobs=2.5', '.']), '--jobs takes a positive whole number, not "2.5"');
    usageError(() => parseLintArgs(['.', '--', 'x']), 'unknown option --');
    usageError(() => parseLintArgs(['--no-project']), 'no PATH given');
  });

  it('dataflow-run: --python takes a PATH only when the next word is not an option or the FILE; -- ends the options', () => {
    const withPath = parseRunArgs(['--python', '/opt/py/bin/python', 'jobs.py:load', '--arg=n=10', '--env', 'K=a=b', '--timeout=1.5']);
    assert.ok(withPath !== 'help');
    assert.equal(withPath.python, '/opt/py/bin/python');
    assert.equal(withPath.file, 'jobs.py');
    assert.equal(withPath.entry, 'load');
    assert.deepEqual(withPath.args, { n: '10' });
    assert.deepEqual(withPath.env, { K: 'a=b' });
    assert.equal(withPath.timeoutS, 1.5);
    const bare = parseRunArgs(['--python', 'jobs.py']);
    assert.ok(bare !== 'help');
    assert.equal(bare.python, 'python3');
    assert.equal(bare.file, 'jobs.py');
    const inline = parseRunArgs(['jobs.py', '--python=py3.12', '--report', 'r.json']);
    assert.ok(inline !== 'help');
    assert.equal(inline.python, 'py3.12');
    assert.equal(inline.profile, true); // --report implies --profile
    assert.equal(parseRunArgs(['jobs.py', '-h']), 'help');
    usageError(() => parseRunArgs(['jobs.py', '--seed', '-1']), '--seed takes a whole number of rows');
    usageError(() => parseRunArgs(['jobs.py', '--arg', '=1']), '--arg takes NAME=VALUE');
    usageError(() => parseRunArgs(['jobs.py', '--db', 'mysql://x']), '--db takes a postgresql:// URL, "file", "env" or "embedded"');
    usageError(() => parseRunArgs(['jobs.py', '-']), 'unknown option -');
    usageError(() => parseRunArgs(['jobs.py', '-x']), 'unknown option -x');
    usageError(() => parseRunArgs(['jobs.py', '--report']), '--report needs a value');
    usageError(() => parseRunArgs(['a.py', 'b.py']), 'one FILE[:FUNCTION] at a time');
    usageError(() => parseRunArgs(['--', 'jobs.py']), 'no FILE given');
    usageError(() => parseRunArgs(['jobs.py', '--python', '--seed', '5']), '--seed is not available with --python (the real DataFlow creates its tables when it runs)');
  });
});
