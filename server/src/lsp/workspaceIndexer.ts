// Keeps the workspace model current for files that are not open: an initial scan of the
// workspace folders (never outside them) and file-system events, re-reading only what changed.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileChangeType, type FileEvent } from 'vscode-languageserver';
import { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { DEFAULT_EXCLUDES, Excluder, MAX_FILE_BYTES } from '../workspace/fileDiscovery';
import { loadIntoWorkspace } from '../workspace/loadWorkspace';
import * as path from 'node:path';
import { projectFileKind, readProjectFile } from '../workspace/projectFiles';

/** Glob patterns of the non-Python project files the configuration rules read (for the file watcher). */
export const PROJECT_FILE_GLOBS = [
  '**/pyproject.toml', '**/requirements*.txt', '**/requirements*.in', '**/setup.cfg', '**/Pipfile',
  '**/Procfile', '**/Dockerfile*', '**/*.dockerfile', '**/*compose*.yml', '**/*compose*.yaml', '**/.env', '**/.env.*', '**/*.env',
];

export class WorkspaceIndexer {
  private roots: string[] = [];
  private excluder = new Excluder(DEFAULT_EXCLUDES);
  private excludes: string[] = DEFAULT_EXCLUDES;
  /** Resolves when the first scan has finished. */
  ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly workspace: WorkspaceModel,
    private readonly isOpen: (uri: string) => boolean,
    private readonly log: (msg: string) => void,
  ) {}

  setRoots(folderUris: string[], extraExcludes: string[] = []): void {
    this.roots = folderUris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    this.excludes = [...DEFAULT_EXCLUDES, ...extraExcludes];
    this.excluder = new Excluder(this.excludes);
    for (const r of this.excluder.rejected) this.log(`dataflow.files.exclude: ${JSON.stringify(r.glob)} is not used: ${r.reason}`);
  }

  scan(): Promise<void> {
    this.ready = (async () => {
      if (!this.roots.length) return;
      const started = Date.now();
      try {
        const res = await loadIntoWorkspace(this.workspace, this.roots, this.excludes, (uri) => this.isOpen(uri));
        this.log(`indexed ${res.files.length} Python files in ${Date.now() - started} ms${res.skipped.length ? `, skipped ${res.skipped.length}` : ''}`);
        for (const s of res.skipped.slice(0, 20)) this.log(`  skipped ${s.path}: ${s.reason}`);
      } catch (err) {
        this.log(`workspace scan failed: ${(err as Error).stack ?? err}`);
      }
    })();
    return this.ready;
  }

  /** True when `uri` is a Python file inside a workspace folder and not excluded. */
  inScope(uri: string): boolean {
    if (!uri.startsWith('file:') || !uri.endsWith('.py')) return false;
    const p = fileURLToPath(uri);
    return this.roots.some((r) => {
      const rel = path.relative(r, p);
      return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel) && !this.excluder.excluded(rel.split(path.sep).join('/'), false)
        && !rel.split(path.sep).slice(0, -1).some((_, i, parts) => this.excluder.excluded(parts.slice(0, i + 1).join('/'), true));
    });
  }

  /** True when `uri` is a project file (pyproject.toml, Dockerfile, ...) inside a workspace folder. */
  projectFileInScope(uri: string): boolean {
    if (!uri.startsWith('file:')) return false;
    const p = fileURLToPath(uri);
    if (!projectFileKind(path.basename(p))) return false;
    return this.roots.some((r) => {
      const rel = path.relative(r, p);
      return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel) && !this.excluder.excluded(rel.split(path.sep).join('/'), false);
    });
  }

  /** Applies file-system events; returns the uris whose facts changed. */
  async apply(events: FileEvent[]): Promise<string[]> {
    const changed: string[] = [];
    for (const ev of events) {
      if (this.projectFileInScope(ev.uri)) {
        const p = fileURLToPath(ev.uri);
        const text = ev.type === FileChangeType.Deleted ? undefined : await readProjectFile(p);
        if (text === undefined) { if (this.workspace.deleteProjectFile(ev.uri)) changed.push(ev.uri); }
        else { this.workspace.setProjectFile({ uri: ev.uri, name: path.basename(p), kind: projectFileKind(path.basename(p))!, text }); changed.push(ev.uri); }
        if (!ev.uri.endsWith('.py')) continue; // setup.py and gunicorn.conf.py are Python files too
      }
      if (!this.inScope(ev.uri) || this.isOpen(ev.uri)) continue;
      if (ev.type === FileChangeType.Deleted) {
        if (this.workspace.has(ev.uri)) { this.workspace.delete(ev.uri); changed.push(ev.uri); }
        continue;
      }
      const file = await readSourceFile(ev.uri);
      if (file) { this.workspace.set(file); changed.push(ev.uri); } else if (this.workspace.has(ev.uri)) { this.workspace.delete(ev.uri); changed.push(ev.uri); }
    }
    return changed;
  }
}

/** Reads a file from disk into a SourceFile; undefined when unreadable or too large. */
export async function readSourceFile(uri: string): Promise<SourceFile | undefined> {
  try {
    const p = fileURLToPath(uri);
    const st = await fs.promises.stat(p);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    return SourceFile.create(uri, await fs.promises.readFile(p, 'utf8'), 0, true);
  } catch {
    return undefined;
  }
}
