/**
 * What the evaluated code may touch on disk: reads inside the project root (and the run's scratch
 * folder); writes inside the run's scratch folder, which is created on first use and removed when
 * the run ends. Writes to files of the project (a log, a report, a JSON export) go to an overlay in
 * the scratch folder instead, copy-on-write: the run reads back what it wrote, sees what it removed
 * as gone, and the project's own files are never changed (the run's notes list what it wrote).
 * Relative paths resolve against the project root (the run's working directory).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function inside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The real path of `p` (links resolved), or of its nearest existing ancestor joined with the rest; undefined if nothing exists. */
function existingRealPath(p: string): string | undefined {
  let dir = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(dir), ...rest.reverse());
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      rest.push(path.basename(dir));
      dir = up;
    }
  }
}

const realCache = new Map<string, string>();
function realOf(dir: string): string {
  let r = realCache.get(dir);
  if (r === undefined) {
    r = existingRealPath(dir) ?? dir;
    realCache.set(dir, r);
  }
  return r;
}

export class FileAccess {
  readonly root: string;
  private scratchDir: string | undefined;
  private disposed = false;
  private readonly readOnly: string[] = [];
  constructor(root: string, private readonly scratchParent: string = os.tmpdir()) {
    this.root = path.resolve(root);
  }
  /** Lets the code read (never write) a folder outside the project root: a library whose own source the run evaluates reads its data files. */
  allowReading(dir: string): void {
    this.readOnly.push(path.resolve(dir));
  }
  /** The run's scratch folder (created on first use). */
  scratch(): string {
    if (this.disposed) throw new Error('the run is over: its scratch folder is gone');
    if (!this.scratchDir) this.scratchDir = fs.mkdtempSync(path.join(this.scratchParent, 'dataflow-run-scratch-'));
    return this.scratchDir;
  }
  /** Whether the scratch folder exists (it is only created when the code asks for one). */
  get scratchCreated(): string | undefined {
    return this.scratchDir;
  }
  /** The absolute form of `p` (relative to the project root). */
  resolve(p: string): string {
    return path.resolve(this.root, p);
  }
  canRead(p: string): boolean {
    const a = this.resolve(p);
    const allowed = (x: string, real = false) =>
      inside(x, real ? realOf(this.root) : this.root) ||
      (this.scratchDir !== undefined && inside(x, real ? realOf(this.scratchDir) : this.scratchDir)) ||
      this.readOnly.some((d) => inside(x, real ? realOf(d) : d));
    if (!allowed(a)) return false;
    // A link inside the project to a file outside it (/etc/passwd, /dev/urandom) is outside it.
    const real = existingRealPath(a);
    return real === undefined || allowed(real, true);
  }
  /** Whether `p` names a path of the project (or its scratch folder), before links are followed. */
  inProject(p: string): boolean {
    const a = this.resolve(p);
    return (inside(a, this.root) && a !== this.root) || this.inScratch(a);
  }

  /** Whether `p` is inside the run's scratch folder (where tempfile-made paths and the overlay live). */
  canWrite(p: string): boolean {
    const a = this.resolve(p);
    return this.scratchDir !== undefined && inside(a, this.scratchDir) && a !== this.scratchDir;
  }

  /** Project paths the run removed (hidden from it; the files themselves are untouched). */
  private readonly hidden = new Set<string>();
  /** Project paths the run wrote (held in the overlay), relative to the root, in order. */
  private readonly written = new Set<string>();

  private inScratch(a: string): boolean {
    return this.scratchDir !== undefined && inside(a, this.scratchDir);
  }
  private overlayOf(a: string): string {
    return path.join(this.scratch(), 'project', path.relative(this.root, a));
  }
  private isHidden(a: string): boolean {
    for (let p = a; inside(p, this.root); p = path.dirname(p)) {
      if (this.hidden.has(p)) return true;
      if (p === this.root) break;
    }
    return false;
  }
  /** True when the run sees something at `a` (a project path: its overlay copy, or the project's own unless removed). */
  private seen(a: string): boolean {
    if (this.scratchDir && inside(a, this.root) && !this.inScratch(a) && fs.existsSync(this.overlayOf(a))) return true;
    return !this.isHidden(a) && fs.existsSync(a);
  }

