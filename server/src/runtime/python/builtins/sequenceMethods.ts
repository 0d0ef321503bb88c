/** list, tuple and collections.deque methods. */
import { PyException, PyDeque, PyList, PyTuple, pyErr } from '../values';
import { eq, truthy } from '../protocols/equality';
import { methodTables } from '../runtime';
import { repr } from '../protocols/text';
import { toArray } from '../protocols/iteration';
import { toIndex } from '../protocols/subscripts';
import { then, noKwargs, kw } from './callArgs';
import { sortValues } from '../builtins';

const L = methodTables.list;
const DQ = methodTables.deque;
/** A deque bounded by maxlen drops from the other end, as CPython's does. */
function bound(d: PyDeque, fromLeft: boolean): void {
  if (d.maxlen === null) return;
  while (d.items.length > d.maxlen) {
    if (fromLeft) d.items.shift();
    else d.items.pop();
  }
}
L.append = (interp, l: PyList, a) => {
  if (a.length !== 1) throw pyErr('TypeError', `list.append() takes exactly one argument (${a.length} given)`);
  const items = l.items;
  items.push(a[0]);
  if ((items.length & 0xfffff) === 0) interp.checkSize(items.length, undefined);
  return null;
};
L.extend = (interp, l: PyList, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    interp.checkSize(l.items.length + xs.length, loc);
    for (const x of xs) l.items.push(x);
    return null;
  });
L.insert = (interp, l: PyList, a) => {
  let i = toIndex(a[0]);
  const n = l.items.length;
  if (i < 0) i = Math.max(0, i + n);
  if (i > n) i = n;
  l.items.splice(i, 0, a[1]);
  void interp;
  return null;
};
L.pop = (_i, l: PyList, a) => {
  const n = l.items.length;
  if (n === 0) throw pyErr('IndexError', 'pop from empty list');
  let i = a.length ? toIndex(a[0]) : n - 1;
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw pyErr('IndexError', 'pop index out of range');
  return l.items.splice(i, 1)[0];
};
L.remove = (interp, l: PyList, a) => {
  const i = l.items.findIndex((x) => eq(interp, x, a[0]));
  if (i < 0) throw pyErr('ValueError', 'list.remove(x): x not in list');
  l.items.splice(i, 1);
  return null;
};
L.index = (interp, l: PyList | PyTuple, a) => {
  const n = l.items.length;
  let st = a[1] === undefined ? 0 : toIndex(a[1]);
  let en = a[2] === undefined ? n : toIndex(a[2]);
  if (st < 0) st = Math.max(0, st + n);
  if (en < 0) en = Math.max(0, en + n);
  for (let i = st; i < Math.min(en, n); i++) if (eq(interp, l.items[i], a[0])) return i;
  throw pyErr('ValueError', l instanceof PyList ? `${repr(interp, a[0])} is not in list` : 'tuple.index(x): x not in tuple');
};
L.count = (interp, l: PyList | PyTuple, a) => l.items.filter((x) => eq(interp, x, a[0])).length;
L.sort = (interp, l: PyList, a, k, loc) => {
  if (a.length) throw pyErr('TypeError', 'sort() takes no positional arguments');
  noKwargs('sort', k, ['key', 'reverse']);
  return then(sortValues(interp, l.items, kw(k, 'key') ?? null, truthy(interp, kw(k, 'reverse') ?? false), loc), (ys) => {
    l.items = ys;
    return null;
  });
};
L.reverse = (_i, l: PyList) => {
  l.items.reverse();
  return null;
};
L.copy = (_i, l: PyList) => new PyList(l.items.slice());
L.clear = (_i, l: PyList) => {
  l.items.length = 0;
  return null;
};
L.__len__ = (_i, l: PyList) => l.items.length;
L.__getitem__ = (interp, l: PyList, a) => {
  const i = toIndex(a[0]);
  const j = i < 0 ? i + l.items.length : i;
  if (j < 0 || j >= l.items.length) throw pyErr('IndexError', 'list index out of range');
  void interp;
  return l.items[j];
};

const T = methodTables.tuple;
T.index = L.index;
T.count = L.count;
T.__len__ = (_i, t: PyTuple) => t.items.length;


// collections.deque (PyDeque): the list methods a deque has, bounded by maxlen, and its own.
DQ.append = (interp, d: PyDeque, a, k, loc) => {
  const r = L.append(interp, d, a, k, loc);
  bound(d, true);
  return r;
};
DQ.appendleft = (_i, d: PyDeque, a) => {
  if (a.length !== 1) throw pyErr('TypeError', `deque.appendleft() takes exactly one argument (${a.length} given)`);
  d.items.unshift(a[0]);
  bound(d, false);
  return null;
};
DQ.extend = (interp, d: PyDeque, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    for (const x of xs) {
      d.items.push(x);
      bound(d, true);
    }
    return null;
  });
DQ.extendleft = (interp, d: PyDeque, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    for (const x of xs) {
      d.items.unshift(x);
      bound(d, false);
    }
    return null;
  });
DQ.pop = (_i, d: PyDeque, a) => {
  if (a.length) throw pyErr('TypeError', `deque.pop() takes no arguments (${a.length} given)`);
  if (!d.items.length) throw pyErr('IndexError', 'pop from an empty deque');
  return d.items.pop()!;
};
DQ.popleft = (_i, d: PyDeque) => {
  if (!d.items.length) throw pyErr('IndexError', 'pop from an empty deque');
  return d.items.shift()!;
};
DQ.rotate = (_i, d: PyDeque, a) => {
  const n = d.items.length;
  if (!n) return null;
  let k = a.length ? toIndex(a[0]) : 1;
  k = ((k % n) + n) % n;
  if (k) d.items = [...d.items.slice(n - k), ...d.items.slice(0, n - k)];
  return null;
};
DQ.clear = (_i, d: PyDeque) => {
  d.items = [];
  return null;
};
DQ.copy = (_i, d: PyDeque) => new PyDeque([...d.items], d.maxlen);
DQ.insert = (interp, d: PyDeque, a, k, loc) => {
  if (d.maxlen !== null && d.items.length >= d.maxlen) throw pyErr('IndexError', 'deque already at its maximum size');
  return L.insert(interp, d, a, k, loc);
};
DQ.remove = (interp, d: PyDeque, a) => {
  const i = d.items.findIndex((x) => eq(interp, x, a[0]));
  if (i < 0) throw pyErr('ValueError', `${repr(interp, a[0])} is not in deque`);
  d.items.splice(i, 1);
  return null;
};
DQ.index = (interp, d: PyDeque, a, k, loc) => {
  try {
    return L.index(interp, d, a, k, loc);
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'ValueError') throw pyErr('ValueError', `${repr(interp, a[0])} is not in deque`);
    throw e;
  }
};
DQ.count = L.count;
DQ.reverse = L.reverse;
