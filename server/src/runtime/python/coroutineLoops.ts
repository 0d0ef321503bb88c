/**
 * The loops a coroutine was made in. A coroutine's body runs where it is awaited, but for the
 * call sites it reaches (the profiler's N+1 groups, a node's loop in the report) it belongs to the
 * loop that made it: in `await asyncio.gather(*[save(item) for item in items])` each `save(item)`
 * is made by one iteration of the comprehension, which has ended when gather awaits them — as the
 * linter reads the same line (DF001: save() is called inside a loop). The loops open at the call
 * are remembered (as they were then: a loop's frame counts its iterations on) and put back on top
 * of the loops open where the body runs, unless still open there (awaited inside the same loop).
 * Only call sites' `loops` see them: tracebacks and the Python stack are the await's.
 */
import type { PyValue } from './values';
import type { Interp, LoopFrame } from './runtime';

export interface MadeIn {
  open: LoopFrame[];
  asThen: LoopFrame[];
}

/** The loops open now (undefined outside any loop: nothing to remember). */
export function loopsMadeIn(interp: Interp): MadeIn | undefined {
  if (!interp.loops.length) return undefined;
  const open = interp.loops.filter((l) => l !== undefined);
  return open.length ? { open, asThen: open.map((l) => ({ ...l })) } : undefined;
}

/** Runs a coroutine body with the loops it was made in that are not open here pushed on top. */
export function inLoopsMadeIn(interp: Interp, made: MadeIn | undefined, body: () => PyValue | Promise<PyValue>): PyValue | Promise<PyValue> {
  if (!made) return body();
  const missing = made.asThen.filter((_, i) => !interp.loops.includes(made.open[i]));
  if (!missing.length) return body();
  interp.loops.push(...missing);
  const pop = (): void => {
    for (const l of missing) {
      const i = interp.loops.lastIndexOf(l);
      if (i >= 0) interp.loops.splice(i, 1);
    }
  };
  let r: PyValue | Promise<PyValue>;
  try {
    r = body();
  } catch (e) {
    pop();
    throw e;
  }
  if (r instanceof Promise) return r.finally(pop);
  pop();
  return r;
}
