/**
 * pathlib: Path / PurePath (POSIX). Pure operations are exact; file-system reads are allowed only
 * inside the project root (or the run's scratch folder), writes only inside the run's scratch
 * folder. Relative paths resolve against the project root (the run's working directory).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kwargs, PyBytes, PyList, PyTuple, PyValue, SourceLocation, pyErr } from '../values';
import { str } from '../protocols/text';
import { truthy } from '../protocols/equality';
import { unsupported } from '../runtime';
import { HostContext, HostObject, hostClass, hostFunction } from '../host';
import { StdlibContext, kwOf, partialModule } from './kit';
import type { FileAccess } from '../fileAccess';

const posix = path.posix;

function oserror(type: string, code: string, msg: string, p: string) {
  return pyErr(type, `[Errno ${code === 'ENOENT' ? 2 : code === 'EEXIST' ? 17 : code === 'ENOTDIR' ? 20 : code === 'EISDIR' ? 21 : 13}] ${msg}: '${p}'`);
}

function fsError(e: unknown, p: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return oserror('FileNotFoundError', code, 'No such file or directory', p);
  if (code === 'EEXIST') return oserror('FileExistsError', code, 'File exists', p);
  if (code === 'ENOTDIR') return oserror('NotADirectoryError', code, 'Not a directory', p);
  if (code === 'EISDIR') return oserror('IsADirectoryError', code, 'Is a directory', p);
  if (code === 'ENOTEMPTY') return oserror('OSError', code, 'Directory not empty', p);
  return e;
}

/** Glob pattern (one path segment, or ** for any depth) to a RegExp over POSIX relative paths. */
function globRegex(pattern: string): RegExp {
  let re = '';
  const segs = pattern.split('/');
  segs.forEach((seg, i) => {
    if (seg === '**') {
      re += i === segs.length - 1 ? '.*' : '(?:.*/)?';
      return;
    }
    re += seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\[!/g, '[^');
    if (i < segs.length - 1) re += '/';
  });
  return new RegExp(`^${re}$`);
}

