// What dataflow-lint reads, each file once, before any analysis: the Python files of the given
// paths (analysed and reported), the other Python files of their projects (read only to resolve
// model names; nested projects are not entered), and the dependency and deployment files. The
// files and their order are those the single-threaded CLI read into its workspace; every thread
// builds its workspace model in this order (model lookups that take the first match depend on it).
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { discoverPythonFiles, Excluder } from '../../workspace/fileDiscovery';
import { discoverProjectFiles, readProjectFile } from '../../workspace/projectFiles';
import { projectScope } from '../../workspace/loadWorkspace';
import type { ProjectTextFile } from '../../model/workspaceModel';

/** A Python file read for the workspace. */
export interface PlannedFile { uri: string; text: string }

export interface LintPlan {
  /** Every Python file read, in the order the workspace takes them (given paths' files first). */
  files: PlannedFile[];
  /** The given paths' files, in order, read or not: they are analysed and reported in this order. */
  given: Array<{ uri: string; path: string; readError?: string }>;
  /** Dependency and deployment files, in the order the workspace takes them. */
  projectFiles: ProjectTextFile[];
  /** What discovery skipped (paths that do not exist, unreadable folders, files too large). */
  discoverySkipped: Array<{ path: string; reason: string }>;
  /** Given paths that do not exist. */
  missing: string[];
  /** The given paths that exist: the projects that scope model names are theirs. */
  scopePaths: string[];
}

export async function planLint(paths: readonly string[], excludes: readonly string[], withProject: boolean): Promise<LintPlan> {
  const excluder = new Excluder(excludes);
  const found = await discoverPythonFiles(paths, excluder);
  const files: PlannedFile[] = [];
  const given: LintPlan['given'] = [];
  const read = new Set<string>();
  for (const f of found.files) {
    const uri = pathToFileURL(f.path).toString();
    const text = readText(f.path);
    if (typeof text !== 'string') { given.push({ uri, path: f.path, readError: text.error }); continue; }
    given.push({ uri, path: f.path });
    files.push({ uri, text });
    read.add(uri);
  }
  const projectFiles = new Map<string, ProjectTextFile>();
  const addProjectFiles = async (roots: readonly string[], ancestors: boolean) => {
    for (const pf of await discoverProjectFiles(roots, excluder, ancestors)) {
      const text = await readProjectFile(pf.path);
      const uri = pathToFileURL(pf.path).toString();
      if (text !== undefined && !projectFiles.has(uri)) projectFiles.set(uri, { uri, name: path.basename(pf.path), kind: pf.kind, text });
    }
  };
  await addProjectFiles(paths, true);
  const missing = found.skipped.filter((s) => s.reason === 'does not exist').map((s) => s.path);
  const scopePaths = paths.filter((p) => !missing.includes(p));
  if (withProject && missing.length < paths.length) {
    const scope = projectScope(scopePaths);
    const context = await discoverPythonFiles(scope.roots, excluder, undefined, scope.skipDir);
    for (const f of context.files) {
      const uri = pathToFileURL(f.path).toString();
      if (read.has(uri)) continue;
      const text = readText(f.path);
      if (typeof text !== 'string') continue;
      files.push({ uri, text });
      read.add(uri);
    }
    await addProjectFiles(scope.roots, false);
  }
  return { files, given, projectFiles: [...projectFiles.values()], discoverySkipped: found.skipped, missing, scopePaths };
}

/** One synchronous read per file: a promise per small file cost more than the read. */
function readText(p: string): string | { error: string } {
  try { return fs.readFileSync(p, 'utf8'); } catch (err) { return { error: (err as Error).message }; }
}
