// Profile with Python, end to end: the shop project (test/fixtures/python-profile/shop) run by the
// REAL DataFlow 2.20 (the oracle's venv is "the project's Python") under the tracer, on the embedded
// PGlite served on a loopback port and on PostgreSQL; the report the same profiler builds; the
// differential view against the embedded runtime. The oracle lives at $DATAFLOW_ORACLE_DIR or
// <repo>/../shared/oracle; under CI a missing oracle is a failure, not a skip.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { compareEngines, findDataflowPython, profileWithPython, type PythonRunFileResult } from '../../server/src/pythonProfile';
import { maskVolatile } from '../../server/src/pythonProfile/compareEngines';
import { parseRunArgs } from '../../server/src/cli/runArgs';
import { runTracer, type TraceEvent } from '../../server/src/pythonProfile/tracerProcess';
import { validateReport } from '../../server/src/report/validateReport';
import { renderReportHtml } from '../../server/src/report/html';
import type { DatabaseChoice } from '../../server/src/run/openDatabase';
import { oracleDir, oracleRequired } from '../helpers/oracle';
import { privateTestDir } from '../runtime/backends';

const repo = path.resolve(__dirname, '..', '..', '..');
const shop = path.join(repo, 'test', 'fixtures', 'python-profile', 'shop');
const inCi = process.env.CI === 'true';


interface ProjectPython {
  python: string;
  env: Record<string, string>;
}

let projectPython: ProjectPython | undefined;
let missing: string | undefined;

function prepare(): void {
  if (projectPython || missing) return;
  const dir = oracleDir(repo);
  if (!dir) {
    missing = 'the DataFlow oracle (../shared/oracle) is not here';
    return;
  }
  const r = spawnSync('bash', [path.join(dir, 'setup.sh')], { encoding: 'utf8', timeout: 10 * 60 * 1000 });
  const cache = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !cache) {
    missing = `setup.sh failed: ${r.stderr.slice(-500)}`;
    return;
  }
  projectPython = {
    python: path.join(cache, 'venv', 'bin', 'python'),
    env: { PYTHONPATH: `${path.join(cache, 'src', 'src')}${path.delimiter}${path.join(cache, 'src', 'packages', 'kailash-dataflow', 'src')}` },
  };
}

function need(ctx: Mocha.Context): ProjectPython {
  prepare();
  if (!projectPython) {
    if (oracleRequired()) throw new Error(missing);
    ctx.skip();
  }
  return projectPython!;
}

const embedded: DatabaseChoice = { kind: 'embedded', dataDir: privateTestDir('dataflow-pytracer-test-pglite') };

function insertsOf(r: PythonRunFileResult) {
  return r.statements.filter((s) => /^INSERT INTO "customers"/.test(s.sql));
}

