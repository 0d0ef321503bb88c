// "Show Results": what the last run's workflows returned — each execute()'s results by node id and
// the entry point's return value — as a JSON document the editor opens read-only (a read-only file
// system of its own scheme: the editor refuses typing, and there is nothing to save).
import * as vscode from 'vscode';
import type { RunResult } from './runWorkflow';

export const RESULTS_SCHEME = 'dataflow-results';

export class RunResultsDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private last: { uri: vscode.Uri; data: Uint8Array; mtime: number } | undefined;

  set(r: RunResult): void {
    const name = `${r.entry && r.entry !== '__main__' ? r.entry : 'main'} results.json`;
    const doc = {
      entry: r.entry,
      database: r.database,
      ok: r.ok,
      ...(r.error ? { error: `${r.error.type}: ${r.error.message}` } : {}),
      returned: r.returned ?? null,
      executes: r.runs.map((run, i) => ({ run: i + 1, results: run.results ?? {}, ...(run.error ? { error: `${run.error.type}: ${run.error.message}`, partialResults: run.partialResults ?? {} } : {}) })),
    };
    const uri = vscode.Uri.from({ scheme: RESULTS_SCHEME, path: `/${name}` });
    this.last = { uri, data: Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8'), mtime: Date.now() };
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  uri(): vscode.Uri | undefined { return this.last?.uri; }

  private entry(uri: vscode.Uri): { data: Uint8Array; mtime: number } {
    if (!this.last || this.last.uri.path !== uri.path) throw vscode.FileSystemError.FileNotFound(uri);
    return this.last;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.entry(uri);
    return { type: vscode.FileType.File, ctime: e.mtime, mtime: e.mtime, size: e.data.byteLength, permissions: vscode.FilePermission.Readonly };
  }
  readFile(uri: vscode.Uri): Uint8Array { return this.entry(uri).data; }
  watch(): vscode.Disposable { return new vscode.Disposable(() => undefined); }
  readDirectory(): [string, vscode.FileType][] { return this.last ? [[this.last.uri.path.slice(1), vscode.FileType.File]] : []; }
  createDirectory(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }
  writeFile(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }
  delete(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }
  rename(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }

  dispose(): void { this.changed.dispose(); }
}
