// The run document as `--json` prints it: JSON whose numbers in the values DataFlow and the entry
// returned (runs[].results / partialResults, returned) are written as Python's json.dumps writes
// them (issue 10 §2.6): a whole float as `8.0` (its paths are RunFileResult.floats), inf / nan as
// `Infinity` / `NaN` (the document holds 'inf' / 'nan'; json.dumps writes these tokens, which strict
// JSON parsers refuse, as Python's do not), any other float as float.__repr__ (`1e-05`, `1e+16`),
// an int as its digits.
import { randomBytes } from 'node:crypto';
import { floatRepr } from '../runtime/python/numeric';
import type { RunFileResult } from '../runtime/runFile';

const DATA_KEYS = new Set(['results', 'partialResults']);
/** json.dumps's tokens for the floats the document holds as their repr. */
const NON_FINITE: Record<string, string> = { inf: 'Infinity', '-inf': '-Infinity', nan: 'NaN' };

export function stringifyRunJson(result: RunFileResult, indent = 2): string {
  const floats = new Set((result.floats ?? []).map((p) => JSON.stringify(p)));
  // A marker no string of the document can hold by chance: it is replaced by the bare number text.
  const token = `__pyfloat_${randomBytes(8).toString('hex')}__`;
  let marked = false;
  const mark = (v: unknown, at: (string | number)[]): unknown => {
    if (typeof v === 'string' && NON_FINITE[v] && floats.has(JSON.stringify(at))) {
      marked = true;
      return `${token}${NON_FINITE[v]}`;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (Number.isInteger(v) && !floats.has(JSON.stringify(at)))) return v;
      const text = floatRepr(v);
      if (!Number.isInteger(v) && text === JSON.stringify(v)) return v;
      marked = true;
      return `${token}${text}`;
    }
    if (Array.isArray(v)) return v.map((x, i) => mark(x, [...at, i]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mark(x, [...at, k])]));
    return v;
  };
  const doc: Record<string, unknown> = { ...result };
  doc.runs = result.runs.map((run, i) => Object.fromEntries(Object.entries(run).map(([k, v]) => [k, DATA_KEYS.has(k) ? mark(v, ['runs', i, k]) : v])));
  if ('returned' in result) doc.returned = mark(result.returned, ['returned']);
  const text = JSON.stringify(marked ? doc : result, null, indent);
  return marked ? text.replace(new RegExp(`"${token}([^"]*)"`, 'g'), '$1') : text;
}
