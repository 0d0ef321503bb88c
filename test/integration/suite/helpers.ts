// Helpers for tests inside the extension host: open fixtures and wait for diagnostics by event.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dataflow-performance.dataflow-performance';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

export function dataflowDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dataflow');
}

/** Resolves when `predicate` holds for the DataFlow diagnostics of `uri` (checked on every change event). */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = dataflowDiagnostics(uri);
      if (predicate(ds)) { done(); resolve(ds); return true; }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what} on ${uri.path}; have: ${dataflowDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line}`).join(', ') || 'none'}`));
    }, timeoutMs);
    const done = () => { clearTimeout(timer); sub.dispose(); };
    check();
  });
}
