// DataFlow's own pure-Python modules that the evaluator evaluates from DataFlow's installed source
// (instead of modelling them in TypeScript): the debug subsystem. Where that source is found:
//   - the project itself, when it is DataFlow (kailash-py's packages/kailash-dataflow: src/dataflow or dataflow/);
//   - a virtualenv in the project or workspace folder (.venv, venv, env: lib/python3.*/site-packages/dataflow);
//   - the site-packages of the interpreter the caller names (pythonPath: <venv>/bin/python);
//   - DATAFLOW_SOURCE_DIR (the folder holding the `dataflow` package, or the package folder itself).
// Python is never run to find it: the folders are read. Modules outside LIBRARY_PACKAGES stay modelled
// (or "not modelled"); a library module whose source is not found is "not modelled", saying where it was looked for.
// kailash core's source is looked for the same way (KAILASH_SOURCE_DIR; beside the DataFlow found): the
// recorded traceback frames of modelled raises (libraryFrames/) name its real files when it is found.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RealPackages } from './python/evaluate';
import { topLevelNamesOfFile } from './python/sourceModuleNames';

/**
 * The DataFlow packages evaluated from DataFlow's source (a module and everything under it). Only
 * packages whose import needs nothing the runtime lacks: `dataflow.migrations` / `optimization`
 * import `dataflow.adapters.dialect` at module level, so evaluating them made every file importing
 * them (kailash-py's conftests do) stop at the import instead of at first use. `dataflow.sql` (the SQL
 * dialects' query builders) imports only hashlib, re, abc, dataclasses and typing.
 */
export const LIBRARY_PACKAGES = ['dataflow.debug', 'dataflow.platform', 'dataflow.sql'];

export interface LibrarySourceOptions {
  /** The project root (the run's working directory). */
  projectRoot: string;
  /** The workspace folder (nothing above it is searched for virtualenvs); default the project root. */
  workspaceRoot?: string;
  /** An interpreter the user chose (dataflow.python.path): its environment's site-packages are searched. */
  pythonPath?: string;
  /** The environment read for DATAFLOW_SOURCE_DIR (the runtime's own process environment, not the evaluated code's). */
  env?: Record<string, string | undefined>;
}

export interface LibraryModuleSource {
  source: string;
  fileName: string;
}

export type LibraryLookup = LibraryModuleSource | { missing: string } | undefined;

export interface LibrarySource {
  /** The folder of the `dataflow` package found, if any. */
  readonly packageDir: string | undefined;
  /** Where it was looked for (for the not-found message). */
  readonly searched: string[];
  /** A library module's source; `{ missing }` when it is one but DataFlow's source was not found; undefined when it is not a library module. */
  resolve(name: string): LibraryLookup;
  /** Whether a file lies in the library source (the evaluated code may read it, e.g. a package's own YAML). */
  contains(file: string): boolean;
  /** The folder of kailash core found (installed beside DataFlow, the kailash-py checkout, a virtualenv, KAILASH_SOURCE_DIR), if any. */
  readonly kailashDir: string | undefined;
  /**
   * The real path of a library file named relative to its package root (`kailash/runtime/local.py`),
   * when that package's source is found and is the version given (line numbers recorded with one
   * version say nothing about another's file); undefined otherwise.
   */
  locate(pkg: 'dataflow' | 'kailash', file: string, version?: string): string | undefined;
  /** The source file of a `dataflow.*` / `kailash.*` module when that package's source is found (`x/y.py` or `x/y/__init__.py`). */
  moduleFile(name: string): string | undefined;
}

/** Whether `name` is (under) one of the library packages. */
export function isLibraryModule(name: string, packages: readonly string[] = LIBRARY_PACKAGES): boolean {
  return packages.some((p) => name === p || name.startsWith(p + '.'));
}

/** Whether `dir` is the real DataFlow package (its engine module is there), not a project's own `dataflow` folder. */
function isDataFlowPackage(dir: string): boolean {
  return fs.existsSync(path.join(dir, '__init__.py')) && fs.existsSync(path.join(dir, 'core', 'engine.py'));
}

function sitePackagesUnder(envDir: string): string[] {
  const lib = path.join(envDir, 'lib');
  let entries: string[];
  try {
    entries = fs.readdirSync(lib).filter((e) => /^python3(\.\d+)?$/.test(e)).sort();
  } catch {
    return [path.join(lib, 'python3.*', 'site-packages')];
  }
  return entries.length ? entries.map((e) => path.join(lib, e, 'site-packages')) : [path.join(lib, 'python3.*', 'site-packages')];
}

/**
 * The candidate folders of package `pkg` (dataflow, kailash), in the order they are tried: the
 * environment variable's folder, the project's own source, then `near` (folders derived from
 * another package found), the virtualenvs and the chosen interpreter's site-packages.
 */
