/** The run's clock and seeded random streams: evaluations are reproducible. */
import { type StdlibOptions } from '../stdlib';

export class Clock {
  private fixed: number | undefined;
  private offset = 0;
  private readonly perfStart = Date.now();
  constructor(opt: StdlibOptions['clock']) {
    if (opt === 'system') this.fixed = undefined;
    else this.fixed = typeof opt === 'number' ? opt : opt instanceof Date ? opt.getTime() : Date.parse(opt);
  }
  /** Epoch milliseconds (fractional). */
  now(): number {
    if (this.fixed === undefined) return Date.now() + this.offset;
    return this.fixed + this.offset;
  }
  sleep(seconds: number): void {
    if (this.fixed !== undefined) this.offset += seconds * 1000;
  }
  perf(): number {
    if (this.fixed === undefined) return (performance.now() + this.offset) / 1000;
    return this.offset / 1000;
  }
  void(): number {
    return this.perfStart;
  }
}

/** xoshiro128** PRNG: deterministic for a seed (not CPython's Mersenne Twister sequence). */
export class Rng {
  private s = new Uint32Array(4);
  constructor(seed: number | string) {
    this.seed(seed);
  }
  seed(seed: number | string): void {
    let h = 1779033703 ^ String(seed).length;
    const text = String(seed);
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      return (h ^= h >>> 16) >>> 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = next();
  }
  u32(): number {
    const s = this.s;
    const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }
  random(): number {
    return (this.u32() * 2 ** 21 + (this.u32() >>> 11)) / 2 ** 53;
  }
  below(n: number): number {
    return Math.floor(this.random() * n);
  }
}
