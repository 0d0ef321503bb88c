// Finds the Python files under a set of roots without leaving them: no symlinked directories,
// no virtual environments, node_modules or .git, nothing over the size limit.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_EXCLUDES = [
  '**/node_modules/**', '**/.git/**', '**/.venv/**', '**/venv/**', '**/env/**', '**/__pycache__/**',
  '**/site-packages/**', '**/.tox/**', '**/.mypy_cache/**', '**/.pytest_cache/**',
];

/** Converts a glob (`**`, `*`, `?`) to a RegExp over forward-slash relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class Excluder {
  private readonly res: RegExp[];
  constructor(globs: readonly string[] = DEFAULT_EXCLUDES) { this.res = globs.map(globToRegExp); }
  /** `rel` is a forward-slash path relative to a root; directories are tested with a trailing slash. */
  excluded(rel: string, isDir: boolean): boolean {
    const probe = isDir ? `${rel}/` : rel;
    return this.res.some((r) => r.test(probe) || (isDir && r.test(`${rel}/x`)));
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
