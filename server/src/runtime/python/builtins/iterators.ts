/** The lazy iterators map(), filter(), enumerate(), zip() and reversed() return. */
import { ArrayIterator, PyIterator, PyTuple, PyValue, STOP, IterResult, SourceLocation, pyErr } from '../values';
import { Interp, unsupported } from '../runtime';
import { call } from '../protocols/calls';
import { truthy } from '../protocols/equality';
import { then } from './callArgs';

export class MapIterator extends PyIterator {
  constructor(
    private readonly interp: Interp,
    private readonly fn: PyValue,
    private readonly its: PyIterator[],
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  override get typeName(): string {
    return 'map';
  }
  next(): IterResult | Promise<IterResult> {
    return then(nextAll(this.its), (xs) => (xs === STOP ? STOP : call(this.interp, this.fn, xs, null, this.loc)));
  }
}

function nextAll(its: PyIterator[]): PyValue[] | typeof STOP | Promise<PyValue[] | typeof STOP> {
  const out: PyValue[] = [];
  for (let i = 0; i < its.length; i++) {
    const x = its[i].next();
    if (x instanceof Promise) {
      const idx = i;
      return x.then(async (v) => {
        if (v === STOP) return STOP;
        out.push(v);
        for (let j = idx + 1; j < its.length; j++) {
          const y = await its[j].next();
          if (y === STOP) return STOP;
          out.push(y);
        }
        return out;
      });
    }
    if (x === STOP) return STOP;
    out.push(x);
  }
  return out;
}

export class FilterIterator extends PyIterator {
  constructor(
    private readonly interp: Interp,
    private readonly fn: PyValue,
    private readonly it: PyIterator,
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  override get typeName(): string {
    return 'filter';
  }
  next(): IterResult | Promise<IterResult> {
    for (;;) {
      const x = this.it.next();
      if (x instanceof Promise)
        return x.then((v): IterResult | Promise<IterResult> => {
          if (v === STOP) return STOP;
          const r = this.test(v);
          return r === NO_MATCH ? this.next() : (r as IterResult | Promise<IterResult>);
        });
      if (x === STOP) return STOP;
      const r = this.test(x);
      if (r instanceof Promise) return r;
      if (r !== NO_MATCH) return r;
    }
  }
  private test(x: PyValue): PyValue | typeof NO_MATCH | Promise<IterResult> {
    const keep = this.fn === null ? x : call(this.interp, this.fn, [x], null, this.loc);
    if (keep instanceof Promise) return keep.then((k) => (truthy(this.interp, k) ? x : this.next())) as Promise<IterResult>;
    return truthy(this.interp, keep) ? x : NO_MATCH;
  }
}
const NO_MATCH: unique symbol = Symbol('NO_MATCH');

export class EnumerateIterator extends PyIterator {
  constructor(
    private readonly it: PyIterator,
    private i: number,
  ) {
    super();
  }
  override get typeName(): string {
    return 'enumerate';
  }
  next(): IterResult | Promise<IterResult> {
    const x = this.it.next();
    if (x instanceof Promise) return x.then((v) => (v === STOP ? STOP : new PyTuple([this.i++, v])));
    if (x === STOP) return STOP;
    return new PyTuple([this.i++, x]);
  }
}

export class ZipIterator extends PyIterator {
  constructor(
    private readonly its: PyIterator[],
    private readonly strict: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return 'zip';
  }
  next(): IterResult | Promise<IterResult> {
    if (this.its.length === 0) return STOP;
    if (this.strict) {
      // CPython: argument i stopping before the ones ahead of it is "shorter"; once the first stops, any later one that does not is "longer".
      const sync = (it: PyIterator): IterResult => {
        const x = it.next();
        if (x instanceof Promise) throw unsupported('zip(strict=True) over asynchronous iterators', undefined);
        return x;
      };
      const ahead = (i: number) => (i === 1 ? 'argument 1' : `arguments 1-${i}`);
      const out: PyValue[] = [];
      for (let i = 0; i < this.its.length; i++) {
        const x = sync(this.its[i]);
        if (x !== STOP) {
          out.push(x);
          continue;
        }
        if (i > 0) throw pyErr('ValueError', `zip() argument ${i + 1} is shorter than ${ahead(i)}`);
        for (let j = 1; j < this.its.length; j++) if (sync(this.its[j]) !== STOP) throw pyErr('ValueError', `zip() argument ${j + 1} is longer than ${ahead(j)}`);
        return STOP;
      }
      return new PyTuple(out);
    }
    return then(nextAll(this.its), (xs) => (xs === STOP ? STOP : new PyTuple(xs)));
  }
}

export class ReversedIterator extends ArrayIterator {
  override get typeName(): string {
    return 'reversed';
  }
}
