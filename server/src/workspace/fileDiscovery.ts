// Finds the Python files under a set of roots without leaving them: no symlinked directories,
// no virtual environments, node_modules or .git, nothing over the size limit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from './globMatch';

export const DEFAULT_EXCLUDES = [
  '**/node_modules/**', '**/.git/**', '**/.venv/**', '**/venv/**', '**/env/**', '**/__pycache__/**',
  '**/site-packages/**', '**/.tox/**', '**/.mypy_cache/**', '**/.pytest_cache/**',
];

/** Longer exclude globs are not used (a glob comes from settings a repository may ship). */
export const MAX_GLOB_LENGTH = 500;

/**
 * `dataflow.files.exclude` and the default excludes, matched without regular expressions
 * (globMatch.ts: the glob-to-RegExp converter this replaces could be made to hang the scan by a
 * crafted pattern from a repository's .vscode/settings.json, and so can picomatch's). Globs
 * longer than MAX_GLOB_LENGTH, or with too many `{a,b}` alternatives, are left out and listed in
 * `rejected`.
 */
export class Excluder {
  private readonly matchers: Array<(p: string) => boolean> = [];
  readonly rejected: Array<{ glob: string; reason: string }> = [];
  constructor(globs: readonly string[] = DEFAULT_EXCLUDES) {
    for (const glob of globs) {
      if (typeof glob !== 'string' || !glob) continue;
      if (glob.length > MAX_GLOB_LENGTH) { this.rejected.push({ glob: glob.slice(0, 60), reason: `longer than ${MAX_GLOB_LENGTH} characters` }); continue; }
      try {
        this.matchers.push(compileGlob(glob));
      } catch (err) {
        this.rejected.push({ glob, reason: (err as Error).message });
      }
    }
  }
  /** `rel` is a forward-slash path relative to a root; a directory also matches a glob of its contents (`dir/**`). */
  excluded(rel: string, isDir: boolean): boolean {
    return this.matchers.some((m) => m(rel) || (isDir && (m(`${rel}/`) || m(`${rel}/x`))));
  }
}

export interface DiscoveredFile { path: string; size: number }
export interface Discovery { files: DiscoveredFile[]; skipped: Array<{ path: string; reason: string }> }

export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Every `.py` file under `roots` (files given directly are taken as they are). */
/** `skipDir`: folders (absolute paths, below a root) not to descend into. */
export async function discoverPythonFiles(roots: readonly string[], excluder = new Excluder(), limit = 20000, skipDir?: (dir: string) => boolean): Promise<Discovery> {
  const out: Discovery = { files: [], skipped: [] };
  const seen = new Set<string>();
  const add = (p: string, size: number) => {
    if (seen.has(p)) return;
    seen.add(p);
    if (size > MAX_FILE_BYTES) out.skipped.push({ path: p, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
    else out.files.push({ path: p, size });
  };
  for (const root of roots) {
    let st: fs.Stats;
    try { st = await fs.promises.stat(root); } catch (err) {
      out.skipped.push({ path: root, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String((err as Error).message) });
      continue;
    }
    if (st.isFile()) { add(path.resolve(root), st.size); continue; }
    const base = path.resolve(root);
    const stack = [base];
    while (stack.length && out.files.length < limit) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try { entries = await fs.promises.readdir(dir, { withFileTypes: true }); } catch (err) {
        out.skipped.push({ path: dir, reason: (err as Error).message });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : -1));
      for (const e of entries) {
        const full = path.join(dir, e.name);
        const rel = path.relative(base, full).split(path.sep).join('/');
        if (e.isDirectory()) {
          if (!excluder.excluded(rel, true) && !skipDir?.(full)) stack.push(full);
        } else if (e.isFile() && e.name.endsWith('.py') && !excluder.excluded(rel, false)) {
          try { add(full, (await fs.promises.stat(full)).size); } catch { /* vanished */ }
        }
      }
    }
  }
  out.files.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}
