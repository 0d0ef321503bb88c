/**
 * difflib: SequenceMatcher (CPython's algorithm line for line: b2j, junk and autojunk "popular"
 * elements, find_longest_match with its junk extensions, get_matching_blocks, get_opcodes, ratio,
 * quick_ratio, real_quick_ratio) and get_close_matches. Elements are compared with Python's ==
 * and hashed with Python's hash rules (str sequences compare characters).
 */
import { PyFloat, PyList, PyTuple, PyValue, hashKey, pyErr, type Kwargs } from '../values';
import { callSync, eq, truthy } from '../protocols/equality';
import { repr } from '../protocols/text';
import { toArray } from '../protocols/iteration';
import { unsupported } from '../runtime';
import { HostObject, hostClass, type HostContext } from '../host';
import { StdlibContext, argOf, fn, partialModule } from './kit';

/** difflib.Match(a, b, size): a named triple. */
export class MatchTriple extends HostObject {
  constructor(readonly a: number, readonly b: number, readonly size: number) {
    super();
  }
  override get typeName(): string {
    return 'Match';
  }
  private get items(): PyValue[] {
    return [this.a, this.b, this.size];
  }
  override getAttr(name: string): PyValue | undefined {
    return name === 'a' ? this.a : name === 'b' ? this.b : name === 'size' ? this.size : undefined;
  }
  override iter(): Iterable<PyValue> {
    return this.items;
  }
  override len(): number {
    return 3;
  }
  override getItem(key: PyValue): PyValue {
    const i = Number(key);
    const v = this.items[i < 0 ? i + 3 : i];
    if (v === undefined) throw pyErr('IndexError', 'tuple index out of range');
    return v;
  }
  override repr(): string {
    return `Match(a=${this.a}, b=${this.b}, size=${this.size})`;
  }
  override equals(other: PyValue): boolean {
    const o = other instanceof MatchTriple ? other.items : other instanceof PyTuple ? other.items : undefined;
    return !!o && o.length === 3 && o.every((x, i) => x === this.items[i]);
  }
  override hashKey(): unknown {
    return hashKey(new PyTuple(this.items));
  }
}

function ratioOf(matches: number, length: number): PyFloat {
  return new PyFloat(length ? (2.0 * matches) / length : 1.0);
}

