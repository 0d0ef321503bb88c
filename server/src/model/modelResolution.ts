// Scope-correct model lookup: what a model name (`User`, from "UserCreateNode" or
// db.express.list("User")) means at a use site, found the way Python and DataFlow's node registry
// would find it, nearest scope first:
//   1. the enclosing function (tests define `@db.model class User` inside test functions),
//   2. the same file (module level, then other functions of the file),
//   3. the file's imports (`from x import User`, `from x import *`, `import x`, relative imports,
//      re-exports through `__init__.py`; importing anything from a module that defines models puts
//      its models in scope, as they are registered with the DataFlow instance),
//   4. the same package (same directory, then the parent package while it has `__init__.py`),
//   5. the rest of the project.
// The first scope with any definition wins; identical definitions count as one. When different
// models remain, the name is ambiguous: no model, and the candidates are listed.
// Scopes 3–5 only see files of the same project (`projectOf`), so the answer for a file does not
// depend on what else happens to be loaded; in them, module-level definitions win over ones made
// inside functions (`def register_models(db): @db.model class User`).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleImport } from './moduleImports';
import type { ModelInfo, ModelResolution, UseSite } from './workspaceModel';

const MAX_HOPS = 6;

export function pathOfUri(uri: string): string {
  if (uri.startsWith('file:')) {
    try { return fileURLToPath(uri).split(path.sep).join('/'); } catch { /* fall through */ }
  }
  return uri;
}

const P = path.posix;

/** Where every workspace file sits: its path, package folders, and modules by name. */
export class PathIndex {
  readonly pathOf = new Map<string, string>();
  readonly uriOf = new Map<string, string>();
  /** Folders that hold an `__init__.py`. */
  readonly packages = new Set<string>();
  /** Module file paths by their last name part (`models` for models.py and models/__init__.py). */
  private byStem = new Map<string, string[]>();
  /** Folders that hold workspace files (namespace packages). */
  readonly dirs = new Set<string>();
  private projects = new Map<string, string | undefined>();

  constructor(uris: Iterable<string>, private readonly projectOf?: (uri: string) => string | undefined) {
    for (const uri of uris) {
      const p = pathOfUri(uri);
      this.pathOf.set(uri, p);
      this.uriOf.set(p, uri);
      const dir = P.dirname(p), base = P.basename(p);
      if (base === '__init__.py') this.packages.add(dir);
      for (let d = dir, i = 0; i < 4 && !this.dirs.has(d); i++, d = P.dirname(d)) this.dirs.add(d);
      const stem = base === '__init__.py' ? P.basename(dir) : base.replace(/\.py$/, '');
      let list = this.byStem.get(stem);
      if (!list) this.byStem.set(stem, (list = []));
      list.push(p);
    }
  }

  project(uri: string): string | undefined {
    if (!this.projectOf) return undefined;
    if (this.projects.has(uri)) return this.projects.get(uri);
    const p = this.projectOf(uri);
    this.projects.set(uri, p);
    return p;
  }

  sameProject(a: string, b: string): boolean {
    return !this.projectOf || this.project(a) === this.project(b);
  }

