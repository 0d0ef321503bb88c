// The DataFlow picture of the whole workspace: every file's facts, and the models they declare,
// looked up by name from any file (a model in models.py used by a node in jobs/import.py).
import type { ClassFact, DataFlowInstanceFact, FieldFact, IndexFact } from './facts';
import type { SourceFile } from './sourceFile';
import type { ProjectFileKind } from '../workspace/projectFiles';
import { importsSignature, scanImports, type ModuleImport } from './moduleImports';
import { ModelResolver, PathIndex } from './modelResolution';

export interface ModelInfo {
  name: string;
  uri: string;
  cls: ClassFact;
  /** The DataFlow instance variable it is registered with (`db`). */
  instance?: string;
  /** Own and inherited fields (base classes found in the workspace). */
  fields: FieldFact[];
  indexes: IndexFact[];
}

/** Where a model name is used: the file, the offset, and the enclosing function (`f`, `Cls.m`). */
export interface UseSite { uri: string; offset: number; functionName?: string }

/**
 * What a model name means at a use site. `model` is set when one model (or several identical
 * definitions) is found; when different models remain at the nearest scope that has any,
 * `model` is undefined and `candidates` lists them.
 */
export interface ModelResolution {
  model?: ModelInfo;
  candidates: ModelInfo[];
  /** The scope the answer came from. */
  via?: 'function' | 'file' | 'import' | 'package' | 'workspace';
}

export class WorkspaceModel {
  private files = new Map<string, SourceFile>();
  private models_: Map<string, ModelInfo[]> | undefined;
  /** Bumped on every change, so dependants can tell when to re-analyse. */
  generation = 0;
  /** Bumped when something model resolution reads besides the models changes: the set of files, a file's imports, the projects. */
  private resolutionEpoch = 0;
  private paths_: PathIndex | undefined;
  private resolver_: ModelResolver | undefined;
  /** Imports per file, computed when resolution first needs them and kept current on changes. */
  private imports_ = new Map<string, { imports: ModuleImport[]; signature: string }>();
  private projectOf_: ((uri: string) => string | undefined) | undefined;

  /**
   * Which project a file belongs to (its nearest folder with pyproject.toml, setup.py, setup.cfg or
   * .git): models of other projects are never candidates. Undefined: one project.
   */
  setProjectOf(projectOf: ((uri: string) => string | undefined) | undefined): void {
    this.projectOf_ = projectOf;
    this.filesChanged();
  }

  private filesChanged(): void {
    this.paths_ = undefined;
    this.resolver_ = undefined;
    this.models_ = undefined;
    this.resolutionEpoch++;
  }

  /** Re-reads a file's imports if resolution has read them; a different answer invalidates resolution. */
  private importsMayHaveChanged(file: SourceFile): void {
    const had = this.imports_.get(file.uri);
    if (!had) return;
    const imports = scanImports(file.text);
    const signature = importsSignature(imports);
    this.imports_.set(file.uri, { imports, signature });
    if (signature !== had.signature) {
      this.resolver_ = undefined;
      this.models_ = undefined; // which register_model call a class's instance comes from reads imports
      this.resolutionEpoch++;
    }
  }

  /** The imports of a file (from its text). */
  importsOf(uri: string): readonly ModuleImport[] {
    let e = this.imports_.get(uri);
    if (!e) {
      const f = this.files.get(uri);
      const imports = f ? scanImports(f.text) : [];
      e = { imports, signature: importsSignature(imports) };
      if (f) this.imports_.set(uri, e);
    }
    return e.imports;
  }

  private paths(): PathIndex {
    if (!this.paths_) this.paths_ = new PathIndex(this.files.keys(), this.projectOf_);
    return this.paths_;
  }

  get(uri: string): SourceFile | undefined { return this.files.get(uri); }
  has(uri: string): boolean { return this.files.has(uri); }
  allFiles(): IterableIterator<SourceFile> { return this.files.values(); }
  get size(): number { return this.files.size; }

  set(file: SourceFile): void {
    const old = this.files.get(file.uri);
    if (old && old !== file) old.dispose();
    this.files.set(file.uri, file);
    if (!old) this.filesChanged();
    this.changed(file);
  }

  /**
   * Call after a file's facts changed in place (applyChanges). The models are rebuilt only when
   * the change touched them (`file.modelsChanged`), not on every keystroke in a workflow.
   */
  changed(file?: SourceFile): void {
    if (!file || file.modelsChanged) { this.models_ = undefined; this.resolver_ = undefined; }
    if (file) this.importsMayHaveChanged(file);
    else { this.imports_.clear(); this.resolver_ = undefined; this.resolutionEpoch++; }
    this.generation++;
  }

  delete(uri: string): void {
    const f = this.files.get(uri);
    if (!f) return;
    f.dispose();
    this.files.delete(uri);
    this.imports_.delete(uri);
    this.filesChanged();
    this.changed();
  }

