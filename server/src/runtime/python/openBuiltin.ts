/**
 * The builtin open(): text and binary files through the run's FileAccess (reads inside the project
 * root or the run's scratch folder, writes only inside the scratch folder). Modes r/w/a/x with
 * optional b or t; UTF-8 text with universal newlines on read. Anything else (`+` modes, other
 * encodings, file descriptors, seek...) is "not modelled" (exit 2), never a fake result.
 */
import * as fs from 'node:fs';
import { Kwargs, PyBuiltin, PyBytes, PyList, PyValue, SourceLocation, pyErr } from './values';
import { str } from './protocols/text';
import { toArray } from './protocols/iteration';
import { unsupported, type Interp } from './runtime';
import { HostContext, HostObject, hostFunction } from './host';
import type { FileAccess } from './fileAccess';

function osError(e: unknown, shown: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${shown}'`);
  if (code === 'EEXIST') return pyErr('FileExistsError', `[Errno 17] File exists: '${shown}'`);
  if (code === 'EISDIR') return pyErr('IsADirectoryError', `[Errno 21] Is a directory: '${shown}'`);
  if (code === 'ENOTDIR') return pyErr('NotADirectoryError', `[Errno 20] Not a directory: '${shown}'`);
  if (code === 'EACCES') return pyErr('PermissionError', `[Errno 13] Permission denied: '${shown}'`);
  return e;
}

class PyFile extends HostObject {
  closed = false;
  /** Read modes: the whole content (text: newline-translated string; binary: bytes) and a cursor. */
  private text = '';
  private data: Uint8Array = new Uint8Array();
  private pos = 0;
  constructor(
    private readonly interp: Interp,
    readonly name: PyValue,
    readonly mode: string,
    private readonly abs: string,
    private readonly reading: boolean,
    private readonly binary: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return this.binary ? (this.reading ? 'BufferedReader' : 'BufferedWriter') : 'TextIOWrapper';
  }
  load(): void {
    const buf = fs.readFileSync(this.abs);
    if (this.binary) this.data = new Uint8Array(buf);
    else this.text = buf.toString('utf8').replace(/\r\n?/g, '\n');
  }
  private open(what: string): void {
    if (this.closed) throw pyErr('ValueError', 'I/O operation on closed file.');
    if (what === 'read' ? !this.reading : this.reading) throw pyErr('UnsupportedOperation', `not ${what === 'read' ? 'readable' : 'writable'}`);
  }
  private readN(n: number): PyValue {
    if (this.binary) {
      const end = n < 0 ? this.data.length : Math.min(this.data.length, this.pos + n);
      const out = this.data.slice(this.pos, end);
      this.pos = end;
      return new PyBytes(out);
    }
    const chars = this.text;
    const end = n < 0 ? chars.length : Math.min(chars.length, this.pos + n);
    const out = chars.slice(this.pos, end);
    this.pos = end;
    return out;
  }
  private readLine(): PyValue {
    if (this.binary) {
      let i = this.data.indexOf(10, this.pos);
      i = i < 0 ? this.data.length : i + 1;
      const out = this.data.slice(this.pos, i);
      this.pos = i;
      return new PyBytes(out);
    }
    let i = this.text.indexOf('\n', this.pos);
    i = i < 0 ? this.text.length : i + 1;
    const out = this.text.slice(this.pos, i);
    this.pos = i;
    return out;
  }
  private atEnd(): boolean {
    return this.pos >= (this.binary ? this.data.length : this.text.length);
  }
  private lines(): PyValue[] {
    const out: PyValue[] = [];
    while (!this.atEnd()) out.push(this.readLine());
    return out;
  }
  private writeValue(v: PyValue): number {
    this.open('write');
    if (this.binary) {
      if (!(v instanceof PyBytes)) throw pyErr('TypeError', `a bytes-like object is required, not '${typeof v === 'string' ? 'str' : 'object'}'`);
      fs.appendFileSync(this.abs, v.data);
      return v.data.length;
    }
    if (typeof v !== 'string') throw pyErr('TypeError', `write() argument must be str, not ${v instanceof PyBytes ? 'bytes' : typeof v === 'number' ? 'int' : 'object'}`);
    fs.appendFileSync(this.abs, v, 'utf8');
    return [...v].length;
  }
  override enter(): PyValue {
    if (this.closed) throw pyErr('ValueError', 'I/O operation on closed file.');
    return this;
  }
  override exit(): boolean {
    this.closed = true;
    return false;
  }
  override iter(): Iterable<PyValue> {
    this.open('read');
    const self = this;
    return {
      *[Symbol.iterator]() {
        while (!self.closed && !self.atEnd()) yield self.readLine();
      },
    };
  }
  override repr(): string {
    return `<_io.${this.typeName} name=${typeof this.name === 'string' ? `'${this.name}'` : String(this.name)} mode='${this.mode}'${this.binary ? '' : " encoding='UTF-8'"}>`;
  }
  override getAttr(name: string, hc: HostContext): PyValue | Promise<PyValue> | undefined {
    const m = (f: (a: PyValue[], k: Kwargs) => PyValue | Promise<PyValue>) => hostFunction(name, (a, k) => f(a, k));
    switch (name) {
      case 'name':
        return this.name;
      case 'mode':
        return this.mode;
      case 'closed':
        return this.closed;
      case 'encoding':
        return this.binary ? undefined : 'UTF-8';
      case 'read':
        return m((a, k) => {
          this.open('read');
          const n = a[0] ?? k.get('size') ?? -1;
          return this.readN(n === null ? -1 : Number(n));
        });
      case 'readline':
        return m(() => {
          this.open('read');
          return this.readLine();
        });
      case 'readlines':
        return m(() => {
          this.open('read');
          return new PyList(this.lines());
        });
      case 'write':
        return m((a) => this.writeValue(a[0] ?? null));
      case 'writelines':
        return m((a) => {
          this.open('write');
          const r = toArray(this.interp, a[0] ?? null, hc.loc);
          const go = (xs: PyValue[]) => {
            for (const x of xs) this.writeValue(x);
            return null;
          };
          return r instanceof Promise ? r.then(go) : go(r);
        });
      case 'readable':
        return m(() => this.reading);
      case 'writable':
        return m(() => !this.reading);
      case 'flush':
        return m(() => null);
      case 'close':
        return m(() => {
          this.closed = true;
          return null;
        });
    }
    throw unsupported(`file object .${name}`, hc.loc, 'open() models read/readline/readlines/iteration/write/writelines/close');
  }
}

