/** Shared pieces of the evaluator's standard-library modules (one module per file in this folder). */
import { Kwargs, NativeFn, PyBuiltin, PyModule, PyValue, pyErr, PyFloat } from '../values';
import type { Interp } from '../runtime';
import type { FileAccess } from '../fileAccess';
import { numOf } from '../numeric';
import { typeName } from '../runtime';

/** What a standard-library module may use: the evaluator, the run's environment map, seed and files. */
export interface StdlibContext {
  interp: Interp;
  /** The environment os.environ / os.getenv see (mutable: dotenv writes here; never the real process env). */
  env: Record<string, string>;
  seed: number;
  /** The file being run (sys.argv[0]). */
  fileName: string;
  /** A deterministic random stream for a name (the run's seed is part of it). */
  makeRng: (stream: string) => { u32(): number; below(n: number): number };
  /** Disk access for the run; absent when the evaluation has no project (every file access is then unsupported). */
  files?: FileAccess;
}

/** A standard-library module's function (see PyBuiltin.stdlib: exceptions it raises stop their __traceback__ at the caller). */
export function fn(name: string, f: NativeFn): PyBuiltin {
  const b = new PyBuiltin(name, f);
  b.stdlib = true;
  return b;
}

export function kwOf(k: Kwargs | null, name: string): PyValue | undefined {
  return k ? k.get(name) : undefined;
}

export function argOf(a: PyValue[], k: Kwargs | null, i: number, name: string): PyValue | undefined {
  return i < a.length ? a[i] : kwOf(k, name);
}

/** A module the evaluator models in part: using a member it does not define is "not modelled" (exit 2), not an AttributeError. */
export function partialModule(name: string, members: Record<string, PyValue>): PyModule {
  const m = new PyModule(name, new Map(Object.entries(members)));
  m.partial = true;
  return m;
}

/** Applies fn to v, or chains it when v is a Promise. */
export const then = <T, R>(v: T | Promise<T>, fn: (x: T) => R | Promise<R>): R | Promise<R> => (v instanceof Promise ? v.then(fn) : fn(v));

export function num(v: PyValue | undefined, dflt = 0): number {
  if (v === undefined || v === null) return dflt;
  const n = numOf(v);
  if (n === undefined) throw pyErr('TypeError', `unsupported type for a number: '${typeName(v)}'`);
  return n instanceof PyFloat ? n.v : Number(n);
}

export function mod(name: string, members: Record<string, PyValue>): PyModule {
  return new PyModule(name, new Map(Object.entries(members)));
}