export class SequenceMatcherObject extends HostObject {
  private a: PyValue[] = [];
  private b: PyValue[] = [];
  private aValue: PyValue = '';
  private bValue: PyValue = '';
  private b2j = new Map<unknown, number[]>();
  private bjunk = new Map<unknown, PyValue>();
  private bpopular = new Map<unknown, PyValue>();
  private matchingBlocks: MatchTriple[] | undefined;
  private opcodes: PyValue[] | undefined;
  private fullbcount: Map<unknown, number> | undefined;
  constructor(readonly ctx: StdlibContext, readonly isjunk: PyValue, a: PyValue, b: PyValue, readonly autojunk: boolean, private readonly loc: HostContext['loc']) {
    super();
    this.setSeq1(a);
    this.setSeq2(b);
  }
  override get typeName(): string {
    return 'SequenceMatcher';
  }
  private elements(v: PyValue): PyValue[] {
    if (typeof v === 'string') return Array.from(v);
    if (v instanceof PyList || v instanceof PyTuple) return v.items;
    const r = toArray(this.ctx.interp, v, this.loc);
    if (r instanceof Promise) throw unsupported('SequenceMatcher over an asynchronous iterable', this.loc);
    return r;
  }
  private same(x: PyValue, y: PyValue): boolean {
    return typeof x === 'string' && typeof y === 'string' ? x === y : eq(this.ctx.interp, x, y);
  }
  setSeq1(a: PyValue): void {
    if (a === this.aValue && this.matchingBlocks !== undefined) return;
    this.aValue = a;
    this.a = this.elements(a);
    this.matchingBlocks = this.opcodes = undefined;
  }
  setSeq2(b: PyValue): void {
    if (b === this.bValue && this.matchingBlocks !== undefined) return;
    this.bValue = b;
    this.b = this.elements(b);
    this.matchingBlocks = this.opcodes = undefined;
    this.fullbcount = undefined;
    this.chainB();
  }
  private chainB(): void {
    const b2j = new Map<unknown, number[]>();
    const keyOf = new Map<unknown, PyValue>();
    this.b.forEach((elt, i) => {
      const k = hashKey(elt);
      let idx = b2j.get(k);
      if (!idx) b2j.set(k, (idx = []));
      idx.push(i);
      if (!keyOf.has(k)) keyOf.set(k, elt);
    });
    this.bjunk = new Map();
    if (this.isjunk !== null && this.isjunk !== undefined) {
      for (const k of b2j.keys()) if (truthy(this.ctx.interp, callSync(this.ctx.interp, this.isjunk, [keyOf.get(k)!], this.loc))) this.bjunk.set(k, keyOf.get(k)!);
      for (const k of this.bjunk.keys()) b2j.delete(k);
    }
    this.bpopular = new Map();
    const n = this.b.length;
    if (this.autojunk && n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      for (const [k, idxs] of b2j) if (idxs.length > ntest) this.bpopular.set(k, keyOf.get(k)!);
      for (const k of this.bpopular.keys()) b2j.delete(k);
    }
    this.b2j = b2j;
  }
  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): MatchTriple {
    const { a, b, b2j } = this;
    const isbjunk = (x: PyValue) => this.bjunk.has(hashKey(x));
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const newj2len = new Map<number, number>();
      for (const j of b2j.get(hashKey(a[i])) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        newj2len.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = newj2len;
    }
    while (besti > alo && bestj > blo && !isbjunk(b[bestj - 1]) && this.same(a[besti - 1], b[bestj - 1])) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && !isbjunk(b[bestj + bestsize]) && this.same(a[besti + bestsize], b[bestj + bestsize])) bestsize++;
    while (besti > alo && bestj > blo && isbjunk(b[bestj - 1]) && this.same(a[besti - 1], b[bestj - 1])) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && isbjunk(b[bestj + bestsize]) && this.same(a[besti + bestsize], b[bestj + bestsize])) bestsize++;
    return new MatchTriple(besti, bestj, bestsize);
  }
  getMatchingBlocks(): MatchTriple[] {
    if (this.matchingBlocks) return this.matchingBlocks;
    const la = this.a.length;
    const lb = this.b.length;
    const queue: Array<[number, number, number, number]> = [[0, la, 0, lb]];
    const blocks: MatchTriple[] = [];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const x = this.findLongestMatch(alo, ahi, blo, bhi);
      const { a: i, b: j, size: k } = x;
      if (k) {
        blocks.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    blocks.sort((p, q) => p.a - q.a || p.b - q.b || p.size - q.size);
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    const nonAdjacent: MatchTriple[] = [];
    for (const { a: i2, b: j2, size: k2 } of blocks) {
      if (i1 + k1 === i2 && j1 + k1 === j2) k1 += k2;
      else {
        if (k1) nonAdjacent.push(new MatchTriple(i1, j1, k1));
        i1 = i2;
        j1 = j2;
        k1 = k2;
      }
    }
    if (k1) nonAdjacent.push(new MatchTriple(i1, j1, k1));
    nonAdjacent.push(new MatchTriple(la, lb, 0));
    this.matchingBlocks = nonAdjacent;
    return nonAdjacent;
  }
  getOpcodes(): PyValue[] {
    if (this.opcodes) return this.opcodes;
    let i = 0;
    let j = 0;
    const answer: PyValue[] = [];
    for (const { a: ai, b: bj, size } of this.getMatchingBlocks()) {
      const tag = i < ai && j < bj ? 'replace' : i < ai ? 'delete' : j < bj ? 'insert' : '';
      if (tag) answer.push(new PyTuple([tag, i, ai, j, bj]));
      i = ai + size;
      j = bj + size;
      if (size) answer.push(new PyTuple(['equal', ai, i, bj, j]));
    }
    this.opcodes = answer;
    return answer;
  }
  ratio(): PyFloat {
    const matches = this.getMatchingBlocks().reduce((s, m) => s + m.size, 0);
    return ratioOf(matches, this.a.length + this.b.length);
  }
  quickRatio(): PyFloat {
    if (!this.fullbcount) {
      this.fullbcount = new Map();
      for (const elt of this.b) {
        const k = hashKey(elt);
        this.fullbcount.set(k, (this.fullbcount.get(k) ?? 0) + 1);
      }
    }
    const avail = new Map<unknown, number>();
    let matches = 0;
    for (const elt of this.a) {
      const k = hashKey(elt);
      const numb = avail.has(k) ? avail.get(k)! : (this.fullbcount.get(k) ?? 0);
      avail.set(k, numb - 1);
      if (numb > 0) matches++;
    }
    return ratioOf(matches, this.a.length + this.b.length);
  }
  realQuickRatio(): PyFloat {
    const la = this.a.length;
    const lb = this.b.length;
    return ratioOf(Math.min(la, lb), la + lb);
  }
  override getAttr(name: string): PyValue | undefined {
    const num = (v: PyValue | undefined, d: number) => (v === undefined || v === null ? d : Number(v));
    switch (name) {
      case 'a': return this.aValue;
      case 'b': return this.bValue;
      case 'isjunk': return this.isjunk;
      case 'autojunk': return this.autojunk;
      case 'set_seqs': return fn(name, (a, k) => { this.setSeq1(argOf(a, k, 0, 'a') ?? ''); this.setSeq2(argOf(a, k, 1, 'b') ?? ''); return null; });
      case 'set_seq1': return fn(name, (a, k) => { this.setSeq1(argOf(a, k, 0, 'a') ?? ''); return null; });
      case 'set_seq2': return fn(name, (a, k) => { this.setSeq2(argOf(a, k, 0, 'b') ?? ''); return null; });
      case 'find_longest_match':
        return fn(name, (a, k) => this.findLongestMatch(num(argOf(a, k, 0, 'alo'), 0), num(argOf(a, k, 1, 'ahi'), this.a.length), num(argOf(a, k, 2, 'blo'), 0), num(argOf(a, k, 3, 'bhi'), this.b.length)));
      case 'get_matching_blocks': return fn(name, () => new PyList([...this.getMatchingBlocks()]));
      case 'get_opcodes': return fn(name, () => new PyList([...this.getOpcodes()]));
      case 'ratio': return fn(name, () => this.ratio());
      case 'quick_ratio': return fn(name, () => this.quickRatio());
      case 'real_quick_ratio': return fn(name, () => this.realQuickRatio());
    }
    return undefined;
  }
}