function candidates(o: LibrarySourceOptions, pkg: string, envVar: string, near: string[] = []): string[] {
  const out: string[] = [];
  const fromEnv = o.env?.[envVar];
  if (fromEnv) out.push(path.basename(path.resolve(fromEnv)) === pkg ? path.resolve(fromEnv) : path.join(path.resolve(fromEnv), pkg));
  const root = path.resolve(o.projectRoot);
  out.push(path.join(root, 'src', pkg), path.join(root, pkg), ...near);
  const envRoots = [...new Set([root, path.resolve(o.workspaceRoot ?? root)])];
  for (const r of envRoots) for (const v of ['.venv', 'venv', 'env']) for (const sp of sitePackagesUnder(path.join(r, v))) out.push(path.join(sp, pkg));
  if (o.pythonPath) {
    // <env>/bin/python (or <env>/Scripts/python.exe): the environment is two levels up.
    const envDir = path.dirname(path.dirname(path.resolve(o.pythonPath)));
    for (const sp of sitePackagesUnder(envDir)) out.push(path.join(sp, pkg));
  }
  return [...new Set(out)];
}

/** Whether `dir` is kailash core (its LocalRuntime module is there). */
function isKailashPackage(dir: string): boolean {
  return fs.existsSync(path.join(dir, '__init__.py')) && fs.existsSync(path.join(dir, 'runtime', 'local.py'));
}

/** `__version__ = "..."` of a package's __init__.py, if it says. */
function packageVersion(dir: string): string | undefined {
  try {
    return /^__version__\s*=\s*["']([^"']+)["']/m.exec(fs.readFileSync(path.join(dir, '__init__.py'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function inside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

export function findLibrarySource(o: LibrarySourceOptions, packages: readonly string[] = LIBRARY_PACKAGES): LibrarySource {
  const searched = candidates(o, 'dataflow', 'DATAFLOW_SOURCE_DIR');
  const packageDir = searched.find(isDataFlowPackage);
  // kailash core beside the DataFlow found: the same site-packages, or kailash-py's src/ when DataFlow is its packages/kailash-dataflow/src/dataflow.
  const near = packageDir ? [path.join(path.dirname(packageDir), 'kailash'), path.resolve(packageDir, '..', '..', '..', '..', 'src', 'kailash')] : [];
  const kailashDir = candidates(o, 'kailash', 'KAILASH_SOURCE_DIR', near).find(isKailashPackage);
  const versions = new Map<string, string | undefined>();
  const versionOf = (dir: string) => {
    if (!versions.has(dir)) versions.set(dir, packageVersion(dir));
    return versions.get(dir);
  };
  return {
    packageDir,
    searched,
    kailashDir,
    contains: (file) => !!packageDir && inside(path.resolve(file), packageDir),
    locate(pkg, file, version) {
      const dir = pkg === 'dataflow' ? packageDir : kailashDir;
      if (!dir || !file.startsWith(pkg + '/')) return undefined;
      if (version !== undefined && versionOf(dir) !== version) return undefined;
      const full = path.join(path.dirname(dir), ...file.split('/'));
      return inside(full, dir) && fs.existsSync(full) ? full : undefined;
    },
    moduleFile(name) {
      const [root, ...rel] = name.split('.');
      const dir = root === 'dataflow' ? packageDir : root === 'kailash' ? kailashDir : undefined;
      if (!dir) return undefined;
      const target = path.join(dir, ...rel);
      return [target + '.py', path.join(target, '__init__.py')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    },
    resolve(name: string): LibraryLookup {
      if (!isLibraryModule(name, packages)) return undefined;
      if (!packageDir)
        return { missing: `DataFlow's source was not found (looked for the \`dataflow\` package in: ${searched.join(', ')}); \`${name}\` is evaluated from DataFlow's own source: open the DataFlow project, create a virtualenv with kailash-dataflow in the workspace, or set DATAFLOW_SOURCE_DIR` };
      const rel = name.split('.').slice(1);
      const target = path.join(packageDir, ...rel);
      for (const file of [target + '.py', path.join(target, '__init__.py')])
        if (fs.existsSync(file) && fs.statSync(file).isFile()) return { source: fs.readFileSync(file, 'utf8'), fileName: file };
      return undefined;
    },
  };
}

/**
 * The real packages' catalogue (names only, generated), completed from the library's source when it
 * is found: a member of a module the catalogue does not list is looked up among the names the
 * module's source binds at its top level (read, not run), or is a submodule file.
 */
export function withSourceMembers(real: RealPackages, library: LibrarySource): RealPackages {
  return {
    moduleExists: (name) => real.moduleExists(name),
    sourceFile: (module) => library.moduleFile(module),
    memberExists(module, name) {
      const known = real.memberExists(module, name);
      if (known !== undefined) return known;
      const file = library.moduleFile(module);
      if (!file) return undefined;
      if (library.moduleFile(`${module}.${name}`)) return true;
      return topLevelNamesOfFile(file)?.has(name);
    },
  };
}
