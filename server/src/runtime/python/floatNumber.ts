import { floatRepr } from './numeric';

/**
 * A Python float whose value a JS number cannot tell from an int: a whole float (5.0, 1e16, -0.0).
 * Fractional floats stay plain numbers (a fractional number can only be a float). It crosses the
 * evaluator → DataFlow values → bound SQL parameters (db/valueParsers.ts prepareParam unwraps it)
 * and node results, so that `str(value)` in the query-cache key is '5.0' and the run document
 * prints 8.0 (issue 10 §2.6); the run document also marks inf / nan so. JSON.stringify writes its
 * number; arithmetic and comparisons use
 * valueOf(); `typeof` is 'object', so code testing for an int (typeof 'number' and whole) does not
 * take it for one, as Python's isinstance(5.0, int) does not.
 */
export class FloatNumber {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
  /** Its number; inf / nan (which JSON has not) as Python's repr, 'inf', '-inf', 'nan', as the oracle's run_real.py writes them. */
  toJSON(): number | string {
    return Number.isFinite(this.value) ? this.value : floatRepr(this.value);
  }
}

/** A float value as this layer keeps it: a whole float marked, a fractional one as it is. */
export function floatValue(x: number): number | FloatNumber {
  return Number.isInteger(x) ? new FloatNumber(x) : x;
}

/** The number of an int or float value (a FloatNumber's value). */
export function numberOf(v: number | FloatNumber): number {
  return typeof v === 'number' ? v : v.value;
}
