/**
 * hashlib: md5 / sha1 / sha224 / sha256 / sha384 / sha512 (and new(name)) computed by node:crypto,
 * the digests CPython's OpenSSL gives. Hash objects: update / digest / hexdigest / copy / name /
 * digest_size / block_size. Data must be bytes, as in CPython (a str is a TypeError).
 */
import { createHash, type Hash } from 'node:crypto';
import { PyBytes, PyValue, pyErr } from '../values';
import { HostObject, hostFunction } from '../host';
import { StdlibContext, argOf, fn, partialModule } from './kit';

const ALGORITHMS: Record<string, { size: number; block: number }> = {
  md5: { size: 16, block: 64 },
  sha1: { size: 20, block: 64 },
  sha224: { size: 28, block: 64 },
  sha256: { size: 32, block: 64 },
  sha384: { size: 48, block: 128 },
  sha512: { size: 64, block: 128 },
};

class HashObj extends HostObject {
  constructor(
    readonly algorithm: string,
    private readonly hash: Hash,
    private readonly typeNameOf: (v: PyValue) => string,
  ) {
    super();
  }
  override get typeName(): string {
    return 'HASH';
  }
  override repr(): string {
    return `<${this.algorithm} _hashlib.HASH object>`;
  }
  update(v: PyValue): void {
    if (typeof v === 'string') throw pyErr('TypeError', 'Strings must be encoded before hashing');
    if (!(v instanceof PyBytes)) throw pyErr('TypeError', `object supporting the buffer API required`);
    this.hash.update(v.data);
  }
  override getAttr(name: string): PyValue | undefined {
    const info = ALGORITHMS[this.algorithm];
    switch (name) {
      case 'name':
        return this.algorithm;
      case 'digest_size':
        return info.size;
      case 'block_size':
        return info.block;
      case 'update':
        return hostFunction('update', (a) => (this.update(a[0] ?? null), null));
      case 'digest':
        return hostFunction('digest', () => new PyBytes(new Uint8Array(this.hash.copy().digest())));
      case 'hexdigest':
        return hostFunction('hexdigest', () => this.hash.copy().digest('hex'));
      case 'copy':
        return hostFunction('copy', () => new HashObj(this.algorithm, this.hash.copy(), this.typeNameOf));
    }
    return undefined;
  }
}

export function hashlibModule(ctx: StdlibContext) {
  const typeNameOf = (v: PyValue) => ctx.interp.typeName(v);
  const make = (algorithm: string, data: PyValue | undefined): HashObj => {
    const h = new HashObj(algorithm, createHash(algorithm), typeNameOf);
    if (data !== undefined) h.update(data);
    return h;
  };
  const members: Record<string, PyValue> = {
    new: fn('new', (a, k) => {
      const name = argOf(a, k, 0, 'name');
      const algorithm = typeof name === 'string' ? name.toLowerCase() : '';
      if (!ALGORITHMS[algorithm]) throw pyErr('ValueError', `unsupported hash type ${typeof name === 'string' ? name : ''}`);
      return make(algorithm, argOf(a, k, 1, 'data'));
    }),
  };
  for (const algorithm of Object.keys(ALGORITHMS)) members[algorithm] = fn(algorithm, (a, k) => make(algorithm, argOf(a, k, 0, 'string') ?? k?.get('data')));
  return partialModule('hashlib', members);
}
