// Reads discovered files into a WorkspaceModel (used by the CLI and by the server's workspace scan).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProjectRoots } from './projects';
import { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { discoverPythonFiles, Excluder, type Discovery } from './fileDiscovery';
import { discoverProjectFiles, readProjectFile } from './projectFiles';
import { collectGarbage, SCAN_GC_EVERY } from './collectGarbage';

/** The scan hands the event loop back at least this often (ms): requests and opened files go first. */
const SCAN_SLICE_MS = 20;

export async function loadIntoWorkspace(
  workspace: WorkspaceModel,
  roots: readonly string[],
  excludes?: readonly string[],
  skip?: (uri: string) => boolean,
  /** Also read project files in the directories above the roots (the CLI; see discoverProjectFiles). */
  projectFileAncestors = false,
  skipDir?: (dir: string) => boolean,
): Promise<Discovery & { uris: string[] }> {
  const found = await discoverPythonFiles(roots, excludes ? new Excluder(excludes) : undefined, undefined, skipDir);
  const uris: string[] = [];
  let read = 0;
  let slice = performance.now();
  for (const f of found.files) {
    const uri = pathToFileURL(f.path).toString();
    uris.push(uri);
    if (skip?.(uri)) continue;
    // Reading a file is not always a turn of the event loop (cached reads resolve at once):
    // make one every SCAN_SLICE_MS, so an opened file's diagnostics never wait for the scan.
    if (performance.now() - slice > SCAN_SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      slice = performance.now();
    }
    let text: string;
    try { text = await fs.promises.readFile(f.path, 'utf8'); } catch (err) {
      found.skipped.push({ path: f.path, reason: (err as Error).message });
      continue;
    }
    // The file may have been opened while it was read: the editor's text wins.
    if (skip?.(uri)) continue;
    let file: SourceFile;
    try { file = SourceFile.create(uri, text, 0, true); } catch (err) {
      // One file the analysis cannot take costs that file, never the scan.
      found.skipped.push({ path: f.path, reason: `could not be analysed: ${String((err as Error)?.message ?? err).split('\n')[0]}` });
      continue;
    }
    if (file.doc.skipReason) found.skipped.push({ path: f.path, reason: file.doc.skipReason });
    workspace.set(file);
    if (++read % SCAN_GC_EVERY === 0) collectGarbage();
  }
  if (read >= SCAN_GC_EVERY) collectGarbage();
  // Dependency and deployment files, for the configuration rules (DF033, DF034).
  for (const pf of await discoverProjectFiles(roots, excludes ? new Excluder(excludes) : undefined, projectFileAncestors)) {
    const text = await readProjectFile(pf.path);
    if (text !== undefined) workspace.setProjectFile({ uri: pathToFileURL(pf.path).toString(), name: path.basename(pf.path), kind: pf.kind, text });
  }
  return { ...found, uris };
}

/**
 * The projects of `paths` (each path's nearest folder with pyproject.toml / setup.py / setup.cfg /
 * .git, else the path itself; dataflow-lint reads their other files to resolve model names): their
 * roots, the project of a file URI (model names resolve within it), and the folders a scan of the
 * roots does not enter (nested projects).
 */
export function projectScope(paths: readonly string[]): { roots: string[]; projectOf: (uri: string) => string | undefined; skipDir: (dir: string) => boolean } {
  const projects = new ProjectRoots();
  const given = paths.map((p) => path.resolve(p));
  const rootFor = (p: string): string => {
    let dir = p;
    try { if (!fs.statSync(p).isDirectory()) dir = path.dirname(p); } catch { dir = path.dirname(p); }
    return projects.projectRoot(dir) ?? p;
  };
  const roots = [...new Set(given.map(rootFor))];
  const projectOf = (uri: string): string | undefined => {
    const own = projects.projectOfUri(uri);
    if (own || !uri.startsWith('file:')) return own;
    // No project marker above the file: the given path that holds it is its project.
    const p = fileURLToPath(uri);
    let best: string | undefined;
    for (const g of given) if ((p === g || p.startsWith(g + path.sep)) && (!best || g.length > best.length)) best = g;
    return best;
  };
  const isRoot = new Set(roots);
  return { roots, projectOf, skipDir: (dir) => !isRoot.has(dir) && projects.isProjectRoot(dir) };
}
