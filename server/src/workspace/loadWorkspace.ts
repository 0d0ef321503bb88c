// Reads discovered files into a WorkspaceModel (used by the CLI and by the server's workspace scan).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProjectRoots } from './projects';
import { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { discoverPythonFiles, Excluder, type Discovery } from './fileDiscovery';
import { discoverProjectFiles, readProjectFile } from './projectFiles';

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
  for (const f of found.files) {
    const uri = pathToFileURL(f.path).toString();
    uris.push(uri);
    if (skip?.(uri)) continue;
    let text: string;
    try { text = await fs.promises.readFile(f.path, 'utf8'); } catch (err) {
      found.skipped.push({ path: f.path, reason: (err as Error).message });
      continue;
    }
    const file = SourceFile.create(uri, text, 0, true);
    if (file.doc.skipReason) found.skipped.push({ path: f.path, reason: file.doc.skipReason });
    workspace.set(file);
  }
  // Dependency and deployment files, for the configuration rules (DF033, DF034).
  for (const pf of await discoverProjectFiles(roots, excludes ? new Excluder(excludes) : undefined, projectFileAncestors)) {
    const text = await readProjectFile(pf.path);
    if (text !== undefined) workspace.setProjectFile({ uri: pathToFileURL(pf.path).toString(), name: path.basename(pf.path), kind: pf.kind, text });
  }
  return { ...found, uris };
}

/**
 * Loads, besides `paths` (already in the workspace), the other files of each path's Python project
 * (its nearest folder with pyproject.toml / setup.py / setup.cfg / .git, else the path itself), for
 * model resolution only; nested projects are not entered. Sets the workspace's projectOf so names
 * resolve within a file's own project. Returns how many files were added.
 */
export async function loadProjectContext(
  workspace: WorkspaceModel,
  paths: readonly string[],
  excludes: readonly string[] | undefined,
  withProjectFiles: boolean,
): Promise<{ added: number; roots: string[] }> {
  const projects = new ProjectRoots();
  const given = paths.map((p) => path.resolve(p));
  const rootFor = (p: string): string => {
    let dir = p;
    try { if (!fs.statSync(p).isDirectory()) dir = path.dirname(p); } catch { dir = path.dirname(p); }
    return projects.projectRoot(dir) ?? p;
  };
  const roots = [...new Set(given.map(rootFor))];
  workspace.setProjectOf((uri) => {
    const own = projects.projectOfUri(uri);
    if (own || !uri.startsWith('file:')) return own;
    // No project marker above the file: the given path that holds it is its project.
    const p = fileURLToPath(uri);
    let best: string | undefined;
    for (const g of given) if ((p === g || p.startsWith(g + path.sep)) && (!best || g.length > best.length)) best = g;
    return best;
  });
  if (!withProjectFiles) return { added: 0, roots };
  const before = workspace.size;
  const isRoot = new Set(roots);
  await loadIntoWorkspace(workspace, roots, excludes, (uri) => workspace.has(uri), false, (dir) => !isRoot.has(dir) && projects.isProjectRoot(dir));
  return { added: workspace.size - before, roots };
}
