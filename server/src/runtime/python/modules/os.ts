/** os: os.environ (a view of the run's environment map, never the real process env), os.path and os's file operations on what the run sees. */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import {
  PyBytes,
  PyDict,
  PyException,
  PyList,
  PyModule,
  PyTuple,
  PyValue,
  SourceLocation,
  UnsupportedPythonError,
  builtinExceptionClasses,
  makeException,
  pyErr,
} from '../values';
import { getItem } from '../protocols/subscripts';
import { str } from '../protocols/text';
import { truthy } from '../protocols/equality';
import { unsupported } from '../runtime';
import { contains } from '../protocols/operators';
import { HostObject } from '../host';
import { numCompare } from '../numeric';
import { sortValues } from '../builtins';
import { DictView } from '../builtins/dictView';
import { toFloat, toInt } from '../builtins/types';
import type { FileAccess } from '../fileAccess';
import type { StdlibContext } from './kit';
import { fn, argOf, mod } from './kit';

/**
 * os's file operations on what the run sees: reads (listdir) inside the project root; writes
 * (remove, makedirs, ...) in the run's scratch folder, project paths through its overlay (fileAccess.ts).
 */
export function osFiles(ctx: StdlibContext): Record<string, PyValue> {
  const { interp } = ctx;
  const target = (name: string, p: PyValue, loc: SourceLocation | undefined): { files: FileAccess; abs: string } => {
    const files = ctx.files;
    if (!files) throw unsupported(`os.${name}() (file system access)`, loc, 'this evaluation has no project folder');
    const abs = files.resolve(str(interp, p));
    if (!files.canRead(abs)) throw unsupported(`os.${name}() outside the project root and the run's scratch folder`, loc, abs);
    return { files, abs };
  };
  const missing = (p: PyValue) => pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${str(interp, p)}'`);
  const fsCall = <T>(p: PyValue, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${str(interp, p)}'`);
      if (code === 'EEXIST') throw pyErr('FileExistsError', `[Errno 17] File exists: '${str(interp, p)}'`);
      throw pyErr('OSError', (e as Error).message);
    }
  };
  const remove = (name: string, dir: boolean) =>
    fn(name, (a, _k, c) => {
      const { files, abs } = target(name, a[0], c.loc);
      return fsCall(a[0], () => (files.remove(abs, dir), null));
    });
  const makeDir = (name: string, parents: boolean) =>
    fn(name, (a, k, c) => {
      const { files, abs } = target(name, a[0], c.loc);
      if (files.exists(abs)) {
        if (parents && truthy(interp, argOf(a, k, 2, 'exist_ok') ?? false) && fs.statSync(files.diskForRead(abs)!).isDirectory()) return null;
        throw pyErr('FileExistsError', `[Errno 17] File exists: '${str(interp, a[0])}'`);
      }
      if (!parents && !files.exists(nodePath.dirname(abs))) throw missing(a[0]);
      const disk = files.diskForWrite(abs);
      if (disk === undefined) throw unsupported(`os.${name}() of the run's scratch folder itself`, c.loc, abs);
      return fsCall(a[0], () => (fs.mkdirSync(disk, { recursive: true }), null));
    });
  return {
    remove: remove('remove', false),
    unlink: remove('unlink', false),
    rmdir: remove('rmdir', true),
    makedirs: makeDir('makedirs', true),
    mkdir: makeDir('mkdir', false),
    listdir: fn('listdir', (a, _k, c) => {
      const { files, abs } = target('listdir', a[0] ?? '.', c.loc);
      const names = files.list(abs);
      if (names === undefined) throw missing(a[0] ?? '.');
      return new PyList(names);
    }),
    fspath: fn('fspath', (a) => (typeof a[0] === 'string' || a[0] instanceof PyBytes ? a[0] : str(interp, a[0]))),
    // Descriptors come only from tempfile.mkstemp (a token): closing one is all the evaluator models.
    close: fn('close', () => null),
  };
}