  /** Every model in the workspace by class name. */
  models(): Map<string, ModelInfo[]> {
    if (this.models_) return this.models_;
    const classes = new Map<string, Array<{ cls: ClassFact; uri: string }>>();
    const registered = new Map<string, string>();
    const registrations = new Map<string, Array<{ uri: string; instance: string }>>();
    for (const f of this.files.values()) {
      for (const c of f.facts.classes) {
        let list = classes.get(c.name);
        if (!list) classes.set(c.name, (list = []));
        list.push({ cls: c, uri: f.uri });
      }
      for (const r of f.facts.registrations) {
        registered.set(`${f.uri}#${r.className}`, r.instance);
        let list = registrations.get(r.className);
        if (!list) registrations.set(r.className, (list = []));
        list.push({ uri: f.uri, instance: r.instance });
      }
    }
    const models = new Map<string, ModelInfo[]>();
    for (const [name, list] of classes) {
      for (const { cls, uri } of list) {
        const instance = cls.modelDecoratorOf ?? registered.get(`${uri}#${name}`) ?? this.registeredElsewhere(registrations.get(name), uri);
        if (!instance) continue;
        const fields = this.inheritedFields(cls, classes, 0);
        const info: ModelInfo = { name, uri, cls, instance, fields, indexes: cls.indexes };
        let ms = models.get(name);
        if (!ms) models.set(name, (ms = []));
        ms.push(info);
      }
    }
    for (const ms of models.values()) ms.sort((a, b) => a.uri.localeCompare(b.uri));
    this.models_ = models;
    return models;
  }

  /**
   * `db.register_model(User)` in another file of the same project that can see the class: one that
   * imports from the class's module, else one in the class's folder or package (first in path order).
   */
  private registeredElsewhere(list: Array<{ uri: string; instance: string }> | undefined, classUri: string): string | undefined {
    if (!list) return undefined;
    const paths = this.paths();
    const same = list.filter((r) => paths.sameProject(r.uri, classUri)).sort((a, b) => a.uri.localeCompare(b.uri));
    if (!same.length) return undefined;
    const importing = same.find((r) => this.importsOf(r.uri).some((i) => paths.moduleFile(r.uri, i.module) === classUri
      || (i.kind === 'from' && i.names.some((n) => n.name !== '*' && paths.submodule(paths.moduleFile(r.uri, i.module) ?? '', n.name) === classUri))));
    if (importing) return importing.instance;
    const dirOf = (uri: string) => (paths.pathOf.get(uri) ?? '').replace(/\/[^/]*$/, '');
    let dir = dirOf(classUri);
    const inDir = same.find((r) => dirOf(r.uri) === dir);
    if (inDir) return inDir.instance;
    while (paths.packages.has(dir)) {
      const up = dir.replace(/\/[^/]*$/, '');
      if (!up || up === dir) break;
      dir = up;
      const under = same.find((r) => (paths.pathOf.get(r.uri) ?? '').startsWith(`${dir}/`));
      if (under) return under.instance;
    }
    return undefined;
  }

  private inheritedFields(cls: ClassFact, classes: Map<string, Array<{ cls: ClassFact }>>, depth: number): FieldFact[] {
    if (depth > 10 || !cls.bases.length) return cls.fields;
    const out: FieldFact[] = [];
    const seen = new Set<string>();
    for (const b of cls.bases) {
      const base = classes.get(b)?.[0]?.cls;
      if (!base || base === cls) continue;
      for (const f of this.inheritedFields(base, classes, depth + 1)) if (!seen.has(f.name)) { seen.add(f.name); out.push(f); }
    }
    for (const f of cls.fields) {
      const i = out.findIndex((x) => x.name === f.name);
      if (i >= 0) out[i] = f; else out.push(f);
    }
    return out;
  }

  /** A string that changes whenever any model's name, file, fields or indexes change. */
  modelsFingerprint(): string {
    const models = this.models();
    if (this.fingerprint_ !== undefined && this.fingerprintOf === models) return this.fingerprint_;
    const parts: string[] = [];
    for (const [name, list] of models) {
      for (const m of list) {
        parts.push(`${name}@${m.uri}/${m.cls.enclosingFunction ?? ''}:${m.instance}:${m.cls.tableName ?? ''}:${m.fields.map((f) => `${f.name}/${f.type}`).join(',')}:${m.indexes.map((i) => `${i.name}/${i.fields.join('+')}/${i.unique}`).join(',')}:${!!m.cls.dataflowConfig}/${m.cls.dataflowConfig?.value.k}/${m.cls.dataflowConfig?.indexes?.value.k}`);
      }
    }
    this.fingerprint_ = parts.sort().join('|');
    this.fingerprintOf = models;
    return this.fingerprint_;
  }
  private fingerprint_: string | undefined;
  private fingerprintOf: Map<string, ModelInfo[]> | undefined;

  /**
   * What findings that look models up depend on besides their own file: the models, and what
   * their names resolve to (files, imports, projects). Part of the engine's cache key.
   */
  resolutionFingerprint(): string {
    return `${this.modelsFingerprint()}\u0000${this.resolutionEpoch}`;
  }

