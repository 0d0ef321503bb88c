/** copy.deepcopy. */
import { PyDict, PyInstance, PyList, PySet, PyTuple, PyValue } from '../values';

export function deepCopy(v: PyValue, memo: Map<object, PyValue>): PyValue {
  if (typeof v !== 'object' || v === null) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  if (v instanceof PyList) {
    const out = new PyList([]);
    memo.set(v, out);
    out.items = v.items.map((x) => deepCopy(x, memo));
    return out;
  }
  if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => deepCopy(x, memo)));
  if (v instanceof PyDict) {
    const out = new PyDict();
    memo.set(v, out);
    for (const [k, x] of v.entries()) out.set(deepCopy(k, memo), deepCopy(x, memo));
    return out;
  }
  if (v instanceof PySet) return PySet.of(v.values().map((x) => deepCopy(x, memo)), v.frozen);
  if (v instanceof PyInstance && !v.cls.enumMembers) {
    const out = new PyInstance(v.cls);
    memo.set(v, out);
    for (const [k, x] of v.dict) out.dict.set(k, deepCopy(x, memo));
    return out;
  }
  return v;
}
