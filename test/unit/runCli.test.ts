// dataflow-run, the built CLI (dist/dataflow-run.js) run as a separate process, as a user runs it:
// exit codes 0/1/2 with their meaning, --json, --profile with --report (validated against the
// report schema, its recommendations linked to the findings) and --html, --db on the test PostgreSQL (password never printed) and its
// refusals, and the worker the editor uses, over IPC: a run, a cancel, a kill on hang, a restart.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { REPO_ROOT } from '../helpers/lspClient';
import { validateReport } from '../../server/src/report/validateReport';
import { WorkerClient } from '../../server/src/run/worker/workerClient';
import { privateTestDir, TEST_DATABASE_URL } from '../runtime/backends';

const RUN_JS = path.join(REPO_ROOT, 'dist', 'dataflow-run.js');
const WORKER_JS = path.join(REPO_ROOT, 'dist', 'runtime-worker.js');

const SHOP_PY = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://localhost/shop")


@db.model
class Gadget:
    name: str
    price: float = 1.5
    category: str = "misc"


def stock(n=3):
    wf = WorkflowBuilder()
    for i in range(n):
        wf.add_node("GadgetCreateNode", f"make_{i}", {"name": f"g{i}", "price": 2.0 + i})
    wf.add_node("GadgetListNode", "view", {"filter": {"price": {"$lt": 3.5}}, "order_by": ["price"]})
    results, _ = LocalRuntime().execute(wf.build())
    return [r["name"] for r in results["view"]["records"]]


def missing():
    wf = WorkflowBuilder()
    wf.add_node("GadgetReadNode", "read", {"id": 999})
    results, _ = LocalRuntime().execute(wf.build())
    # LocalRuntime records the failed node and returns; reading the record it has not raises.
    return results["read"]["name"]


def endless():
    n = 0
    while True:
        n += len(str(n) * 50)
`;

const UNSUPPORTED_PY = `import ctypes


def main():
    return ctypes.sizeof(ctypes.c_int)