  /** The dotted module name a file has from its package structure (`app.models` for app/models.py in a package app). */
  moduleName(p: string): string {
    let dir = P.dirname(p);
    const base = P.basename(p);
    const parts = base === '__init__.py' ? [] : [base.replace(/\.py$/, '')];
    while (this.packages.has(dir)) {
      parts.unshift(P.basename(dir));
      const up = P.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return parts.join('.');
  }

  /**
   * The workspace file a module name means when imported from `fromUri` (same project only):
   * relative modules from the importing file's package; absolute ones by the package structure
   * (src layouts and namespace packages by path suffix), the nearest one when several match.
   */
  moduleFile(fromUri: string, module: string): string | undefined {
    // Asked for every import of a file at each new name it resolves; answered once (the index
    // never changes after it is built).
    const key = `${fromUri}\u0000${module}`;
    if (this.moduleFiles.has(key)) return this.moduleFiles.get(key);
    const found = this.findModuleFile(fromUri, module);
    this.moduleFiles.set(key, found);
    return found;
  }
  private moduleFiles = new Map<string, string | undefined>();

  private findModuleFile(fromUri: string, module: string): string | undefined {
    const from = this.pathOf.get(fromUri) ?? pathOfUri(fromUri);
    const dots = /^\.*/.exec(module)![0].length;
    const rest = module.slice(dots);
    if (dots) {
      let base = P.dirname(from);
      for (let i = 1; i < dots; i++) base = P.dirname(base);
      const rel = rest ? rest.split('.').join('/') : '';
      for (const cand of rel ? [`${base}/${rel}.py`, `${base}/${rel}/__init__.py`] : [`${base}/__init__.py`]) {
        const uri = this.uriOf.get(cand);
        if (uri && this.sameProject(uri, fromUri)) return uri;
      }
      return undefined;
    }
    const parts = rest.split('.');
    const suffix = parts.join('/');
    const list = this.byStem.get(parts[parts.length - 1]);
    if (!list) return undefined;
    let best: { uri: string; exact: boolean; common: number; p: string } | undefined;
    for (const p of list) {
      if (!(p.endsWith(`/${suffix}.py`) || p.endsWith(`/${suffix}/__init__.py`) || p === `${suffix}.py`)) continue;
      const uri = this.uriOf.get(p)!;
      if (!this.sameProject(uri, fromUri)) continue;
      const exact = this.moduleName(p) === rest;
      const common = commonPrefix(p, from);
      if (!best || (exact && !best.exact) || (exact === best.exact && (common > best.common || (common === best.common && p < best.p)))) best = { uri, exact, common, p };
    }
    return best?.uri;
  }

  /** The submodule `name` of the package (or namespace folder) a module file stands for. */
  submodule(moduleUri: string, name: string): string | undefined {
    const p = this.pathOf.get(moduleUri);
    if (!p || P.basename(p) !== '__init__.py') return undefined;
    const dir = P.dirname(p);
    return this.uriOf.get(`${dir}/${name}.py`) ?? this.uriOf.get(`${dir}/${name}/__init__.py`);
  }
}

function commonPrefix(a: string, b: string): number {
  const pa = a.split('/'), pb = b.split('/');
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return i;
}

/** Definitions with the same fields (and types), indexes and table count as one model. */
export function modelIdentity(m: ModelInfo): string {
  let id = identities.get(m);
  if (id === undefined) identities.set(m, (id = identityOf(m)));
  return id;
}
/** Per definition (a ModelInfo is made anew when its class changes): every resolution decides by it. */
const identities = new WeakMap<ModelInfo, string>();
function identityOf(m: ModelInfo): string {
  return `${m.cls.tableName ?? ''}|${m.fields.map((f) => `${f.name}/${f.type}`).join(',')}|${m.indexes.map((i) => `${i.name ?? ''}/${i.fields.join('+')}/${i.unique}/${i.source}`).join(',')}`;
}

export class ModelResolver {
  private cache = new Map<string, ModelResolution>();
  private byUri = new Map<string, ModelInfo[]>();
  private symbolCache = new Map<string, ModelInfo[]>();

  constructor(
    private readonly models: Map<string, ModelInfo[]>,
    private readonly paths: PathIndex,
    private readonly importsOf: (uri: string) => readonly ModuleImport[],
    /** The parameter names of the function around an offset (pytest fixtures a test asks for). */
    private readonly paramsAt: (uri: string, offset: number) => string[] = () => [],
  ) {
    for (const list of models.values()) {
      for (const m of list) {
        let l = this.byUri.get(m.uri);
        if (!l) this.byUri.set(m.uri, (l = []));
        l.push(m);
      }
    }
  }

  resolve(name: string, at: UseSite): ModelResolution {
    // Within one function, which of several definitions a use sees depends on where it is.
    const key = `${at.uri}\u0000${at.functionName ?? ''}\u0000${name}\u0000${this.hasRedefinitions(name, at.uri) ? at.offset : ''}`;
    let r = this.cache.get(key);
    if (!r) { r = this.compute(name, at); this.cache.set(key, r); }
    return r;
  }

