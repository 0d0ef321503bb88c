/**
 * Entry points: evaluateModule(), compilePython(), listEntryPoints().
 */
import type { Node, Tree } from 'web-tree-sitter';
import { createPythonParser, initPython } from '../../syntax/parser';
import {
  EntryPointError,
  EvaluationLimitError,
  Kwargs,
  PyCoroutine,
  PyException,
  PyFunction,
  PythonSyntaxError,
  PyBuiltin,
  PyList,
  PyTuple,
  PyModule,
  PyObject,
  PyOpaque,
  PyValue,
  SourceLocation,
  UnsupportedPythonError,
  pyErr,
} from './values';
import { EvaluationLimits, Frame, Interp, typeName } from './runtime';
import { awaitValue, call } from './protocols/calls';
import { binop } from './protocols/operators';
import { percentFormat } from './protocols/text';
import { setActiveInterp } from './protocols/equality';
import { CompiledModule, importHooks } from './compiler/types';
import { Compiler } from './compiler';
import { recordTraceback } from './compiler/functionCalls';
import { makeBuiltins } from './builtins';
import { activeInterpRef } from './builtins/dictView';
import { openBuiltin } from './openBuiltin';
import { nestingProblem } from './nestingLimit';
import { StdlibOptions, makeStdlib } from './stdlib';
import { createClass } from './modules/classCreation';
import { setAdder } from './modules/itertools';
import { setMultiplier } from './modules/math';
import { setPercentFormatter } from './modules/logging';
import { EvaluatorApi, HostModule } from './host';
import { fromPlain } from './convert';
import type { FileAccess } from './fileAccess';

const then = <T, R>(v: T | Promise<T>, f: (x: T) => R | Promise<R>): R | Promise<R> => (v instanceof Promise ? v.then(f) : f(v));

export interface EvaluateOptions {
  /** File name used in messages and locations. Default '<string>'. */
  fileName?: string;
  /** `__name__` of the module when `runMain` is false. Default: the file's stem. */
  moduleName?: string;
  /** Host modules by dotted name ('dataflow', 'kailash.workflow.builder', ...); they override the stdlib. */
  hostModules?: Record<string, HostModule>;
  /** Environment for os.getenv/os.environ (the real process environment is never read). */
  env?: Record<string, string>;
  /** After the top level, call this module-level function. */
  call?: string;
  /** Arguments for `call` by parameter name (plain JS values via fromPlain, or PyValues). */
  args?: Record<string, unknown>;
  /** Run as `__main__` so that `if __name__ == "__main__":` blocks execute. */
  runMain?: boolean;
  /** print() output, one call per print (text without the trailing newline). */
  print?: (text: string, loc: SourceLocation | undefined) => void;
  /** logging / warnings output. */
  log?: (level: string, message: string, loc: SourceLocation | undefined) => void;
  limits?: Partial<EvaluationLimits>;
  signal?: AbortSignal;
  /** Fixed clock start (epoch ms, Date, ISO string) or 'system' (default). A fixed clock only advances through sleep(). */
  clock?: StdlibOptions['clock'];
  /** Seed for random/uuid4. Default 0. */
  seed?: number;
  /** sys.argv[1:] (default none). */
  argv?: string[];
  /** Source of other user modules (`from models import db`). Unresolved imports bind opaque values. */
  resolveModule?: (name: string, importerFile: string, sysPath: readonly string[]) => { source: string; fileName: string } | undefined | Promise<{ source: string; fileName: string } | undefined>;
  /** Disk access of the run (reads in the project root, writes in its scratch folder); without it file access is unsupported. */
  files?: FileAccess;
  /** `__package__` of the module (its dotted package, so relative imports resolve); default: none. */
  packageName?: string;
  /** A module compiled earlier with compilePython (source/fileName are then ignored). */
  compiled?: CompiledPython;
  /** After the top level, call the entry this way instead of `call` (the pytest-style runner, Class.method). */
  invoke?: (ctx: InvokeContext) => Promise<PyValue | undefined>;
  /** Before the module's top level (pytest loads conftest.py files before the test module). */
  prelude?: (ctx: InvokeContext) => Promise<void>;
  /**
   * What exists in real packages the host modules stand for (names only): a missing module or member
   * of them raises ModuleNotFoundError / ImportError as Python would; an existing one that no host
   * module binds stays opaque, and using it says it is not modelled. undefined = not catalogued.
   */
  realPackages?: RealPackages;
  /**
   * Library modules evaluated from the library's own source (DataFlow's pure-Python debug package):
   * their source, `{ missing }` (one of them, but the source was not found: not modelled, saying why),
   * or undefined (not one of them).
   */
  library?: (name: string) => { source: string; fileName: string } | { missing: string } | undefined;
}