/** What both backends must show for flows.py:main (six single creates in a loop, then a list and a create). */
function assertShopRun(r: PythonRunFileResult): void {
  assert.equal(r.exitCode, 0, JSON.stringify(r.error));
  assert.equal(r.engine, 'python');
  assert.equal(r.python?.version, '2.20.0');
  assert.equal(r.runs.length, 7);
  assert.deepEqual(
    r.runs.slice(0, 6).map((run) => (run.results.create as { id: number }).id),
    [1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(r.runs[0].results.create, { name: 'c0', email: 'c0@example.com', tier: 'basic', id: 1 });
  const last = r.runs[6];
  assert.equal((last.results.basic as { records: unknown[] }).records.length, 6);
  assert.equal((last.results.buy as { item: string }).item, 'pen');
  // node rows: type, the add_node call site with the loop around it, statements counted
  const node = r.runs[3].nodes[0];
  assert.equal(node.id, 'create');
  assert.equal(node.type, 'CustomerCreateNode');
  assert.equal(path.basename(node.location?.file ?? ''), 'flows.py');
  assert.equal(node.location?.line, 13);
  assert.deepEqual(node.location?.loops, [{ kind: 'for', line: 11, iteration: 3 }]);
  assert.ok(node.statements >= 1);
  assert.deepEqual(last.nodes.map((n) => [n.id, n.type]), [['basic', 'CustomerListNode'], ['buy', 'PurchaseCreateNode']]);
  // every statement DataFlow sent, with its node, run and user file:line; bound parameters, never pasted
  const inserts = insertsOf(r);
  assert.equal(inserts.length, 6);
  assert.deepEqual(inserts.map((s) => [s.run, s.node]), [0, 1, 2, 3, 4, 5].map((i) => [i, 'create']));
  assert.deepEqual(inserts[2].params, ['c2', 'c2@example.com', 'basic']);
  assert.match(inserts[2].sql, /VALUES \(\$1, \$2, \$3\)/);
  assert.equal(path.basename(inserts[2].file ?? ''), 'flows.py');
  assert.equal(inserts[2].line, 14);
  assert.ok(r.statements.some((s) => /SELECT \* FROM "customers" WHERE "tier" = \$1/.test(s.sql) && s.node === 'basic' && s.run === 6));
  assert.deepEqual(r.tables, { customers: 6, purchases: 1 });
  assert.deepEqual(r.log, ['customers: 6']);
  // the same profiler's report: plans, the loop's N+1 and its bulk recommendation
  const rep = r.report!;
  assert.ok(rep, `a report (notes: ${r.notes.join(' | ')})`);
  assert.equal(rep.engine, 'python');
  assert.ok(rep.plans.length > 0, 'EXPLAIN plans');
  assert.ok(rep.groups.nPlusOne.length >= 1, 'the loop is an N+1');
  const bulk = rep.recommendations.find((x) => x.code === 'DF001');
  assert.ok(bulk, JSON.stringify(rep.recommendations.map((x) => x.title)));
  assert.match(bulk!.title, /6 CustomerCreateNode in a loop: use one CustomerBulkCreateNode/);
  assert.equal(bulk!.line, 13);
  // references: false — node ids repeat across the loop's runs ("create" six times), which the
  // validator's reference check rejects for the embedded engine's report of this file too
  const v = validateReport(rep, { references: false });
  assert.ok(v.valid, JSON.stringify(v.errors.slice(0, 5)));
}

describe('Profile with Python (the real DataFlow under the tracer)', function () {
  this.timeout(240000);

  it('findDataflowPython: the first candidate that imports dataflow, with its version; none without it', async function () {
    const p = need(this);
    const found = await findDataflowPython([path.join(os.tmpdir(), 'no-such-python'), p.python], { env: p.env });
    assert.equal(found?.path, p.python);
    assert.equal(found?.version, '2.20.0');
    assert.equal(found?.kailashVersion, '2.63.0');
    // the same interpreter without the source tree on PYTHONPATH cannot import DataFlow
    assert.equal(await findDataflowPython([p.python], { env: { PYTHONPATH: '' } }), undefined);
  });

  it('runs the shop on the embedded PGlite served on a loopback port: statements, node rows, results, report', async function () {
    const p = need(this);
    const printed: string[] = [];
    const r = await profileWithPython({ file: path.join(shop, 'flows.py'), entry: 'main', python: p.python, env: p.env, root: shop, db: embedded, profile: {}, onPrint: (l) => printed.push(l) });
    assertShopRun(r);
    assert.deepEqual(printed, ['customers: 6']);
    assert.match(r.database, /^PGlite .* served to Python on postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const html = renderReportHtml(r.report!, { nonce: randomBytes(16).toString('base64'), mode: 'standalone' });
    assert.match(html, /CustomerBulkCreateNode/);
  });

  it('runs the shop on PostgreSQL (a database of its own), the password never shown', async function () {
    const p = need(this);
    const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `pytracer_test_${randomBytes(4).toString('hex')}`;
    const client = new Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch (e) {
      if (process.env.DATAFLOW_REQUIRE_POSTGRES === '1' || inCi) throw e;
      this.skip();
    }
    await client.query(`CREATE DATABASE ${name}`);
    try {
      const u = new URL(admin);
      u.pathname = `/${name}`;
      const r = await profileWithPython({ file: path.join(shop, 'flows.py'), entry: 'main', python: p.python, env: p.env, root: shop, db: { kind: 'postgresql', url: u.toString() }, profile: {} });
      assertShopRun(r);
      assert.ok(r.database.includes(name));
      if (u.password) assert.ok(!JSON.stringify(r).includes(u.password));
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await client.end();
    }
  });

  it('--compare: both engines agree on the shop (every node, results and statements)', async function () {
    const p = need(this);
    const c = await compareEngines({ file: path.join(shop, 'flows.py'), entry: 'main', python: p.python, env: p.env, root: shop, db: embedded, profile: { explain: false } });
    assert.equal(c.embedded.exitCode, 0, JSON.stringify(c.embedded.error));
    assert.equal(c.python.exitCode, 0, JSON.stringify(c.python.error));
    assert.equal(c.compared.nodesCompared, 8);
    assert.deepEqual(c.compared.differences, []);
    assert.equal(c.compared.nodesAgreeing, 8);
    assert.deepEqual(c.python.report?.engines?.differences, []);
  });

  it('--compare: values from the clock and from uuid4 are told apart from real differences; a PythonCodeNode keeps its node id', async function () {
    const p = need(this);
    const c = await compareEngines({ file: path.join(shop, 'receipts.py'), entry: 'issue_receipt', python: p.python, env: p.env, root: shop, db: embedded, profile: { explain: false } });
    assert.equal(c.embedded.exitCode, 0, JSON.stringify(c.embedded.error));
    assert.equal(c.python.exitCode, 0, JSON.stringify(c.python.error));
    assert.deepEqual(c.python.runs[0].nodes.map((n) => n.id).sort(), ['customer', 'make_code']);
    assert.equal(c.compared.nodesCompared, 2);
    assert.equal(c.compared.nodesAgreeing, 2);
    assert.deepEqual(c.compared.differences.map((d) => [d.node, d.kind]).sort(), [['customer', 'volatile'], ['make_code', 'volatile']]);
    assert.deepEqual(c.python.log, ['rcpt_ ann@example.com']);
    assert.deepEqual(c.embedded.log, c.python.log);
  });

  it('--compare: the single-record upsert sends the same statement on both engines (DataFlow\'s unquoted identifiers, issue 10 §2.7), and the report says they agree', async function () {
    const p = need(this);
    const c = await compareEngines({ file: path.join(shop, 'upserts.py'), entry: 'upsert_customer', python: p.python, env: p.env, root: shop, db: embedded, profile: { explain: false } });
    assert.equal(c.python.exitCode, 0, JSON.stringify(c.python.error));
    assert.deepEqual(
      (({ created, action, record }) => ({ created, action, tier: record.tier }))(c.python.runs[1].results.upsert as { created: boolean; action: string; record: { tier: string } }),
      { created: false, action: 'updated', tier: 'gold' },
    );
    assert.deepEqual(c.compared.differences.filter((d) => d.kind !== 'volatile'), []);
    assert.equal(c.compared.nodesAgreeing, c.compared.nodesCompared);
    for (const rep of [c.embedded.report!, c.python.report!]) {
      assert.ok(rep.statements.some((st) => /^INSERT INTO customers \(email, name, tier\)\s+VALUES \(\$1, \$2, \$3\)\s+ON CONFLICT \(email\)/.test(st.sql)), rep.statements.map((st) => st.sql).join('\n'));
      assert.ok(!rep.statements.some((st) => /pg_index/.test(st.sql)), 'the runtime\'s unique-index read is not in the profile');
    }
    const rep = c.python.report!;
    const v = validateReport(rep);
    assert.ok(v.valid, JSON.stringify(v.errors.slice(0, 5)));
    const html = renderReportHtml(rep, { nonce: randomBytes(16).toString('base64'), mode: 'standalone' });
    assert.match(html, /<h2>Engines compared<\/h2>/);
  });

  it('--compare: a result\'s floats are shown as Python prints them (8.0, 1e-05) on both sides of the engines table (issue 10 §2.6)', async function () {
    const p = need(this);
    const c = await compareEngines({ file: path.join(shop, 'floats.py'), entry: 'quote', python: p.python, env: p.env, root: shop, db: embedded, profile: { explain: false } });
    assert.equal(c.python.exitCode, 0, JSON.stringify(c.python.error));
    assert.equal(c.embedded.returned, 8);
    assert.ok(c.embedded.floats?.some((f) => JSON.stringify(f) === JSON.stringify(['returned'])), JSON.stringify(c.embedded.floats));
    assert.ok(c.python.floats?.some((f) => f.join('.') === 'runs.0.results.quote.result.amount'), JSON.stringify(c.python.floats));
    const d = c.compared.differences.find((x) => x.node === 'quote')!;
    assert.equal(d.kind, 'volatile');
    for (const text of [d.embeddedText, d.pythonText]) {
      assert.match(String(text), /"amount": 8\.0,/);
      assert.match(String(text), /"rate": 1e-05,/);
      assert.match(String(text), /"count": 3\s/);
    }
    const rep = c.python.report!;
    assert.ok(validateReport(rep).valid, JSON.stringify(validateReport(rep).errors.slice(0, 5)));
    const html = renderReportHtml(rep, { nonce: randomBytes(16).toString('base64'), mode: 'standalone' });
    assert.match(html, /&quot;amount&quot;: 8\.0,|"amount": 8\.0,/);
  });

  it('an interpreter without kailash-dataflow: exit 2 and a clear error, nothing run', async function () {
    const p = need(this);
    const r = await profileWithPython({ file: path.join(shop, 'flows.py'), entry: 'main', python: p.python, env: { PYTHONPATH: '' }, root: shop, db: embedded });
    assert.equal(r.exitCode, 2);
    assert.equal(r.error?.type, 'PythonEnvironmentError');
    assert.match(r.error!.message, /cannot import kailash-dataflow/);
    assert.equal(r.runs.length, 0);
  });

  it('the events can come on stderr (as on Windows): the same stream, the file\'s own stderr kept apart', async function () {
    const p = need(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytracer-stderr-'));
    fs.writeFileSync(path.join(dir, 'noisy.py'), 'import sys\n\n\ndef main():\n    print("to stdout")\n    print("to stderr", file=sys.stderr)\n    return 42\n');
    const events: TraceEvent[] = [];
    const printed: string[] = [];
    const r = await runTracer({ python: p.python, env: p.env, file: path.join(dir, 'noisy.py'), entry: 'main', root: dir, dbUrl: 'postgresql://postgres@127.0.0.1:1/none', embedded: false, eventsOnStderr: true, onEvent: (e) => events.push(e), onPrint: (l) => printed.push(l) });
    assert.equal(r.exitCode, 0);
    assert.deepEqual(events.map((e) => e.t), ['hello', 'done']);
    assert.equal(events[1].return, 42);
    assert.deepEqual(printed, ['to stdout']);
    assert.match(r.stderr, /to stderr/);
    assert.doesNotMatch(r.stderr, /DFTRACE/);
  });

  it('a timeout kills the process tree and says so', async function () {
    const p = need(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytracer-sleep-'));
    const file = path.join(dir, 'sleepy.py');
    fs.writeFileSync(file, 'import subprocess, sys, time\n\n\ndef main():\n    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])\n    print("started", flush=True)\n    time.sleep(600)\n');
    const r = await profileWithPython({ file, entry: 'main', python: p.python, env: p.env, root: dir, db: embedded, timeoutMs: 8000 });
    assert.equal(r.exitCode, 1);
    assert.equal(r.error?.type, 'TimeoutError');
    assert.deepEqual(r.log, ['started']);
    const left = spawnSync('pgrep', ['-f', 'time.sleep\\(600\\)'], { encoding: 'utf8' });
    assert.equal(left.stdout.trim(), '', 'no process of the run is left');
  });
});

describe('dataflow-run --python / --compare arguments', () => {
  it('--python takes an optional PATH; --compare implies --python', () => {
    const a = parseRunArgs(['--python', 'flows.py:main']);
    assert.ok(a !== 'help');
    assert.equal(a.python, 'python3');
    assert.equal(a.file, 'flows.py');
    const b = parseRunArgs(['--python', '/opt/venv/bin/python', 'flows.py']);
    assert.ok(b !== 'help' && b.python === '/opt/venv/bin/python' && b.file === 'flows.py');
    const c = parseRunArgs(['flows.py', '--python=/usr/bin/python3.11']);
    assert.ok(c !== 'help' && c.python === '/usr/bin/python3.11');
    const d = parseRunArgs(['flows.py', '--compare']);
    assert.ok(d !== 'help' && d.compare && d.python === 'python3');
    assert.throws(() => parseRunArgs(['flows.py', '--python', '--seed', '3']), /--seed is not available with --python/);
  });
});

describe('--compare: what counts as a clock or random value', () => {
  it('uuid4 hex slices are volatile whatever their digits (all digits happens one time in 43 for 8 characters); words are not', () => {
    for (const [a, b] of [['Ann 1b2c3d4e', 'Ann 5f6a7b8c'], ['Ann 12345678', 'Ann 9f8e7d6c'], ['rcpt_04918273', 'rcpt_ab12cd34']]) {
      assert.deepEqual(maskVolatile({ name: a }), maskVolatile({ name: b }), `${a} / ${b}`);
    }
    assert.notDeepEqual(maskVolatile({ name: 'Ann facade' }), maskVolatile({ name: 'Ann decade' }));
    assert.notDeepEqual(maskVolatile({ qty: 'x 1234' }), maskVolatile({ qty: 'x 5678' }));
  });
});
