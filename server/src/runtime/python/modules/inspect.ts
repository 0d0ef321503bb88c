/** inspect, the part test conftests use: iscoroutinefunction (as CPython 3.11 answers it). Other members are not modelled. */
import { PyBoundMethod, PyBuiltin, PyClass, PyFunction, PyValue, UnsupportedPythonError } from '../values';
import { PyHostFunction } from '../host';
import { StdlibContext, fn, partialModule } from './kit';

/** `async def` without `yield` (an async generator function is not a coroutine function). */
function isCoroutineFunction(v: PyValue): boolean | undefined {
  if (v instanceof PyFunction) return v.code.isAsync && v.code.yieldLoc === undefined;
  if (v instanceof PyBoundMethod) return isCoroutineFunction(v.func);
  if (v instanceof PyHostFunction) return v.coroutine;
  if (v instanceof PyBuiltin || v instanceof PyClass) return false;
  if (v === null || typeof v !== 'object') return false;
  return undefined;
}

export function inspectModule(_ctx: StdlibContext) {
  return partialModule('inspect', {
    iscoroutinefunction: fn('iscoroutinefunction', (a, _k, ctx) => {
      const r = isCoroutineFunction(a[0] ?? null);
      if (r === undefined) throw new UnsupportedPythonError('inspect.iscoroutinefunction', ctx.loc, `whether this ${a[0] && typeof a[0] === 'object' ? a[0].typeName : 'value'} is a coroutine function is not modelled`);
      return r;
    }),
  });
}
