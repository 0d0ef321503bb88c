/**
 * statistics: mean, fmean, median (low/high), mode, multimode, variance, pvariance, stdev, pstdev,
 * computed as CPython 3.11 computes them: exact sums over the values as fractions, the result
 * converted to the data's type (an int mean stays int when exact, else float), square roots
 * correctly rounded (_float_sqrt_of_frac). Decimal and Fraction data are not modelled.
 */
import { PyClass, PyException, PyFloat, PyList, PyValue, builtinExceptionClasses, makeException, pyErr } from '../values';
import { eq } from '../protocols/equality';
import { toArray } from '../protocols/iteration';
import { typeName, unsupported, type Interp } from '../runtime';
import type { SourceLocation } from '../values';
import { fn, partialModule, type StdlibContext } from './kit';

type Rat = { n: bigint; d: bigint };

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};
const rat = (n: bigint, d: bigint): Rat => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const add = (a: Rat, b: Rat): Rat => rat(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Rat, b: Rat): Rat => rat(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Rat, b: Rat): Rat => rat(a.n * b.n, a.d * b.d);
const div = (a: Rat, b: Rat): Rat => rat(a.n * b.d, a.d * b.n);

/** A finite double as its exact fraction. */
function floatToRat(x: number): Rat {
  if (!Number.isFinite(x)) throw pyErr('ValueError', 'cannot convert non-finite float to an exact fraction');
  if (x === 0) return { n: 0n, d: 1n };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  return e >= 0 ? rat(sign * (mant << BigInt(e)), 1n) : rat(sign * mant, 1n << BigInt(-e));
}

const bitLength = (x: bigint): number => (x === 0n ? 0 : (x < 0n ? -x : x).toString(2).length);

/** n / d correctly rounded to the nearest double (ties to even), as Python's int / int. */
function ratToFloat(r: Rat): number {
  if (r.n === 0n) return 0;
  const neg = r.n < 0n;
  const n = neg ? -r.n : r.n;
  const d = r.d;
  // Scale so the quotient has 55 bits: 53 for the mantissa, a round bit and a sticky bit.
  let shift = 55 - (bitLength(n) - bitLength(d));
  let q = shift >= 0 ? (n << BigInt(shift)) / d : n / (d << BigInt(-shift));
  let rem = shift >= 0 ? (n << BigInt(shift)) % d : n % (d << BigInt(-shift));
  while (bitLength(q) > 55) {
    rem = rem | (q & 1n);
    q >>= 1n;
    shift -= 1;
  }
  const sticky = rem !== 0n ? 1n : 0n;
  // q has 55 bits: keep 53, round on the last two plus sticky.
  const low = q & 3n;
  let m = q >> 2n;
  const half = low === 2n && sticky === 0n;
  if (low > 2n || (low === 2n && sticky) || (half && (m & 1n))) m += 1n;
  const value = Number(m) * Math.pow(2, -(shift - 2));
  return neg ? -value : value;
}

/** floor(sqrt(n)) for a non-negative BigInt (Newton's method from a power of two above the root). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
/** CPython's _integer_sqrt_of_frac_rto: floor sqrt of n/m, rounded to odd. */
function sqrtRto(n: bigint, m: bigint): bigint {
  const a = isqrt(n / m);
  return a | (a * a * m !== n ? 1n : 0n);
}
const SQRT_BIT_WIDTH = 2 * 53 + 3;
/** CPython 3.11's _float_sqrt_of_frac: sqrt(n/m) correctly rounded. */
function floatSqrtOfFrac(n: bigint, m: bigint): number {
  const q = Math.floor((bitLength(n) - bitLength(m) - SQRT_BIT_WIDTH) / 2);
  if (q >= 0) return ratToFloat({ n: sqrtRto(n, m << BigInt(2 * q)) << BigInt(q), d: 1n });
  return ratToFloat(rat(sqrtRto(n << BigInt(-2 * q), m), 1n << BigInt(-q)));
}

type Kind = 'int' | 'float';

/** statistics.StatisticsError, a ValueError. */
const StatisticsErrorClass = new PyClass('StatisticsError', [builtinExceptionClasses.get('ValueError')!], new Map(), undefined, 'StatisticsError', 'statistics');

/** The data as fractions and the type results convert to (bool counts as int, as in CPython's _sum). */
function exact(data: PyValue[], loc: SourceLocation | undefined): { values: Rat[]; kind: Kind } {
  let kind: Kind = 'int';
  const values = data.map((v) => {
    if (typeof v === 'boolean') return { n: v ? 1n : 0n, d: 1n };
    if (typeof v === 'number') return Number.isInteger(v) ? { n: BigInt(v), d: 1n } : floatToRat(v);
    if (typeof v === 'bigint') return { n: v, d: 1n };
    if (v instanceof PyFloat) {
      kind = 'float';
      return floatToRat(v.v);
    }
    throw unsupported(`statistics over ${typeName(v)} values`, loc, 'int and float data are modelled (Decimal and Fraction are not)');
  });
  return { values, kind };
}

