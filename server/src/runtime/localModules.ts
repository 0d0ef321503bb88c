// Where the project's own modules come from: imports of the project's packages resolve the way
// Python resolves them with the project root on sys.path, and nothing outside the project root
// is ever read.
//   search roots (per importing file): the file's folder; the folder above the top-most package
//   holding the file (walking up while __init__.py exists); the project root (the nearest folder
//   with pyproject.toml / setup.py / setup.cfg / .git, never above the boundary the caller gives).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnsupportedPythonError } from './python/values';

/** What marks a project's root folder (pytest's rootdir markers included). */
export const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'pytest.ini', 'tox.ini', '.git'];

function inside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The project root of `file`: the nearest folder up with a project marker, not above `boundary`
 * (default: the file system root); when none has one, the boundary, else the folder above the
 * top-most package holding the file (where `python -m pkg.mod` would run), else the file's folder.
 */
export function projectRootOf(file: string, boundary?: string): string {
  const start = path.dirname(path.resolve(file));
  const limit = boundary ? path.resolve(boundary) : undefined;
  let dir = start;
  for (;;) {
    if (limit && !inside(dir, limit)) break;
    if (PROJECT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (limit && dir === limit) return limit;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (limit && inside(start, limit)) return limit;
  let top = start;
  while (fs.existsSync(path.join(top, '__init__.py')) && path.dirname(top) !== top) top = path.dirname(top);
  return top;
}

/** The folder above the top-most package holding `file` (or the file's folder), never above `root`. */
export function packageBaseOf(file: string, root: string): string {
  let d = path.dirname(path.resolve(file));
  while (d !== root && inside(path.dirname(d), root) && fs.existsSync(path.join(d, '__init__.py'))) d = path.dirname(d);
  if (d !== root && fs.existsSync(path.join(d, '__init__.py'))) return root;
  return d;
}

/** The dotted package `file` belongs to, as Python would name it from its package base ('' when it is in no package). */
export function packageNameOf(file: string, root: string): string {
  const base = packageBaseOf(file, root);
  const rel = path.relative(base, path.dirname(path.resolve(file)));
  if (!rel || !fs.existsSync(path.join(path.dirname(path.resolve(file)), '__init__.py'))) return '';
  return rel.split(path.sep).join('.');
}

export interface LocalModuleSource {
  source: string;
  fileName: string;
}

/**
 * The module an import names, read from disk under `root` (never outside it). `name` is dotted;
 * a leading run of dots ('..config') is relative to the importing file's folder (the importer had
 * no package to resolve it against). A folder without __init__.py is a namespace package (empty source).
 */
/**
 * A module file that is a symbolic link (or sits under one) whose real path leaves the project is
 * never read: Python would import it, so this is "not modelled" (exit 2), not ModuleNotFoundError.
 */
function refuseLinkOutside(candidate: string, base: string, name: string): void {
  let real: string;
  let realBase: string;
  try {
    real = fs.realpathSync(candidate);
    realBase = fs.realpathSync(base);
  } catch {
    return;
  }
  if (!inside(real, realBase)) {
    throw new UnsupportedPythonError(`import of '${name}' from ${candidate}`, undefined, `it is a link to ${real}, outside the project; the runtime reads nothing outside the project`);
  }
}

export function localModuleResolver(root: string): (name: string, importer: string, sysPath?: readonly string[]) => LocalModuleSource | undefined {
  const base = path.resolve(root);
  const rootsCache = new Map<string, string[]>();
  const rootsOf = (importer: string): string[] => {
    const dir = path.dirname(path.resolve(importer));
    let r = rootsCache.get(dir);
    if (!r) {
      r = [...new Set([dir, packageBaseOf(importer, base), base])].filter((d) => inside(d, base));
      rootsCache.set(dir, r);
    }
    return r;
  };
  return (name: string, importer: string, sysPath: readonly string[] = []) => {
    const dots = /^\.*/.exec(name)![0].length;
    const rel = name.slice(dots).split('.').filter((x) => x);
    let dirs: string[];
    if (dots > 0) {
      let d = path.dirname(path.resolve(importer));
      for (let i = 1; i < dots; i++) d = path.dirname(d);
      dirs = [d];
    } else {
      // sys.path entries the code inserted come first, as in Python (only those inside the project root).
      const added = sysPath.map((p) => path.resolve(base, p)).filter((d) => inside(d, base));
      dirs = [...new Set([...added, ...rootsOf(importer)])];
    }
    for (const dir of dirs) {
      const target = path.resolve(dir, ...rel);
      for (const candidate of [target + '.py', path.join(target, '__init__.py')]) {
        if (!inside(candidate, base)) continue;
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
          refuseLinkOutside(candidate, base, name);
          return { source: fs.readFileSync(candidate, 'utf8'), fileName: candidate };
        }
      }
    }
    // A namespace package: a folder of modules with no __init__.py (only for absolute names under a search root).
    if (dots === 0 && rel.length)
      for (const dir of dirs) {
        const target = path.resolve(dir, ...rel);
        if (inside(target, base) && target !== base && fs.existsSync(target) && fs.statSync(target).isDirectory() && hasPython(target)) return { source: '', fileName: target };
      }
    return undefined;
  };
}

function hasPython(dir: string): boolean {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isFile() && e.name.endsWith('.py')) || e.isDirectory());
  } catch {
    return false;
  }
}
