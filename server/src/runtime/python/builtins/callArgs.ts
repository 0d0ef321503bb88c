/** Argument helpers of the builtin functions and methods. */
import { Kwargs, PyValue, pyErr } from '../values';
import { typeName } from '../runtime';

export const then = <T, R>(v: T | Promise<T>, fn: (x: T) => R | Promise<R>): R | Promise<R> => (v instanceof Promise ? v.then(fn) : fn(v));

export function kw(kwargs: Kwargs | null, name: string): PyValue | undefined {
  return kwargs ? kwargs.get(name) : undefined;
}

export function arg(args: PyValue[], kwargs: Kwargs | null, i: number, name: string): PyValue | undefined {
  if (i < args.length) return args[i];
  return kw(kwargs, name);
}

export function noKwargs(fname: string, kwargs: Kwargs | null, allowed: string[] = []): void {
  if (!kwargs) return;
  for (const k of kwargs.keys()) if (!allowed.includes(k)) throw pyErr('TypeError', `${fname}() got an unexpected keyword argument '${k}'`);
}

export function needStr(v: PyValue, what: string): string {
  if (typeof v !== 'string') throw pyErr('TypeError', `${what} must be str, not ${typeName(v)}`);
  return v;
}
