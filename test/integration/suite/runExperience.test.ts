// Running workflows as a new user meets it (issue 15 §2), in the real VS Code: run arguments
// remembered per entry point and typed as Python literals, what the workflow returned (Show Results,
// a read-only JSON document), the DataFlow hint on KeyError: 'output', Select Database's connection
// test, Export Report's confirmation, the Run / Profile title actions only on files with a
// workflow, and the first run's "Preparing the embedded PostgreSQL (first run only)…". What the user was told is read from the notifications the extension showed (its API).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceFile } from './helpers';

const ACCOUNTS_PY = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

from models import db


def load(n, account):
    workflow = WorkflowBuilder()
    for i in range(n):
        workflow.add_node("CustomerCreateNode", f"c{i}", {"email": f"{account}.{i}@example.com", "name": account})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return {"created": len(results), "account": account}


def place(name):
    workflow = WorkflowBuilder()
    workflow.add_node("CustomerCreateNode", "create", {"email": f"{name}@example.com", "name": name})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results["create"]["output"]["id"]
`;

const NOT_A_WORKFLOW_PY = `def add(a, b):
    return a + b
`;

interface Notice { kind: string; message: string; actions: string[]; modal?: boolean }
interface RunResult { ok: boolean; returned?: unknown; error?: { type: string; message: string }; runs: Array<{ results: Record<string, unknown> }> }

type Bridge = { uiCheck: (name: string, args?: unknown) => Promise<unknown>; uiBridgeAvailable: () => boolean };
function bridge(): Bridge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs'));
}

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports as { notices: () => Notice[] };
/** The notices shown since `from` (an index into the list). */
const noticesSince = (from: number) => api().notices().slice(from);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean, tries = 100): Promise<T> {
  let v = await get();
  for (let i = 0; i < tries && !ok(v); i++) { await wait(100); v = await get(); }
  return v;
}

describe('running workflows: arguments, results, hints, database and export', function () {
  this.timeout(240000);
  const accounts = workspaceFile('scratch_accounts.py');
  const plain = workspaceFile('scratch_plain.py');

  before(async () => {
    await vscode.workspace.fs.writeFile(accounts, Buffer.from(ACCOUNTS_PY));
    await vscode.workspace.fs.writeFile(plain, Buffer.from(NOT_A_WORKFLOW_PY));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(accounts));
  });

  it('remembers the arguments of an entry point and offers them first; typed values are Python literals', async function () {
    if (!bridge().uiBridgeAvailable()) this.skip();
    const first = await vscode.commands.executeCommand<RunResult>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'load', args: { n: 2, account: 'acct7' } });
    assert.equal(first?.ok, true, JSON.stringify(first?.error));
    assert.deepEqual(first.returned, { created: 2, account: 'acct7' });
    // The same entry point again, without arguments: the prompts offer the last values.
    const pending = vscode.commands.executeCommand<RunResult>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'load' });
    const boxes = (await bridge().uiCheck('answerInputBoxes', { answers: [null, "'acct9'"] })) as Array<{ title: string; value: string; message: string }>;
    const second = await pending;
    console.log('prompts:', JSON.stringify(boxes));
    assert.equal(boxes.length, 2);
    assert.match(boxes[0].title, /value for n \(load\)/);
    assert.equal(boxes[0].value, '2', 'n offered as last run');
    assert.equal(boxes[1].value, '"acct7"', 'account offered as last run');
    assert.match(boxes[1].message, /a Python literal/);
    assert.equal(second?.ok, true, JSON.stringify(second?.error));
    assert.deepEqual(second.returned, { created: 2, account: 'acct9' }, 'the Python literal \'acct9\' arrived as the string acct9');
  });

  it('shows what the workflow returned: "Show Results" opens a read-only JSON document', async () => {
    const from = api().notices().length;
    const r = await vscode.commands.executeCommand<RunResult>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'load', args: { n: 1, account: 'acct3' } });
    assert.equal(r?.ok, true, JSON.stringify(r?.error));
    const notice = (await until(() => noticesSince(from), (n) => n.some((x) => x.kind === 'info'))).find((x) => x.kind === 'info');
    assert.ok(notice, 'a run notification');
    assert.match(notice!.message, /scratch_accounts\.py:load ran 1 workflow\(s\), 1 node\(s\)/);
    assert.deepEqual(notice!.actions, ['Show Results', 'Show Output']);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('dataflow.showResults');
    assert.ok(doc, 'a results document');
    assert.equal(doc.uri.scheme, 'dataflow-results');
    assert.equal(doc.languageId, 'json');
    const shown = JSON.parse(doc.getText()) as { entry: string; returned: unknown; executes: Array<{ results: Record<string, { email?: string }> }> };
    assert.equal(shown.entry, 'load');
    assert.deepEqual(shown.returned, { created: 1, account: 'acct3' });
    assert.equal(shown.executes[0].results.c0.email, 'acct3.0@example.com');
    // A content provider's document: the workbench opens it in a read-only editor.
    if (bridge().uiBridgeAvailable()) {
      const typed = (await bridge().uiCheck('typeIntoActiveEditor')) as { message: string; firstLine: string; title: string };
      console.log('typing into the results:', JSON.stringify(typed));
      assert.equal(typed.title, 'load results.json');
      assert.equal(typed.firstLine, '{', 'the document is unchanged');
      assert.match(typed.message, /read-only/i);
      assert.equal(doc.isDirty, false);
      if (process.env.DATAFLOW_IT_RESULTS) await bridge().uiCheck('screenshot', { path: path.join(process.env.DATAFLOW_IT_RESULTS, 'run-results.png') });
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("a KeyError: 'output' on a generated node's result carries the DataFlow hint", async () => {
    const from = api().notices().length;
    const r = await vscode.commands.executeCommand<RunResult>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'place', args: { name: 'bob' } });
    assert.equal(r?.ok, false);
    assert.equal(r.error?.type, 'KeyError');
    const notice = (await until(() => noticesSince(from), (n) => n.some((x) => x.kind === 'error'))).find((x) => x.kind === 'error');
    assert.ok(notice, 'an error notification');
    assert.equal(notice!.message, "DataFlow: KeyError: 'output' — hint: DataFlow 2.20 nodes return the record itself: use result['create']['id'], not result['create']['output']['id'].");
    assert.deepEqual(notice!.actions, ['Go to error', 'Show Output']);
  });

  it('Select Database tests the connection and says what it found', async function () {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) this.skip();
    try {
      const ok = await vscode.commands.executeCommand<{ label: string; connected?: string; error?: string }>('dataflow.selectDatabase', { url });
      assert.ok(ok, 'a selection');
      assert.equal(ok.error, undefined);
      assert.match(ok.connected ?? '', /^connected: PostgreSQL \d+(\.\d+)+, \d+ tables?$/);
      assert.ok(api().notices().some((n) => n.kind === 'info' && n.message.includes(ok.connected!)), 'the result is shown');
      // Nothing listens on port 1: the failure is said, with the way to choose again.
      const bad = await vscode.commands.executeCommand<{ label: string; connected?: string; error?: string }>('dataflow.selectDatabase', { url: 'postgresql://nobody:secret@127.0.0.1:1/none' });
      assert.equal(bad.connected, undefined);
      assert.match(bad.error ?? '', /ECONNREFUSED|connect/);
      assert.equal(bad.label, 'postgresql://nobody:***@127.0.0.1:1/none');
      const warn = api().notices().filter((n) => n.kind === 'warning').pop();
      assert.ok(warn && warn.message.includes('could not connect') && !warn.message.includes('secret'), JSON.stringify(warn));
      assert.deepEqual(warn!.actions, ['Select Database']);
    } finally {
      await vscode.commands.executeCommand('dataflow.selectDatabase', { embedded: true });
    }
  });

  it('before the first run on a real database, says which models\' tables and indexes it creates there', async function () {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) this.skip();
    try {
      const chosen = await vscode.commands.executeCommand<{ label: string; connected?: string }>('dataflow.selectDatabase', { url });
      assert.ok(chosen?.connected, JSON.stringify(chosen));
      const from = api().notices().length;
      // The workbench refuses to show a modal dialog while extension tests run ("refused to show
      // dialog in tests"): the question is read from what the extension asked; nothing ran.
      const outcome = await vscode.commands.executeCommand<RunResult | undefined>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'load', args: { n: 1, account: 'x' } })
        .then((r) => ({ r, e: undefined }), (e: Error) => ({ r: undefined, e }));
      assert.equal(outcome.r, undefined, 'not run');
      if (outcome.e) assert.match(outcome.e.message, /refused to show dialog in tests/);
      const asked = noticesSince(from).find((n) => n.modal);
      assert.ok(asked, 'a modal question');
      assert.equal(asked!.message, `Run load() against ${chosen.label}? The workflow's writes go to that database. This creates the tables and indexes of 3 models (Customer, Product, Review) in ${chosen.label} if they are missing.`);
      assert.deepEqual(asked!.actions, ['Run (block unfiltered UPDATE/DELETE)', 'Run and allow unfiltered writes']);
    } finally {
      await vscode.commands.executeCommand('dataflow.selectDatabase', { embedded: true });
    }
  });

  it('Export Report says where it wrote, with Open and Reveal', async () => {
    const profiled = await vscode.commands.executeCommand<RunResult>('dataflow.profileWorkflow', { uri: accounts.toString(), entry: 'load', args: { n: 3, account: 'acct5' }, seedRows: 0 });
    assert.equal(profiled?.ok, true, JSON.stringify(profiled?.error));
    const target = path.join(os.tmpdir(), `dataflow-export-${process.pid}.json`);
    const from = api().notices().length;
    const written = await vscode.commands.executeCommand<vscode.Uri>('dataflow.exportReport', 'json', target);
    assert.equal(written?.fsPath, target);
    assert.ok(JSON.parse(fs.readFileSync(target, 'utf8')).runs, 'the report was written');
    const notice = noticesSince(from).find((n) => n.kind === 'info');
    assert.deepEqual(notice, { kind: 'info', message: `DataFlow: report written to ${target}`, actions: ['Open', 'Reveal'] });
    fs.rmSync(target, { force: true });
  });

  it('the Run and Profile title actions appear only on a file with a workflow to run', async function () {
    if (!bridge().uiBridgeAvailable()) this.skip();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(accounts));
    const withWorkflow = (await until(() => bridge().uiCheck('editorTitleActions') as Promise<string[]>, (a) => a.some((x) => /Run Workflow/.test(x)), 30)) as string[];
    assert.ok(withWorkflow.some((a) => /Run Workflow/.test(a)), withWorkflow.join(' | '));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(plain));
    const without = (await until(() => bridge().uiCheck('editorTitleActions') as Promise<string[]>, (a) => !a.some((x) => /Run Workflow/.test(x)), 30)) as string[];
    assert.ok(!without.some((a) => /Run Workflow|Profile Workflow/.test(a)), without.join(' | '));
  });

  it('a diagnostic\'s code in the Problems panel opens its rule page rendered (Markdown preview), not the raw file', async function () {
    if (!bridge().uiBridgeAvailable()) this.skip();
    const workflows = workspaceFile('workflows.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workflows));
    await until(() => vscode.languages.getDiagnostics(workflows).filter((d) => d.source === 'dataflow'), (ds) => ds.length > 0);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const clicked = (await bridge().uiCheck('clickProblemCodeLink', { code: 'DF002' })) as string;
    assert.match(clicked, /DF002/);
    const tab = await until(() => vscode.window.tabGroups.activeTabGroup.activeTab, (t) => !!t && t.input instanceof vscode.TabInputWebview, 50);
    assert.ok(tab && tab.input instanceof vscode.TabInputWebview, `a preview tab, not ${tab?.label}`);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /markdown\.preview/);
    assert.match(tab.label, /DF002/);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.path.endsWith('/docs/rules/DF002.md')), 'the raw .md is not opened');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('the extension\'s page in the Extensions view shows the README (screenshot)', async function () {
    if (!bridge().uiBridgeAvailable() || !process.env.DATAFLOW_IT_RESULTS) this.skip();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('extension.open', EXTENSION_ID);
    await wait(4000);
    await bridge().uiCheck('screenshot', { path: path.join(process.env.DATAFLOW_IT_RESULTS!, 'extension-page.png') });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the first run on a fresh embedded database says "Preparing the embedded PostgreSQL (first run only)…" and keeps that set-up out of its time', async () => {
    // A data directory of its own, and no set-up in the background at start: the set-up happens in
    // this run, as on a user's first run. The language server (and its runtime worker) are
    // restarted to see both, and again afterwards to go back to the suite's database.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-first-run-'));
    const dataDir = path.join(dir, 'pglite');
    const previous = process.env.DATAFLOW_PERF_DATA_DIR;
    const config = () => vscode.workspace.getConfiguration('dataflow');
    process.env.DATAFLOW_PERF_DATA_DIR = dataDir;
    await config().update('runtime.prepareOnStart', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('dataflow.restartServer');
      const from = api().notices().length;
      const first = await vscode.commands.executeCommand<RunResult & { notes: string[]; databasePreparedMs?: number; elapsedMs: number }>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'load', args: { n: 1, account: 'first' } });
      assert.equal(first?.ok, true, JSON.stringify(first?.error));
      assert.ok(fs.existsSync(dataDir), 'the run set up the new data directory');
      assert.deepEqual(noticesSince(from).filter((n) => n.kind === 'progress'), [{ kind: 'progress', message: 'Preparing the embedded PostgreSQL (first run only)…', actions: [] }]);
      const prepared = first.notes.find((n) => n.startsWith('embedded database prepared'));
      assert.match(prepared ?? '', /^embedded database prepared in \d+\.\d s \((from the bundled seed|initdb); first run only, not counted in this run's time\)$/, first.notes.join('\n'));
      assert.ok(first.databasePreparedMs! > 0, 'the set-up is timed apart from the run');
      // The next run finds it ready: nothing to announce.
      const from2 = api().notices().length;
      const second = await vscode.commands.executeCommand<RunResult & { notes: string[]; databasePreparedMs?: number }>('dataflow.runWorkflow', { uri: accounts.toString(), entry: 'load', args: { n: 1, account: 'second' } });
      assert.equal(second?.ok, true, JSON.stringify(second?.error));
      assert.deepEqual(noticesSince(from2).filter((n) => n.kind === 'progress'), []);
      assert.equal(second.databasePreparedMs, undefined);
      assert.ok(!second.notes.some((n) => n.startsWith('embedded database prepared')), second.notes.join('\n'));
    } finally {
      if (previous === undefined) delete process.env.DATAFLOW_PERF_DATA_DIR;
      else process.env.DATAFLOW_PERF_DATA_DIR = previous;
      await config().update('runtime.prepareOnStart', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('dataflow.restartServer');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const u of [accounts, plain]) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
  });
});
