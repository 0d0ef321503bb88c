// Protocol: initialize/initialized, capability negotiation, settings (pulled with
// workspace/configuration or pushed in initializationOptions / didChangeConfiguration), shutdown.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LspClient, REPO_ROOT, fileUri, codesOf, findDiagnostic } from '../helpers/lspClient';
import { SINGLE_FILE_PY, tempDir, removeDir, writeFiles } from './fixtures';

describe('protocol: lifecycle and settings', function () {
  this.timeout(60000);
  let dir: string;
  const clients: LspClient[] = [];
  const start = async (o: Parameters<typeof LspClient.start>[0]) => { const c = await LspClient.start(o); clients.push(c); return c; };

  before(() => { dir = tempDir(); writeFiles(dir, { 'app.py': SINGLE_FILE_PY }); });
  afterEach(async () => { await Promise.all(clients.splice(0).map((c) => c.dispose())); });
  after(() => removeDir(dir));

  it('answers initialize with incremental sync and quick-fix code actions, and registers no executeCommand names', async () => {
    const c = await start({ workspaceFolders: [dir] });
    const caps = c.initializeResult!.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.dataflow'], resolveProvider: true });
    assert.equal(caps.hoverProvider, true);
    // "Analyze Workspace" is the custom request dataflow/analyzeWorkspace: a command name here would
    // be registered by vscode-languageclient and clash with the extension's own command.
    assert.equal(caps.executeCommandProvider, undefined);
    assert.equal(caps.workspace?.workspaceFolders?.supported, true);
    assert.equal(c.initializeResult!.serverInfo?.name, 'dataflow-performance');
    // The version is package.json's, written into the bundle by esbuild (not a copy in the code).
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(c.initializeResult!.serverInfo?.version, pkg.version);
  });

  it('registers **/*.py (and project-file) watchers when the client supports dynamic registration, and pulls dataflow settings', async () => {
    const c = await start({ workspaceFolders: [dir], configuration: true, watchedFilesDynamicRegistration: true });
    await c.waitForIndexed();
    const reg = c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(reg, `registrations: ${JSON.stringify(c.registrations)}`);
    const watchers = (reg.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers;
    assert.deepEqual(watchers[0], { globPattern: '**/*.py' });
    // Dependency and deployment files for DF033/DF034.
    for (const g of ['**/pyproject.toml', '**/requirements*.txt', '**/Dockerfile*']) assert.ok(watchers.some((w) => w.globPattern === g), g);
    assert.ok(c.configurationRequests.some((r) => r.section === 'dataflow'), JSON.stringify(c.configurationRequests));
  });

  it('does not register a watcher nor ask for configuration when the client cannot', async () => {
    const c = await start({ workspaceFolders: [dir], configuration: false, watchedFilesDynamicRegistration: false });
    const uri = fileUri(path.join(dir, 'app.py'));
    const p = await c.openAndWait(uri, SINGLE_FILE_PY);
    assert.deepEqual(codesOf(p).sort(), ['DF001', 'DF003', 'DF004']);
    assert.equal(c.registrations.length, 0);
    assert.equal(c.configurationRequests.length, 0);
  });

  it('applies rule severities from workspace/configuration (configuration: true)', async () => {
    const c = await start({ workspaceFolders: [dir], configuration: true, settings: { lint: { 'bulk-loop': 'error', 'small-pool': 'ignore' } } });
    const uri = fileUri(path.join(dir, 'app.py'));
    const p = await c.openAndWait(uri, SINGLE_FILE_PY);
    assert.deepEqual(codesOf(p).sort(), ['DF001', 'DF003']);
    assert.equal(findDiagnostic(p, 'DF001').severity, DiagnosticSeverity.Error);
    assert.equal(findDiagnostic(p, 'DF003').severity, DiagnosticSeverity.Warning);
    for (const d of p.diagnostics) assert.equal(d.source, 'dataflow');
  });

  it('applies rule severities from initializationOptions and didChangeConfiguration (configuration: false)', async () => {
    const c = await start({ workspaceFolders: [dir], configuration: false, settings: { lint: { 'missing-index': 'information' } } });
    const uri = fileUri(path.join(dir, 'app.py'));
    const p = await c.openAndWait(uri, SINGLE_FILE_PY);
    assert.equal(findDiagnostic(p, 'DF003').severity, DiagnosticSeverity.Information);
    // Push new settings: the server re-publishes with them.
    const next = c.nextDiagnostics(uri, { predicate: (x) => !codesOf(x).includes('DF003'), description: 'missing-index ignored' });
    await c.setSettings({ lint: { 'missing-index': 'ignore', 'bulk-loop': 'hint' } });
    const q = await next;
    assert.deepEqual(codesOf(q).sort(), ['DF001', 'DF004']);
    assert.equal(findDiagnostic(q, 'DF001').severity, DiagnosticSeverity.Hint);
  });

  it('re-pulls settings after didChangeConfiguration (configuration: true)', async () => {
    const c = await start({ workspaceFolders: [dir], configuration: true });
    const uri = fileUri(path.join(dir, 'app.py'));
    const p = await c.openAndWait(uri, SINGLE_FILE_PY);
    assert.ok(codesOf(p).includes('DF004'));
    const next = c.nextDiagnostics(uri, { predicate: (x) => !codesOf(x).includes('DF004'), description: 'small-pool ignored' });
    await c.setSettings({ lint: { 'small-pool': 'ignore' } });
    assert.deepEqual(codesOf(await next).sort(), ['DF001', 'DF003']);
  });

  it('with run: "onSave", an edit is re-analysed when the document is saved', async () => {
    const c = await start({ configuration: true, settings: { run: 'onSave' } });
    const uri = 'untitled:Untitled-2';
    const p = await c.openAndWait(uri, SINGLE_FILE_PY);
    assert.deepEqual(codesOf(p), ['DF004', 'DF001', 'DF003']);
    const sent = c.publishes.length;
    await c.changeFull(uri, SINGLE_FILE_PY.replace('pool_size=POOL', 'pool_size=50'));
    const saved = c.nextDiagnostics(uri, { predicate: (x) => x.version === 2, description: 'version 2 after didSave' });
    await c.save(uri);
    assert.deepEqual(codesOf(await saved), ['DF001', 'DF003']);
    assert.ok(c.publishes.slice(sent).filter((x) => x.uri === uri && x.version === 2).length >= 1);
  });

  it('disables analysis with enable: false', async () => {
    const c = await start({ configuration: true, settings: { enable: false } });
    const p = await c.openAndWait('untitled:Untitled-1', SINGLE_FILE_PY);
    assert.deepEqual(p.diagnostics, []);
  });

  it('exits with code 0 after shutdown + exit', async () => {
    const c = await LspClient.start({ workspaceFolders: [dir] });
    const exited = new Promise<number | null>((r) => c.proc.on('exit', (code) => r(code)));
    await c.dispose();
    assert.equal(await exited, 0);
  });
});