export interface RealPackages {
  moduleExists(name: string): boolean | undefined;
  memberExists(module: string, name: string): boolean | undefined;
  /** The module's source file when the real package's source is found (ImportError names it, as Python does). */
  sourceFile?(module: string): string | undefined;
}

/** What an `invoke` hook gets: the evaluated module and a way to evaluate more modules (conftest.py) in the same interpreter. */
export interface InvokeContext {
  interp: Interp;
  globals: Map<string, PyValue>;
  module: PyModule;
  /** Evaluates another file's top level as module `name`; its globals stay usable when the top level fails (error). */
  loadModule(source: string, fileName: string, name: string): Promise<{ globals: Map<string, PyValue>; error?: unknown }>;
  /** Wraps an error the way evaluateModule reports it (traceback text, location). */
  finalizeError(e: unknown): unknown;
}

export interface EvaluationStats {
  iterations: number;
  calls: number;
  elapsedMs: number;
}

export interface EvaluateResult {
  /** Module globals after evaluation. */
  globals: Map<string, PyValue>;
  module: PyModule;
  /** Return value of `options.call` (awaited when the function is async). */
  returnValue: PyValue | undefined;
  /** Everything print()ed. */
  output: string;
  stats: EvaluationStats;
  hasMainBlock: boolean;
  /** The evaluator (conversions, calling Python callables later). */
  evaluator: EvaluatorApi;
  /** Frees the tree-sitter tree when it was parsed here (nodes in locations become invalid). */
  dispose(): void;
}

/** A parsed and compiled module; reusable across evaluations. */
export interface CompiledPython {
  readonly fileName: string;
  readonly source: string;
  readonly code: CompiledModule;
  readonly tree: Tree;
  dispose(): void;
}

/** Parses and compiles a module (throws PythonSyntaxError on a syntax error). */
export async function compilePython(source: string, fileName = '<string>', tree?: Tree): Promise<CompiledPython> {
  await initPython();
  let owned = false;
  let t = tree;
  if (!t) {
    const parser = createPythonParser();
    try {
      t = parser.parse(source) ?? undefined;
    } catch (e) {
      // tree-sitter's WASM gives up on pathological input ("memory access out of bounds" on tens of
      // thousands of nested blocks): a syntax error of the file, not a crash of the run.
      throw new PythonSyntaxError(pointAt(fileName, 1, 1, 0), `the file is too deeply nested to parse (${String((e as Error).message ?? e).split('\n')[0]})`);
    } finally {
      parser.delete();
    }
    if (!t) throw new Error('tree-sitter failed to parse the source');
    owned = true;
  }
  const tt = t;
  try {
    const deep = nestingProblem(tt);
    if (deep) {
      const n = deep.node;
      throw new PythonSyntaxError(pointAt(fileName, n.startPosition.row + 1, n.startPosition.column + 1, n.startIndex), deep.message);
    }
    const code = new Compiler(source, fileName).compileModule(tt.rootNode);
    return {
      fileName,
      source,
      code,
      tree: tt,
      dispose: () => {
        if (owned) tt.delete();
      },
    };
  } catch (e) {
    if (owned) tt.delete();
    throw e;
  }
}

/** A location that is one point of the file (1-based line and column, 0-based offset). */
function pointAt(file: string, line: number, column: number, index: number): SourceLocation {
  return { file, line, column, endLine: line, endColumn: column, startIndex: index, endIndex: index };
}

function stemOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.pyi?$/, '') || '__main__';
}

// ---------------------------------------------------------------------------------------------
// Module system

interface ModuleSystem {
  stdlib: Map<string, () => PyModule>;
  host: Map<string, HostModule>;
  resolve?: EvaluateOptions['resolveModule'];
  /** Per-interp user modules being compiled (disposed with the result). */
  compiled: CompiledPython[];
  real?: RealPackages;
  library?: EvaluateOptions['library'];
}

