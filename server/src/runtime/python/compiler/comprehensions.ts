/** Compiles comprehensions and generator expressions; the lazy iterator they run on. */
import type { Node } from 'web-tree-sitter';
import { IterResult, PyDict, PyIterator, PyList, PySet, PyTuple, PyValue, STOP, SourceLocation } from '../values';
import { Frame, LoopFrame } from '../runtime';
import { iter } from '../protocols/iteration';
import { truthy } from '../protocols/equality';
import { ExpressionCompiler } from './expressions';
import { Scope } from './scope';
import { type Ex, type Assign } from './types';
import { field, named, isAsync } from './treeNodes';
import { then } from './steps';

export abstract class ComprehensionCompiler extends ExpressionCompiler {
  override comprehension(n: Node, scope: Scope): Ex {
    const kind = n.type;
    const bodyNode = field(n, 'body')!;
    const clauses = named(n).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const cscope = new Scope('comprehension', scope, scope.qualname);
    // bind comprehension targets
    const bindNames = (t: Node): void => {
      if (t.type === 'identifier') cscope.slot(t.text);
      else for (const c of named(t)) bindNames(c);
    };
    for (const c of clauses) if (c.type === 'for_in_clause') bindNames(field(c, 'left')!);
    const compiled: CompClause[] = clauses.map((c, i) => {
      if (c.type === 'for_in_clause') {
        const right = field(c, 'right')!;
        // the first iterable is evaluated in the enclosing scope
        const iterEx = i === 0 ? undefined : this.rightExpr(right, cscope);
        return { kind: 'for', target: this.target(field(c, 'left')!, cscope), iter: iterEx, loc: this.loc(c), async: isAsync(c) };
      }
      return { kind: 'if', cond: this.expr(named(c)[0], cscope), loc: this.loc(c) };
    });
    if (compiled[0]?.kind !== 'for') return this.unsupportedEx('comprehension without a for clause', n);
    const firstIter = this.rightExpr(field(clauses[0], 'right')!, scope);
    let body: Ex;
    let valEx: Ex | undefined;
    if (kind === 'dictionary_comprehension') {
      body = this.expr(field(bodyNode, 'key')!, cscope);
      valEx = this.expr(field(bodyNode, 'value')!, cscope);
    } else body = this.expr(bodyNode, cscope);
    const loc = this.loc(n);
    const spec: CompSpec = { clauses: compiled, body, value: valEx, loc, nslots: () => cscope.locals.size };
    return (f) =>
      then(firstIter(f), (first) => {
        const interp = f.interp;
        const child = new Frame(interp, f.globals, { v: new Array(cscope.locals.size), up: f.env }, f.fn, null, f.name, f.file, f.stmt) as Frame & { outer?: Frame };
        child.outer = f;
        const it = new ComprehensionIterator(child, spec, iter(interp, first, compiled[0].loc));
        if (kind === 'generator_expression') return it;
        if (kind === 'list_comprehension') return then(drain(it, loc), (xs) => new PyList(xs));
        if (kind === 'set_comprehension') return then(drain(it, loc), (xs) => PySet.of(xs));
        return then(drain(it, loc), (xs) => {
          const d = new PyDict();
          for (const p of xs) {
            const t = (p as PyTuple).items;
            d.set(t[0], t[1]);
          }
          return d;
        });
      });
  }
}

interface CompClause {
  kind: 'for' | 'if';
  target?: Assign;
  iter?: Ex;
  cond?: Ex;
  loc: SourceLocation;
  async?: boolean;
}
interface CompSpec {
  clauses: CompClause[];
  body: Ex;
  value?: Ex;
  loc: SourceLocation;
  nslots: () => number;
}

class ComprehensionIterator extends PyIterator {
  private readonly iters: (PyIterator | undefined)[];
  private readonly frames: (LoopFrame | undefined)[];
  private pos = 0;
  private done = false;
  private readonly prevFor: number[];
  private readonly lastFor: number;
  constructor(
    private readonly f: Frame,
    private readonly spec: CompSpec,
    first: PyIterator,
  ) {
    super();
    const n = spec.clauses.length;
    this.iters = new Array(n);
    this.frames = new Array(n);
    this.iters[0] = first;
    this.prevFor = new Array(n);
    let last = -1;
    for (let i = 0; i < n; i++) {
      this.prevFor[i] = last;
      if (spec.clauses[i].kind === 'for') last = i;
    }
    this.lastFor = last;
  }
  override get typeName(): string {
    return 'generator';
  }

  private pushFrames(): number {
    const loops = this.f.interp.loops;
    const depth = loops.length;
    for (const lf of this.frames) if (lf) loops.push(lf);
    return depth;
  }

  next(): IterResult | Promise<IterResult> {
    if (this.done) return STOP;
    const interp = this.f.interp;
    const depth = this.pushFrames();
    let async = false;
    try {
      const r = this.step(null);
      if (r instanceof Promise) {
        async = true;
        return r.finally(() => {
          interp.loops.length = depth;
        });
      }
      return r;
    } finally {
      if (!async) interp.loops.length = depth;
    }
  }

