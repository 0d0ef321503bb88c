// Protocol: the workspace model across files. workflows.py filters Product (declared in models.py,
// on disk, never opened) — the workspace scan alone must make DF003 appear; edits of models.py
// (open: didChange; closed: didChangeWatchedFiles) update workflows.py; the DF003 quick-fix edits
// models.py; half-typed lines keep the rest of the file's diagnostics; dataflow/analyzeWorkspace publishes
// for files that are not open.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type CodeAction, type Command } from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, codesOf, findDiagnostic, textIn, editsByUri, applyTextEdits, rangeOf } from '../helpers/lspClient';
import { MODELS_PY, MODELS_PY_INDEXED, WORKFLOWS_PY, tempDir, removeDir, writeFiles, offsetOf } from './fixtures';

function isAction(a: CodeAction | Command): a is CodeAction { return !('command' in a && typeof a.command === 'string'); }
const REPORTS_PY = `from models import db\n\nasync def totals(ids):\n    out = []\n    for i in ids:\n        out.append(await db.express.read("Product", i))\n    return out\n`;
const has = (code: string) => (p: { diagnostics: Array<{ code?: unknown }> }) => p.diagnostics.some((d) => d.code === code);
const lacks = (code: string) => (p: { diagnostics: Array<{ code?: unknown }> }) => !p.diagnostics.some((d) => d.code === code);

