// The non-Python files the configuration rules read: dependency declarations (pyproject.toml,
// requirements*.txt, setup.py, setup.cfg, Pipfile) and deployment settings that fix the number of
// worker processes (gunicorn config, Procfile, Dockerfile, compose files, .env files). Discovery is
// bounded (names only, a file count and a size limit) and never leaves the given roots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ASYNC_FS, Excluder } from './fileDiscovery';

export const MAX_PROJECT_FILE_BYTES = 512 * 1024;
export const MAX_PROJECT_FILES = 2000;

export type ProjectFileKind = 'dependencies' | 'deploy';

/** What a file name says the file is, or undefined for files the rules do not read. */
export function projectFileKind(fileName: string): ProjectFileKind | undefined {
  const n = fileName.toLowerCase();
  if (n === 'pyproject.toml' || n === 'setup.py' || n === 'setup.cfg' || n === 'pipfile' || /^requirements[\w.-]*\.(txt|in)$/.test(n)) return 'dependencies';
  if (n === 'gunicorn.conf.py' || n === 'gunicorn_conf.py' || n === 'procfile' || n === 'dockerfile' || /^dockerfile\.[\w.-]+$/.test(n) || /\.dockerfile$/.test(n)
    || /^(docker-)?compose[\w.-]*\.ya?ml$/.test(n) || n === '.env' || /^\.env\.[\w-]+$/.test(n) || /^[\w-]+\.env$/.test(n)) return 'deploy';
  return undefined;
}

export interface ProjectFile { uri: string; path: string; kind: ProjectFileKind; text: string }

/**
 * Every project file under `roots` (a root that is a file contributes its directory's project
 * files). With `ancestors`, the directories above each root are read too (their own entries only,
 * no subdirectories), up to the first one holding a dependency file or a `.git`, at most 8 levels:
 * `dataflow-lint app/main.py` then sees the project's requirements.txt. The language server does
 * not use it (it never reads outside the workspace folders).
 */
export async function discoverProjectFiles(roots: readonly string[], excluder = new Excluder(), ancestors = false, fsCalls = ASYNC_FS): Promise<Array<{ path: string; kind: ProjectFileKind }>> {
  const out: Array<{ path: string; kind: ProjectFileKind }> = [];
  const seen = new Set<string>();
  const consider = async (full: string) => {
    if (seen.has(full) || out.length >= MAX_PROJECT_FILES) return;
    const kind = projectFileKind(path.basename(full));
    if (!kind) return;
    seen.add(full);
    try {
      const st = await fsCalls.stat(full);
      if (st.isFile() && st.size <= MAX_PROJECT_FILE_BYTES) out.push({ path: full, kind });
    } catch { /* vanished */ }
  };
  const readDirOnly = async (dir: string): Promise<{ deps: boolean; git: boolean }> => {
    let entries: string[] = [];
    try { entries = await fsCalls.readdirNames(dir); } catch { /* unreadable */ }
    for (const e of entries) await consider(path.join(dir, e));
    return { deps: entries.some((e) => projectFileKind(e) === 'dependencies'), git: entries.includes('.git') };
  };
  for (const root of roots) {
    let st: fs.Stats;
    try { st = await fsCalls.stat(root); } catch { continue; }
    if (ancestors) {
      let dir = st.isFile() ? path.dirname(path.resolve(root)) : path.resolve(root);
      for (let i = 0; i < 8; i++) {
        const r = await readDirOnly(dir);
        if (r.deps || r.git) break;
        const up = path.dirname(dir);
        if (up === dir) break;
        dir = up;
      }
    }
    if (st.isFile()) {
      const dir = path.dirname(path.resolve(root));
      let entries: string[] = [];
      try { entries = await fsCalls.readdirNames(dir); } catch { /* unreadable */ }
      for (const e of entries) await consider(path.join(dir, e));
      continue;
    }
    const base = path.resolve(root);
    const stack = [base];
    while (stack.length && out.length < MAX_PROJECT_FILES) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try { entries = await fsCalls.readdir(dir); } catch { continue; }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        const rel = () => path.relative(base, full).split(path.sep).join('/');
        if (e.isDirectory()) { if (!excluder.excluded(rel(), true)) stack.push(full); }
        // consider() takes only project file names: the others are not matched against the excludes.
        else if (e.isFile() && projectFileKind(e.name) && !excluder.excluded(rel(), false)) await consider(full);
      }
    }
  }
  out.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}

/** Reads a project file, or undefined when unreadable or too large. */
export async function readProjectFile(p: string): Promise<string | undefined> {
  try {
    const st = await fs.promises.stat(p);
    if (!st.isFile() || st.size > MAX_PROJECT_FILE_BYTES) return undefined;
    return await fs.promises.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}