  /**
   * Advances the state machine. `resume` carries the value of a pending asynchronous step:
   * [stage, value] where stage is 'iter' | 'next' | 'cond' | 'body' | 'assign' | 'tick'.
   */
  private step(resume: [string, PyValue | IterResult] | null): IterResult | Promise<IterResult> {
    const { clauses } = this.spec;
    const f = this.f;
    const interp = f.interp;
    const n = clauses.length;
    for (;;) {
      if (resume) {
        const [stage, val] = resume;
        resume = null;
        if (stage === 'body') {
          this.pos = this.lastFor;
          return val as PyValue;
        }
        if (stage === 'iter') {
          this.iters[this.pos] = iter(interp, val as PyValue, clauses[this.pos].loc);
          continue;
        }
        if (stage === 'next') {
          const r = this.afterNext(val as IterResult);
          if (r instanceof Promise) return r.then((x) => this.step(['tick', x as PyValue]));
          if (r === STOP) return STOP;
          continue;
        }
        if (stage === 'cond') {
          if (truthy(interp, val as PyValue)) this.pos++;
          else this.pos = this.prevFor[this.pos];
          if (this.pos < 0) {
            this.done = true;
            return STOP;
          }
          continue;
        }
        // 'tick' / 'assign': nothing more to do
        continue;
      }
      if (this.pos === n) {
        const v = this.evalBody();
        if (v instanceof Promise) return v.then((x) => this.step(['body', x]));
        this.pos = this.lastFor;
        return v;
      }
      const c = clauses[this.pos];
      if (c.kind === 'for') {
        let it = this.iters[this.pos];
        if (!it) {
          const iv = c.iter!(f);
          if (iv instanceof Promise) return iv.then((x) => this.step(['iter', x]));
          it = this.iters[this.pos] = iter(interp, iv, c.loc);
        }
        const x = it.next();
        if (x instanceof Promise) return x.then((v) => this.step(['next', v]));
        const r = this.afterNext(x);
        if (r instanceof Promise) return r.then(() => this.step(['tick', null]));
        if (r === STOP) return STOP;
        continue;
      }
      const cv = c.cond!(f);
      if (cv instanceof Promise) return cv.then((v) => this.step(['cond', v]));
      if (cv === true || (cv !== false && truthy(interp, cv))) this.pos++;
      else {
        this.pos = this.prevFor[this.pos];
        if (this.pos < 0) {
          this.done = true;
          return STOP;
        }
      }
    }
  }

  /** After the iterator at pos produced x: assign the target and advance; STOP when exhausted. */
  private afterNext(x: IterResult): IterResult | Promise<unknown> | undefined {
    const interp = this.f.interp;
    const c = this.spec.clauses[this.pos];
    if (x === STOP) {
      this.iters[this.pos] = undefined;
      const lf = this.frames[this.pos];
      if (lf) {
        const i = interp.loops.lastIndexOf(lf);
        if (i >= 0) interp.loops.splice(i, 1);
      }
      this.frames[this.pos] = undefined;
      this.pos = this.prevFor[this.pos];
      if (this.pos < 0) {
        this.done = true;
        return STOP;
      }
      return undefined;
    }
    let lf = this.frames[this.pos];
    if (!lf) {
      lf = this.frames[this.pos] = { kind: 'comprehension', loc: c.loc, iteration: -1, fn: this.f.name };
      interp.loops.push(lf);
    }
    lf.iteration++;
    const t = interp.tick(c.loc);
    const a = c.target!(this.f, x);
    this.pos++;
    if (t !== undefined) return a instanceof Promise ? Promise.all([t, a]) : t;
    if (a instanceof Promise) return a;
    return undefined;
  }

  private evalBody(): PyValue | Promise<PyValue> {
    const f = this.f;
    const k = this.spec.body(f);
    if (!this.spec.value) return k;
    const v = this.spec.value;
    if (k instanceof Promise) return k.then((kv) => then(v(f), (vv) => new PyTuple([kv, vv])));
    const vv = v(f);
    if (vv instanceof Promise) return vv.then((x) => new PyTuple([k, x]));
    return new PyTuple([k, vv]);
  }
}

function drain(it: PyIterator, loc: SourceLocation): PyValue[] | Promise<PyValue[]> {
  const out: PyValue[] = [];
  for (;;) {
    const x = it.next();
    if (x instanceof Promise) return drainRest(it, out, x, loc);
    if (x === STOP) return out;
    out.push(x);
  }
}

async function drainRest(it: PyIterator, out: PyValue[], p: Promise<IterResult>, loc: SourceLocation): Promise<PyValue[]> {
  let x: IterResult | Promise<IterResult> = p;
  for (;;) {
    if (x instanceof Promise) x = await x;
    if (x === STOP) return out;
    out.push(x);
    x = it.next();
  }
  void loc;
}
