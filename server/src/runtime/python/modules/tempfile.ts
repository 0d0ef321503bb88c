/**
 * tempfile: TemporaryDirectory / mkdtemp / NamedTemporaryFile / mkstemp / gettempdir, all inside
 * the run's scratch folder (created on first use, removed with everything in it when the run ends).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PyBytes, PyTuple, PyValue, SourceLocation, pyErr } from '../values';
import { str } from '../protocols/text';
import { truthy } from '../protocols/equality';
import { unsupported } from '../runtime';
import { HostObject, hostClass, hostFunction } from '../host';
import { StdlibContext, argOf, kwOf, partialModule } from './kit';

export function tempfileModule(ctx: StdlibContext) {
  const { interp } = ctx;
  let counter = 0;
  const scratch = (what: string, loc: SourceLocation | undefined): string => {
    if (!ctx.files) throw unsupported(`${what} (temporary files)`, loc, 'this evaluation has no scratch folder');
    return ctx.files.scratch();
  };
  /** A fresh name in `dir` (default: the scratch folder); a `dir` outside the scratch folder is not modelled. */
  const freshPath = (what: string, a: PyValue[], k: Map<string, PyValue> | null, loc: SourceLocation | undefined, order: [number, number, number]): string => {
    const base = scratch(what, loc);
    const suffix = argOf(a, k, order[0], 'suffix');
    const prefix = argOf(a, k, order[1], 'prefix');
    const dirArg = argOf(a, k, order[2], 'dir');
    let dir = base;
    if (dirArg !== undefined && dirArg !== null) {
      dir = ctx.files!.resolve(str(interp, dirArg));
      if (!ctx.files!.canWrite(dir) && dir !== base) throw unsupported(`${what} with dir= outside the run's scratch folder`, loc);
    }
    counter += 1;
    const name = `${prefix === undefined || prefix === null ? 'tmp' : str(interp, prefix)}${String(counter).padStart(8, '0')}${suffix === undefined || suffix === null ? '' : str(interp, suffix)}`;
    return path.join(dir, name);
  };

  class TemporaryDirectoryObj extends HostObject {
    private removed = false;
    constructor(
      readonly name: string,
      private readonly ignoreErrors: boolean,
    ) {
      super();
    }
    override get typeName(): string {
      return 'TemporaryDirectory';
    }
    override getAttr(n: string): PyValue | undefined {
      if (n === 'name') return this.name;
      if (n === 'cleanup') return hostFunction('cleanup', () => (this.cleanup(), null));
      return undefined;
    }
    cleanup(): void {
      if (this.removed) return;
      this.removed = true;
      try {
        fs.rmSync(this.name, { recursive: true, force: true });
      } catch (e) {
        if (!this.ignoreErrors) throw e;
      }
    }
    override enter(): PyValue {
      return this.name;
    }
    override exit(): boolean {
      this.cleanup();
      return false;
    }
    override repr(): string {
      return `<TemporaryDirectory '${this.name}'>`;
    }
  }

  class NamedTemporaryFileObj extends HostObject {
    private pos = 0;
    closed = false;
    constructor(
      readonly name: string,
      private readonly binary: boolean,
      private readonly deleteOnClose: boolean,
    ) {
      super();
      fs.writeFileSync(name, '');
    }
    override get typeName(): string {
      return '_TemporaryFileWrapper';
    }
    private ensureOpen(): void {
      if (this.closed) throw pyErr('ValueError', 'I/O operation on closed file.');
    }
    override getAttr(n: string): PyValue | undefined {
      switch (n) {
        case 'name':
          return this.name;
        case 'closed':
          return this.closed;
        case 'mode':
          return this.binary ? 'rb+' : 'r+';
        case 'write':
          return hostFunction('write', (a) => {
            this.ensureOpen();
            const v = a[0];
            if (this.binary && !(v instanceof PyBytes)) throw pyErr('TypeError', `a bytes-like object is required, not '${interp.typeName(v)}'`);
            if (!this.binary && typeof v !== 'string') throw pyErr('TypeError', `write() argument must be str, not ${interp.typeName(v)}`);
            const buf = v instanceof PyBytes ? Buffer.from(v.data) : Buffer.from(String(v), 'utf8');
            const fd = fs.openSync(this.name, 'r+');
            try {
              fs.writeSync(fd, buf, 0, buf.length, this.pos);
            } finally {
              fs.closeSync(fd);
            }
            this.pos += buf.length;
            return v instanceof PyBytes ? v.data.length : String(v).length;
          });
        case 'read':
          return hostFunction('read', () => {
            this.ensureOpen();
            const all = fs.readFileSync(this.name).subarray(this.pos);
            this.pos += all.length;
            return this.binary ? new PyBytes(new Uint8Array(all)) : all.toString('utf8');
          });
        case 'seek':
          return hostFunction('seek', (a) => {
            this.ensureOpen();
            this.pos = Number(a[0] ?? 0);
            return this.pos;
          });
        case 'tell':
          return hostFunction('tell', () => this.pos);
        case 'flush':
          return hostFunction('flush', () => null);
        case 'close':
          return hostFunction('close', () => (this.close(), null));
      }
      return undefined;
    }
    close(): void {
      if (this.closed) return;
      this.closed = true;
      if (this.deleteOnClose) fs.rmSync(this.name, { force: true });
    }
    override enter(): PyValue {
      return this;
    }
    override exit(): boolean {
      this.close();
      return false;
    }
    override repr(): string {
      return `<tempfile._TemporaryFileWrapper name='${this.name}'>`;
    }
  }

  return partialModule('tempfile', {
    TemporaryDirectory: hostClass(
      'TemporaryDirectory',
      (a, k, c) => {
        const p = freshPath('tempfile.TemporaryDirectory()', a, k, c.loc, [0, 1, 2]);
        fs.mkdirSync(p);
        return new TemporaryDirectoryObj(p, truthy(interp, argOf(a, k, 3, 'ignore_cleanup_errors') ?? false));
      },
      { module: 'tempfile' },
    ),
    mkdtemp: hostFunction('mkdtemp', (a, k, c) => {
      const p = freshPath('tempfile.mkdtemp()', a, k, c.loc, [0, 1, 2]);
      fs.mkdirSync(p);
      return p;
    }),
    mkstemp: hostFunction('mkstemp', (a, k, c) => {
      const p = freshPath('tempfile.mkstemp()', a, k, c.loc, [0, 1, 2]);
      fs.writeFileSync(p, '');
      // The descriptor is a token: os.close() accepts it; reading or writing through it is not modelled.
      return new PyTuple([1000 + counter, p]);
    }),
    NamedTemporaryFile: hostFunction('NamedTemporaryFile', (a, k, c) => {
      const mode = str(interp, argOf(a, k, 0, 'mode') ?? 'w+b');
      const p = freshPath('tempfile.NamedTemporaryFile()', [], k, c.loc, [99, 99, 99]);
      return new NamedTemporaryFileObj(p, mode.includes('b'), truthy(interp, kwOf(k, 'delete') ?? true));
    }),
    gettempdir: hostFunction('gettempdir', (_a, _k, c) => scratch('tempfile.gettempdir()', c.loc)),
    tempdir: null,
  });
}
