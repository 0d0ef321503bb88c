// What core nodes that run Python (PythonCodeNode) need from the evaluation running the user's
// file: its interpreter, and the conversions between DataFlow-layer values and Python values.
import type { Interp } from '../python/runtime';
import type { PyValue } from '../python/values';

export interface EvaluatorBridge {
  /** The interpreter evaluating the file (undefined before any Python code created a workflow). */
  interp(): Interp | undefined;
  /** A DataFlow-layer value (a node output, a parameter) as Python sees it. */
  toPython(v: unknown): PyValue;
  /** A Python value as the DataFlow layer takes it. */
  fromPython(v: PyValue): unknown;
}
