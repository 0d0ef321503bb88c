// The run document as `--json` prints it: JSON whose numbers in the values DataFlow and the entry
// returned (runs[].results / partialResults, returned) are written as Python's json.dumps writes
// them (issue 10 §2.6): a whole float as `8.0` (its paths are RunFileResult.floats), inf / nan as
// `Infinity` / `NaN` (the document holds 'inf' / 'nan'; json.dumps writes these tokens, which strict
// JSON parsers refuse, as Python's do not), any other float as float.__repr__ (`1e-05`, `1e+16`),
// an int as its digits.
import { randomBytes } from 'node:crypto';
import { floatRepr } from '../runtime/python/numeric';
import type { JsonPath } from '../runtime/floatPaths';
import type { RunFileResult } from '../run/runFile';

const DATA_KEYS = new Set(['results', 'partialResults']);
/** json.dumps's tokens for the floats the document holds as their repr. */
const NON_FINITE: Record<string, string> = { inf: 'Infinity', '-inf': '-Infinity', nan: 'NaN' };

/** Marks the floats of values for `text`: each becomes a string the final replace turns into its bare number text. */
class FloatMarks {
  // A marker no string of the document can hold by chance: it is replaced by the bare number text.
  private readonly token = `__pyfloat_${randomBytes(8).toString('hex')}__`;
  private marked = false;
  constructor(private readonly floats: ReadonlySet<string>) {}

  mark(v: unknown, at: JsonPath): unknown {
    if (typeof v === 'string' && NON_FINITE[v] && this.floats.has(JSON.stringify(at))) return this.bare(NON_FINITE[v]);
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (Number.isInteger(v) && !this.floats.has(JSON.stringify(at)))) return v;
      const text = floatRepr(v);
      return !Number.isInteger(v) && text === JSON.stringify(v) ? v : this.bare(text);
    }
    if (Array.isArray(v)) return v.map((x, i) => this.mark(x, [...at, i]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.mark(x, [...at, k])]));
    return v;
  }

  private bare(text: string): string {
    this.marked = true;
    return `${this.token}${text}`;
  }

  /** JSON.stringify of `doc` (marked) with the marks replaced; `plain` when nothing was marked. */
  text(doc: unknown, plain: unknown, indent: number): string {
    const text = JSON.stringify(this.marked ? doc : plain, null, indent);
    return this.marked ? text.replace(new RegExp(`"${this.token}([^"]*)"`, 'g'), '$1') : text;
  }
}

export function stringifyRunJson(result: RunFileResult, indent = 2): string {
  const marks = new FloatMarks(new Set((result.floats ?? []).map((p) => JSON.stringify(p))));
  const doc: Record<string, unknown> = { ...result };
  doc.runs = result.runs.map((run, i) => Object.fromEntries(Object.entries(run).map(([k, v]) => [k, DATA_KEYS.has(k) ? marks.mark(v, ['runs', i, k]) : v])));
  if ('returned' in result) doc.returned = marks.mark(result.returned, ['returned']);
  return marks.text(doc, result, indent);
}

/** One value as json.dumps writes it, `floats` the paths (relative to it) of its whole floats, inf and nan. */
export function pythonJsonText(value: unknown, floats: readonly JsonPath[], indent = 1): string {
  const marks = new FloatMarks(new Set(floats.map((p) => JSON.stringify(p))));
  return marks.text(marks.mark(value, []), value, indent);
}
