// DataFlow's own pure-Python modules that the evaluator evaluates from DataFlow's installed source
// (instead of modelling them in TypeScript): the debug subsystem. Where that source is found:
//   - the project itself, when it is DataFlow (kailash-py's packages/kailash-dataflow: src/dataflow or dataflow/);
//   - a virtualenv in the project or workspace folder (.venv, venv, env: lib/python3.*/site-packages/dataflow);
//   - the site-packages of the interpreter the caller names (pythonPath: <venv>/bin/python);
//   - DATAFLOW_SOURCE_DIR (the folder holding the `dataflow` package, or the package folder itself).
// Python is never run to find it: the folders are read. Modules outside LIBRARY_PACKAGES stay modelled
// (or "not modelled"); a library module whose source is not found is "not modelled", saying where it was looked for.
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(lib).filter((e) => /^python3(\.\d+)?$/.test(e)).sort();
  } catch {
    return [path.join(lib, 'python3.*', 'site-packages')];
  }
  return entries.length ? entries.map((e) => path.join(lib, e, 'site-packages')) : [path.join(lib, 'python3.*', 'site-packages')];
}

/** The candidate `dataflow` package folders, in the order they are tried. */
function candidates(o: LibrarySourceOptions): string[] {
  const out: string[] = [];
  const fromEnv = o.env?.DATAFLOW_SOURCE_DIR;
  if (fromEnv) out.push(path.basename(path.resolve(fromEnv)) === 'dataflow' ? path.resolve(fromEnv) : path.join(path.resolve(fromEnv), 'dataflow'));
  const root = path.resolve(o.projectRoot);
  out.push(path.join(root, 'src', 'dataflow'), path.join(root, 'dataflow'));
  const envRoots = [...new Set([root, path.resolve(o.workspaceRoot ?? root)])];
  for (const r of envRoots) for (const v of ['.venv', 'venv', 'env']) for (const sp of sitePackagesUnder(path.join(r, v))) out.push(path.join(sp, 'dataflow'));
  if (o.pythonPath) {
    // <env>/bin/python (or <env>/Scripts/python.exe): the environment is two levels up.
    const envDir = path.dirname(path.dirname(path.resolve(o.pythonPath)));
    for (const sp of sitePackagesUnder(envDir)) out.push(path.join(sp, 'dataflow'));
  }
  return [...new Set(out)];
}

function inside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

export function findLibrarySource(o: LibrarySourceOptions, packages: readonly string[] = LIBRARY_PACKAGES): LibrarySource {
  const searched = candidates(o);
  const packageDir = searched.find(isDataFlowPackage);
  return {
    packageDir,
    searched,
    contains: (file) => !!packageDir && inside(path.resolve(file), packageDir),
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
