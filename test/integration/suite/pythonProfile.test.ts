// "DataFlow: Profile with Python" in a real VS Code: the project's interpreter is the oracle venv
// (the real DataFlow 2.20) behind a wrapper script set as `dataflow.python.path`; the first run
// asks the modal confirmation, which the test answers through DATAFLOW_TEST_MODAL_ANSWER (VS Code
// refuses modal dialogs in a test host; see client/src/python/confirmation.ts); the report panel
// then shows the Python engine's report. "Compare Engines" runs without asking again and shows
// the "Engines compared" section.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceFile } from './helpers';
import { oracleDir, oracleRequired } from '../../helpers/oracle';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');


/**
 * An interpreter wrapper: the oracle venv's python with DataFlow's source tree on PYTHONPATH (as
 * oracle.sh sets it). setup.sh builds the venv once per machine (run.mjs points it at the user's
 * cache, $DATAFLOW_ORACLE_HOME); asynchronously, so the extension host stays responsive.
 */
async function oracleInterpreter(dir: string): Promise<string> {
  const out = await new Promise<string>((resolve, reject) => execFile('bash', [path.join(dir, 'setup.sh')], { encoding: 'utf8', timeout: 900_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
    (err ? reject(new Error(`${dir}/setup.sh failed: ${err.message}\n${String(stderr).slice(-2000)}`)) : resolve(stdout))));
  const cache = out.trim().split('\n').pop()!;
  const src = path.join(cache, 'src');
  const wrapper = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-python-')), 'python');
  fs.writeFileSync(wrapper, [
    '#!/bin/sh',
    `PYTHONPATH='${src}/src:${src}/packages/kailash-dataflow/src'\${PYTHONPATH:+:$PYTHONPATH}`,
    'export PYTHONPATH',
    `exec '${path.join(cache, 'venv', 'bin', 'python')}' "$@"`,
    '',
  ].join('\n'), { mode: 0o755 });
  return wrapper;
}

interface ReportLike {
  engine?: string;
  statements: Array<{ sql: string; nodeId?: string }>;
  runs: Array<{ nodes: Array<{ id: string }> }>;
  engines?: { nodesCompared: number; nodesAgreeing: number; differences: Array<{ node?: string }>; python?: string };
}
interface Api {
  reportPanel: () => { report: ReportLike; panel: vscode.WebviewPanel } | undefined;
  lastPythonRun: () => unknown;
  pythonConfirmations: () => Array<{ message: string; detail: string; answer?: string; scripted: boolean }>;
}
const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;

describe('Profile with Python (the project\'s own interpreter)', function () {
  this.timeout(600000);
  const tickets = workspaceFile('tickets.py');
  let python: string;

  before(async function () {
    const dir = oracleDir(REPO);
    if (!dir) {
      if (oracleRequired()) throw new Error('the oracle is missing: set DATAFLOW_ORACLE_DIR or put it at <repo>/../shared/oracle');
      this.skip();
    }
    python = await oracleInterpreter(dir!);
  });

  after(async () => {
    delete process.env.DATAFLOW_TEST_MODAL_ANSWER;
    await vscode.workspace.getConfiguration('dataflow').update('python.path', undefined, vscode.ConfigurationTarget.Global);
  });

  it('offers "Profile with Python" beside Profile in a trusted workspace', async () => {
    const doc = await vscode.workspace.openTextDocument(tickets);
    await vscode.window.showTextDocument(doc);
    assert.equal(vscode.workspace.isTrusted, true);
    let titles: Array<string | undefined> = [];
    for (let i = 0; i < 100 && !titles.length; i++) {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tickets);
      titles = lenses.filter((l) => l.range.start.line === 15).map((l) => l.command?.title);
      if (!titles.length) await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(titles, ['$(play) Run', '$(dashboard) Profile', '$(debug-alt) Profile with Python']);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('dataflow.profileWithPython') && commands.includes('dataflow.compareEngines'));
  });

  it('a declined confirmation runs nothing', async () => {
    await vscode.workspace.getConfiguration('dataflow').update('python.path', python, vscode.ConfigurationTarget.Global);
    process.env.DATAFLOW_TEST_MODAL_ANSWER = 'Cancel';
    const result = await vscode.commands.executeCommand('dataflow.profileWithPython', { uri: tickets.toString(), entry: 'triage', args: {} });
    assert.equal(result, undefined);
    const asked = api().pythonConfirmations();
    assert.equal(asked.length, 1);
    assert.equal(asked[0].answer, undefined);
  });

  it('asks, runs triage() in the oracle venv with the real DataFlow, and the panel shows the Python engine\'s report', async () => {
    process.env.DATAFLOW_TEST_MODAL_ANSWER = 'Run with Python';
    const result = await vscode.commands.executeCommand<{ ok: boolean; engine: string; error?: unknown; python: { path: string; version: string }; statements: unknown[]; report?: ReportLike }>(
      'dataflow.profileWithPython', { uri: tickets.toString(), entry: 'triage', args: {} });
    const asked = api().pythonConfirmations();
    assert.equal(asked.length, 2, 'asked again: the first answer was Cancel');
    const dialog = asked[1];
    console.log('confirmation:', JSON.stringify(dialog));
    assert.equal(dialog.answer, 'Run with Python');
    assert.match(dialog.message, /tickets\.py/);
    assert.match(dialog.message, /executes your project's own Python code/);
    assert.ok(dialog.detail.includes(python), dialog.detail);
    assert.ok(result, 'a result');
    assert.equal(result.engine, 'python');
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.python.path, python);
    assert.match(result.python.version, /^\d+\.\d+/);
    assert.ok(result.statements.length > 0, 'the tracer recorded statements');
    const panel = api().reportPanel();
    assert.ok(panel, 'the report panel is open');
    assert.ok(result.report, 'a report');
    assert.equal(panel!.report, result.report, 'the panel shows the Python run\'s report');
    const report = panel!.report;
    assert.equal(report.engine, 'python');
    assert.deepEqual(report.runs[0].nodes.map((n) => n.id).sort(), ['open_tickets', 'ticket_0', 'ticket_1', 'ticket_2']);
    const inserts = report.statements.filter((s) => /^\s*INSERT INTO "?tickets"?/i.test(s.sql));
    assert.equal(inserts.length, 3, report.statements.map((s) => s.sql).join('\n'));
    assert.ok(inserts.every((s) => /^ticket_\d$/.test(s.nodeId ?? '')), JSON.stringify(inserts.map((s) => s.nodeId)));
    assert.match(panel!.panel.webview.html, /tickets/);
  });

  it('Compare Engines runs without asking again and shows where the engines differ', async () => {
    process.env.DATAFLOW_TEST_MODAL_ANSWER = 'Cancel'; // would refuse, were it asked
    const cmp = await vscode.commands.executeCommand<{ compared: { nodesCompared: number; nodesAgreeing: number; differences: Array<{ node?: string; kind: string; message: string }> }; embedded: { ok: boolean }; python: { ok: boolean } }>(
      'dataflow.compareEngines', { uri: tickets.toString(), entry: 'triage', args: {} });
    assert.ok(cmp, 'a comparison');
    assert.equal(api().pythonConfirmations().length, 2, 'not asked again once confirmed');
    const c = cmp.compared;
    console.log('engines:', JSON.stringify({ compared: c.nodesCompared, agreeing: c.nodesAgreeing, differences: c.differences.map((d) => `${d.node}: ${d.kind}: ${d.message}`) }));
    assert.equal(cmp.embedded.ok, true);
    assert.equal(cmp.python.ok, true);
    assert.equal(c.nodesCompared, 4);
    assert.equal(c.nodesAgreeing + new Set(c.differences.filter((d) => d.node).map((d) => d.node)).size, c.nodesCompared);
    const report = api().reportPanel()!.report;
    assert.equal(report.engine, 'python');
    assert.ok(report.engines, 'the report carries the engines section');
    assert.equal(report.engines!.nodesCompared, 4);
    assert.equal(report.engines!.differences.length, c.differences.length);
    const html = api().reportPanel()!.panel.webview.html;
    assert.match(html, /Engines compared/);
    assert.match(html, /of 4 node\(s\) agree/);
  });
});
