// Crossing between the evaluator's Python values and the DataFlow layer's plain values.
import { fromPlain, toPlain } from '../python/convert';
import { builtinExceptionClasses, makeException, type PyValue as EvalValue } from '../python/values';
import { pythonMessageOf, pythonTypeOf } from '../workflow/errors';
import { kailashExceptionClass } from './kailashExceptions';
import type { DfRecord } from '../dataflow/values/dfValues';

/** A Python value as the DataFlow layer takes it (dicts → objects, whole floats → FloatNumber, other floats → numbers, datetimes → PyDateTime). */
export function toDataFlow(v: EvalValue): unknown {
  return toPlain(v, { floats: 'whole', nonStringKeys: 'stringify' });
}

export function toDataFlowDict(v: EvalValue | undefined): DfRecord {
  if (v === undefined || v === null) return {};
  const p = toDataFlow(v);
  if (p && typeof p === 'object' && !Array.isArray(p)) return p as DfRecord;
  throw Object.assign(new Error(`config must be a dict, got ${typeof p}`), { pyType: 'TypeError' });
}

/**
 * A DataFlow output as Python sees it. Numbers that are not whole are floats; whole numbers in a
 * field the models declare as float are floats too (Python prints 12.0, not 12).
 */
export function fromDataFlow(x: unknown, floatFields: ReadonlySet<string>): EvalValue {
  return fromPlain(x, {
    isFloat: (path: ReadonlyArray<string | number>, n: number) => {
      if (!Number.isInteger(n)) return true;
      const key = path.length ? path[path.length - 1] : undefined;
      return typeof key === 'string' && floatFields.has(key);
    },
    // A failed node entry's `_exception` is the exception object (LocalRuntime keeps it there).
    error: (e) => {
      const type = pythonTypeOf(e);
      return makeException(kailashExceptionClass(type) ?? builtinExceptionClasses.get(type) ?? builtinExceptionClasses.get('Exception')!, [pythonMessageOf(e)]);
    },
  });
}