const moduleSystems = new WeakMap<Interp, ModuleSystem>();

function hostModuleObject(interp: Interp, name: string, spec: HostModule): PyModule {
  if (spec instanceof PyModule) return spec;
  const members = typeof spec === 'function' ? spec(interp) : spec;
  const m = new PyModule(name, members instanceof Map ? new Map(members) : new Map(Object.entries(members)));
  m.dict.set('__name__', name);
  return m;
}

function knownPrefix(ms: ModuleSystem, name: string): boolean {
  const p = name + '.';
  for (const k of ms.host.keys()) if (k.startsWith(p)) return true;
  for (const k of ms.stdlib.keys()) if (k.startsWith(p)) return true;
  return false;
}

async function loadUserModule(interp: Interp, ms: ModuleSystem, name: string, importer: Frame, loc: SourceLocation): Promise<PyModule | undefined> {
  if (!ms.resolve) return undefined;
  // Packages the evaluator binds itself (dataflow, kailash, the stdlib) are never read from disk,
  // even when their real source is on sys.path (it is Python the runtime models, not runs).
  const top = name.split('.')[0];
  if (top && (ms.host.has(top) || ms.stdlib.has(top) || knownPrefix(ms, top))) return undefined;
  // Folders the code put on sys.path (sys.path.insert(0, ...)) are searched too (the resolver keeps them inside the project).
  const sysPath = interp.modules.get('sys')?.dict.get('path');
  const extra = sysPath instanceof PyList ? sysPath.items.map((x) => (typeof x === 'string' ? x : x instanceof PyObject ? interp.str(x) : '')).filter((x) => x) : [];
  const src = await ms.resolve(name, importer.file, extra);
  if (!src) return undefined;
  return evaluateSourceModule(interp, name, src, importer, loc, ms);
}

/** Evaluates a module read from disk (the project's or a library's) as `name`, after its enclosing packages. */
async function evaluateSourceModule(interp: Interp, name: string, src: { source: string; fileName: string }, importer: Frame, loc: SourceLocation, ms: ModuleSystem): Promise<PyModule> {
  // Python runs each enclosing package's __init__.py before the module itself.
  const parts = name.startsWith('.') ? [] : name.split('.');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('.');
    if (!interp.modules.has(parent)) await importModule(interp, parent, 0, importer, loc);
  }
  const cachedNow = interp.modules.get(name);
  if (cachedNow) return cachedNow;
  const namespace = src.source === '' && !/\.py$/.test(src.fileName);
  const isPackage = namespace || /(^|[\\/])__init__\.py$/.test(src.fileName);
  const packageName = name.startsWith('.') ? '' : isPackage ? name : parts.slice(0, -1).join('.');
  const globals = new Map<string, PyValue>([
    ['__name__', name],
    ['__file__', namespace ? null : src.fileName],
    ['__package__', packageName],
    ['__doc__', null],
  ]);
  const module = new PyModule(name, globals);
  (module as PyModule & { userModule?: boolean }).userModule = true;
  interp.modules.set(name, module);
  if (src.source === '') return module;
  const compiled = await compilePython(src.source, src.fileName);
  ms.compiled.push(compiled);
  const frame = new Frame(interp, globals, null, null, null, '<module>', src.fileName, compiled.code.loc);
  const depth = interp.frames.length;
  interp.frames.push(frame);
  try {
    const r = compiled.code.body(frame);
    if (r instanceof Promise) await r;
  } catch (e) {
    interp.modules.delete(name);
    throw recordTraceback(e, frame);
  } finally {
    interp.frames.length = depth;
  }
  return module;
}

function linkParents(interp: Interp, name: string, mod: PyValue): void {
  const parts = name.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const parentName = parts.slice(0, i).join('.');
    let parent = interp.modules.get(parentName);
    if (!parent) {
      // A parent the host or the stdlib defines is that module (`kailash.runtime` after `kailash.runtime.local`), not an empty one.
      const ms = moduleSystems.get(interp);
      const host = ms?.host.get(parentName);
      const std = ms?.stdlib.get(parentName);
      parent = host !== undefined ? hostModuleObject(interp, parentName, host) : std ? std() : new PyModule(parentName);
      if (!parent.dict.has('__name__')) parent.dict.set('__name__', parentName);
      interp.modules.set(parentName, parent);
    }
    if (!parent.dict.has(parts[i])) parent.dict.set(parts[i], i === parts.length - 1 ? mod : interp.modules.get(parts.slice(0, i + 1).join('.')) ?? null);
  }
}

