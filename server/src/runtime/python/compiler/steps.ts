/** Running compiled steps in order, synchronously until one returns a Promise, then asynchronously. */
import type { Node } from 'web-tree-sitter';
import { Kwargs, PyClass, PyDict, PyException, PyInstance, PyList, PyOpaque, PyTuple, PyValue, SourceLocation, isExceptionClass, pyErr } from '../values';
import { Frame, Interp, unsupported, typeName } from '../runtime';
import { call, callMethod } from '../protocols/calls';
import { getItem } from '../protocols/subscripts';
import { inplaceOp } from '../protocols/operators';
import { toArray } from '../protocols/iteration';
import { truthy } from '../protocols/equality';
import { HostObject } from '../host';
import { type St, type Completion, type Assign, type Ex } from './types';
import { named } from './treeNodes';

export function noop(): undefined {
  return undefined;
}

/**
 * The step loop: runs step(i, f, a, b) for i = from, …, n - 1 in order, synchronously while each
 * step returns a plain value; once a step returns a Promise, the rest run after it settles. The
 * step gets its context as arguments, so a module-level step function allocates nothing per call.
 */
export function eachStep<A, B>(n: number, step: (i: number, f: Frame, a: A, b: B) => unknown, f: Frame, a: A, b: B, from = 0): void | Promise<void> {
  for (let i = from; i < n; i++) {
    const r = step(i, f, a, b);
    if (r instanceof Promise) return r.then(() => eachStep(n, step, f, a, b, i + 1));
  }
}

const assignEach = (i: number, f: Frame, assigns: Assign[], x: PyValue) => assigns[i](f, x);
const assignAt = (i: number, f: Frame, subs: Assign[], vals: PyValue[]) => subs[i](f, vals[i]);
const runAt = (i: number, f: Frame, steps: ((f: Frame) => unknown)[]) => steps[i](f);

/** Applies fn to v, or chains it when v is a Promise. */
export function then<T, R>(v: T | Promise<T>, fn: (x: T) => R | Promise<R>): R | Promise<R> {
  if (v instanceof Promise) return v.then(fn);
  return fn(v);
}

export function seq(list: St[]): St {
  const n = list.length;
  if (n === 0) return () => undefined;
  if (n === 1) return list[0];
  if (n === 2) {
    const [a, b] = list;
    return (f) => {
      const c = a(f);
      if (c !== undefined) {
        if (c instanceof Promise) return c.then((x) => (x !== undefined ? x : b(f)));
        return c;
      }
      return b(f);
    };
  }
  const runFrom = (f: Frame, i: number): Completion | Promise<Completion> => {
    for (; i < n; i++) {
      const c = list[i](f);
      if (c !== undefined) {
        if (c instanceof Promise) {
          const idx = i;
          return c.then((x) => (x !== undefined ? x : runFrom(f, idx + 1)));
        }
        return c;
      }
    }
    return undefined;
  };
  return (f) => runFrom(f, 0);
}

export function chainAssign(assigns: Assign[], i: number, f: Frame, x: PyValue): void | Promise<void> {
  return eachStep(assigns.length, assignEach, f, assigns, x, i);
}

export function assignRest(subs: Assign[], i: number, f: Frame, vals: PyValue[]): void | Promise<void> {
  return eachStep(subs.length, assignAt, f, subs, vals, i);
}

export function chainVoid(steps: ((f: Frame) => void | Promise<void> | unknown)[], i: number, f: Frame): void | Promise<void> {
  return eachStep(steps.length, runAt, f, steps, undefined, i);
}

export function chainSeq(steps: ((f: Frame) => void | Promise<void>)[], f: Frame): Completion | Promise<Completion> {
  const r = chainVoid(steps, 0, f);
  return r instanceof Promise ? r.then(noop) : undefined;
}

export function evalList(f: Frame, exs: Ex[]): PyValue[] | Promise<PyValue[]> {
  const n = exs.length;
  const out = new Array<PyValue>(n);
  for (let i = 0; i < n; i++) {
    const v = exs[i](f);
    if (v instanceof Promise) return evalListAsync(f, exs, out, i, v);
    out[i] = v;
  }
  return out;
}