/** open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, ...). */
export function openBuiltin(interp: Interp, files: FileAccess | undefined): PyBuiltin {
  return new PyBuiltin('open', (a, k, ctx) => {
    const loc: SourceLocation | undefined = ctx.loc;
    const arg = (i: number, name: string) => (i < a.length ? a[i] : k?.get(name));
    const file = arg(0, 'file');
    if (file === undefined) throw pyErr('TypeError', "open() missing required argument 'file' (pos 1)");
    if (typeof file === 'number') throw unsupported('open() of a file descriptor', loc);
    const p = typeof file === 'string' ? file : file instanceof HostObject && /Path$/.test(file.typeName) ? str(interp, file) : undefined;
    if (p === undefined) throw pyErr('TypeError', `expected str, bytes or os.PathLike object, not ${typeof file === 'object' && file !== null ? (file as { typeName: string }).typeName : typeof file}`);
    const modeV = arg(1, 'mode') ?? 'r';
    const mode = String(modeV);
    if (!/^(?:[rwax])(?:[bt]?)$|^(?:[bt])(?:[rwax])$/.test(mode)) {
      if (/\+/.test(mode)) throw unsupported(`open() with mode '${mode}'`, loc, 'update (+) modes are not modelled');
      throw pyErr('ValueError', `invalid mode: '${mode}'`);
    }
    const binary = mode.includes('b');
    const enc = arg(3, 'encoding');
    if (binary && enc !== undefined && enc !== null) throw pyErr('ValueError', "binary mode doesn't take an encoding argument");
    if (enc !== undefined && enc !== null && !/^utf[-_]?8$/i.test(String(enc))) throw unsupported(`open() with encoding '${String(enc)}'`, loc, 'only UTF-8 is modelled');
    for (const [key, v] of k ?? new Map<string, PyValue>()) {
      if (['file', 'mode', 'encoding', 'buffering'].includes(key)) continue;
      if ((key === 'errors' || key === 'newline') && v === null) continue;
      throw unsupported(`open() argument ${key}=`, loc);
    }
    if (!files) throw unsupported('open() (file system access)', loc, 'this evaluation has no project folder');
    const abs = files.resolve(p);
    const kind = mode.replace(/[bt]/g, '');
    const reading = kind === 'r';
    if (reading ? files.diskForRead(abs) === undefined : !files.inProject(abs)) {
      throw unsupported(reading ? 'open() outside the project root' : 'open() for writing outside the project and the run\'s scratch folder', loc, `${abs} is outside ${files.root}`);
    }
    if (kind === 'x' && files.exists(abs)) throw pyErr('FileExistsError', `[Errno 17] File exists: '${p}'`);
    try {
      // A project file written by the run goes to the run's overlay (copy-on-write): fileAccess.ts.
      const disk = reading ? files.diskForRead(abs)! : files.diskForWrite(abs, kind === 'a');
      if (disk === undefined) {
        throw unsupported(abs === files.scratchCreated ? "open() of the run's scratch folder itself" : `open(..., '${mode}') of ${p}, a link to a file outside the project`, loc, 'appending needs the outside file, which the runtime never reads');
      }
      const f = new PyFile(interp, file, mode, disk, reading, binary);
      if (reading) f.load();
      else if (kind === 'w') fs.writeFileSync(disk, '');
      else if (kind === 'x') fs.writeFileSync(disk, '', { flag: 'wx' });
      else if (kind === 'a') fs.appendFileSync(disk, '');
      return f;
    } catch (e) {
      if (e instanceof Error && e.name === 'UnsupportedPythonError') throw e;
      throw osError(e, p);
    }
  });
}
