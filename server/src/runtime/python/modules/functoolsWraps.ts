/**
 * functools.update_wrapper / functools.wraps as CPython 3.11 defines them: the wrapper takes the
 * wrapped callable's __module__, __name__, __qualname__, __doc__ and __annotations__ (each one the
 * wrapped value has), its __dict__ entries, and `__wrapped__` pointing at it.
 */
import { PyFunction, PyValue, SourceLocation } from '../values';
import { NO_ATTR, type Interp } from '../runtime';
import { getAttrOpt, setAttr } from '../protocols/attributes';
import { fn } from './kit';

const WRAPPER_ASSIGNMENTS = ['__module__', '__name__', '__qualname__', '__doc__', '__annotations__'];

function then<T>(v: T | Promise<T>, f: (x: T) => PyValue | Promise<PyValue>): PyValue | Promise<PyValue> {
  return v instanceof Promise ? v.then(f) : f(v);
}

export function updateWrapper(interp: Interp, wrapper: PyValue, wrapped: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const assign = (i: number): PyValue | Promise<PyValue> => {
    if (i === WRAPPER_ASSIGNMENTS.length) {
      if (wrapped instanceof PyFunction && wrapped.attrs && wrapper instanceof PyFunction) {
        for (const [k, v] of wrapped.attrs) if (!WRAPPER_ASSIGNMENTS.includes(k)) (wrapper.attrs ??= new Map()).set(k, v);
      }
      return then(setAttr(interp, wrapper, '__wrapped__', wrapped, loc), () => wrapper);
    }
    const name = WRAPPER_ASSIGNMENTS[i];
    return then(getAttrOpt(interp, wrapped, name, loc), (v) => {
      if (v === NO_ATTR) return assign(i + 1);
      return then(setAttr(interp, wrapper, name, v as PyValue, loc), () => assign(i + 1));
    });
  };
  return assign(0);
}

export function functoolsWrapMembers(interp: Interp): Record<string, PyValue> {
  return {
    update_wrapper: fn('update_wrapper', (a, _k, ctx) => updateWrapper(interp, a[0] ?? null, a[1] ?? null, ctx.loc)),
    wraps: fn('wraps', (a) => {
      const wrapped = a[0] ?? null;
      return fn('wraps', (b, _k, ctx) => updateWrapper(interp, b[0] ?? null, wrapped, ctx.loc));
    }),
  };
}