export function pathlibModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const files = (what: string, loc: SourceLocation | undefined) => {
    if (!ctx.files) throw unsupported(`${what} (file system access)`, loc, 'this evaluation has no project folder');
    return ctx.files;
  };

  class PathObj extends HostObject {
    constructor(
      readonly p: string,
      readonly pure = false,
    ) {
      super();
    }
    override get typeName(): string {
      return this.pure ? 'PurePosixPath' : 'PosixPath';
    }
    make(p: string): PathObj {
      return new PathObj(p, this.pure);
    }
    get name(): string {
      return this.p === '/' ? '' : posix.basename(this.p);
    }
    get suffix(): string {
      const n = this.name;
      const i = n.lastIndexOf('.');
      return i > 0 && i < n.length - 1 ? n.slice(i) : '';
    }
    get parentPath(): string {
      if (this.p === '/' || this.p === '.') return this.p;
      const d = posix.dirname(this.p);
      return d;
    }
    abs(): string {
      return files('Path.resolve()', undefined).resolve(this.p);
    }
    readable(what: string, loc: SourceLocation | undefined): string {
      if (this.pure) throw pyErr('AttributeError', `'${this.typeName}' object has no attribute '${what}'`);
      const f = files(`Path.${what}()`, loc);
      const a = f.resolve(this.p);
      const disk = f.canRead(a) ? f.diskForRead(a) : undefined;
      if (disk === undefined) throw unsupported(`Path.${what}() outside the project root`, loc, `${a} is outside ${f.root}`);
      return disk;
    }
    /** The file access and this path's absolute form, for operations on what the run sees (fileAccess.ts's overlay). */
    view(what: string, loc: SourceLocation | undefined): { f: FileAccess; abs: string } {
      if (this.pure) throw pyErr('AttributeError', `'${this.typeName}' object has no attribute '${what}'`);
      const f = files(`Path.${what}()`, loc);
      const abs = f.resolve(this.p);
      if (!f.canRead(abs)) throw unsupported(`Path.${what}() outside the project root`, loc, `${abs} is outside ${f.root}`);
      return { f, abs };
    }
    writable(what: string, loc: SourceLocation | undefined): string {
      if (this.pure) throw pyErr('AttributeError', `'${this.typeName}' object has no attribute '${what}'`);
      const f = files(`Path.${what}()`, loc);
      const a = f.resolve(this.p);
      const disk = f.diskForWrite(a);
      if (disk === undefined) throw unsupported(`Path.${what}() outside the project and the run's scratch folder`, loc, `${a} is outside ${f.root}`);
      return disk;
    }
    override repr(): string {
      return `${this.typeName}('${this.p}')`;
    }
    override str(): string {
      return this.p;
    }
    override toPlain(): unknown {
      return this.p;
    }
    override equals(other: PyValue): boolean {
      return other instanceof PathObj && other.p === this.p;
    }
    override hashKey(): unknown {
      return `path:${this.p}`;
    }
    override compare(other: PyValue): number | undefined {
      return other instanceof PathObj ? (this.p < other.p ? -1 : this.p > other.p ? 1 : 0) : undefined;
    }
    override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
      if (op !== '/') return undefined;
      const o = other instanceof PathObj ? other.p : typeof other === 'string' ? other : undefined;
      if (o === undefined) return undefined;
      return this.make(reflected ? joinPaths(o, this.p) : joinPaths(this.p, o));
    }
    override format(spec: string): string | undefined {
      return spec === '' ? this.p : undefined;
    }
    override getAttr(name: string, hc: HostContext): PyValue | undefined {
      const loc = hc.loc;
      const m = (f: (a: PyValue[], k: Kwargs) => PyValue) => hostFunction(name, (a, k) => f(a, k));
      switch (name) {
        case 'name':
          return this.name;
        case 'suffix':
          return this.suffix;
        case 'suffixes': {
          const n = this.name.replace(/^\.+/, '');
          const parts = n.split('.').slice(1);
          return new PyList(n.endsWith('.') ? [] : parts.map((x) => '.' + x));
        }
        case 'stem': {
          const s = this.suffix;
          return s ? this.name.slice(0, -s.length) : this.name;
        }
        case 'parent':
          return this.make(this.parentPath);
        case 'parents': {
          const out: PyValue[] = [];
          let cur: string = this.p;
          for (;;) {
            const up = cur === '/' || cur === '.' ? cur : posix.dirname(cur);
            if (up === cur) break;
            out.push(this.make(up));
            cur = up;
          }
          return new PyTuple(out);
        }
        case 'parts':
          return new PyTuple(this.p === '.' ? [] : this.p.startsWith('/') ? ['/', ...this.p.split('/').filter((x) => x)] : this.p.split('/').filter((x) => x));
        case 'anchor':
        case 'root':
          return this.p.startsWith('/') ? '/' : '';
        case 'drive':
          return '';
        case 'as_posix':
        case '__fspath__':
          return m(() => this.p);
        case 'is_absolute':
          return m(() => this.p.startsWith('/'));
        case 'joinpath':
          return m((a) => this.make(a.reduce((acc: string, x) => joinPaths(acc, x instanceof PathObj ? x.p : str(interp, x)), this.p)));
        case 'with_name':
          return m((a) => this.make(joinPaths(this.parentPath, str(interp, a[0]))));
        case 'with_stem':
          return m((a) => this.make(joinPaths(this.parentPath, str(interp, a[0]) + this.suffix)));
        case 'with_suffix':
          return m((a) => {
            const s = this.suffix;
            const stem = s ? this.name.slice(0, -s.length) : this.name;
            return this.make(joinPaths(this.parentPath, stem + str(interp, a[0])));
          });
        case 'relative_to':
          return m((a) => {
            const other = a[0] instanceof PathObj ? a[0].p : str(interp, a[0]);
            const rel = posix.relative(other, this.p);
            if (rel.startsWith('..') || posix.isAbsolute(rel) || this.p.startsWith('/') !== other.startsWith('/'))
              throw pyErr('ValueError', `'${this.p}' is not in the subpath of '${other}'`);
            return this.make(rel || '.');
          });
        case 'is_relative_to':
          return m((a) => {
            const other = a[0] instanceof PathObj ? a[0].p : str(interp, a[0]);
            const rel = posix.relative(other, this.p);
            return !rel.startsWith('..') && !posix.isAbsolute(rel) && this.p.startsWith('/') === other.startsWith('/');
          });
        case 'match':
          return m((a) => {
            const pat = str(interp, a[0]);
            const segs = pat.split('/').length;
            const tail = this.p.split('/').slice(-segs).join('/');
            return globRegex(pat).test(pat.startsWith('/') ? this.p : tail);
          });
      }
      if (this.pure) return undefined;
      switch (name) {
        case 'resolve':
        case 'absolute':
          return m(() => this.make(files(`Path.${name}()`, loc).resolve(this.p)));
        case 'exists':
          return m(() => fs.existsSync(this.readable(name, loc)));
        case 'is_file':
          return m(() => {
            const a = this.readable(name, loc);
            return fs.existsSync(a) && fs.statSync(a).isFile();
          });
        case 'is_dir':
          return m(() => {
            const a = this.readable(name, loc);
            return fs.existsSync(a) && fs.statSync(a).isDirectory();
          });
        case 'read_text':
          return m(() => {
            const a = this.readable(name, loc);
            try {
              return fs.readFileSync(a, 'utf8');
            } catch (e) {
              throw fsError(e, this.p);
            }
          });
        case 'read_bytes':
          return m(() => {
            const a = this.readable(name, loc);
            try {
              return new PyBytes(new Uint8Array(fs.readFileSync(a)));
            } catch (e) {
              throw fsError(e, this.p);
            }
          });
        case 'write_text':
          return m((a) => {
            const t = str(interp, a[0]);
            try {
              fs.writeFileSync(this.writable(name, loc), t, 'utf8');
            } catch (e) {
              throw fsError(e, this.p);
            }
            return t.length;
          });
        case 'write_bytes':
          return m((a) => {
            const b = a[0];
            if (!(b instanceof PyBytes)) throw pyErr('TypeError', `memoryview: a bytes-like object is required, not '${interp.typeName(b)}'`);
            try {
              fs.writeFileSync(this.writable(name, loc), b.data);
            } catch (e) {
              throw fsError(e, this.p);
            }
            return b.data.length;
          });
        case 'mkdir':
          return m((a, k) => {
            const { f, abs } = this.view(name, loc);
            const parents = truthy(interp, a[1] ?? kwOf(k, 'parents') ?? false);
            const existOk = truthy(interp, a[2] ?? kwOf(k, 'exist_ok') ?? false);
            if (f.exists(abs)) {
              if (existOk && fs.statSync(f.diskForRead(abs)!).isDirectory()) return null;
              throw oserror('FileExistsError', 'EEXIST', 'File exists', this.p);
            }
            if (!parents && !f.exists(path.dirname(abs))) throw oserror('FileNotFoundError', 'ENOENT', 'No such file or directory', this.p);
            const target = this.writable(name, loc);
            try {
              fs.mkdirSync(target, { recursive: true });
            } catch (e) {
              throw fsError(e, this.p);
            }
            return null;
          });
        case 'touch':
          return m((_a, k) => {
            const { f, abs } = this.view(name, loc);
            if (f.exists(abs)) {
              if (!truthy(interp, kwOf(k, 'exist_ok') ?? true)) throw oserror('FileExistsError', 'EEXIST', 'File exists', this.p);
              return null;
            }
            const target = this.writable(name, loc);
            try {
              fs.writeFileSync(target, '');
            } catch (e) {
              throw fsError(e, this.p);
            }
            return null;
          });
        case 'unlink':
          return m((a, k) => {
            const { f, abs } = this.view(name, loc);
            if (!f.exists(abs)) {
              if (truthy(interp, a[0] ?? kwOf(k, 'missing_ok') ?? false)) return null;
              throw oserror('FileNotFoundError', 'ENOENT', 'No such file or directory', this.p);
            }
            try {
              f.remove(abs);
            } catch (e) {
              throw fsError(e, this.p);
            }
            return null;
          });
        case 'rmdir':
          return m(() => {
            const { f, abs } = this.view(name, loc);
            try {
              f.remove(abs, true);
            } catch (e) {
              throw fsError(e, this.p);
            }
            return null;
          });
        case 'iterdir':
          return m(() => {
            const { f, abs } = this.view(name, loc);
            const names = f.list(abs);
            if (names === undefined) throw oserror('FileNotFoundError', 'ENOENT', 'No such file or directory', this.p);
            return new PyList(names.map((n) => this.make(joinPaths(this.p, n))));
          });
        case 'glob':
        case 'rglob':
          return m((a) => {
            const { f, abs: base } = this.view(name, loc);
            const pat = (name === 'rglob' ? '**/' : '') + str(interp, a[0]);
            const re = globRegex(pat);
            const out: PyValue[] = [];
            const isDir = (p: string): boolean => {
              try {
                return fs.statSync(f.diskForRead(p)!).isDirectory();
              } catch {
                return false;
              }
            };
            const walk = (dir: string, rel: string) => {
              for (const n of (f.list(dir) ?? []).sort((x, y) => x.localeCompare(y))) {
                const r = rel ? `${rel}/${n}` : n;
                const child = path.join(dir, n);
                if (re.test(r)) out.push(this.make(joinPaths(this.p, r)));
                if (isDir(child) && (pat.includes('**') || r.split('/').length < pat.split('/').length)) walk(child, r);
              }
            };
            walk(base, '');
            return new PyList(out);
          });
        case 'stat':
          return m(() => {
            const a = this.readable(name, loc);
            let st: fs.Stats;
            try {
              st = fs.statSync(a);
            } catch (e) {
              throw fsError(e, this.p);
            }
            return interp.fromPlain({ st_size: st.size, st_mode: st.mode, st_mtime: st.mtimeMs / 1000 });
          });
        case 'expanduser':
          return m(() => {
            if (this.p.startsWith('~')) throw unsupported('Path.expanduser() (the home folder)', loc);
            return this;
          });
        case 'open':
          throw unsupported('Path.open() (file handles)', loc, 'use read_text / write_text');
      }
      return undefined;
    }
  }

  const construct = (pure: boolean) => (a: PyValue[]) => {
    let p = '';
    for (const x of a) p = joinPaths(p, x instanceof PathObj ? x.p : str(interp, x));
    return new PathObj(normalise(p), pure);
  };
  const isPath = (v: PyValue) => v instanceof PathObj;
  const Path = hostClass('Path', construct(false), {
    module: 'pathlib',
    isInstance: (v) => v instanceof PathObj && !v.pure,
    attrs: {
      cwd: hostFunction('cwd', (_a, _k, c) => new PathObj(files('Path.cwd()', c.loc).root)),
      home: hostFunction('home', (_a, _k, c) => {
        throw unsupported('Path.home() (the home folder)', c.loc);
      }),
    },
  });
  const PurePath = hostClass('PurePath', construct(true), { module: 'pathlib', isInstance: isPath });
  return partialModule('pathlib', {
    Path,
    PosixPath: Path,
    PurePath,
    PurePosixPath: PurePath,
  });
}

function normalise(p: string): string {
  if (p === '') return '.';
  let n = p.replace(/\/+/g, '/');
  n = n
    .split('/')
    .filter((seg, i) => seg !== '.' || i === 0)
    .join('/');
  if (n.length > 1 && n.endsWith('/')) n = n.slice(0, -1);
  if (n.startsWith('./') && n.length > 2) n = n.slice(2);
  return n || '.';
}

function joinPaths(a: string, b: string): string {
  if (b.startsWith('/')) return normalise(b);
  if (a === '' || a === '.') return normalise(b);
  return normalise(`${a}/${b}`);
}