export function osPath(ctx: StdlibContext): PyModule {
  const { interp } = ctx;
  const text = (v: PyValue) => str(interp, v);
  const join = fn('join', (a) => {
    let out = '';
    for (const p of a.map(text)) {
      if (p.startsWith('/')) out = p;
      else out = out === '' || out.endsWith('/') ? out + p : out + '/' + p;
    }
    return out;
  });
  /** A path the run may read (inside the project root or its scratch folder); elsewhere the check is not modelled. */
  const readable = (name: string, p: PyValue, loc: SourceLocation | undefined): string => {
    const files = ctx.files;
    if (!files) throw unsupported(`os.path.${name}() (file system access)`, loc, 'this evaluation has no project folder');
    const abs = files.resolve(text(p));
    const disk = files.canRead(abs) ? files.diskForRead(abs) : undefined;
    if (disk === undefined) throw unsupported(`os.path.${name}() outside the project root`, loc, `${abs} is outside ${files.root}`);
    return disk;
  };
  const stat = (name: string, p: PyValue, loc: SourceLocation | undefined) => {
    try {
      return fs.statSync(readable(name, p, loc));
    } catch (e) {
      if (e instanceof UnsupportedPythonError) throw e;
      return undefined;
    }
  };
  return mod('os.path', {
    join,
    basename: fn('basename', (a) => text(a[0]).split('/').pop() ?? ''),
    dirname: fn('dirname', (a) => {
      const s = text(a[0]);
      const i = s.lastIndexOf('/');
      return i < 0 ? '' : i === 0 ? '/' : s.slice(0, i);
    }),
    splitext: fn('splitext', (a) => {
      const s = text(a[0]);
      const i = s.lastIndexOf('.');
      const slash = s.lastIndexOf('/');
      return i > slash + 1 ? new PyTuple([s.slice(0, i), s.slice(i)]) : new PyTuple([s, '']);
    }),
    abspath: fn('abspath', (a) => (ctx.files ? ctx.files.resolve(text(a[0])) : text(a[0]))),
    isabs: fn('isabs', (a) => text(a[0]).startsWith('/')),
    relpath: fn('relpath', (a) => nodePath.posix.relative(ctx.files ? ctx.files.resolve(text(a[1] ?? '.')) : text(a[1] ?? '.'), ctx.files ? ctx.files.resolve(text(a[0])) : text(a[0])) || '.'),
    expanduser: fn('expanduser', (a, _k, c) => {
      if (text(a[0]).startsWith('~')) throw unsupported('os.path.expanduser() (the home folder)', c.loc);
      return text(a[0]);
    }),
    normpath: fn('normpath', (a) => nodePath.posix.normalize(text(a[0])).replace(/(.)\/$/, '$1')),
    exists: fn('exists', (a, _k, c) => stat('exists', a[0], c.loc) !== undefined),
    isfile: fn('isfile', (a, _k, c) => stat('isfile', a[0], c.loc)?.isFile() ?? false),
    isdir: fn('isdir', (a, _k, c) => stat('isdir', a[0], c.loc)?.isDirectory() ?? false),
    getsize: fn('getsize', (a, _k, c) => {
      const st = stat('getsize', a[0], c.loc);
      if (!st) throw pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${text(a[0])}'`);
      return st.size;
    }),
    sep: '/',
  });
}

export { contains, sortValues, toFloat, toInt, DictView, getItem, numCompare };
export class Environ extends HostObject {
  constructor(readonly env: Record<string, string>) {
    super();
  }
  override get typeName(): string {
    return '_Environ';
  }
  get(k: PyValue): string | undefined {
    return typeof k === 'string' && Object.prototype.hasOwnProperty.call(this.env, k) ? this.env[k] : undefined;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'get':
        return fn('get', (a) => this.get(a[0]) ?? a[1] ?? null);
      case 'keys':
        return fn('keys', () => new PyList(Object.keys(this.env)));
      case 'items':
        return fn('items', () => new PyList(Object.entries(this.env).map(([k, v]) => new PyTuple([k, v]))));
      case 'values':
        return fn('values', () => new PyList(Object.values(this.env)));
      case 'setdefault':
        return fn('setdefault', (a) => {
          const k = String(a[0]);
          if (this.get(k) === undefined) this.env[k] = String(a[1] ?? '');
          return this.env[k];
        });
      case 'pop':
        return fn('pop', (a) => {
          const v = this.get(a[0]);
          if (v === undefined) {
            if (a.length > 1) return a[1];
            throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
          }
          delete this.env[String(a[0])];
          return v;
        });
      case 'copy':
        return fn('copy', () => PyDict.fromEntries(Object.entries(this.env)));
    }
    return undefined;
  }
  override getItem(k: PyValue): PyValue {
    const v = this.get(k);
    if (v === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [k]));
    return v;
  }
  override setItem(k: PyValue, v: PyValue): void {
    if (typeof k !== 'string' || typeof v !== 'string') throw pyErr('TypeError', 'str expected');
    this.env[k] = v;
  }
  override delItem(k: PyValue): void {
    if (this.get(k) === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [k]));
    delete this.env[String(k)];
  }
  override contains(k: PyValue): boolean {
    return this.get(k) !== undefined;
  }
  override iter(): Iterable<PyValue> {
    return Object.keys(this.env);
  }
  override len(): number {
    return Object.keys(this.env).length;
  }
  override repr(): string {
    return `environ(${JSON.stringify(this.env)})`;
  }
}
