// The extension in a real VS Code: activation, diagnostics of every rule, quick-fixes applied
// through the workbench, cross-file updates, and every contributed command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, dataflowDiagnostics, EXTENSION_ID, waitForDiagnostics, workspaceFile } from './helpers';

const has = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);

describe('DataFlow Performance in VS Code', () => {
  const workflows = workspaceFile('workflows.py');
  const models = workspaceFile('models.py');

  it('activates on a Python file and starts the language server', async () => {
    const doc = await vscode.workspace.openTextDocument(workflows);
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    await waitForDiagnostics(workflows, (ds) => ds.length > 0, 'first diagnostics');
    assert.equal(ext!.isActive, true);
  });

  it('shows bulk-loop, read-in-loop and missing-index in workflows.py with exact ranges', async () => {
    const ds = await waitForDiagnostics(workflows, (x) => has('DF001')(x) && has('DF002')(x) && has('DF003')(x), 'DF001, DF002 and DF003');
    const doc = await vscode.workspace.openTextDocument(workflows);
    const bulk = ds.find((d) => codeOf(d) === 'DF001')!;
    assert.equal(doc.getText(bulk.range), '"ProductCreateNode"');
    assert.equal(bulk.range.start.line, 9);
    assert.equal(bulk.severity, vscode.DiagnosticSeverity.Warning);
    const read = ds.find((d) => codeOf(d) === 'DF002')!;
    assert.equal(doc.getText(read.range), '"CustomerReadNode"');
    const index = ds.find((d) => codeOf(d) === 'DF003')!;
    assert.equal(doc.getText(index.range), '"category"');
    assert.match(index.message, /no index of Product covers/);
    // The code opens the rule page rendered: a command link to dataflow.openRuleDocs with the page's file.
    assert.ok(typeof bulk.code === 'object', 'a linked code');
    const link = (bulk.code as { target: vscode.Uri }).target;
    assert.equal(link.scheme, 'command');
    assert.equal(link.path, 'dataflow.openRuleDocs');
    assert.match((JSON.parse(decodeURIComponent(link.query)) as string[])[0], /^file:\/\/.*\/docs\/rules\/DF001\.md$/);
  });

  it('shows small-pool and ignored-index in models.py', async () => {
    const doc = await vscode.workspace.openTextDocument(models);
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(models, (x) => has('DF004')(x) && has('DF005')(x), 'DF004 and DF005');
    const pool = ds.find((d) => codeOf(d) === 'DF004')!;
    assert.equal(doc.getText(pool.range), 'pool_size=5');
    const ignored = ds.find((d) => codeOf(d) === 'DF005')!;
    assert.equal(doc.getText(ignored.range), '__indexes__');
    assert.match(ignored.message, /ignores __indexes__ on Review/);
  });

  it('applies the bulk-loop quick-fix from the code action provider and the diagnostic goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(workflows);
    await vscode.window.showTextDocument(doc);
    const bulk = dataflowDiagnostics(workflows).find((d) => codeOf(d) === 'DF001')!;
    // The server defers edits to codeAction/resolve: ask VS Code to resolve the listed actions.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', workflows, bulk.range, vscode.CodeActionKind.QuickFix.value, 20);
    const fix = actions.find((a) => a.isPreferred && a.title.includes('ProductBulkCreateNode'));
    assert.ok(fix?.title.endsWith('(changes behaviour)'), fix?.title);
    assert.ok(fix, `preferred bulk fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title.startsWith('Ignore bulk-loop')), 'suppression action offered');
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    const text = doc.getText();
    assert.ok(text.includes('workflow.add_node("ProductBulkCreateNode", "create_bulk", {\n        "data": [{"name": row["name"], "category": row["category"]} for row in rows],\n        "batch_size": 1000,\n    })'), text);
    assert.ok(!text.includes('for i, row in enumerate(rows):\n'), 'the loop is gone');
    await waitForDiagnostics(workflows, (ds) => !has('DF001')(ds) && has('DF002')(ds), 'DF001 to disappear');
  });

  it('clears missing-index in workflows.py when the index is added to models.py', async () => {
    await waitForDiagnostics(workflows, has('DF003'), 'DF003 before the edit');
    const doc = await vscode.workspace.openTextDocument(models);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('price: float = 0.0'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(models, new vscode.Position(line + 1, 0), '    __dataflow__ = {"indexes": [{"name": "idx_products_category", "fields": ["category"]}]}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(workflows, (ds) => !has('DF003')(ds), 'DF003 to disappear');
  });

  it('registers every contributed command, and each runs on the fixture', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
    const all = await vscode.commands.getCommands(true);
    for (const c of manifest.contributes.commands) assert.ok(all.includes(c.command), `${c.command} is registered`);
    await vscode.commands.executeCommand('dataflow.showLogs');
    const analyzed = await vscode.commands.executeCommand<{ files: number; findings: number }>('dataflow.analyzeWorkspace');
    assert.ok(analyzed && analyzed.files >= 2 && analyzed.findings >= 2, JSON.stringify(analyzed));
    const docsUri = vscode.Uri.file(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'docs', 'rules', 'DF001.md'));
    await vscode.commands.executeCommand('dataflow.openRuleDocs', docsUri.toString());
    await vscode.commands.executeCommand('dataflow.restartServer');
    await waitForDiagnostics(workflows, has('DF002'), 'diagnostics after a restart');
  });
});

describe('the workbench UI', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bridge = require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs')) as { uiCheck: (name: string, args?: unknown) => Promise<unknown>; uiBridgeAvailable: () => boolean };
  const workflows = workspaceFile('workflows.py');

  before(function () {
    if (!bridge.uiBridgeAvailable()) this.skip();
  });

  it('lists the DataFlow diagnostics in the Problems panel', async () => {
    await waitForDiagnostics(workflows, has('DF002'), 'DF002');
    // A maximized panel renders every row (the Problems list is virtualized).
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    const rows = (await bridge.uiCheck('problemsPanel', { codes: ['DF002', 'DF004', 'DF005'] })) as string[];
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    assert.ok(rows.some((r) => r.includes('DF002') && r.includes('CustomerReadNode')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('DF004')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('DF005')), rows.join('\n'));
  });

  it('offers the read-in-loop quick-fix from the light bulb', async () => {
    const doc = await vscode.workspace.openTextDocument(workflows);
    await vscode.window.showTextDocument(doc);
    const read = (await waitForDiagnostics(workflows, has('DF002'), 'DF002')).find((d) => codeOf(d) === 'DF002')!;
    const menu = (await bridge.uiCheck('quickFixMenu', { line: read.range.start.line + 1, column: read.range.start.character + 3 })) as { bulbVisible: boolean; labels: string[] };
    assert.ok(menu.labels.some((l) => l.includes('CustomerListNode')), menu.labels.join(' | '));
    const shot = process.env.DATAFLOW_IT_RESULTS ? path.join(process.env.DATAFLOW_IT_RESULTS, 'quick-fix.png') : undefined;
    if (shot) await bridge.uiCheck('screenshot', { path: shot });
  });
});

describe('running and profiling workflows', function () {
  this.timeout(240000);
  const jobs = workspaceFile('jobs.py');

  it('shows Run and Profile code lenses on a function that executes a workflow', async () => {
    const doc = await vscode.workspace.openTextDocument(jobs);
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(jobs, has('DF001'), 'DF001 in jobs.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', jobs);
    const titles = lenses.filter((l) => l.range.start.line === 6).map((l) => l.command?.title);
    // The workbench runs with workspace trust disabled (trusted): "Profile with Python" is offered too.
    assert.deepEqual(titles, ['$(play) Run', '$(dashboard) Profile', '$(debug-alt) Profile with Python']);
  });

  it('Run Workflow executes nightly() on the embedded database', async () => {
    const result = await vscode.commands.executeCommand<{ ok: boolean; runs: Array<{ nodes: unknown[] }>; log: string[]; error?: unknown }>('dataflow.runWorkflow', { uri: jobs.toString(), entry: 'nightly', args: {} });
    assert.ok(result, 'a result');
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.runs[0].nodes.length, 41);
    assert.deepEqual(result.log, ['nodes 41']);
  });

  it('Profile Workflow opens the report panel with the nodes and measured recommendations; Apply fix changes the document', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const api = ext.exports as { reportPanel: () => { report: { runs: Array<{ nodes: unknown[] }>; recommendations: Array<{ id: number; rule: string; verdict: string; diagnostic?: { fixTitle?: string } }> }; panel: vscode.WebviewPanel; handleMessage(m: unknown): Promise<unknown> } | undefined };
    const result = await vscode.commands.executeCommand<{ ok: boolean; error?: unknown }>('dataflow.profileWorkflow', { uri: jobs.toString(), entry: 'nightly', args: {}, seedRows: 5000 });
    assert.equal(result?.ok, true, JSON.stringify(result?.error));
    const panel = api.reportPanel();
    assert.ok(panel, 'the report panel is open');
    const report = panel!.report;
    assert.equal(report.runs[0].nodes.length, 41);
    const bulk = report.recommendations.find((r) => r.rule === 'bulk-loop');
    assert.ok(bulk && bulk.verdict === 'recommended', JSON.stringify(report.recommendations.map((r) => [r.rule, r.verdict])));
    assert.ok(bulk!.diagnostic?.fixTitle?.includes('CustomerBulkCreateNode'), JSON.stringify(bulk!.diagnostic));
    // The seeded rows match the workflow's filter (an earlier test indexed category, so no index is missing here).
    const seeded = (report as unknown as { database: { seededFilters?: Array<{ condition: string; seeded: number; matching: number; total: number }> } }).database.seededFilters ?? [];
    assert.deepEqual(seeded.map((f) => [f.condition, f.seeded, f.matching, f.total]), [["category = 'toys'", 250, 250, 5000]]);
    const html = panel!.panel.webview.html;
    assert.match(html, /default-src (&#39;|')none(&#39;|')/);
    assert.match(html, /customer_0/);
    if (bridge().uiBridgeAvailable()) {
      await vscode.commands.executeCommand('workbench.action.closePanel');
      // A hidden webview drops its content (retainContextWhenHidden is off): show it first.
      panel!.panel.reveal(undefined, false);
      for (let i = 0; i < 50 && !panel!.panel.visible; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(panel!.panel.visible, 'the report panel is visible');
      // The webview really renders the report (CSP, nonce and scripts accepted by the workbench).
      const view = (await bridge().uiCheck('reportWebview')) as { text?: string; notFound?: boolean };
      console.log('webview:', JSON.stringify(view).slice(0, 600));
      assert.ok(!view.notFound, `the report webview shows nothing: ${JSON.stringify(view)}`);
      assert.match(view.text!, /Recommendations/);
      assert.match(view.text!, /CustomerBulkCreateNode/);
      if (process.env.DATAFLOW_IT_RESULTS) await bridge().uiCheck('screenshot', { path: path.join(process.env.DATAFLOW_IT_RESULTS, 'report-panel.png') });
    }
    // Go to source opens a file the report names, and nothing the page makes up.
    const opened = (await panel!.handleMessage({ type: 'goToSource', file: jobs.fsPath, line: 12 })) as vscode.TextEditor | undefined;
    assert.equal(opened?.document.uri.fsPath, jobs.fsPath);
    assert.equal(opened?.selection.active.line, 11);
    const outside = path.join(path.dirname(jobs.fsPath), 'workflows.py');
    assert.equal(await panel!.handleMessage({ type: 'goToSource', file: outside, line: 1 }), undefined, 'a file the report does not name is refused');
    assert.equal(await panel!.handleMessage({ type: 'goToSource', file: '/etc/passwd', line: 1 }), undefined);
    const before = (await vscode.workspace.openTextDocument(jobs)).getText();
    const applied = (await panel!.handleMessage({ type: 'applyFix', recommendationId: bulk!.id })) as { applied: boolean; reason?: string };
    assert.equal(applied.applied, true, applied.reason);
    const after = (await vscode.workspace.openTextDocument(jobs)).getText();
    assert.notEqual(after, before);
    assert.ok(after.includes('"CustomerBulkCreateNode"'), after);
    await waitForDiagnostics(jobs, (ds) => !has('DF001')(ds), 'DF001 to disappear after Apply fix');
  });

  it('Select Database offers the embedded database first and can be dismissed', async function () {
    if (!bridge().uiBridgeAvailable()) this.skip();
    const pending = vscode.commands.executeCommand('dataflow.selectDatabase');
    const items = (await bridge().uiCheck('dismissQuickInput')) as string[];
    assert.ok(items[0]?.includes('Embedded PostgreSQL'), items.join(' | '));
    assert.ok(items.some((i) => i.includes('Enter a PostgreSQL URL')), items.join(' | '));
    assert.equal(await pending, undefined);
  });

  it('Show Last Report and Export Report work without dialogs', async () => {
    await vscode.commands.executeCommand('dataflow.showLastReport');
    const target = path.join(os.tmpdir(), `dataflow-report-${Date.now()}.html`);
    await vscode.commands.executeCommand('dataflow.exportReport', 'html', target);
    const text = fs.readFileSync(target, 'utf8');
    assert.match(text, /<html/);
    assert.match(text, /Content-Security-Policy/);
    fs.rmSync(target, { force: true });
  });
});

function bridge(): { uiCheck: (name: string, args?: unknown) => Promise<unknown>; uiBridgeAvailable: () => boolean } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs'));
}
