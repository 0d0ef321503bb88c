'use strict';
// The extension tests of the reload check (test/integration/reload-check.mjs), loaded by the
// workbench in the extension host: the first time, open a DataFlow file, let the server answer its
// requests, and reload the window (the extension is deactivated with requests in flight); after the
// reload (a marker file says so), wait for the extension to be active again and finish.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

exports.run = async function run() {
  const marker = path.join(process.env.DATAFLOW_RELOAD_MARKER_DIR, 'reloaded');
  const ext = vscode.extensions.getExtension('dataflow-performance.dataflow-performance');
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'jobs.py'));
  await vscode.window.showTextDocument(doc);
  await ext.activate();
  if (fs.existsSync(marker)) {
    console.log('reload check: the extension is active again after the reload');
    return;
  }
  fs.writeFileSync(marker, String(Date.now()));
  for (let i = 0; i < 100 && !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'dataflow'); i++) await new Promise((r) => setTimeout(r, 100));
  // The server prepares the runtime worker after its scan (dataflow.runtime.prepareOnStart): let it
  // start, so the reload also stops a worker.
  await new Promise((r) => setTimeout(r, 6000));
  // Requests the workbench keeps making while the window reloads.
  await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
  void vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 20, 0));
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  await new Promise(() => {}); // the window goes away
};
