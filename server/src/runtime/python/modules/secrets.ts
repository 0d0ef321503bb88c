/** secrets: token_hex / token_urlsafe / token_bytes / choice / randbelow, deterministic under the run's seed (never the machine's entropy). */
import { timingSafeEqual } from 'node:crypto';
import { PyBytes, PyValue, pyErr } from '../values';
import { str } from '../protocols/text';
import { toArray } from '../protocols/iteration';
import { StdlibContext, fn, partialModule } from './kit';

export function secretsModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const rng = ctx.makeRng(`secrets:${ctx.seed}`);
  const bytes = (n: number) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = rng.u32() & 0xff;
    return b;
  };
  const nbytes = (v: PyValue | undefined) => (v === undefined || v === null ? 32 : Number(v));
  return partialModule('secrets', {
    token_bytes: fn('token_bytes', (a) => new PyBytes(new Uint8Array(bytes(nbytes(a[0]))))),
    token_hex: fn('token_hex', (a) => bytes(nbytes(a[0])).toString('hex')),
    token_urlsafe: fn('token_urlsafe', (a) => bytes(nbytes(a[0])).toString('base64url')),
    randbelow: fn('randbelow', (a) => {
      const n = Number(a[0]);
      if (n <= 0) throw pyErr('ValueError', 'Upper bound must be positive.');
      return rng.below(n);
    }),
    randbits: fn('randbits', (a) => {
      const k = Number(a[0]);
      if (k > 31) throw pyErr('ValueError', 'randbits(k) above 31 bits is not modelled');
      return k <= 0 ? 0 : rng.u32() >>> (32 - k);
    }),
    choice: fn('choice', (a, _k, c) => {
      const xs = toArray(interp, a[0], c.loc);
      const pick = (items: PyValue[]) => {
        if (!items.length) throw pyErr('IndexError', 'Cannot choose from an empty sequence');
        return items[rng.below(items.length)];
      };
      return xs instanceof Promise ? xs.then(pick) : pick(xs);
    }),
    compare_digest: fn('compare_digest', (a) => {
      const buf = (v: PyValue) => (v instanceof PyBytes ? Buffer.from(v.data) : Buffer.from(str(interp, v), 'utf8'));
      const x = buf(a[0]);
      const y = buf(a[1]);
      return x.length === y.length && timingSafeEqual(x, y);
    }),
  });
}
