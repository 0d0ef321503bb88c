// Protocol: diagnostics of one document (codes, source, exact 0-based ranges), code actions
// (preferred quick-fix, "Ignore ...", documentation), applying a fix as an incremental didChange,
// and closing a document.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Command, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, codesOf, findDiagnostic, textIn, editsByUri, applyTextEdits } from '../helpers/lspClient';
import { SINGLE_FILE_PY, tempDir, removeDir, writeFiles } from './fixtures';

function isAction(a: CodeAction | Command): a is CodeAction { return !('command' in a && typeof a.command === 'string'); }

describe('protocol: diagnostics and code actions', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  let uri: string;
  let n = 0;

  before(async () => {
    dir = tempDir();
    writeFiles(dir, { 'app.py': SINGLE_FILE_PY });
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  after(async () => { await client?.dispose(); removeDir(dir); });
  // Each test works on its own (unsaved) document so tests do not see each other's edits.
  beforeEach(() => { uri = fileUri(path.join(dir, `doc${++n}.py`)); });
  afterEach(async () => { if (client.docs.has(uri)) await client.close(uri); });

  it('publishes DF001, DF003 and DF004 with source "dataflow" and exact 0-based ranges', async () => {
    const p = await client.openAndWait(uri, SINGLE_FILE_PY);
    assert.equal(p.version, 1);
    assert.deepEqual(codesOf(p), ['DF004', 'DF001', 'DF003']);
    const df001 = findDiagnostic(p, 'DF001');
    assert.deepEqual(df001.range, { start: { line: 18, character: 26 }, end: { line: 18, character: 45 } });
    assert.equal(textIn(SINGLE_FILE_PY, df001.range), '"ProductCreateNode"');
    assert.equal(df001.severity, DiagnosticSeverity.Warning);
    assert.equal(df001.source, 'dataflow');
    assert.match(df001.message, /ProductCreateNode is added inside a loop.*ProductBulkCreateNode/);
    assert.match(String(df001.codeDescription?.href), /DF001\.md$/);
    const df004 = findDiagnostic(p, 'DF004');
    assert.deepEqual(df004.range, { start: { line: 6, character: 53 }, end: { line: 6, character: 67 } });
    assert.equal(textIn(SINGLE_FILE_PY, df004.range), 'pool_size=POOL');
    const df003 = findDiagnostic(p, 'DF003');
    assert.equal(df003.range.start.line, 19);
    assert.equal(textIn(SINGLE_FILE_PY, df003.range), '"name"');
    assert.match(df003.message, /filters on "name" and sorts by "price"/);
  });

  it('offers the preferred quick-fix, an "Ignore" action and a documentation action for DF001', async () => {
    const p = await client.openAndWait(uri, SINGLE_FILE_PY);
    const d = findDiagnostic(p, 'DF001');
    const actions = await client.codeActions(uri, d.range, [d]);
    assert.equal(actions.length, 4, JSON.stringify(actions.map((a) => a.title)));
    const [fix, ignore, ignoreFile, docs] = actions;
    assert.ok(isAction(fix) && isAction(ignore) && isAction(ignoreFile) && isAction(docs));
    assert.equal(fix.title, 'Replace the loop with one ProductBulkCreateNode (changes behaviour)');
    assert.equal(ignoreFile.title, 'Ignore bulk-loop (DF001) in this file');
    assert.equal(applyTextEdits(SINGLE_FILE_PY, editsByUri(ignoreFile.edit!).get(uri)!).split('\n')[0], '# dataflow: ignore-file[bulk-loop]');
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    assert.deepEqual([...editsByUri(fix.edit!).keys()], [uri]);

    assert.equal(ignore.title, 'Ignore bulk-loop (DF001) on this line');
    assert.equal(ignore.kind, CodeActionKind.QuickFix);
    assert.ok(!ignore.isPreferred);
    const ignored = applyTextEdits(SINGLE_FILE_PY, editsByUri(ignore.edit!).get(uri)!);
    assert.equal(ignored.split('\n')[18], '        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": p["name"], "price": p["price"]})  # dataflow: ignore[bulk-loop]');

    assert.equal(docs.title, 'Show documentation for DF001 (bulk-loop)');
    assert.equal(docs.command?.command, 'dataflow.openRuleDocs');
    assert.match(String(docs.command?.arguments?.[0]), /DF001\.md$/);
  });

  it('returns no actions for other kinds, foreign diagnostics or stale ranges', async () => {
    const p = await client.openAndWait(uri, SINGLE_FILE_PY);
    const d = findDiagnostic(p, 'DF001');
    assert.deepEqual(await client.codeActions(uri, d.range, [d], ['refactor']), []);
    const foreign: Diagnostic = { ...d, source: 'pylance' };
    assert.deepEqual(await client.codeActions(uri, d.range, [foreign]), []);
    const stale: Diagnostic = { ...d, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } };
    assert.deepEqual(await client.codeActions(uri, stale.range, [stale]), []);
    assert.deepEqual(await client.codeActions('file:///nowhere/never-opened.py', d.range, [d]), []);
  });

  it('applying the DF001 quick-fix as an incremental didChange removes that diagnostic and keeps the others', async () => {
    const p = await client.openAndWait(uri, SINGLE_FILE_PY);
    const d = findDiagnostic(p, 'DF001');
    const fix = (await client.codeActions(uri, d.range, [d])).find((a): a is CodeAction => isAction(a) && !!a.isPreferred);
    assert.ok(fix?.edit);
    const next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2, description: 'version 2' });
    await client.applyWorkspaceEdit(fix.edit);
    const q = await next;
    assert.deepEqual(codesOf(q), ['DF004', 'DF003'], JSON.stringify(q.diagnostics.map((x) => x.message)));
    const text = client.text(uri);
    assert.match(text, /workflow\.add_node\("ProductBulkCreateNode", "create_bulk", \{\n {8}"data": \[\{"name": p\["name"\], "price": p\["price"\]\} for p in products\],/);
    assert.doesNotMatch(text, /for i, p in enumerate\(products\):/);
    // The DF003 range moved with the text and still covers the same key.
    assert.equal(textIn(text, findDiagnostic(q, 'DF003').range), '"name"');
  });

  it('applying the "Ignore" action silences the diagnostic', async () => {
    const p = await client.openAndWait(uri, SINGLE_FILE_PY);
    const d = findDiagnostic(p, 'DF003');
    const ignore = (await client.codeActions(uri, d.range, [d])).find((a): a is CodeAction => isAction(a) && a.title.startsWith('Ignore'));
    assert.ok(ignore?.edit);
    const next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2, description: 'version 2' });
    await client.applyWorkspaceEdit(ignore.edit);
    assert.deepEqual(codesOf(await next), ['DF004', 'DF001']);
    assert.match(client.text(uri), /# dataflow: ignore\[missing-index\]\n/);
  });

  it('applies a quick-fix with several TextEdits (pool_size and pool_max_overflow) as one didChange with range changes in reverse order', async () => {
    const text = SINGLE_FILE_PY.replace('pool_size=POOL)', 'pool_size=5, pool_max_overflow=0)');
    const p = await client.openAndWait(uri, text);
    const d = findDiagnostic(p, 'DF004');
    assert.match(d.message, /pool_size=5 is below 10 and pool_max_overflow=0 leaves no headroom/);
    const fix = (await client.codeActions(uri, d.range, [d])).find((a): a is CodeAction => isAction(a) && !!a.isPreferred);
    assert.ok(fix?.edit);
    assert.equal(fix.title, 'Set pool_size=20 and pool_max_overflow=30 (safe fix)');
    assert.equal(editsByUri(fix.edit).get(uri)!.length, 2);
    const next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2, description: 'version 2' });
    await client.applyWorkspaceEdit(fix.edit);
    assert.deepEqual(codesOf(await next), ['DF001', 'DF003']);
    assert.match(client.text(uri), /pool_size=20, pool_max_overflow=30\)/);
  });

  it('closing a document clears its diagnostics', async () => {
    const p = await client.openAndWait(uri, SINGLE_FILE_PY);
    assert.ok(p.diagnostics.length > 0);
    const cleared = client.nextDiagnostics(uri);
    await client.close(uri);
    const q = await cleared;
    assert.deepEqual(q.diagnostics, []);
  });

  it('a full-text didChange re-publishes for the new version', async () => {
    await client.openAndWait(uri, SINGLE_FILE_PY);
    const next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2, description: 'version 2' });
    await client.changeFull(uri, SINGLE_FILE_PY.replace('pool_size=POOL', 'pool_size=50'));
    assert.deepEqual(codesOf(await next), ['DF001', 'DF003']);
  });

  it('a file that stops mentioning DataFlow loses its diagnostics, and gets them back', async () => {
    await client.openAndWait(uri, SINGLE_FILE_PY);
    let next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2 });
    await client.changeFull(uri, 'print("hello")\n');
    assert.deepEqual((await next).diagnostics, []);
    next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 3 });
    await client.changeFull(uri, SINGLE_FILE_PY);
    assert.deepEqual(codesOf(await next), ['DF004', 'DF001', 'DF003']);
  });
});