async function evalListAsync(f: Frame, exs: Ex[], out: PyValue[], i: number, p: Promise<PyValue>): Promise<PyValue[]> {
  out[i] = await p;
  for (i = i + 1; i < exs.length; i++) {
    const v = exs[i](f);
    out[i] = v instanceof Promise ? await v : v;
  }
  return out;
}

export function addPart(f: Frame, out: PyValue[], p: { splat: boolean; loc: SourceLocation }, v: PyValue): void | Promise<void> {
  if (!p.splat) {
    out.push(v);
    return;
  }
  if (v instanceof PyList || v instanceof PyTuple) {
    for (const x of v.items) out.push(x);
    return;
  }
  const arr = toArray(f.interp, v, p.loc);
  if (arr instanceof Promise)
    return arr.then((xs) => {
      for (const x of xs) out.push(x);
    });
  for (const x of arr) out.push(x);
}

/** Step i of a list display with * parts: evaluates part i and adds it (or its items) to out. */
export function addPartAt(i: number, f: Frame, parts: { splat: boolean; ex: Ex; loc: SourceLocation }[], out: PyValue[]): void | Promise<void> {
  const p = parts[i];
  const v = p.ex(f);
  return v instanceof Promise ? v.then((x) => addPart(f, out, p, x)) : addPart(f, out, p, v);
}

/** Step i of a dict display: evaluates item i's key (or ** mapping) and puts it into d. */
export function putItemAt(i: number, f: Frame, items: { splat: boolean; k: Ex; v?: Ex; loc: SourceLocation }[], d: PyDict): void | Promise<void> {
  const it = items[i];
  const kv = it.k(f);
  return kv instanceof Promise ? kv.then((k) => putItem(f, d, it, k)) : putItem(f, d, it, kv);
}

export function putItem(f: Frame, d: PyDict, it: { splat: boolean; v?: Ex; loc: SourceLocation }, k: PyValue): void | Promise<void> {
  if (it.splat) return mergeInto(f, d, k, it.loc);
  const v = it.v!(f);
  if (v instanceof Promise)
    return v.then((x) => {
      d.set(k, x);
    });
  d.set(k, v);
}

/** {**m}: m is a dict or a mapping with keys() and __getitem__. */
function mergeInto(f: Frame, d: PyDict, m: PyValue, loc: SourceLocation): void | Promise<void> {
  if (m instanceof PyDict) {
    for (const [h, v] of m.map) d.setHashed(h, m.keyOf(h), v);
    return;
  }
  if (m instanceof PyInstance || m instanceof HostObject) {
    const interp = f.interp;
    return then(callMethod(interp, m, 'keys', [], null, loc), (ks) =>
      then(toArray(interp, ks, loc), (keys) => {
        const copyAt = (i: number): void | Promise<void> => {
          const v = getItem(interp, m, keys[i], loc);
          if (v instanceof Promise) return v.then((x) => void d.set(keys[i], x));
          d.set(keys[i], v);
        };
        return eachStep(keys.length, copyAt, f, undefined, undefined);
      }),
    );
  }
  if (m instanceof PyOpaque) throw unsupported(`** unpacking of '${m.description}'`, loc);
  throw pyErr('TypeError', `'${typeName(m)}' object is not a mapping`);
}

export function buildCallArgs(f: Frame, parts: { kind: 'pos' | 'star' | 'kw' | 'dstar'; name?: string; ex: Ex }[], loc: SourceLocation): [PyValue[], Kwargs | null] | Promise<[PyValue[], Kwargs | null]> {
  const args: PyValue[] = [];
  let kwargs: Kwargs | null = null;
  const interp = f.interp;
  const addKw = (k: string, v: PyValue) => {
    kwargs ??= new Map();
    if (kwargs.has(k)) throw pyErr('TypeError', `got multiple values for keyword argument '${k}'`);
    kwargs.set(k, v);
  };
  const apply = (p: (typeof parts)[number], v: PyValue): void | Promise<void> => {
    switch (p.kind) {
      case 'pos':
        args.push(v);
        return;
      case 'kw':
        addKw(p.name!, v);
        return;
      case 'star': {
        if (v instanceof PyList || v instanceof PyTuple) {
          for (const x of v.items) args.push(x);
          return;
        }
        if (v instanceof PyOpaque) throw unsupported(`* unpacking of '${v.description}'`, loc);
        const arr = toArray(interp, v, loc);
        if (arr instanceof Promise)
          return arr.then((xs) => {
            for (const x of xs) args.push(x);
          });
        for (const x of arr) args.push(x);
        return;
      }
      case 'dstar': {
        const d = new PyDict();
        return then(mergeInto(f, d, v, loc), () => {
          for (const [k, x] of d.entries()) {
            if (typeof k !== 'string') throw pyErr('TypeError', 'keywords must be strings');
            addKw(k, x);
          }
        });
      }
    }
  };
  const applyAt = (i: number): void | Promise<void> => {
    const p = parts[i];
    const v = p.ex(f);
    return v instanceof Promise ? v.then((x) => apply(p, x)) : apply(p, v);
  };
  const r = eachStep(parts.length, applyAt, f, undefined, undefined);
  return r instanceof Promise ? r.then((): [PyValue[], Kwargs | null] => [args, kwargs]) : [args, kwargs];
}