  /** Whether a file defines `name` more than once in one function (then answers depend on the offset). */
  private hasRedefinitions(name: string, uri: string): boolean {
    const key = `${uri}\u0000${name}`;
    let v = this.redefined.get(key);
    if (v === undefined) {
      const seen = new Set<string>();
      v = false;
      for (const m of this.byUri.get(uri) ?? []) {
        if (m.name !== name || m.cls.enclosingFunction === undefined) continue;
        if (seen.has(m.cls.enclosingFunction)) { v = true; break; }
        seen.add(m.cls.enclosingFunction);
      }
      this.redefined.set(key, v);
    }
    return v;
  }
  private redefined = new Map<string, boolean>();

  private compute(name: string, at: UseSite): ModelResolution {
    const all = this.models.get(name);
    if (!all || !all.length) return { candidates: [] };
    const sameFile = all.filter((m) => m.uri === at.uri);
    // 1. The enclosing function (the innermost one that defines the name).
    const fn = at.functionName;
    if (fn !== undefined) {
      const inFn = sameFile.filter((m) => { const ef = m.cls.enclosingFunction; return ef !== undefined && (fn === ef || fn.startsWith(`${ef}.`)); });
      if (inFn.length) {
        const depth = Math.max(...inFn.map((m) => m.cls.enclosingFunction!.length));
        const inner = inFn.filter((m) => m.cls.enclosingFunction!.length === depth);
        // Redefined in the function: a use sees the last definition before it.
        const before = inner.filter((m) => m.cls.span.end <= at.offset);
        if (inner[0].cls.enclosingFunction === fn && before.length) return decide([before.reduce((a, b) => (b.cls.span.start > a.cls.span.start ? b : a))], 'function');
        return decide(inner, 'function');
      }
    }
    // 2. The same file: pytest fixtures the function takes (a fixture `db` defining the model), the
    // module level, then functions sharing the outer function or class, then any.
    if (sameFile.length) {
      if (fn !== undefined) {
        const params = new Set(this.paramsAt(at.uri, at.offset));
        const fixtures = params.size ? sameFile.filter((m) => { const ef = m.cls.enclosingFunction; return ef !== undefined && params.has(ef.slice(ef.lastIndexOf('.') + 1)); }) : [];
        if (fixtures.length) return decide(fixtures, 'file');
      }
      const moduleLevel = sameFile.filter((m) => m.cls.enclosingFunction === undefined);
      if (moduleLevel.length) return decide(moduleLevel, 'file');
      if (fn !== undefined) {
        const outer = fn.split('.')[0];
        const near = sameFile.filter((m) => m.cls.enclosingFunction!.split('.')[0] === outer);
        if (near.length) return decide(near, 'file');
      }
      return decide(sameFile, 'file');
    }
    // Other files of the same project. Models defined in functions there (`def register_models(db):
    // @db.model class User`, fixtures) are registered when the function runs, so node types can
    // name them; at each scope, module-level definitions are preferred over them.
    const visible = all.filter((m) => this.paths.sameProject(m.uri, at.uri));
    if (!visible.length) return { candidates: [] };
    // 3. Imports.
    const imported = this.importScope(at.uri, name);
    if (imported.length) return decide(preferModuleLevel(imported), 'import');
    // 4. The same package: the same folder, then up while the folder is a package.
    const usePath = this.paths.pathOf.get(at.uri) ?? pathOfUri(at.uri);
    let dir = P.dirname(usePath);
    const inDir = visible.filter((m) => P.dirname(this.paths.pathOf.get(m.uri) ?? '') === dir);
    if (inDir.length) return decide(preferModuleLevel(inDir), 'package');
    while (this.paths.packages.has(dir)) {
      const up = P.dirname(dir);
      if (up === dir) break;
      dir = up;
      const prefix = `${dir}/`;
      const under = visible.filter((m) => (this.paths.pathOf.get(m.uri) ?? '').startsWith(prefix));
      if (under.length) return decide(preferModuleLevel(under), 'package');
    }
    // 5. The rest of the project.
    return decide(preferModuleLevel(visible), 'workspace');
  }