describe('protocol: closing a document while its first analysis waits for settings', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = tempDir();
    client = await LspClient.start({ workspaceFolders: [dir], configuration: true });
    await client.waitForIndexed();
  });
  after(async () => { await client?.dispose(); removeDir(dir); });

  it('leaves no diagnostics behind for the closed document', async () => {
    // The first analysis of a uri asks the client for its settings (workspace/configuration).
    // The client answers only after the document was closed and its diagnostics cleared, the way
    // a busy VS Code can when a file is opened and closed at once (peek, search preview, diff).
    const stale: string[] = [];
    for (let i = 0; i < 8; i++) {
      const name = `closed_${i}.py`;
      writeFiles(dir, { [name]: SINGLE_FILE_PY }); // on disk and in the workspace folder
      const uri = fileUri(path.join(dir, name));
      const release = client.holdConfiguration();
      const asked = client.configurationRequests.length;
      const cleared = client.nextDiagnostics(uri, { predicate: (p) => p.version === undefined && p.diagnostics.length === 0, description: 'the empty publish of didClose' });
      await client.open(uri, SINGLE_FILE_PY);
      await waitUntil(() => client.configurationRequests.length > asked, 'the server asks for the settings of the new document');
      await client.close(uri);
      await cleared;
      const seen = client.publishes.length;
      release();
      // Let the configuration answer go out, then make a round trip: anything the server publishes
      // on receiving the settings is written before the answer to this later request.
      await new Promise((r) => setImmediate(r));
      await client.codeActions('file:///nowhere/round-trip.py', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
      for (const late of client.publishes.slice(seen).filter((p) => p.uri === uri)) {
        if (late.diagnostics.length) stale.push(`#${i}: v${late.version} with ${late.diagnostics.length} diagnostics`);
      }
    }
    assert.deepEqual(stale, [], 'diagnostics published for a document after it was closed');
  });
});

/** Polls a condition every few ms (for server-side state with no notification of its own). */
async function waitUntil(cond: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
