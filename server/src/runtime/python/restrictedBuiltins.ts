// Namespaces whose code sees only some builtins (exec(code, {"__builtins__": {...}}), as
// PythonCodeNode runs its code): the globals map → the builtins its names fall back to.
import type { PyValue } from './values';

export const restrictedBuiltins = {
  /** False until the first restricted namespace exists (keeps the common lookup path free). */
  inUse: false,
  of: new WeakMap<Map<string, PyValue>, Map<string, PyValue>>(),
};

/** Give `globals` its own builtins: only `names` (those the interpreter has) from `all`. */
export function restrictBuiltins(globals: Map<string, PyValue>, all: Map<string, PyValue>, names: Iterable<string>): void {
  const table = new Map<string, PyValue>();
  for (const n of names) {
    const v = all.get(n);
    if (v !== undefined) table.set(n, v);
  }
  restrictedBuiltins.of.set(globals, table);
  restrictedBuiltins.inUse = true;
}