  /** Models `name` the file's imports bring in: imported by name first, else any imported module's. */
  private importScope(uri: string, name: string): ModelInfo[] {
    const imports = this.importsOf(uri);
    const explicit: ModelInfo[] = [];
    for (const imp of imports) {
      if (imp.kind !== 'from') continue;
      for (const n of imp.names) {
        if (n.name === '*' || (n.alias ?? n.name) === name) {
          const target = this.paths.moduleFile(uri, imp.module);
          if (target) explicit.push(...this.symbol(target, n.name === '*' ? name : n.name, 0, new Set()));
        }
      }
    }
    if (explicit.length) return unique(explicit);
    // Any model the imported modules define (also inside functions such as register_models(db)),
    // or re-export.
    const fromModules: ModelInfo[] = [];
    const moduleModels = (m: string) => {
      const own = (this.byUri.get(m) ?? []).filter((x) => x.name === name);
      fromModules.push(...(own.length ? own : this.symbol(m, name, 0, new Set())));
    };
    for (const imp of imports) {
      const target = this.paths.moduleFile(uri, imp.module);
      if (target) moduleModels(target);
      if (imp.kind === 'from') {
        for (const n of imp.names) {
          if (n.name === '*') continue;
          const sub = target ? this.paths.submodule(target, n.name) : this.paths.moduleFile(uri, `${imp.module}${imp.module.endsWith('.') ? '' : '.'}${n.name}`);
          if (sub) moduleModels(sub);
        }
      }
    }
    return unique(fromModules);
  }

  /** The module-level models a module file offers as `name`: defined there, or imported into it (re-exports). */
  private symbol(uri: string, name: string, hops: number, seen: Set<string>): ModelInfo[] {
    const key = `${uri}\u0000${name}`;
    const cached = this.symbolCache.get(key);
    if (cached) return cached;
    if (hops > MAX_HOPS || seen.has(key)) return [];
    seen.add(key);
    let out = (this.byUri.get(uri) ?? []).filter((m) => m.name === name && m.cls.enclosingFunction === undefined);
    if (!out.length) {
      const explicit: ModelInfo[] = [];
      const star: ModelInfo[] = [];
      for (const imp of this.importsOf(uri)) {
        if (imp.kind !== 'from') continue;
        for (const n of imp.names) {
          if (n.name !== '*' && (n.alias ?? n.name) !== name) continue;
          const target = this.paths.moduleFile(uri, imp.module);
          if (!target) continue;
          (n.name === '*' ? star : explicit).push(...this.symbol(target, n.name === '*' ? name : n.name, hops + 1, seen));
        }
      }
      out = unique(explicit.length ? explicit : star);
    }
    if (hops === 0) this.symbolCache.set(key, out);
    return out;
  }
}

function preferModuleLevel(list: ModelInfo[]): ModelInfo[] {
  const top = list.filter((m) => m.cls.enclosingFunction === undefined);
  return top.length ? top : list;
}

function unique(list: ModelInfo[]): ModelInfo[] {
  return [...new Set(list)];
}

function decide(list: ModelInfo[], via: NonNullable<ModelResolution['via']>): ModelResolution {
  const candidates = [...new Set(list)].sort((a, b) => a.uri.localeCompare(b.uri) || a.cls.span.start - b.cls.span.start);
  const kinds = new Set(candidates.map(modelIdentity));
  return kinds.size === 1 ? { model: candidates[0], candidates, via } : { candidates, via };
}

/** One definition per distinct model among candidates (for messages). */
export function distinctModels(candidates: readonly ModelInfo[]): ModelInfo[] {
  const seen = new Set<string>();
  const out: ModelInfo[] = [];
  for (const m of candidates) {
    const k = modelIdentity(m);
    if (!seen.has(k)) { seen.add(k); out.push(m); }
  }
  return out;
}