function importModule(interp: Interp, rawName: string, level: number, importer: Frame, loc: SourceLocation): PyValue | Promise<PyValue> {
  const ms = moduleSystems.get(interp)!;
  let name = rawName;
  if (level > 0) {
    // Relative to the importer's package (__package__), as Python resolves it; without one (a file
    // run as a script), relative to the importer's folder.
    const declared = importer.globals.get('__package__');
    const pkg = typeof declared === 'string' ? (declared ? declared.split('.') : []) : String(importer.globals.get('__name__') ?? '').split('.').slice(0, -1);
    if (pkg.length >= level) name = [...pkg.slice(0, pkg.length - (level - 1)), ...(rawName ? [rawName] : [])].join('.');
    else name = '.'.repeat(level) + rawName;
  }
  const cached = interp.modules.get(name);
  if (cached) return cached;
  const opaque = (interp as Interp & { opaqueModules?: Map<string, PyOpaque> }).opaqueModules ?? new Map<string, PyOpaque>();
  (interp as Interp & { opaqueModules?: Map<string, PyOpaque> }).opaqueModules = opaque;
  const op = opaque.get(name);
  if (op) return op;
  const host = ms.host.get(name);
  if (host !== undefined) {
    const m = hostModuleObject(interp, name, host);
    interp.modules.set(name, m);
    linkParents(interp, name, m);
    return m;
  }
  const std = ms.stdlib.get(name);
  if (std) {
    const m = std();
    interp.modules.set(name, m);
    linkParents(interp, name, m);
    return m;
  }
  const lib = ms.library?.(name);
  if (lib && 'missing' in lib) {
    const o = new PyOpaque(name, loc, name, lib.missing);
    opaque.set(name, o);
    return o;
  }
  const finish = (user: PyModule | undefined): PyValue => {
    if (user) {
      linkParents(interp, name, user);
      return user;
    }
    if (knownPrefix(ms, name)) {
      const m = new PyModule(name);
      m.dict.set('__name__', name);
      // A real package the evaluator holds only some submodules of: its other names are not modelled.
      if (ms.real?.moduleExists(name) === true) m.partial = true;
      interp.modules.set(name, m);
      linkParents(interp, name, m);
      return m;
    }
    const real = ms.real?.moduleExists(name);
    if (real === false) throw pyErr('ModuleNotFoundError', `No module named '${name}'`);
    const o = new PyOpaque(name, loc, real ? name : undefined);
    // A submodule of one of the project's own packages that is not on disk: Python imports the
    // package first and then raises ModuleNotFoundError; it is not an opaque (unknown) module.
    const parentName = name.includes('.') && !name.startsWith('.') ? name.slice(0, name.lastIndexOf('.')) : undefined;
    if (parentName && ms.resolve && real === undefined) {
      const check = (parent: PyValue): PyValue => {
        if (parent instanceof PyModule && (parent as PyModule & { userModule?: boolean }).userModule) throw pyErr('ModuleNotFoundError', `No module named '${name}'`);
        opaque.set(name, o);
        return o;
      };
      const loaded = interp.modules.get(parentName);
      if (loaded) return check(loaded);
      const p = importModule(interp, parentName, 0, importer, loc);
      return (p instanceof Promise ? p.then(check) : check(p)) as PyValue;
    }
    opaque.set(name, o);
    return o;
  };
  if (lib) return evaluateSourceModule(interp, name, lib, importer, loc, ms).then(finish);
  if (ms.resolve) return loadUserModule(interp, ms, name, importer, loc).then(finish);
  return finish(undefined);
}

