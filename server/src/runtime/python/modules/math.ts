/** math. */
import { PyFloat, PyModule, PyValue, normInt, pyErr } from '../values';
import { Interp } from '../runtime';
import { toArray } from '../protocols/iteration';
import { fn, num, kwOf, mod, then } from './kit';

export function mathModule(interp: Interp): PyModule {
  const f1 = (name: string, op: (x: number) => number, toInt = false) =>
    fn(name, (a) => {
      const r = op(num(a[0]));
      if (toInt) {
        if (!Number.isFinite(r)) throw pyErr('OverflowError', 'cannot convert float infinity to integer');
        return Number.isSafeInteger(r) ? r : normInt(BigInt(r));
      }
      return new PyFloat(r);
    });
  return mod('math', {
    pi: new PyFloat(Math.PI),
    e: new PyFloat(Math.E),
    tau: new PyFloat(2 * Math.PI),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    floor: fn('floor', (a) => (typeof a[0] === 'number' ? a[0] : f1('floor', Math.floor, true).fn(a, null, { loc: undefined }))),
    ceil: fn('ceil', (a) => (typeof a[0] === 'number' ? a[0] : f1('ceil', Math.ceil, true).fn(a, null, { loc: undefined }))),
    trunc: f1('trunc', Math.trunc, true),
    sqrt: fn('sqrt', (a) => {
      const x = num(a[0]);
      if (x < 0) throw pyErr('ValueError', 'math domain error');
      return new PyFloat(Math.sqrt(x));
    }),
    exp: f1('exp', Math.exp),
    log: fn('log', (a) => {
      const x = num(a[0]);
      if (x <= 0) throw pyErr('ValueError', 'math domain error');
      return new PyFloat(a.length > 1 ? Math.log(x) / Math.log(num(a[1])) : Math.log(x));
    }),
    log10: f1('log10', Math.log10),
    log2: f1('log2', Math.log2),
    pow: fn('pow', (a) => new PyFloat(Math.pow(num(a[0]), num(a[1])))),
    fabs: f1('fabs', Math.abs),
    sin: f1('sin', Math.sin),
    cos: f1('cos', Math.cos),
    tan: f1('tan', Math.tan),
    atan: f1('atan', Math.atan),
    atan2: fn('atan2', (a) => new PyFloat(Math.atan2(num(a[0]), num(a[1])))),
    isnan: fn('isnan', (a) => Number.isNaN(num(a[0]))),
    isinf: fn('isinf', (a) => !Number.isFinite(num(a[0])) && !Number.isNaN(num(a[0]))),
    isfinite: fn('isfinite', (a) => Number.isFinite(num(a[0]))),
    isclose: fn('isclose', (a, k) => {
      const x = num(a[0]);
      const y = num(a[1]);
      const rt = num(kwOf(k, 'rel_tol'), 1e-9);
      const at = num(kwOf(k, 'abs_tol'), 0);
      return Math.abs(x - y) <= Math.max(rt * Math.max(Math.abs(x), Math.abs(y)), at);
    }),
    gcd: fn('gcd', (a) => {
      let [x, y] = a.map((v) => Math.abs(Number(v)));
      while (y) [x, y] = [y, x % y];
      return x ?? 0;
    }),
    prod: fn('prod', (a, _k, ctx) => then(toArray(interp, a[0], ctx.loc), (xs) => xs.reduce((acc: PyValue, x) => binop2mul(interp, acc, x), 1 as PyValue))),
    fsum: fn('fsum', (a, _k, ctx) => then(toArray(interp, a[0], ctx.loc), (xs) => new PyFloat(exactSum(xs.map((x) => num(x)))))),
    factorial: fn('factorial', (a) => {
      if (Number(a[0]) < 0) throw pyErr('ValueError', 'factorial() not defined for negative values');
      let r = 1n;
      for (let i = 2n; i <= BigInt(Number(a[0])); i++) r *= i;
      return normInt(r);
    }),
  });
}

let binop2mul: (interp: Interp, a: PyValue, b: PyValue) => PyValue = () => null;
export function setMultiplier(f: (interp: Interp, a: PyValue, b: PyValue) => PyValue): void {
  binop2mul = f;
}

/**
 * math.fsum: the correctly rounded sum, by CPython's algorithm (Shewchuk's exact partial sums, then
 * a sum of the partials from the top with its correction for half-way cases). A plain sum of
 * [0.1] * 10 gives 0.9999999999999999; fsum gives 1.0.
 */
export function exactSum(xs: number[]): number {
  const partials: number[] = [];
  let special = 0;
  for (let x of xs) {
    if (!Number.isFinite(x)) {
      special += x;
      continue;
    }
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  if (special !== 0 || Number.isNaN(special)) return special;
  let n = partials.length;
  let hi = 0;
  let lo = 0;
  if (n > 0) {
    hi = partials[--n];
    while (n > 0) {
      const x = hi;
      const y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}
