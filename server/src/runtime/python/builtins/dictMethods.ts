/** dict methods. */
import { PyDict, PyException, PyTuple, builtinExceptionClasses, makeException, pyErr } from '../values';
import { methodTables } from '../runtime';
import { DictView } from './dictView';
import { then } from './callArgs';
import { dictFrom } from './types';

const D = methodTables.dict;
D.get = (_i, d: PyDict, a) => {
  if (a.length < 1 || a.length > 2) throw pyErr('TypeError', `get expected at least 1 argument, got ${a.length}`);
  const v = d.get(a[0]);
  return v === undefined ? (a[1] ?? null) : v;
};
D.keys = (_i, d: PyDict) => new DictView(d, 'keys');
D.values = (_i, d: PyDict) => new DictView(d, 'values');
D.items = (_i, d: PyDict) => new DictView(d, 'items');
D.update = (interp, d: PyDict, a, k, loc) =>
  then(dictFrom(interp, a, k, loc), (src) => {
    for (const [key, v] of src.entries()) d.set(key, v);
    return null;
  });
D.pop = (_i, d: PyDict, a) => {
  const v = d.get(a[0]);
  if (v === undefined) {
    if (a.length > 1) return a[1];
    throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
  }
  d.delete(a[0]);
  return v;
};
D.popitem = (_i, d: PyDict) => {
  const e = d.entries().pop();
  if (!e) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, ['popitem(): dictionary is empty']));
  d.delete(e[0]);
  return new PyTuple([e[0], e[1]]);
};
D.setdefault = (_i, d: PyDict, a) => {
  const v = d.get(a[0]);
  if (v !== undefined) return v;
  const dv = a[1] ?? null;
  d.set(a[0], dv);
  return dv;
};
D.copy = (_i, d: PyDict) => d.copy();
D.clear = (_i, d: PyDict) => {
  d.clear();
  return null;
};
D.__len__ = (_i, d: PyDict) => d.size;
D.__getitem__ = (_i, d: PyDict, a) => {
  const v = d.get(a[0]);
  if (v === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
  return v;
};
D.__contains__ = (_i, d: PyDict, a) => d.has(a[0]);