/** __import__(name, globals=None, locals=None, fromlist=(), level=0): the import statement's machinery; the top package unless fromlist. */
function importBuiltin(interp: Interp): PyBuiltin {
  return new PyBuiltin('__import__', (a, k, ctx) => {
    const arg = (i: number, n: string) => (i < a.length ? a[i] : k?.get(n));
    const name = arg(0, 'name');
    if (typeof name !== 'string') throw pyErr('TypeError', `__import__() argument 1 must be str, not ${name === undefined ? 'nothing' : typeName(name ?? null)}`);
    const fromV = arg(3, 'fromlist') ?? null;
    const level = Number(arg(4, 'level') ?? 0);
    const loc = ctx.loc ?? { file: interp.fileName, line: 0, column: 0 };
    const importer = interp.frames[interp.frames.length - 1];
    const fromlist = fromV instanceof PyList || fromV instanceof PyTuple ? fromV.items.map((x) => String(x)) : [];
    if (!name && level === 0) throw pyErr('ValueError', 'Empty module name');
    return then(importModule(interp, name, level, importer, loc as SourceLocation), (mod) => {
      if (fromlist.length) {
        const steps = fromlist.filter((n) => n !== '*').map((n) => () => {
          if (mod instanceof PyModule && !mod.dict.has(n)) {
            const r = importFrom(interp, mod, mod.name, n, loc as SourceLocation);
            return r instanceof Promise ? r.then(() => undefined, (e) => (e instanceof PyException && e.pyTypes.includes('ImportError') ? undefined : Promise.reject(e))) : undefined;
          }
          return undefined;
        });
        const go = (i: number): PyValue | Promise<PyValue> => (i >= steps.length ? mod : then(steps[i](), () => go(i + 1)));
        return go(0);
      }
      if (level > 0 || !name.includes('.')) return mod;
      return importModule(interp, name.split('.')[0], 0, importer, loc as SourceLocation);
    });
  });
}

function importFrom(interp: Interp, mod: PyValue, _modName: string, name: string, loc: SourceLocation): PyValue | Promise<PyValue> {
  if (mod instanceof PyOpaque) {
    // A real module the runtime does not model: a name its source does not bind is Python's ImportError.
    const real = moduleSystems.get(interp)!.real;
    if (mod.notModelled === mod.description && real?.memberExists(mod.description, name) === false) {
      const file = real.sourceFile?.(mod.description);
      throw pyErr('ImportError', `cannot import name '${name}' from '${mod.description}'${file ? ` (${file})` : ''}`);
    }
    return new PyOpaque(`${mod.description}.${name}`, loc, mod.notModelled, mod.why);
  }
  if (mod instanceof PyModule) {
    const v = mod.dict.get(name);
    if (v !== undefined) return v;
    const ms = moduleSystems.get(interp)!;
    const sub = `${mod.name}.${name}`;
    if (ms.host.has(sub) || ms.stdlib.has(sub) || knownPrefix(ms, sub) || interp.modules.has(sub)) return importModule(interp, sub, 0, interp.frames[interp.frames.length - 1], loc);
    const isUser = ![...ms.host.keys(), ...ms.stdlib.keys()].includes(mod.name) && !knownPrefix(ms, mod.name);
    if (isUser) {
      const missing = () => pyErr('ImportError', `cannot import name '${name}' from '${mod.name}'${typeof mod.dict.get('__file__') === 'string' ? ` (${mod.dict.get('__file__')})` : ''}`);
      // `from package import submodule`: Python imports the submodule.
      if (!(mod as PyModule & { userModule?: boolean }).userModule || (!ms.resolve && !ms.library)) throw missing();
      // No such submodule either: Python says "cannot import name", an ImportError, not ModuleNotFoundError.
      const noSuchSubmodule = (e: unknown) => e instanceof PyException && e.pyType === 'ModuleNotFoundError' && e.pyMessage.includes(`'${sub}'`);
      const found = (m: PyValue) => {
        if (m instanceof PyModule && (m as PyModule & { userModule?: boolean }).userModule) return m;
        throw missing();
      };
      let imported: PyValue | Promise<PyValue>;
      try {
        imported = importModule(interp, sub, 0, interp.frames[interp.frames.length - 1], loc);
      } catch (e) {
        throw noSuchSubmodule(e) ? missing() : e;
      }
      return imported instanceof Promise
        ? imported.then(found, (e: unknown) => {
            throw noSuchSubmodule(e) ? missing() : e;
          })
        : found(imported);
    }
    const real = ms.real?.memberExists(mod.name, name);
    if (real === false) throw pyErr('ImportError', `cannot import name '${name}' from '${mod.name}'`);
    return new PyOpaque(`${mod.name}.${name}`, loc, real ? `${mod.name}.${name}` : undefined);
  }
  throw pyErr('ImportError', `cannot import name '${name}'`);
}