export function difflibModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const SequenceMatcher = hostClass(
    'SequenceMatcher',
    (a, k, c) => {
      const autojunk = argOf(a, k, 3, 'autojunk');
      return new SequenceMatcherObject(ctx, argOf(a, k, 0, 'isjunk') ?? null, argOf(a, k, 1, 'a') ?? '', argOf(a, k, 2, 'b') ?? '', autojunk === undefined ? true : truthy(interp, autojunk), c.loc);
    },
    { module: 'difflib' },
  );
  const getCloseMatches = fn('get_close_matches', (a, k: Kwargs | null, c) => {
    const word = argOf(a, k, 0, 'word') ?? '';
    const possibilities = argOf(a, k, 1, 'possibilities') ?? new PyList([]);
    const n = Number(argOf(a, k, 2, 'n') ?? 3);
    const cutoffV = argOf(a, k, 3, 'cutoff') ?? new PyFloat(0.6);
    const cutoff = cutoffV instanceof PyFloat ? cutoffV.v : Number(cutoffV);
    if (!(n > 0)) throw pyErr('ValueError', `n must be > 0: ${repr(interp, n)}`);
    if (!(cutoff >= 0 && cutoff <= 1)) throw pyErr('ValueError', `cutoff must be in [0.0, 1.0]: ${repr(interp, cutoffV)}`);
    const xs = toArray(interp, possibilities, c.loc);
    if (xs instanceof Promise) throw unsupported('get_close_matches over an asynchronous iterable', c.loc);
    const s = new SequenceMatcherObject(ctx, null, '', '', true, c.loc);
    s.setSeq2(word);
    const result: Array<[number, PyValue, number]> = [];
    xs.forEach((x, order) => {
      s.setSeq1(x);
      if (s.realQuickRatio().v >= cutoff && s.quickRatio().v >= cutoff) {
        const r = s.ratio().v;
        if (r >= cutoff) result.push([r, x, order]);
      }
    });
    // heapq.nlargest(n, result) on (score, x) pairs: by score, then by x (Python's tuple order), largest first.
    const strKeys = result.every(([, x]) => typeof x === 'string');
    if (!strKeys && result.length > 1) throw unsupported('get_close_matches over non-str possibilities', c.loc);
    result.sort((p, q) => q[0] - p[0] || ((q[1] as string) < (p[1] as string) ? -1 : (q[1] as string) > (p[1] as string) ? 1 : 0));
    return new PyList(result.slice(0, n).map(([, x]) => x));
  });
  return partialModule('difflib', { SequenceMatcher, get_close_matches: getCloseMatches });
}
