/** itertools. */
import { ArrayIterator, Kwargs, PyClass, PyIterator, PyModule, PyStaticMethod, PyTuple, PyValue, STOP, IterResult, SourceLocation, pyErr } from '../values';
import { Interp, unsupported } from '../runtime';
import { callSync } from '../protocols/equality';
import { iter, toArray } from '../protocols/iteration';
import { fn, kwOf, mod, then } from './kit';

class ChainIterator extends PyIterator {
  private cur: PyIterator | undefined;
  constructor(
    private readonly interp: Interp,
    private readonly sources: PyIterator,
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  next(): IterResult | Promise<IterResult> {
    for (;;) {
      if (!this.cur) {
        const s = this.sources.next();
        if (s instanceof Promise) return s.then((x) => (x === STOP ? STOP : ((this.cur = iter(this.interp, x, this.loc)), this.next())));
        if (s === STOP) return STOP;
        this.cur = iter(this.interp, s, this.loc);
      }
      const x = this.cur.next();
      if (x instanceof Promise) return x.then((v) => (v === STOP ? ((this.cur = undefined), this.next()) : v));
      if (x !== STOP) return x;
      this.cur = undefined;
    }
  }
}

class CountIterator extends PyIterator {
  constructor(
    private n: number,
    private readonly step: number,
  ) {
    super();
  }
  next(): IterResult {
    const v = this.n;
    this.n += this.step;
    return v;
  }
}

export function itertoolsModule(interp: Interp): PyModule {
  const chain = fn('chain', (a, _k, ctx) => new ChainIterator(interp, new ArrayIterator(a), ctx.loc));
  const chainCls = new PyClass('chain', [], new Map<string, PyValue>([['from_iterable', new PyStaticMethod(fn('from_iterable', (a, _k, ctx) => new ChainIterator(interp, iter(interp, a[0], ctx.loc), ctx.loc)))]]), { construct: chain.fn }, 'chain', 'itertools');
  const product = (a: PyValue[], k: Kwargs | null, loc: SourceLocation | undefined) =>
    then(Promise.all(a.map((x) => toArray(interp, x, loc))), (pools) => {
      const rep = Number(kwOf(k, 'repeat') ?? 1);
      const all: PyValue[][] = [];
      for (let r = 0; r < rep; r++) all.push(...pools);
      let res: PyValue[][] = [[]];
      for (const pool of all) {
        const next: PyValue[][] = [];
        for (const prefix of res) for (const x of pool) next.push([...prefix, x]);
        res = next;
        interp.checkSize(res.length, loc);
      }
      return new ArrayIterator(res.map((t) => new PyTuple(t)));
    });
  return mod('itertools', {
    chain: chainCls,
    product: fn('product', (a, k, ctx) => product(a, k, ctx.loc)),
    count: fn('count', (a) => new CountIterator(Number(a[0] ?? 0), Number(a[1] ?? 1))),
    islice: fn('islice', (a, _k, ctx) => {
      const it = iter(interp, a[0], ctx.loc);
      const [start, stop, step] = a.length === 2 ? [0, a[1], 1] : [a[1] ?? 0, a[2] ?? null, a[3] ?? 1];
      // CPython: None or an int in 0..sys.maxsize for start and stop, a positive int or None for step.
      const bad = (v: PyValue, min: number) => v !== null && (typeof v === 'boolean' || !(typeof v === 'number' || typeof v === 'bigint') || Number(v) < min);
      if (bad(stop, 0)) throw pyErr('ValueError', 'Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.');
      if (bad(start, 0)) throw pyErr('ValueError', 'Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.');
      if (bad(step, 1)) throw pyErr('ValueError', 'Step for islice() must be a positive integer or None.');
      const out: PyValue[] = [];
      let i = 0;
      for (;;) {
        if (stop !== null && i >= Number(stop)) break;
        const x = it.next();
        if (x instanceof Promise) throw unsupported('islice over an asynchronous iterator', ctx.loc);
        if (x === STOP) break;
        if (i >= Number(start) && (i - Number(start)) % Number(step) === 0) out.push(x);
        i++;
      }
      return new ArrayIterator(out);
    }),
    repeat: fn('repeat', (a, k, ctx) => {
      const times = a[1] ?? kwOf(k, 'times');
      if (times === undefined) throw unsupported('itertools.repeat without a count', ctx.loc);
      return new ArrayIterator(new Array(Math.max(0, Number(times))).fill(a[0]));
    }),
    zip_longest: fn('zip_longest', (a, k, ctx) =>
      then(Promise.all(a.map((x) => toArray(interp, x, ctx.loc))), (arrs) => {
        const n = Math.max(0, ...arrs.map((x) => x.length));
        const fill = kwOf(k, 'fillvalue') ?? null;
        return new ArrayIterator(Array.from({ length: n }, (_, i) => new PyTuple(arrs.map((x) => (i < x.length ? x[i] : fill)))));
      }),
    ),
    combinations: fn('combinations', (a, k, ctx) =>
      then(toArray(interp, a[0], ctx.loc), (pool) => {
        const r = Number(a[1] ?? kwOf(k, 'r'));
        const out: PyValue[] = [];
        const rec = (start: number, acc: PyValue[]) => {
          if (acc.length === r) {
            out.push(new PyTuple(acc.slice()));
            return;
          }
          for (let i = start; i < pool.length; i++) rec(i + 1, [...acc, pool[i]]);
        };
        rec(0, []);
        return new ArrayIterator(out);
      }),
    ),
    accumulate: fn('accumulate', (a, k, ctx) =>
      then(toArray(interp, a[0], ctx.loc), (xs) => {
        const out: PyValue[] = [];
        // accumulate(iterable, func=None, *, initial=None): initial (when not None) comes first.
        const func = a[1] ?? kwOf(k, 'func') ?? null;
        const initial = kwOf(k, 'initial') ?? null;
        let acc: PyValue | undefined;
        if (initial !== null) out.push((acc = initial));
        for (const x of xs) {
          acc = acc === undefined ? x : func !== null ? callSync(interp, func, [acc, x], ctx.loc) : binop2(interp, acc, x);
          out.push(acc);
        }
        return new ArrayIterator(out);
      }),
    ),
  });
}

let binop2: (interp: Interp, a: PyValue, b: PyValue) => PyValue = () => null;
export function setAdder(f: (interp: Interp, a: PyValue, b: PyValue) => PyValue): void {
  binop2 = f;
}