importHooks.importModule = importModule;
importHooks.importFrom = importFrom;
importHooks.createClass = createClass;
setPercentFormatter(percentFormat);
setAdder((interp, a, b) => binop(interp, '+', a, b, undefined) as PyValue);
setMultiplier((interp, a, b) => binop(interp, '*', a, b, undefined) as PyValue);

// ---------------------------------------------------------------------------------------------

function finalizeError(e: unknown, frame: Frame | undefined): unknown {
  let err = frame ? recordTraceback(e, frame) : e;
  if (err instanceof RangeError && /call stack/i.test(err.message)) err = new EvaluationLimitError('depth', frame?.stmt, 'JavaScript stack exhausted (recursion too deep)');
  if (err instanceof PyException) err.message = err.formatTraceback();
  if (err instanceof UnsupportedPythonError && frame) err.locate(frame.stmt);
  return err;
}

/** Evaluates a module's top level, then optionally calls one function. */
export async function evaluateModule(source: string, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const started = Date.now();
  const compiled = options.compiled ?? (await compilePython(source, options.fileName ?? '<string>'));
  const fileName = compiled.fileName;
  const moduleName = options.runMain ? '__main__' : (options.moduleName ?? stemOf(fileName));
  const builtins = new Map<string, PyValue>();
  const interp = new Interp(
    fileName,
    options.limits,
    options.signal,
    {
      print: options.print ?? (() => undefined),
      log: options.log ?? (() => undefined),
    },
    builtins,
  );
  setActiveInterp(interp);
  activeInterpRef.interp = interp;
  for (const [k, v] of makeBuiltins(interp)) builtins.set(k, v);
  builtins.set('open', openBuiltin(interp, options.files));
  builtins.set('__import__', importBuiltin(interp));
  const ms: ModuleSystem = {
    stdlib: makeStdlib(interp, { env: options.env ?? {}, clock: options.clock ?? 'system', seed: options.seed ?? 0, fileName, files: options.files, argv: options.argv }),
    host: new Map(Object.entries(options.hostModules ?? {})),
    resolve: options.resolveModule,
    compiled: [],
    real: options.realPackages,
    library: options.library,
  };
  moduleSystems.set(interp, ms);
  const globals = new Map<string, PyValue>([
    ['__name__', moduleName],
    ['__file__', fileName],
    ['__doc__', null],
  ]);
  if (options.packageName !== undefined) globals.set('__package__', options.packageName);
  const module = new PyModule(moduleName, globals);
  interp.modules.set(moduleName, module);
  const frame = new Frame(interp, globals, null, null, null, '<module>', fileName, compiled.code.loc);
  interp.frames.push(frame);
  const disposeAll = () => {
    for (const c of ms.compiled) c.dispose();
    if (!options.compiled) compiled.dispose();
  };
  if (options.signal?.aborted) throw new EvaluationLimitError('cancelled', compiled.code.loc, 'Evaluation cancelled');
  const loadModule = async (src: string, file: string, name: string) => {
    const c = await compilePython(src, file);
    ms.compiled.push(c);
    const g = new Map<string, PyValue>([
      ['__name__', name],
      ['__file__', file],
      ['__doc__', null],
    ]);
    interp.modules.set(name, new PyModule(name, g));
    const fr = new Frame(interp, g, null, null, null, '<module>', file, c.code.loc);
    const depth = interp.frames.length;
    interp.frames.push(fr);
    try {
      const r = c.code.body(fr);
      if (r instanceof Promise) await r;
      return { globals: g };
    } catch (e) {
      return { globals: g, error: finalizeError(e, fr) };
    } finally {
      interp.frames.length = depth;
    }
  };
  const invokeCtx: InvokeContext = { interp, globals, module, loadModule, finalizeError: (e) => finalizeError(e, undefined) };
  if (options.prelude) {
    await options.prelude(invokeCtx);
    interp.frames.length = 0;
    interp.frames.push(frame);
  }
  try {
    const r = compiled.code.body(frame);
    if (r instanceof Promise) await r;
  } catch (e) {
    throw finalizeError(e, frame);
  }
  let returnValue: PyValue | undefined;
  if (options.invoke) {
    interp.frames.length = 0;
    try {
      returnValue = await options.invoke(invokeCtx);
    } catch (e) {
      throw finalizeError(e, undefined);
    }
  } else if (options.call) {
    interp.frames.length = 0;
    const fn = globals.get(options.call);
    if (!(fn instanceof PyFunction)) throw new EntryPointError(fn === undefined ? `No function named '${options.call}' at the top level of ${fileName}` : `'${options.call}' is not a function (it is ${interp.typeName(fn)})`);
    const params = fn.code.paramInfo;
    const args = options.args ?? {};
    const missing = params.filter((p) => !p.hasDefault && (p.kind === 'positional' || p.kind === 'positional-only' || p.kind === 'keyword-only') && !Object.prototype.hasOwnProperty.call(args, p.name)).map((p) => p.name);
    if (missing.length) throw new EntryPointError(`Cannot call ${options.call}(): missing value${missing.length > 1 ? 's' : ''} for parameter${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} (pass them in options.args)`, missing);
    const positional: PyValue[] = [];
    const kwargs: Kwargs = new Map();
    const known = new Set(params.map((p) => p.name));
    const has = (n: string) => Object.prototype.hasOwnProperty.call(args, n);
    let contiguous = true;
    for (const p of params) {
      if (p.kind === 'positional-only' || p.kind === 'positional') {
        if (!has(p.name)) {
          contiguous = false;
          continue;
        }
        const v = fromPlain(args[p.name]);
        if (contiguous) positional.push(v);
        else kwargs.set(p.name, v);
      } else if (p.kind === 'varargs') {
        if (!has(p.name)) continue;
        if (!contiguous) throw new EntryPointError(`Cannot pass '${p.name}' to ${options.call}(): every positional parameter before it needs a value`);
        const raw = args[p.name];
        positional.push(...(Array.isArray(raw) ? raw.map((x) => fromPlain(x)) : [fromPlain(raw)]));
      } else if (p.kind === 'keyword-only' && has(p.name)) kwargs.set(p.name, fromPlain(args[p.name]));
    }
    const varkw = params.find((p) => p.kind === 'varkw');
    for (const [k, v] of Object.entries(args)) if (!known.has(k)) {
      if (!varkw) throw new EntryPointError(`${options.call}() has no parameter named '${k}'`);
      kwargs.set(k, fromPlain(v));
    }
    try {
      let r = call(interp, fn, positional, kwargs.size ? kwargs : null, fn.code.loc);
      if (r instanceof Promise) r = await r;
      if (r instanceof PyCoroutine) {
        r = awaitValue(interp, r, fn.code.loc);
        if (r instanceof Promise) r = await r;
      }
      returnValue = r;
    } catch (e) {
      throw finalizeError(e, undefined);
    }
  }
  return {
    globals,
    module,
    returnValue,
    output: interp.output,
    stats: { iterations: interp.iterations, calls: interp.calls, elapsedMs: Date.now() - started },
    hasMainBlock: compiled.code.hasMainBlock,
    evaluator: interp,
    dispose: disposeAll,
  };
}

