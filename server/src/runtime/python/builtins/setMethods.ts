/** set and frozenset methods. */
import { PyException, PySet, PyValue, SourceLocation, builtinExceptionClasses, makeException, pyErr } from '../values';
import { Interp, MethodImpl, methodTables } from '../runtime';
import { toArray } from '../protocols/iteration';
import { binop } from '../protocols/operators';
import { then } from './callArgs';

const SET = methodTables.set;
function otherSet(interp: Interp, v: PyValue, loc: SourceLocation | undefined): PySet | Promise<PySet> {
  if (v instanceof PySet) return v;
  return then(toArray(interp, v, loc), (xs) => PySet.of(xs));
}
function mutable(s: PySet, name: string): void {
  if (s.frozen) throw pyErr('AttributeError', `'frozenset' object has no attribute '${name}'`);
}
SET.add = (_i, s: PySet, a) => {
  mutable(s, 'add');
  s.add(a[0]);
  return null;
};
SET.remove = (_i, s: PySet, a) => {
  mutable(s, 'remove');
  if (!s.delete(a[0])) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
  return null;
};
SET.discard = (_i, s: PySet, a) => {
  mutable(s, 'discard');
  s.delete(a[0]);
  return null;
};
SET.pop = (_i, s: PySet) => {
  mutable(s, 'pop');
  const first = s.map.entries().next();
  if (first.done) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, ['pop from an empty set']));
  s.map.delete(first.value[0]);
  return first.value[1];
};
SET.clear = (_i, s: PySet) => {
  mutable(s, 'clear');
  s.map.clear();
  return null;
};
SET.copy = (_i, s: PySet) => PySet.of(s.values(), s.frozen);
SET.update = (interp, s: PySet, a, _k, loc) => {
  mutable(s, 'update');
  const step = (i: number): PyValue | Promise<PyValue> => {
    for (; i < a.length; i++) {
      const o = otherSet(interp, a[i], loc);
      if (o instanceof Promise) {
        const idx = i;
        return o.then((x) => {
          for (const v of x.values()) s.add(v);
          return step(idx + 1);
        });
      }
      for (const v of o.values()) s.add(v);
    }
    return null;
  };
  return step(0);
};
const setOp = (op: string): MethodImpl => (interp, s: PySet, a, _k, loc) => {
  let acc: PyValue | Promise<PyValue> = s;
  for (const x of a) acc = then<PyValue, PyValue>(acc, (cur) => then<PySet, PyValue>(otherSet(interp, x, loc), (o) => binop(interp, op, cur, o, loc)));
  if (a.length === 0) return PySet.of(s.values(), s.frozen);
  return acc;
};
SET.union = setOp('|');
SET.intersection = setOp('&');
SET.difference = setOp('-');
SET.symmetric_difference = setOp('^');
SET.issubset = (interp, s: PySet, a, _k, loc) => then(otherSet(interp, a[0], loc), (o) => s.values().every((v) => o.has(v)));
SET.issuperset = (interp, s: PySet, a, _k, loc) => then(otherSet(interp, a[0], loc), (o) => o.values().every((v) => s.has(v)));
SET.isdisjoint = (interp, s: PySet, a, _k, loc) => then(otherSet(interp, a[0], loc), (o) => !o.values().some((v) => s.has(v)));
/** set.difference_update(*others) / intersection_update(*others): every argument, in order (as CPython; only the first was used). */
const eachOther = (interp: Interp, a: PyValue[], loc: SourceLocation | undefined, apply: (o: PySet) => void, i = 0): PyValue | Promise<PyValue> => {
  for (; i < a.length; i++) {
    const o = otherSet(interp, a[i], loc);
    if (o instanceof Promise) {
      const next = i + 1;
      return o.then((x) => (apply(x), eachOther(interp, a, loc, apply, next)));
    }
    apply(o);
  }
  return null;
};
SET.difference_update = (interp, s: PySet, a, _k, loc) =>
  eachOther(interp, a, loc, (o) => {
    for (const v of o.values()) s.delete(v);
  });
SET.intersection_update = (interp, s: PySet, a, _k, loc) =>
  eachOther(interp, a, loc, (o) => {
    for (const v of s.values()) if (!o.has(v)) s.delete(v);
  });
