// Protocol: the code lenses above `runtime.execute(...)` (issue 11 §5) over stdio, from real profile
// runs of the embedded runtime: the last total time and statement count of the runs each execute
// call started, and the runtime's node order when it differs from the add_node order written. The
// order the lens predicts is the order the profiled run executed its nodes in. Covers LocalRuntime
// with `wf.build()` in the call, AsyncLocalRuntime with `built = wf.build()` and
// execute_workflow_async, a workflow whose order is the written one, and generated ids (no order).
// With the oracle (the real DataFlow 2.20) as the project's Python: the order the lens announces is
// the order the real runtimes ran the nodes in, and the measured lens follows a Python profile too.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeLens, Position } from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, positionAt } from '../helpers/lspClient';
import { tempDir, removeDir, writeFiles, offsetOf } from './fixtures';
import { oraclePythonOrSkip } from '../helpers/oracle';

const REPO = path.resolve(__dirname, '..', '..', '..');

const MODELS = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/inventory")


@db.model
class Part:
    name: str
    price: float = 0.0
`;

const WORKFLOWS = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from kailash.runtime.async_local import AsyncLocalRuntime
from models import db, Part


def restock():
    workflow = WorkflowBuilder()
    workflow.add_node("PartCreateNode", "new", {"name": "bolt", "price": 0.25})
    workflow.add_node("PartReadNode", "fetch", {})
    workflow.add_node("PartCountNode", "count", {})
    workflow.add_connection("new", "id", "fetch", "id")
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results["fetch"]


async def restock_async():
    wf = WorkflowBuilder()
    wf.add_node("PartCreateNode", "b_create", {"name": "nut", "price": 0.1})
    wf.add_node("PartCountNode", "a_count", {})
    built = wf.build()
    runtime = AsyncLocalRuntime()
    results, run_id = await runtime.execute_workflow_async(built, inputs={})
    return results


def in_order():
    workflow = WorkflowBuilder()
    workflow.add_node("PartCountNode", "a", {})
    workflow.add_node("PartListNode", "b", {"limit": 5})
    results, _ = LocalRuntime().execute(workflow.build())
    return results


def generated(n=2):
    workflow = WorkflowBuilder()
    for i in range(n):
        workflow.add_node("PartCountNode", f"count_{i}", {})
    workflow.add_node("PartListNode", "all", {})
    results, _ = LocalRuntime().execute(workflow.build())
    return results
`;

interface RunReport { runs: Array<{ ms: number; location?: { line: number }; nodes: Array<{ id: string; statements: number }> }> }

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const measuredTitle = (r: RunReport['runs'][number]) => {
  const st = r.nodes.reduce((s, n) => s + n.statements, 0);
  return `$(dashboard) ${fmt(r.ms)} ms · ${st} statement${st === 1 ? '' : 's'}`;
};