// ---------------------------------------------------------------------------------------------
// Entry points

export interface EntryPointParam {
  name: string;
  kind: 'positional' | 'positional-only' | 'keyword-only' | 'varargs' | 'varkw';
  hasDefault: boolean;
  annotation?: string;
  /** Source text of the default value. */
  default?: string;
}

export interface EntryPointFunction {
  name: string;
  isAsync: boolean;
  line: number;
  column: number;
  params: EntryPointParam[];
  /** Parameters that need a value from options.args. */
  required: string[];
  decorators: string[];
}

export interface EntryPointMethod {
  className: string;
  name: string;
  isAsync: boolean;
  line: number;
  column: number;
  decorators: string[];
}

export interface EntryPoints {
  functions: EntryPointFunction[];
  /** Public methods of top-level classes (`Class.method` entry points; tests of Test classes included). */
  methods: EntryPointMethod[];
  hasMainBlock: boolean;
  /** 1-based line of the first `if __name__ == "__main__":` block. */
  mainLine?: number;
}

/** Lists the module-level functions and whether a `__main__` block exists (static; nothing runs). */
export async function listEntryPoints(source: string): Promise<EntryPoints> {
  await initPython();
  const parser = createPythonParser();
  const tree = parser.parse(source);
  parser.delete();
  if (!tree) return { functions: [], methods: [], hasMainBlock: false };
  try {
    const out: EntryPoints = { functions: [], methods: [], hasMainBlock: false };
    for (const top of tree.rootNode.namedChildren) {
      if (!top) continue;
      let def: Node | null = top;
      const decorators: string[] = [];
      if (top.type === 'decorated_definition') {
        for (const c of top.namedChildren) if (c && c.type === 'decorator') decorators.push(c.text.replace(/^@\s*/, ''));
        def = top.childForFieldName('definition');
      }
      if (def && def.type === 'function_definition') {
        const params: EntryPointParam[] = [];
        let star = false;
        const ps = def.childForFieldName('parameters');
        for (const p of ps ? ps.namedChildren : []) {
          if (!p || p.type === 'comment') continue;
          const kind = (): EntryPointParam['kind'] => (star ? 'keyword-only' : 'positional');
          switch (p.type) {
            case 'identifier':
              params.push({ name: p.text, kind: kind(), hasDefault: false });
              break;
            case 'typed_parameter': {
              const inner = p.namedChildren[0]!;
              if (inner.type === 'list_splat_pattern') {
                star = true;
                params.push({ name: inner.namedChildren[0]!.text, kind: 'varargs', hasDefault: false, annotation: p.childForFieldName('type')?.text });
              } else if (inner.type === 'dictionary_splat_pattern') params.push({ name: inner.namedChildren[0]!.text, kind: 'varkw', hasDefault: false, annotation: p.childForFieldName('type')?.text });
              else params.push({ name: inner.text, kind: kind(), hasDefault: false, annotation: p.childForFieldName('type')?.text });
              break;
            }
            case 'default_parameter':
            case 'typed_default_parameter':
              params.push({ name: p.childForFieldName('name')!.text, kind: kind(), hasDefault: true, annotation: p.childForFieldName('type')?.text, default: p.childForFieldName('value')?.text });
              break;
            case 'list_splat_pattern':
              star = true;
              params.push({ name: p.namedChildren[0]!.text, kind: 'varargs', hasDefault: false });
              break;
            case 'dictionary_splat_pattern':
              params.push({ name: p.namedChildren[0]!.text, kind: 'varkw', hasDefault: false });
              break;
            case 'keyword_separator':
              star = true;
              break;
            case 'positional_separator':
              for (const q of params) if (q.kind === 'positional') q.kind = 'positional-only';
              break;
          }
        }
        out.functions.push({
          name: def.childForFieldName('name')!.text,
          isAsync: def.child(0)?.type === 'async',
          line: def.startPosition.row + 1,
          column: def.startPosition.column + 1,
          params,
          required: params.filter((p) => !p.hasDefault && p.kind !== 'varargs' && p.kind !== 'varkw').map((p) => p.name),
          decorators,
        });
      }
      if (def && def.type === 'class_definition') {
        const className = def.childForFieldName('name')!.text;
        for (const member of def.childForFieldName('body')?.namedChildren ?? []) {
          if (!member) continue;
          let m: Node | null = member;
          const mdecos: string[] = [];
          if (member.type === 'decorated_definition') {
            for (const c of member.namedChildren) if (c && c.type === 'decorator') mdecos.push(c.text.replace(/^@\s*/, ''));
            m = member.childForFieldName('definition');
          }
          if (!m || m.type !== 'function_definition') continue;
          const name = m.childForFieldName('name')!.text;
          if (name.startsWith('_') || mdecos.some((d) => /^(pytest\.|pytest_asyncio\.)?fixture\b|^property\b|\.setter$/.test(d))) continue;
          out.methods.push({ className, name, isAsync: m.child(0)?.type === 'async', line: m.startPosition.row + 1, column: m.startPosition.column + 1, decorators: mdecos });
        }
      }
      if (top.type === 'if_statement') {
        const cond = top.childForFieldName('condition');
        if (cond && cond.type === 'comparison_operator') {
          const parts = cond.namedChildren.filter((c): c is Node => !!c).map((c) => c.text.replace(/^['"]|['"]$/g, ''));
          if (parts.length === 2 && parts.includes('__name__') && parts.includes('__main__')) {
            if (!out.hasMainBlock) out.mainLine = top.startPosition.row + 1;
            out.hasMainBlock = true;
          }
        }
      }
    }
    return out;
  } finally {
    tree.delete();
  }
}