describe('protocol: workspace (cross-file) analysis', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  let modelsUri: string, workflowsUri: string;

  beforeEach(async () => {
    dir = tempDir();
    writeFiles(dir, { 'models.py': MODELS_PY, 'workflows.py': WORKFLOWS_PY, 'jobs/reports.py': REPORTS_PY });
    modelsUri = fileUri(path.join(dir, 'models.py'));
    workflowsUri = fileUri(path.join(dir, 'workflows.py'));
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  afterEach(async () => { await client?.dispose(); removeDir(dir); });

  it('reports DF003 in workflows.py from a model in models.py that is not open (workspace scan)', async () => {
    const p = await client.openAndWait(workflowsUri, WORKFLOWS_PY);
    assert.deepEqual(codesOf(p), ['DF001', 'DF003', 'DF002']);
    const d = findDiagnostic(p, 'DF003');
    assert.deepEqual(d.range, { start: { line: 15, character: 61 }, end: { line: 15, character: 71 } });
    assert.equal(textIn(WORKFLOWS_PY, d.range), '"category"');
    assert.match(d.message, /ProductListNode filters on "category", which no index of Product covers/);
    assert.ok(!client.diagnostics.has(modelsUri), 'models.py is not open: nothing is published for it');
  });

  it('adding the index to models.py (opened, edited with didChange) removes DF003 from workflows.py; closing it unsaved brings DF003 back', async () => {
    await client.openAndWait(workflowsUri, WORKFLOWS_PY, { predicate: has('DF003') });
    await client.openAndWait(modelsUri, MODELS_PY);
    const gone = client.nextDiagnostics(workflowsUri, { predicate: lacks('DF003'), description: 'DF003 gone' });
    // Type the declaration as an insertion at the end of the class body.
    const line = '    __dataflow__ = {"indexes": [{"name": "idx_product_category", "fields": ["category"]}]}\n';
    await client.changeAt(modelsUri, MODELS_PY.length, MODELS_PY.length, line);
    const p = await gone;
    assert.deepEqual(codesOf(p), ['DF001', 'DF002']);
    // Closing without saving: the file on disk (no index) is the truth again.
    const back = client.nextDiagnostics(workflowsUri, { predicate: has('DF003'), description: 'DF003 back' });
    await client.close(modelsUri);
    assert.deepEqual(codesOf(await back), ['DF001', 'DF003', 'DF002']);
  });

  it('a didChangeWatchedFiles event for a file written on disk updates the diagnostics of workflows.py', async () => {
    assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    await client.openAndWait(workflowsUri, WORKFLOWS_PY, { predicate: has('DF003') });
    fs.writeFileSync(path.join(dir, 'models.py'), MODELS_PY_INDEXED);
    let next = client.nextDiagnostics(workflowsUri, { predicate: lacks('DF003'), description: 'DF003 gone after the on-disk change' });
    await client.watchedFilesChanged([{ uri: modelsUri, type: FileChangeType.Changed }]);
    assert.deepEqual(codesOf(await next), ['DF001', 'DF002']);
    // Deleting models.py: Product is unknown, so no index advice; the loops are still reported.
    fs.rmSync(path.join(dir, 'models.py'));
    next = client.nextDiagnostics(workflowsUri, { predicate: (p) => p.diagnostics.length === 2 });
    await client.watchedFilesChanged([{ uri: modelsUri, type: FileChangeType.Deleted }]);
    assert.deepEqual(codesOf(await next), ['DF001', 'DF002']);
    // A new file declaring Product without the index: DF003 again.
    const otherUri = fileUri(path.join(dir, 'pkg', 'catalog.py'));
    writeFiles(dir, { 'pkg/catalog.py': MODELS_PY });
    next = client.nextDiagnostics(workflowsUri, { predicate: has('DF003'), description: 'DF003 from pkg/catalog.py' });
    await client.watchedFilesChanged([{ uri: otherUri, type: FileChangeType.Created }]);
    assert.deepEqual(codesOf(await next), ['DF001', 'DF003', 'DF002']);
  });

  it('the DF003 quick-fix is an edit of models.py (another uri) that declares the index', async () => {
    const p = await client.openAndWait(workflowsUri, WORKFLOWS_PY, { predicate: has('DF003') });
    const d = findDiagnostic(p, 'DF003');
    const actions = await client.codeActions(workflowsUri, d.range, [d]);
    assert.deepEqual(actions.map((a) => a.title), [
      'Add index [category] to Product.__dataflow__ (safe fix)',
      'Ignore missing-index (DF003) on this line',
    'Ignore missing-index (DF003) in this file',
      'Show documentation for DF003 (missing-index)',
    ]);
    const fix = actions[0];
    assert.ok(isAction(fix) && fix.isPreferred && fix.edit);
    const byUri = editsByUri(fix.edit);
    assert.deepEqual([...byUri.keys()], [modelsUri]);
    assert.equal(applyTextEdits(MODELS_PY, byUri.get(modelsUri)!), MODELS_PY_INDEXED);
    // The ignore action edits workflows.py itself.
    const ignore = actions[1];
    assert.ok(isAction(ignore) && ignore.edit);
    assert.deepEqual([...editsByUri(ignore.edit).keys()], [workflowsUri]);

    // Apply it the way an editor does: open models.py, send the edit as a range didChange.
    await client.openAndWait(modelsUri, MODELS_PY);
    const gone = client.nextDiagnostics(workflowsUri, { predicate: lacks('DF003'), description: 'DF003 gone after the fix' });
    await client.applyWorkspaceEdit(fix.edit);
    assert.equal(client.text(modelsUri), MODELS_PY_INDEXED);
    assert.deepEqual(codesOf(await gone), ['DF001', 'DF002']);
  });

  it('typing a half line (wf.add_node( unterminated) keeps the diagnostics of the rest of the file', async () => {
    const p = await client.openAndWait(workflowsUri, WORKFLOWS_PY, { predicate: has('DF003') });
    assert.deepEqual(codesOf(p), ['DF001', 'DF003', 'DF002']);
    // A new line in products_in, after the ListNode, typed one character per didChange.
    let at = offsetOf(WORKFLOWS_PY, '    runtime = LocalRuntime()', 1);
    await client.changeAt(workflowsUri, at, at, '\n');
    const typed = '    wf.add_node(';
    for (const ch of typed.slice(0, -1)) { await client.changeAt(workflowsUri, at, at, ch); at++; }
    const pos = rangeOf(client.text(workflowsUri), at, at);
    const q = await client.changeAndWait(workflowsUri, [{ range: pos, text: typed.slice(-1) }]);
    const text = client.text(workflowsUri);
    assert.ok(text.includes('    wf.add_node(\n    runtime = LocalRuntime()'));
    assert.deepEqual(codesOf(q), ['DF001', 'DF003', 'DF002']);
    assert.equal(textIn(text, findDiagnostic(q, 'DF001').range), '"ProductCreateNode"');
    assert.equal(textIn(text, findDiagnostic(q, 'DF003').range), '"category"');
    assert.equal(textIn(text, findDiagnostic(q, 'DF002').range), '"ProductReadNode"');
    // The same text opened fresh gives the same diagnostics.
    const fresh = await client.openAndWait(fileUri(path.join(dir, 'fresh.py')), text);
    assert.deepEqual(fresh.diagnostics, q.diagnostics);
  });

  it('a workspace folder added later (didChangeWorkspaceFolders) is scanned: its models count', async () => {
    const second = tempDir('dfp-proto-second-');
    try {
      // Move the model out of the first folder: Product is unknown, no DF003.
      fs.rmSync(path.join(dir, 'models.py'));
      await client.watchedFilesChanged([{ uri: modelsUri, type: FileChangeType.Deleted }]);
      await client.openAndWait(workflowsUri, WORKFLOWS_PY, { predicate: lacks('DF003') });
      writeFiles(second, { 'shop/models.py': MODELS_PY });
      const next = client.nextDiagnostics(workflowsUri, { predicate: has('DF003'), description: 'DF003 from the added folder' });
      await client.setWorkspaceFolders([dir, second]);
      const p = await next;
      assert.deepEqual(codesOf(p), ['DF001', 'DF003', 'DF002']);
      // Removing it again: the model goes away with it.
      const gone = client.nextDiagnostics(workflowsUri, { predicate: lacks('DF003'), description: 'DF003 gone with the removed folder' });
      await client.setWorkspaceFolders([dir]);
      assert.deepEqual(codesOf(await gone), ['DF001', 'DF002']);
    } finally {
      removeDir(second);
    }
  });

  it('the dataflow/analyzeWorkspace request publishes for files that are not open', async () => {
    // jobs/reports.py is written before the server starts (beforeEach): found by the scan only.
    const reportsUri = fileUri(path.join(dir, 'jobs', 'reports.py'));
    const wf = client.nextDiagnostics(workflowsUri);
    const rp = client.nextDiagnostics(reportsUri);
    const res = await client.analyzeWorkspace();
    assert.deepEqual(res, { files: 3, findings: 4 });
    assert.deepEqual(codesOf(await wf), ['DF001', 'DF003', 'DF002']);
    const r = await rp;
    assert.deepEqual(codesOf(r), ['DF002']);
    assert.match(r.diagnostics[0].message, /db\.express\.read\("Product", \.\.\.\) runs inside a loop/);
    assert.ok(!client.docs.has(workflowsUri) && !client.docs.has(reportsUri));
  });
});

describe('protocol: dependency files (DF033)', function () {
  this.timeout(60000);
  const APP_PY = 'from dataflow import DataFlow\n\ndb = DataFlow("postgresql://app:secret@db:5432/app")\n';
  let dir: string;
  let client: LspClient;

  beforeEach(async () => {
    dir = tempDir();
    writeFiles(dir, { 'requirements.txt': 'kailash-dataflow>=2.20\n', 'app.py': APP_PY });
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  afterEach(async () => { await client?.dispose(); removeDir(dir); });

  it('reads requirements.txt from the workspace scan, fixes it with an edit of that file, and follows its changes on disk', async () => {
    const appUri = fileUri(path.join(dir, 'app.py'));
    const reqUri = fileUri(path.join(dir, 'requirements.txt'));
    const p = await client.openAndWait(appUri, APP_PY, { predicate: has('DF033') });
    const d = findDiagnostic(p, 'DF033');
    assert.match(d.message, /requirements\.txt:1 declares "kailash-dataflow>=2\.20" without the \[postgres-sync\] extra/);
    const actions = (await client.codeActions(appUri, d.range, [d])).filter(isAction);
    const fix = actions.find((a) => a.title.startsWith('Declare kailash-dataflow[postgres-sync]'));
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    const edits = editsByUri(fix!.edit!);
    assert.deepEqual([...edits.keys()], [reqUri]);
    const fixed = applyTextEdits('kailash-dataflow>=2.20\n', edits.get(reqUri)!);
    assert.equal(fixed, 'kailash-dataflow[postgres-sync]>=2.20\n');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), fixed);
    const gone = client.nextDiagnostics(appUri, { predicate: lacks('DF033'), description: 'DF033 gone after requirements.txt changed' });
    await client.watchedFilesChanged([{ uri: reqUri, type: FileChangeType.Changed }]);
    await gone;
  });
});