describe('protocol: code lenses above execute calls (measured time, runtime node order)', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspClient;
  let uri: string;

  beforeEach(async () => {
    dir = tempDir('dfp-lens-');
    writeFiles(dir, { 'models.py': MODELS, 'workflows.py': WORKFLOWS });
    uri = fileUri(path.join(dir, 'workflows.py'));
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
    await client.openAndWait(uri, WORKFLOWS);
  });
  afterEach(async () => { await client?.dispose(); removeDir(dir); });

  /** The execute lenses (not Run/Profile) as [line, title]. */
  const executeLenses = async (): Promise<Array<[number, string]>> => {
    const all = await client.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    return all.filter((l) => /^\$\((dashboard|list-ordered)\) (order: |\d)/.test(l.command?.title ?? '')).map((l) => [l.range.start.line, l.command!.title]);
  };
  const lineOf = (needle: string, text = WORKFLOWS): number => positionAt(text, offsetOf(text, needle)).line;
  const profile = async (entry: string): Promise<RunReport> => {
    const run = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: RunReport }>('dataflow/run', { uri, entry, args: {}, database: { kind: 'embedded' }, profile: true });
    assert.equal(run.ok, true, JSON.stringify(run.error));
    return run.report!;
  };

  it('before any profile: the order lens where the runtime\'s order differs from the written one, and no measured lens', async () => {
    assert.deepEqual(await executeLenses(), [
      [lineOf('runtime.execute(workflow.build())'), '$(list-ordered) order: count → new → fetch'],
      [lineOf('await runtime.execute_workflow_async'), '$(list-ordered) order: a_count ∥ b_create'],
    ]);
    // Titles use codicons: the entry-point lenses too.
    const all = await client.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = new Set(all.map((l) => l.command?.title));
    assert.ok(titles.has('$(play) Run') && titles.has('$(dashboard) Profile'), [...titles].join(' | '));
    for (const t of titles) assert.doesNotMatch(t ?? '', /\p{Extended_Pictographic}/u, `no emoji in "${t}"`);
    // A click on the order lens runs the client's command with both orders.
    const order = all.find((l) => l.command?.title.includes('order: count'))!;
    assert.equal(order.command!.command, 'dataflow.showExecutionOrder');
    const arg = order.command!.arguments![0] as { order: string[]; written: string[]; runtime: string; tooltip: string };
    assert.deepEqual([arg.order, arg.written, arg.runtime], [['count', 'new', 'fetch'], ['new', 'fetch', 'count'], 'LocalRuntime']);
    assert.match(arg.tooltip, /sorted by id/);
  });

  it('after a LocalRuntime profile: the run\'s time and statements above its execute call, and the order the run executed its nodes in', async () => {
    const report = await profile('restock');
    assert.equal(report.runs.length, 1);
    const run = report.runs[0];
    const line = lineOf('runtime.execute(workflow.build())');
    assert.equal(run.location?.line, line + 1);
    const lenses = await executeLenses();
    assert.deepEqual(lenses.filter(([l]) => l === line), [
      [line, measuredTitle(run)],
      [line, `$(list-ordered) order: ${run.nodes.map((n) => n.id).join(' → ')}`],
    ]);
    assert.ok(run.nodes.reduce((s, n) => s + n.statements, 0) >= 3, 'a create, a read and a count statement');
    // The other execute calls did not run in this profile: no measured lens for them.
    assert.equal(lenses.filter(([, t]) => t.startsWith('$(dashboard)')).length, 1);
  });

  it('after an AsyncLocalRuntime profile (built held in a variable, execute_workflow_async): the same, in the async runtime\'s order', async () => {
    const report = await profile('restock_async');
    const run = report.runs[0];
    const line = lineOf('await runtime.execute_workflow_async');
    // One level: AsyncLocalRuntime starts both nodes together (∥), a_count first; the embedded runtime runs them in that order.
    assert.deepEqual((await executeLenses()).filter(([l]) => l === line), [
      [line, measuredTitle(run)],
      [line, `$(list-ordered) order: ${run.nodes.map((n) => n.id).join(' ∥ ')}`],
    ]);
    const all = await client.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const arg = all.find((l) => l.command?.title.includes('order: a_count'))!.command!.arguments![0] as { runtime: string; order: string[]; levels?: string[][]; tooltip: string };
    assert.deepEqual([arg.runtime, arg.order, arg.levels], ['AsyncLocalRuntime', ['a_count', 'b_create'], [['a_count', 'b_create']]]);
    assert.match(arg.tooltip, /level by level .*asyncio\.gather/);
  });

  it('a workflow run in its written order gets only the measured lens; generated ids get no order lens', async () => {
    for (const entry of ['in_order', 'generated']) {
      const report = await profile(entry);
      const line = positionAt(WORKFLOWS, WORKFLOWS.indexOf('LocalRuntime().execute(', offsetOf(WORKFLOWS, `def ${entry}(`))).line;
      assert.equal(report.runs[0].location?.line, line + 1, entry);
      assert.deepEqual((await executeLenses()).filter(([l]) => l === line), [[line, measuredTitle(report.runs[0])]], entry);
    }
  });

  it('a measured lens goes away when its execute call moves or changes, and comes back when it is in place again; the order lens follows the code', async () => {
    const report = await profile('restock');
    const line = lineOf('runtime.execute(workflow.build())');
    const measured = measuredTitle(report.runs[0]);
    assert.ok((await executeLenses()).some(([l, t]) => l === line && t === measured));
    await client.changeAndWait(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }]);
    let lenses = await executeLenses();
    assert.ok(!lenses.some(([, t]) => t.startsWith('$(dashboard)')), JSON.stringify(lenses));
    assert.ok(lenses.some(([l, t]) => l === line + 1 && t === '$(list-ordered) order: count → new → fetch'), JSON.stringify(lenses));
    await client.changeAndWait(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    assert.ok((await executeLenses()).some(([l, t]) => l === line && t === measured), 'back in place');
    // The call changed on its own line (a parameters argument): the recorded run no longer names it.
    const end = positionAt(WORKFLOWS, offsetOf(WORKFLOWS, 'runtime.execute(workflow.build())') + 'runtime.execute(workflow.build()'.length);
    await client.changeAndWait(uri, [{ range: { start: end, end }, text: ', parameters={}' }]);
    lenses = await executeLenses();
    assert.ok(!lenses.some(([, t]) => t.startsWith('$(dashboard)')), JSON.stringify(lenses));
    // A connection that makes the written order the runtime's: the order lens goes away.
    const connect = offsetOf(WORKFLOWS, '    workflow.add_connection("new", "id", "fetch", "id")');
    const p: Position = positionAt(WORKFLOWS, connect);
    await client.changeAndWait(uri, [{ range: { start: p, end: p }, text: '    workflow.add_connection("fetch", "name", "count", "filter")\n' }]);
    lenses = await executeLenses();
    assert.ok(!lenses.some(([, t]) => t.includes('order: count')), JSON.stringify(lenses));
  });
});