export function storeAfter(f: Frame, a: PyValue, b: PyValue | Promise<PyValue>, op: string, loc: SourceLocation, store: Assign): Completion | Promise<Completion> {
  const r = then(b, (bv) => then(inplaceOp(f.interp, op, a, bv, loc), (v) => store(f, v)));
  return r instanceof Promise ? r.then(noop) : undefined;
}

export function assertRest(f: Frame, t: PyValue, msg: Ex | undefined): Completion | Promise<Completion> {
  if (truthy(f.interp, t)) return undefined;
  if (!msg) throw pyErr('AssertionError');
  return then(msg(f), (m) => {
    throw pyErr('AssertionError', m);
  }) as unknown as Completion;
}

export function applyDecorators(f: Frame, decos: PyValue[], target: PyValue, locs: SourceLocation[]): PyValue | Promise<PyValue> {
  let v: PyValue | Promise<PyValue> = target;
  for (let i = decos.length - 1; i >= 0; i--) {
    const d = decos[i];
    const l = locs[i];
    v = then(v, (x) => call(f.interp, d, [x], null, l));
  }
  return v;
}

export async function fstringAsync(f: Frame, parts: (string | Ex)[], i: number, out: string, pending: Promise<PyValue>, loc: SourceLocation): Promise<PyValue> {
  out += (await pending) as string;
  for (i = i + 1; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') out += p;
    else {
      const v = p(f);
      out += (v instanceof Promise ? await v : v) as string;
    }
  }
  if (out.length > 1_000_000) f.interp.checkSize(out.length, loc);
  return out;
}

export function chainContext(e: unknown, ctx: PyException): unknown {
  if (e instanceof PyException && e !== ctx && !e.context) e.context = ctx;
  return e;
}

export function exceptionMatches(interp: Interp, pe: PyException, t: PyValue, loc: SourceLocation): boolean {
  if (t instanceof PyTuple) return t.items.some((x) => exceptionMatches(interp, pe, x, loc));
  if (t instanceof PyClass) {
    const mro = pe.exc.cls.mro;
    if (mro.includes(t)) return true;
    if (t.module !== 'builtins') return mro.some((c) => c.name === t.name && c.module !== 'builtins');
    return false;
  }
  if (t instanceof PyOpaque) throw unsupported(`except clause with '${t.description}'`, loc, 'the exception class comes from a module the evaluator does not implement');
  throw pyErr('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
}

export function makeRaisable(interp: Interp, v: PyValue, loc: SourceLocation): PyException | Promise<PyException> {
  if (v instanceof PyClass && isExceptionClass(v)) return then(call(interp, v, [], null, loc), (inst) => new PyException(inst as PyInstance));
  if (v instanceof PyInstance && isExceptionClass(v.cls)) return new PyException(v);
  if (v instanceof PyOpaque) throw unsupported(`raise of '${v.description}'`, loc);
  throw pyErr('TypeError', 'exceptions must derive from BaseException');
}

export function isMainCheck(cond: Node | null): boolean {
  if (!cond || cond.type !== 'comparison_operator') return false;
  const kids = named(cond);
  if (kids.length !== 2) return false;
  const txt = kids.map((k) => k.text.replace(/^['"]|['"]$/g, ''));
  return (txt[0] === '__name__' && txt[1] === '__main__') || (txt[1] === '__name__' && txt[0] === '__main__');
}