  /**
   * The file on disk holding what the run sees at `p`, to read or stat: a scratch path itself; for a
   * project path, the run's own copy when it wrote one, else the project's file (a path that does not
   * exist when the run removed it). Undefined where the run may not read.
   */
  diskForRead(p: string): string | undefined {
    const a = this.resolve(p);
    if (this.inScratch(a)) return a;
    if (!inside(a, this.root)) return this.readOnly.some((d) => inside(a, d)) ? a : undefined;
    if (this.scratchDir) {
      const o = this.overlayOf(a);
      if (fs.existsSync(o)) return o;
      if (this.isHidden(a)) return o;
    }
    return this.canRead(a) ? a : undefined;
  }

  /**
   * The file on disk the run writes for `p`: a scratch path itself; for a project path, its copy in
   * the overlay (parent folders made; with `keep`, the project's file copied first, for appends).
   * Undefined where the run may not write.
   */
  diskForWrite(p: string, keep = false): string | undefined {
    const a = this.resolve(p);
    if (this.inScratch(a)) return a === this.scratchDir ? undefined : a;
    if (!inside(a, this.root) || a === this.root) return undefined;
    const o = this.overlayOf(a);
    // Appending to a link that leaves the project would need the outside file's content: refused.
    if (keep && !fs.existsSync(o) && !this.isHidden(a) && fs.existsSync(a) && !this.canRead(a)) return undefined;
    fs.mkdirSync(path.dirname(o), { recursive: true });
    if (keep && !fs.existsSync(o) && !this.isHidden(a) && fs.existsSync(a) && fs.statSync(a).isFile()) fs.copyFileSync(a, o);
    this.hidden.delete(a);
    this.written.add(path.relative(this.root, a));
    return o;
  }

  /** Whether the run sees a file or folder at `p`. */
  exists(p: string): boolean {
    const a = this.resolve(p);
    if (this.inScratch(a)) return fs.existsSync(a);
    if (!inside(a, this.root)) return this.readOnly.some((d) => inside(a, d)) && fs.existsSync(a);
    return this.seen(a);
  }

  /**
   * Removes what the run sees at `p` (a file, or an empty folder with `dir`): scratch files are
   * deleted; a project path is hidden from the rest of the run and its overlay copy deleted, the
   * project's own file is left as it is. Throws ENOENT like fs when nothing is there.
   */
  remove(p: string, dir = false): void {
    const a = this.resolve(p);
    if (this.inScratch(a)) {
      if (dir) fs.rmdirSync(a);
      else fs.unlinkSync(a);
      return;
    }
    if (!this.seen(a)) throw Object.assign(new Error(`ENOENT: no such file or directory, '${a}'`), { code: 'ENOENT' });
    const o = this.scratchDir ? this.overlayOf(a) : undefined;
    if (o && fs.existsSync(o)) {
      if (dir) fs.rmdirSync(o);
      else fs.unlinkSync(o);
    }
    if (fs.existsSync(a)) this.hidden.add(a);
    this.written.delete(path.relative(this.root, a));
  }

  /** The names in folder `p` as the run sees it (its overlay's added, removed ones left out), sorted; undefined when there is no such folder. */
  list(p: string): string[] | undefined {
    const a = this.resolve(p);
    if (this.inScratch(a) || (!inside(a, this.root) && this.readOnly.some((d) => inside(a, d)))) return fs.existsSync(a) && fs.statSync(a).isDirectory() ? fs.readdirSync(a).sort() : undefined;
    if (!this.seen(a)) return undefined;
    const names = new Set<string>();
    if (!this.isHidden(a) && fs.existsSync(a) && fs.statSync(a).isDirectory()) {
      for (const n of fs.readdirSync(a)) if (!this.hidden.has(path.join(a, n))) names.add(n);
    }
    const o = this.scratchDir ? this.overlayOf(a) : undefined;
    if (o && fs.existsSync(o) && fs.statSync(o).isDirectory()) for (const n of fs.readdirSync(o)) names.add(n);
    return [...names].sort();
  }

  /** The project files the run wrote (relative to the project root): their content stayed in the scratch folder. */
  projectWrites(): string[] {
    return [...this.written];
  }
  /** Removes the scratch folder and everything the run wrote. */
  dispose(): void {
    this.disposed = true;
    if (this.scratchDir) fs.rmSync(this.scratchDir, { recursive: true, force: true });
  }
}