describe('protocol: execute lenses after a profile with the real DataFlow 2.20 (oracle venv as the project\'s Python)', function () {
  this.timeout(600000);
  let dir: string;
  let python: string;
  let client: LspClient;
  let uri: string;

  before(function () {
    ({ dir, python } = oraclePythonOrSkip(this, REPO, () => {
      const d = tempDir('dfp-lens-py-');
      writeFiles(d, { 'models.py': MODELS, 'workflows.py': WORKFLOWS });
      return d;
    }));
    uri = fileUri(path.join(dir, 'workflows.py'));
  });
  beforeEach(async () => {
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
    await client.openAndWait(uri, WORKFLOWS);
  });
  afterEach(async () => { await client?.dispose(); });
  after(() => { if (dir) removeDir(dir); });

  // LocalRuntime only: under AsyncLocalRuntime the real DataFlow runs a level's nodes concurrently,
  // and the Python engine's report attributes them to one node (no per-node order to compare).
  for (const [entry, call] of [['restock', 'runtime.execute(workflow.build())']] as const) {
    it(`${entry}: the real runtime ran the nodes in the order the lens announced; the measured lens shows its run`, async () => {
      const line = positionAt(WORKFLOWS, offsetOf(WORKFLOWS, call)).line;
      const titles = async () => (await client.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).filter((l) => l.range.start.line === line).map((l) => l.command!.title);
      const [order] = await titles();
      assert.match(order, /^\$\(list-ordered\) order: /);
      const r = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: RunReport & { engine?: string } }>('dataflow/profileWithPython', { uri, entry, args: {}, python, database: { kind: 'embedded' } });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.report?.engine, 'python');
      const run = r.report!.runs[0];
      assert.equal(order, `$(list-ordered) order: ${run.nodes.map((n) => n.id).join(' → ')}`, 'the real DataFlow\'s order');
      assert.deepEqual(await titles(), [measuredTitle(run), order]);
    });
  }
});