  /**
   * The model `name` means at a use site (see ModelResolution and modelResolution.ts for the
   * scopes). Cached per (file, enclosing function, name) until models, files or imports change.
   */
  resolveModel(name: string, at: UseSite): ModelResolution {
    const models = this.models();
    if (!this.resolver_) this.resolver_ = new ModelResolver(models, this.paths(), (uri) => this.importsOf(uri), (uri, offset) => this.paramsAt(uri, offset));
    return this.resolver_.resolve(name, at);
  }

  /** The parameter names of the innermost function around `offset` in a file (from its parse tree). */
  private paramsAt(uri: string, offset: number): string[] {
    const tree = this.files.get(uri)?.doc.tree;
    if (!tree) return [];
    for (let n = tree.rootNode.descendantForIndex(offset); n; n = n.parent) {
      if (n.type !== 'function_definition') continue;
      const out: string[] = [];
      for (const p of n.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!p) continue;
        const id = p.type === 'identifier' ? p : p.namedChildren.find((c) => c?.type === 'identifier');
        if (id) out.push(id.text);
      }
      return out;
    }
    return [];
  }

  /** Shorthand for resolveModel(...).model at module level of `fromUri`. */
  model(name: string, fromUri?: string): ModelInfo | undefined {
    return this.resolveModel(name, { uri: fromUri ?? '', offset: 0 }).model;
  }

  /** True when this class (a fact of `uri`) is a DataFlow model (decorated, or registered with an instance). */
  isModel(cls: ClassFact, uri: string): boolean {
    return !!this.models().get(cls.name)?.some((m) => m.cls === cls && m.uri === uri);
  }

  instances(): Array<{ uri: string; fact: DataFlowInstanceFact }> {
    const out: Array<{ uri: string; fact: DataFlowInstanceFact }> = [];
    for (const f of this.files.values()) for (const fact of f.facts.instances) out.push({ uri: f.uri, fact });
    return out;
  }

  // Non-Python project files (dependency declarations, deployment settings) the configuration
  // rules read, by file URI. Kept apart from the Python files: they have no facts.
  private projectFiles_ = new Map<string, ProjectTextFile>();
  private projectFingerprint_ = 0;
  private projectByDir_ = new Map<ProjectFileKind, Map<string, ProjectTextFile[]>>();
  private projectByDirKey_ = new Map<ProjectFileKind, string>();

  setProjectFile(f: ProjectTextFile): void {
    const old = this.projectFiles_.get(f.uri);
    if (old && old.text === f.text) return;
    this.projectFiles_.set(f.uri, f);
    this.projectFingerprint_++;
    this.generation++;
  }

  deleteProjectFile(uri: string): boolean {
    if (!this.projectFiles_.delete(uri)) return false;
    this.projectFingerprint_++;
    this.generation++;
    return true;
  }

  projectFile(uri: string): ProjectTextFile | undefined { return this.projectFiles_.get(uri); }
  projectFiles(): IterableIterator<ProjectTextFile> { return this.projectFiles_.values(); }
  /** Changes whenever a project file is added, changed or removed (part of the findings cache key). */
  get projectFilesVersion(): number { return this.projectFingerprint_; }

  /**
   * The project files of `kind` that apply to the file at `uri`: those in its own directory or,
   * when there are none, in the nearest ancestor directory that has some.
   */
  nearestProjectFiles(uri: string, kind: ProjectFileKind): ProjectTextFile[] {
    if (!this.projectFiles_.size) return [];
    let dir = uri.slice(0, uri.lastIndexOf('/'));
    const key = `${kind}:${this.projectFingerprint_}`;
    let byDir = this.projectByDir_.get(kind);
    if (!byDir || this.projectByDirKey_.get(kind) !== key) {
      byDir = new Map<string, ProjectTextFile[]>();
      for (const f of this.projectFiles_.values()) {
        if (f.kind !== kind) continue;
        const d = f.uri.slice(0, f.uri.lastIndexOf('/'));
        let list = byDir.get(d);
        if (!list) byDir.set(d, (list = []));
        list.push(f);
      }
      for (const list of byDir.values()) list.sort((a, b) => a.uri.localeCompare(b.uri));
      this.projectByDir_.set(kind, byDir);
      this.projectByDirKey_.set(kind, key);
    }
    while (dir.includes('/')) {
      const hit = byDir.get(dir);
      if (hit) return hit;
      const up = dir.slice(0, dir.lastIndexOf('/'));
      if (up === dir || up.endsWith(':/') || up.endsWith(':')) break;
      dir = up;
    }
    return [];
  }
}

/** A non-Python project file's text (`pyproject.toml`, `Dockerfile`, ...). */
export interface ProjectTextFile {
  uri: string;
  /** The file name (`requirements-prod.txt`). */
  name: string;
  kind: ProjectFileKind;
  text: string;
}
