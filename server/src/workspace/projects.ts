// Python projects: the nearest folder holding pyproject.toml, setup.py, setup.cfg or .git. Model
// names resolve within the project of the file that uses them, and the CLI loads a linted path's
// whole project (for resolution only), so a file's findings do not depend on which paths are given.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

export class ProjectRoots {
  private isRoot = new Map<string, boolean>();
  private rootOf = new Map<string, string | undefined>();

  /** True when `dir` holds a project marker. */
  isProjectRoot(dir: string): boolean {
    let v = this.isRoot.get(dir);
    if (v === undefined) {
      v = PROJECT_MARKERS.some((m) => { try { return fs.existsSync(path.join(dir, m)); } catch { return false; } });
      this.isRoot.set(dir, v);
    }
    return v;
  }

  /** The nearest ancestor of `dir` (itself included) that is a project root. */
  projectRoot(dir: string): string | undefined {
    if (this.rootOf.has(dir)) return this.rootOf.get(dir);
    const seen: string[] = [];
    let cur = path.resolve(dir);
    let found: string | undefined;
    for (;;) {
      if (this.rootOf.has(cur)) { found = this.rootOf.get(cur); break; }
      seen.push(cur);
      if (this.isProjectRoot(cur)) { found = cur; break; }
      const up = path.dirname(cur);
      if (up === cur) break;
      cur = up;
    }
    for (const d of seen) this.rootOf.set(d, found);
    this.rootOf.set(dir, found);
    return found;
  }

  /** The project root of a file URI (undefined for non-file URIs and files outside any project). */
  projectOfUri(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try { return this.projectRoot(path.dirname(fileURLToPath(uri))); } catch { return undefined; }
  }
}
