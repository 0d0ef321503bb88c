// "DataFlow: Profile with Python" in a real VS Code: the project's interpreter is the oracle venv
// (the real DataFlow 2.20) behind a wrapper script set as `dataflow.python.path`; the first run
// shows the modal confirmation, which the test answers by pressing its button in the workbench
// (no test-only bypass exists); the report panel then shows the Python engine's report. "Compare
// Engines" runs without asking again and shows the differences section.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceFile } from './helpers';

interface UiBridge { uiCheck: (name: string, args?: unknown) => Promise<unknown>; uiBridgeAvailable: () => boolean }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bridge = (): UiBridge => require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs'));

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** The oracle (the real DataFlow 2.20 and the script that builds its venv): $DATAFLOW_ORACLE_DIR, else <repo>/../shared/oracle. */
function oracleDir(): string | undefined {
  const dir = process.env.DATAFLOW_ORACLE_DIR || path.join(REPO, '..', 'shared', 'oracle');
  return fs.existsSync(path.join(dir, 'setup.sh')) ? dir : undefined;
}

/** An interpreter wrapper: the oracle venv's python with DataFlow's source tree on PYTHONPATH (as oracle.sh sets it). */
function oracleInterpreter(dir: string): string {
  const cache = execFileSync('bash', [path.join(dir, 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim().split('\n').pop()!;
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
}

describe('Profile with Python (the project\'s own interpreter)', function () {
  this.timeout(600000);
  const tickets = workspaceFile('tickets.py');
  let python: string;

  before(function () {
    const dir = oracleDir();
    if (!dir) {
      if (process.env.CI) throw new Error('the oracle is missing: set DATAFLOW_ORACLE_DIR or put it at <repo>/../shared/oracle');
      this.skip();
    }
    // The confirmation is answered in the workbench itself: without the UI bridge there is no way past it.
    if (!bridge().uiBridgeAvailable()) this.skip();
    python = oracleInterpreter(dir!);
  });

  after(async () => {
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
    assert.deepEqual(titles, ['▶ Run', '⏱ Profile', '🐍 Profile with Python']);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('dataflow.profileWithPython') && commands.includes('dataflow.compareEngines'));
  });

  it('asks once, runs triage() in the oracle venv with the real DataFlow, and the panel shows the Python engine\'s report', async () => {
    await vscode.workspace.getConfiguration('dataflow').update('python.path', python, vscode.ConfigurationTarget.Global);
    const pending = vscode.commands.executeCommand<{ ok: boolean; engine: string; error?: unknown; python: { path: string; version: string }; statements: unknown[]; report?: ReportLike }>(
      'dataflow.profileWithPython', { uri: tickets.toString(), entry: 'triage', args: {} });
    const dialog = (await bridge().uiCheck('answerDialog', { button: 'Run with Python' })) as { message: string; detail: string; buttons: string[] };
    console.log('confirmation:', JSON.stringify(dialog));
    assert.match(dialog.message, /tickets\.py/);
    assert.match(dialog.message, /executes your project's own Python code/);
    assert.ok(dialog.detail.includes(python), dialog.detail);
    const result = await pending;
    assert.ok(result, 'a result');
    assert.equal(result.engine, 'python');
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.python.path, python);
    assert.match(result.python.version, /^\d+\.\d+/);
    assert.ok(result.statements.length > 0, 'the tracer recorded statements');
    const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
    const panel = api.reportPanel();
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
    const cmp = await vscode.commands.executeCommand<{ compared: { nodesCompared: number; nodesAgreeing: number; differences: Array<{ node?: string; kind: string; message: string }> }; embedded: { ok: boolean }; python: { ok: boolean } }>(
      'dataflow.compareEngines', { uri: tickets.toString(), entry: 'triage', args: {} });
    assert.ok(cmp, 'a comparison (no dialog the second time)');
    const c = cmp.compared;
    console.log('engines:', JSON.stringify({ compared: c.nodesCompared, agreeing: c.nodesAgreeing, differences: c.differences.map((d) => `${d.node}: ${d.kind}: ${d.message}`) }));
    assert.equal(cmp.embedded.ok, true);
    assert.equal(cmp.python.ok, true);
    assert.equal(c.nodesCompared, 4);
    assert.equal(c.nodesAgreeing + new Set(c.differences.filter((d) => d.node).map((d) => d.node)).size, c.nodesCompared);
    const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
    const report = api.reportPanel()!.report;
    assert.equal(report.engine, 'python');
    assert.ok(report.engines, 'the report carries the engines section');
    assert.equal(report.engines!.nodesCompared, 4);
    assert.equal(report.engines!.differences.length, c.differences.length);
    const html = api.reportPanel()!.panel.webview.html;
    assert.match(html, /Engines compared/);
    assert.match(html, /of 4 node\(s\) agree/);
  });
});