`;

interface Run { status: number | null; stdout: string; stderr: string }

describe('dataflow-run (the built CLI)', function () {
  this.timeout(180000);
  const dir = privateTestDir('dfp-run-cli');
  const dataDir = path.join(dir, 'pglite');
  const shop = path.join(dir, 'shop.py');
  fs.writeFileSync(shop, SHOP_PY);
  fs.writeFileSync(path.join(dir, 'unsupported.py'), UNSUPPORTED_PY);
  const run = (args: string[]): Run => {
    const r = spawnSync(process.execPath, [RUN_JS, ...args], { cwd: dir, encoding: 'utf8', timeout: 170000, env: { ...process.env, DATAFLOW_PERF_DATA_DIR: dataDir } });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('exit 0 with --json: the run document, what the entry returned, the nodes in DataFlow\'s order', () => {
    const r = run(['shop.py:stock', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; returned: unknown; runs: Array<{ nodes: Array<{ id: string }> }> };
    assert.equal(doc.ok, true);
    assert.equal(doc.exitCode, 0);
    assert.deepEqual(doc.returned, ['g0', 'g1']);
    assert.deepEqual(doc.runs[0].nodes.map((n) => n.id), ["make_0", "make_1", "make_2", "view"]);
  });

  it('exit 1 when DataFlow itself would fail, with its error; exit 2 for Python the runtime does not model and for nothing to run', () => {
    const failed = run(['shop.py:missing']);
    assert.equal(failed.status, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /Gadget record '999' not found/);
    assert.match(failed.stdout, /error: .*KeyError: 'name'/s);
    const unsupported = run(['unsupported.py:main']);
    assert.equal(unsupported.status, 2, unsupported.stdout + unsupported.stderr);
    assert.match(unsupported.stdout + unsupported.stderr, /ctypes/);
    // The human output keeps the runtime's own DDL spelling to one details line.
    const human = run(['shop.py:stock']);
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /^details: quoted-ddl-identifiers \(how the runtime spells its own DDL; no effect on results; --json has the text\)$/m);
    assert.ok(!human.stdout.includes('Index DDL quotes identifiers'), human.stdout);
    const nothing = run(['shop.py']);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stdout + nothing.stderr, /nothing was run/);
    assert.match(nothing.stdout + nothing.stderr, /stock/);
    const usage = run(['shop.py:stock', '--no-such-flag']);
    assert.equal(usage.status, 2);
  });

  it('--profile --report --html: a report the schema accepts and one self-contained HTML page', () => {
    const report = path.join(dir, 'report.json');
    const html = path.join(dir, 'report.html');
    const r = run(['shop.py:stock', '--profile', '--report', report, '--html', html]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(fs.readFileSync(report, 'utf8'));
    assert.deepEqual(validateReport(doc).errors, []);
    assert.equal(doc.summary.nodes, 4);
    assert.ok(doc.statements.some((s: { sql: string }) => /^SELECT .* FROM "gadgets"/s.test(s.sql)), JSON.stringify(doc.statements.map((s: { sql: string }) => s.sql)));
    // Each recommendation links to the finding the analysis reports on the text the run used (DF001 on the loop's add_node, DF003 on the filter).
    const links = (doc.recommendations as Array<{ rule: string; diagnostic?: { code: string; line: number; column: number } }>).map((x) => [x.rule, x.diagnostic?.code, x.diagnostic?.line, x.diagnostic?.column]);
    assert.deepEqual(links.sort(), [['bulk-loop', 'DF001', 18, 21], ['missing-index', 'DF003', 19, 55]]);
    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/i);
    assert.ok(!/<script[^>]+src=/i.test(page), 'no external script');
    assert.ok(page.includes('GadgetListNode'));
  });

  it('--db on PostgreSQL: runs there, never prints the password; refuses what it cannot use', () => {
    const url = new URL(TEST_DATABASE_URL);
    url.password = 'pw-never-shown';
    const r = run(['shop.py:stock', '--db', url.toString(), '--json']);
    const all = r.stdout + r.stderr;
    assert.ok(!all.includes('pw-never-shown'), 'the password was printed');
    assert.equal(r.status, 0, all);
    assert.match(JSON.parse(r.stdout).database, /PostgreSQL/i);
    const mysql = run(['shop.py:stock', '--db', 'mysql://root@127.0.0.1/test']);
    assert.equal(mysql.status, 2);
    const down = run(['shop.py:stock', '--db', 'postgresql://postgres:pw-never-shown@127.0.0.1:1/none']);
    assert.equal(down.status, 1, down.stdout + down.stderr); // DataFlow itself fails to connect
    assert.match(down.stderr, /cannot open/);
    assert.ok(!(down.stdout + down.stderr).includes('pw-never-shown'));
    const seedOnUserDb = run(['shop.py:stock', '--db', TEST_DATABASE_URL, '--seed', '10']);
    assert.equal(seedOnUserDb.status, 2, seedOnUserDb.stdout + seedOnUserDb.stderr);
    assert.match(seedOnUserDb.stderr, /add --allow-seed/);
  });

  it('the editor\'s worker over IPC: a run, a cancelled endless run, the next run on a restarted worker', async () => {
    const saved = process.env.DATAFLOW_PERF_DATA_DIR;
    process.env.DATAFLOW_PERF_DATA_DIR = path.join(dir, 'worker-pglite');
    const logs: string[] = [];
    const worker = new WorkerClient({ workerPath: WORKER_JS, log: (m) => logs.push(m) });
    try {
      const text = SHOP_PY;
      const first = await worker.run({ file: shop, text, entry: 'stock', args: { n: 2 }, database: { kind: 'embedded' } }, undefined, () => undefined);
      assert.equal(first.ok, true, JSON.stringify(first.error));
      assert.deepEqual(first.returned, ['g0', 'g1']);
      const source = new CancellationTokenSource();
      const endless = worker.run({ file: shop, text, entry: 'endless', args: {}, database: { kind: 'embedded' } }, source.token, () => undefined);
      setTimeout(() => source.cancel(), 500);
      const outcome = await endless.then((r) => `result ${r.error?.type}: ${r.error?.message}`, (e: Error) => `rejected ${e.message}`);
      assert.match(outcome, /cancel/i, outcome);
      const after = await worker.run({ file: shop, text, entry: 'stock', args: { n: 1 }, database: { kind: 'embedded' } }, undefined, () => undefined);
      assert.equal(after.ok, true, JSON.stringify(after.error));
      assert.deepEqual(after.returned, ['g0']);
    } finally {
      worker.dispose();
      if (saved === undefined) delete process.env.DATAFLOW_PERF_DATA_DIR; else process.env.DATAFLOW_PERF_DATA_DIR = saved;
    }
  });
});
