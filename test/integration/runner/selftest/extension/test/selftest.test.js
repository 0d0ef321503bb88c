'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');
const { uiCheck, uiBridgeAvailable } = require('../../../ui-bridge.cjs');

const EXT_ID = 'dataflow-selftest.runner-selftest';

describe('runner self-test', () => {
  it('runs in the real VS Code extension host', () => {
    assert.strictEqual(vscode.version, '1.100.3');
    assert.strictEqual(typeof process.versions.node, 'string');
    console.log(`  vscode ${vscode.version}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, remoteName=${vscode.env.remoteName}`);
  });

  it('activates the extension and finds its command in getCommands()', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is not loaded`);
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('runnerSelftest.hello'), 'runnerSelftest.hello is not registered');
    const answer = await vscode.commands.executeCommand('runnerSelftest.hello', 'tests');
    assert.match(answer, /^hello tests from /);
    if (process.env.SELFTEST_EXPECT_INSTALLED === '1') {
      // VSIX mode: the extension must be the installed copy, not a development folder.
      assert.ok(!ext.extensionPath.includes(`${path.sep}selftest${path.sep}extension`),
        `expected the installed extension, got ${ext.extensionPath}`);
      assert.match(ext.extensionPath, /extensions[\\/]dataflow-selftest\.runner-selftest-0\.0\.1$/);
      console.log(`  installed copy: ${ext.extensionPath}`);
    }
  });

  it('opens a file of the workspace in an editor', async () => {
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'no workspace folder is open');
    const [uri] = await vscode.workspace.findFiles('**/hello.py');
    assert.ok(uri, 'hello.py not found in the workspace');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    assert.strictEqual(editor.document.languageId, 'python');
    assert.match(editor.document.getText(), /def hello\(name\)/);
    assert.strictEqual(vscode.window.activeTextEditor.document.uri.toString(), uri.toString());
  });

  it('asks the runner to look at the workbench UI (playwright)', async function () {
    // Needs the runner's UI bridge and the self-test's UI check module (ui-checks.mjs).
    if (!uiBridgeAvailable() || !process.env.DATAFLOW_UI_CHECK) this.skip();
    assert.strictEqual(await uiCheck('ping'), 'pong');
    const tabs = await uiCheck('editorTabs');
    assert.ok(tabs.includes('hello.py'), `editor tabs seen by the browser: ${JSON.stringify(tabs)}`);
    const title = await uiCheck('commandPaletteFinds', { text: 'Runner Self-test: Hello' });
    assert.strictEqual(title, 'Runner Self-test: Hello');
  });

  if (process.env.SELFTEST_FAIL === '1') {
    it('fails on purpose (SELFTEST_FAIL=1)', () => {
      assert.strictEqual(1 + 1, 3, 'deliberate failure');
    });
  }
});
