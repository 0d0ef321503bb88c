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

const ORDER_PY = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from kailash.runtime import AsyncLocalRuntime

db = DataFlow("postgresql://localhost/shop")


@db.model
class Part:
    name: str


def workflow(n):
    wf = WorkflowBuilder()
    for i in range(n):
        wf.add_node("PartCreateNode", f"part_{i}", {"name": f"p{i}"})
    return wf


def sequential(n=12):
    first, _ = LocalRuntime().execute(workflow(n).build())
    second, _ = LocalRuntime().execute(workflow(3).build())
    return len(first) + len(second)


async def levels(n=12):
    wf = workflow(n)
    wf.add_node("PartListNode", "listed", {"filter": {}, "limit": 100})
    wf.add_connection("part_0", "id", "listed", "offset")
    results, _ = await AsyncLocalRuntime().execute_workflow_async(wf.build(), inputs={})
    return len(results)
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
  fs.writeFileSync(path.join(dir, 'order.py'), ORDER_PY);
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

  it('nodes listed in execution order (LocalRuntime: ids sorted as text, said once), AsyncLocalRuntime level by level in natural order', () => {
    const nodeLines = (out: string) => out.split('\n').filter((l) => /^ {2}\S.*\bPart(Create|List)Node\b/.test(l));
    const seq = run(['order.py:sequential']);
    assert.equal(seq.status, 0, seq.stdout + seq.stderr);
    const doc = JSON.parse(run(['order.py:sequential', '--json']).stdout) as { runs: Array<{ nodes: Array<{ id: string }> }> };
    const lines = nodeLines(seq.stdout);
    // the listing is the order DataFlow ran them in (the one --json records), which the ids it assigned confirm
    assert.deepEqual(lines.map((l) => l.trim().split(/\s+/)[0]), doc.runs.flatMap((x) => x.nodes.map((n) => n.id)));
    assert.deepEqual(lines.slice(0, 5).map((l) => l.trim().split(/\s+/)[0]), ['part_0', 'part_1', 'part_10', 'part_11', 'part_2']);
    assert.deepEqual(lines.slice(0, 12).map((l) => Number(/id=(\d+)/.exec(l)![1])), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const notes = seq.stdout.split('\n').filter((l) => l.includes('listed in the order they ran'));
    assert.deepEqual(notes, ['  (listed in the order they ran: DataFlow starts the nodes no connection orders by id sorted as text, part_11 before part_2)'], seq.stdout);

    const lv = run(['order.py:levels']);
    assert.equal(lv.status, 0, lv.stdout + lv.stderr);
    const shown = nodeLines(lv.stdout).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    assert.deepEqual(shown, [...Array.from({ length: 12 }, (_, i) => `L1 part_${i}`), 'L2 listed']);
    assert.match(lv.stdout, /^ {2}\(AsyncLocalRuntime ran each level's nodes at the same time: they are listed level by level \(L1, L2, …\), by id inside a level\)$/m);
  });

  it('--profile explains its figures once: the two totals, the query cache hit rate, the labelled ratio', () => {
    const report = path.join(dir, 'key.json');
    const r = run(['order.py:sequential', '--profile', '--report', report]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(fs.readFileSync(report, 'utf8')) as { summary: { totalMs: number; sqlMs: number } };
    const out = r.stdout.split('\n');
    const key = out.slice(out.findIndex((l) => l.startsWith('key: ')));
    assert.ok(key.length >= 3, r.stdout);
    assert.match(key[0], /^key: the dataflow-run line's time is the whole command: the file evaluated, its tables made \(and seeded\), the workflows run and, here, profiled$/);
    const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
    assert.equal(key[1], `     "${fmt(doc.summary.totalMs)} ms total" is the workflows' own time, from the first execute() to the end of the last; ${fmt(doc.summary.sqlMs)} ms of it in SQL`);
    assert.ok(out.some((l) => l.startsWith(`profile: ${fmt(doc.summary.totalMs)} ms total`)), 'the figure the key names is the profile line\'s');
    // the loop of 12 creates has its labelled ratio, and the key says what it is
    const labelled = /\((\d[\d.,]*× (faster|slower))\)$/.exec(out.find((l) => l.includes('[') && l.includes('DF001'))!)![1];
    assert.ok(key.includes(`     "(${labelled})": a recommendation's before ÷ after, both measured on this database (the fix in a transaction rolled back)`), key.join('\n'));
    assert.equal(out.filter((l) => l.startsWith('key: ')).length, 1, 'said once');
    // no List read: no cache line
    assert.ok(!key.some((l) => l.includes('query cache')), key.join('\n'));
    const list = run(['shop.py:stock', '--profile']);
    assert.match(list.stdout, /^ {5}query cache hit rate: of the 1 List read that could use DataFlow's query cache, 0 were answered from it \(a miss runs its SQL\)$/m);
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