/** _convert: an int result stays int when the fraction is whole, else a float. */
function convert(r: Rat, kind: Kind): PyValue {
  if (kind === 'int' && r.d === 1n) {
    const n = r.n;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return new PyFloat(ratToFloat(r));
}

const sum = (xs: Rat[]): Rat => xs.reduce(add, { n: 0n, d: 1n });

/** CPython's _ss: the exact sum of squared deviations from the (exact) mean. */
function sumOfSquares(xs: Rat[], c?: Rat): Rat {
  const mean = c ?? div(sum(xs), { n: BigInt(xs.length), d: 1n });
  const total = xs.reduce((acc, x) => {
    const dlt = sub(x, mean);
    return add(acc, mul(dlt, dlt));
  }, { n: 0n, d: 1n });
  const total2 = xs.reduce((acc, x) => add(acc, sub(x, mean)), { n: 0n, d: 1n });
  return sub(total, div(mul(total2, total2), { n: BigInt(xs.length), d: 1n }));
}

const asNumber = (v: PyValue): number => (v instanceof PyFloat ? v.v : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v));

export function statisticsModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const withData = (name: string, f: (data: PyValue[], loc: SourceLocation | undefined, a: PyValue[]) => PyValue) =>
    fn(name, (a, _k, c) => {
      const xs = toArray(interp, a[0] ?? null, c.loc);
      return xs instanceof Promise ? xs.then((d) => f(d, c.loc, a)) : f(xs, c.loc, a);
    });
  const sorted = (data: PyValue[]) => [...data].sort((x, y) => asNumber(x) - asNumber(y));
  const raise = (msg: string) => new PyException(makeException(StatisticsErrorClass, [msg]));
  return partialModule('statistics', {
    StatisticsError: StatisticsErrorClass,
    mean: withData('mean', (data, loc) => {
      if (!data.length) throw raise('mean requires at least one data point');
      const { values, kind } = exact(data, loc);
      return convert(div(sum(values), { n: BigInt(values.length), d: 1n }), kind);
    }),
    fmean: withData('fmean', (data, loc) => {
      if (!data.length) throw raise('fmean requires at least one data point');
      const { values } = exact(data, loc);
      return new PyFloat(ratToFloat(sum(values)) / values.length);
    }),
    median: withData('median', (data) => {
      if (!data.length) throw raise('no median for empty data');
      const s = sorted(data);
      const n = s.length;
      if (n % 2 === 1) return s[(n - 1) / 2];
      const i = n / 2;
      return new PyFloat((asNumber(s[i - 1]) + asNumber(s[i])) / 2);
    }),
    median_low: withData('median_low', (data) => {
      if (!data.length) throw raise('no median for empty data');
      const s = sorted(data);
      return s.length % 2 === 1 ? s[(s.length - 1) / 2] : s[s.length / 2 - 1];
    }),
    median_high: withData('median_high', (data) => {
      if (!data.length) throw raise('no median for empty data');
      const s = sorted(data);
      return s[Math.floor(s.length / 2)];
    }),
    mode: withData('mode', (data, loc) => {
      if (!data.length) throw raise('no mode for empty data');
      return multimodeOf(interp, data, loc)[0];
    }),
    multimode: withData('multimode', (data, loc) => new PyList(multimodeOf(interp, data, loc))),
    variance: withData('variance', (data, loc) => {
      if (data.length < 2) throw raise('variance requires at least two data points');
      const { values, kind } = exact(data, loc);
      return convert(div(sumOfSquares(values), { n: BigInt(values.length - 1), d: 1n }), kind);
    }),
    pvariance: withData('pvariance', (data, loc) => {
      if (data.length < 1) throw raise('pvariance requires at least one data point');
      const { values, kind } = exact(data, loc);
      return convert(div(sumOfSquares(values), { n: BigInt(values.length), d: 1n }), kind);
    }),
    stdev: withData('stdev', (data, loc) => {
      if (data.length < 2) throw raise('stdev requires at least two data points');
      const { values } = exact(data, loc);
      const mss = div(sumOfSquares(values), { n: BigInt(values.length - 1), d: 1n });
      return new PyFloat(floatSqrtOfFrac(mss.n, mss.d));
    }),
    pstdev: withData('pstdev', (data, loc) => {
      if (data.length < 1) throw raise('pstdev requires at least one data point');
      const { values } = exact(data, loc);
      const mss = div(sumOfSquares(values), { n: BigInt(values.length), d: 1n });
      return new PyFloat(floatSqrtOfFrac(mss.n, mss.d));
    }),
  });
}

/** The most common values, in the order they first appear (CPython's multimode via Counter). */
function multimodeOf(interp: Interp, data: PyValue[], _loc: SourceLocation | undefined): PyValue[] {
  const seen: { v: PyValue; n: number }[] = [];
  for (const v of data) {
    const hit = seen.find((s) => eq(interp, s.v, v));
    if (hit) hit.n++;
    else seen.push({ v, n: 1 });
  }
  const top = Math.max(0, ...seen.map((s) => s.n));
  return seen.filter((s) => s.n === top).map((s) => s.v);
}
