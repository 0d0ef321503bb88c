/** for and while loops once a step has gone asynchronous. */
import { IterResult, PyIterator, PyValue, STOP, SourceLocation } from '../values';
import { Frame, LoopFrame } from '../runtime';
import { truthy } from '../protocols/equality';
import { type Assign, type St, type Completion, BREAK, CONTINUE, type Ex } from './types';

export async function forAsync(
  f: Frame,
  it: PyIterator,
  lf: LoopFrame,
  depth: number,
  pending: Promise<unknown>,
  stage: number,
  target: Assign,
  body: St,
  orelse: St | undefined,
  loc: SourceLocation,
): Promise<Completion> {
  // stage 0: pending = next value (not yet counted); 3: pending = value already counted;
  // 1: pending = target assignment; 2: pending = body completion.
  const interp = f.interp;
  let exhausted = false;
  try {
    let c: Completion;
    if (stage === 2) c = (await pending) as Completion;
    else {
      if (stage === 1) await pending;
      else {
        const x = (await pending) as IterResult;
        if (x === STOP) exhausted = true;
        else {
          if (stage === 0) {
            lf.iteration++;
            const t = interp.tick(loc);
            if (t) await t;
          }
          const a = target(f, x);
          if (a instanceof Promise) await a;
        }
      }
      if (exhausted) c = undefined;
      else {
        const b = body(f);
        c = b instanceof Promise ? await b : b;
      }
    }
    while (!exhausted) {
      if (c !== undefined) {
        if (c === BREAK) return undefined;
        if (c !== CONTINUE) return c;
      }
      const nx = it.next();
      const x = nx instanceof Promise ? await nx : nx;
      if (x === STOP) {
        exhausted = true;
        break;
      }
      lf.iteration++;
      const t = interp.tick(loc);
      if (t) await t;
      const a = target(f, x);
      if (a instanceof Promise) await a;
      const b = body(f);
      c = b instanceof Promise ? await b : b;
    }
  } finally {
    interp.loops.length = depth;
  }
  return orelse ? await orelse(f) : undefined;
}

export async function whileAsync(
  f: Frame,
  lf: LoopFrame,
  depth: number,
  pending: Promise<unknown>,
  stage: number,
  cond: Ex,
  body: St,
  orelse: St | undefined,
  loc: SourceLocation,
): Promise<Completion> {
  // stage 0: pending = condition value; 1: pending = tick (iteration counted); 2: pending = body completion.
  const interp = f.interp;
  let exhausted = false;
  try {
    let c: Completion = undefined;
    if (stage === 2) c = (await pending) as Completion;
    else {
      if (stage === 1) await pending;
      else {
        const cv = (await pending) as PyValue;
        if (!truthy(interp, cv)) exhausted = true;
        else {
          lf.iteration++;
          const t = interp.tick(loc);
          if (t) await t;
        }
      }
      if (!exhausted) {
        const b = body(f);
        c = b instanceof Promise ? await b : b;
      }
    }
    while (!exhausted) {
      f.stmt = loc;
      if (c !== undefined) {
        if (c === BREAK) return undefined;
        if (c !== CONTINUE) return c;
      }
      const x = cond(f);
      const cv = x instanceof Promise ? await x : x;
      if (!truthy(interp, cv)) {
        exhausted = true;
        break;
      }
      lf.iteration++;
      const t = interp.tick(loc);
      if (t) await t;
      const b = body(f);
      c = b instanceof Promise ? await b : b;
    }
  } finally {
    interp.loops.length = depth;
  }
  return orelse ? await orelse(f) : undefined;
}
