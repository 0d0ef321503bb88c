// What dataflow-lint reads, each file once, before any analysis: the Python files of the given
// paths (analysed and reported), the other Python files of their projects (read only to resolve
// model names; nested projects are not entered), and the dependency and deployment files. The
// files and their order are those the single-threaded CLI read into its workspace; every thread
// builds its workspace model in this order (model lookups that take the first match depend on it).
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { BLOCKING_FS, discoverPythonFiles, Excluder } from '../../workspace/fileDiscovery';
import { discoverProjectFiles, MAX_PROJECT_FILES, readProjectFile } from '../../workspace/projectFiles';
import { projectScope } from '../../workspace/loadWorkspace';
import type { ProjectTextFile } from '../../model/workspaceModel';
import { FileTexts } from './fileTexts';

/** At most this many Python files are found under the given paths, and as many again in their projects. */
const DISCOVERY_LIMIT = 20000;

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** A Python file read for the workspace: `texts.text(index)` is its text. */
export interface PlannedFile { uri: string; index: number }

export interface LintPlan {
  /** Every Python file read, in the order the workspace takes them (given paths' files first). */
  files: PlannedFile[];
  /** The bytes of every file read, each read once. */
  texts: FileTexts;
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
  const found = await discoverPythonFiles(paths, excluder, DISCOVERY_LIMIT, undefined, BLOCKING_FS);
  const toRead = found.files.map((f) => ({ path: f.path, uri: pathToFileURL(f.path).toString() }));
  const givenCount = toRead.length;
  const projectFiles = new Map<string, ProjectTextFile>();
  /** Reads the project files under `roots`; how many were found (MAX_PROJECT_FILES at most). */
  const addProjectFiles = async (roots: readonly string[], ancestors: boolean): Promise<number> => {
    const found = await discoverProjectFiles(roots, excluder, ancestors, BLOCKING_FS);
    for (const pf of found) {
      const text = await readProjectFile(pf.path);
      const uri = pathToFileURL(pf.path).toString();
      if (text !== undefined && !projectFiles.has(uri)) projectFiles.set(uri, { uri, name: path.basename(pf.path), kind: pf.kind, text });
    }
    return found.length;
  };
  const projectFilesFound = await addProjectFiles(paths, true);
  const missing = found.skipped.filter((s) => s.reason === 'does not exist').map((s) => s.path);
  const scopePaths = paths.filter((p) => !missing.includes(p));
  if (withProject && missing.length < paths.length) {
    const scope = projectScope(scopePaths);
    // A project root that is a given folder was walked whole already (`dataflow-lint .` at the
    // root): the same files relative to the same root, nested projects included, so walking it
    // again finds nothing new (unless the walk stopped at its file limit).
    const walked = new Set(scopePaths.filter(isDirectory).map((p) => path.resolve(p)));
    const pyRoots = found.files.length < DISCOVERY_LIMIT ? scope.roots.filter((r) => !walked.has(r)) : scope.roots;
    if (pyRoots.length) {
      const context = await discoverPythonFiles(pyRoots, excluder, DISCOVERY_LIMIT, scope.skipDir, BLOCKING_FS);
      const listed = new Set(toRead.map((f) => f.uri));
      for (const f of context.files) {
        const uri = pathToFileURL(f.path).toString();
        if (!listed.has(uri)) { toRead.push({ path: f.path, uri }); listed.add(uri); }
      }
    }
    const projectRoots = projectFilesFound < MAX_PROJECT_FILES ? scope.roots.filter((r) => !walked.has(r)) : scope.roots;
    if (projectRoots.length) await addProjectFiles(projectRoots, false);
  }
  const { texts, errors } = FileTexts.read(toRead.map((f) => f.path));
  const files: PlannedFile[] = [];
  const given: LintPlan['given'] = [];
  toRead.forEach((f, i) => {
    const readError = errors[i];
    if (i < givenCount) given.push(readError === undefined ? { uri: f.uri, path: f.path } : { uri: f.uri, path: f.path, readError });
    if (readError === undefined) files.push({ uri: f.uri, index: i });
  });
  return { files, texts, given, projectFiles: [...projectFiles.values()], discoverySkipped: found.skipped, missing, scopePaths };
}
