// The run document as `--json` prints it: JSON, except that a whole number in a model's float field
// (REAL column) is written as Python prints the float, `8.0`, not `8` (issue 10 §2.6). Only the
// values DataFlow returned are concerned: runs[].results / partialResults and the entry's return.
import { randomBytes } from 'node:crypto';
import { floatRepr } from '../runtime/python/numeric';
import type { RunFileResult } from '../runtime/runFile';

const DATA_KEYS = new Set(['results', 'partialResults']);

export function stringifyRunJson(result: RunFileResult, indent = 2): string {
  const floats = new Set(result.floatFields ?? []);
  if (!floats.size) return JSON.stringify(result, null, indent);
  // A marker no string of the document can hold by chance: it is replaced by the bare number text.
  const token = `__pyfloat_${randomBytes(8).toString('hex')}__`;
  const mark = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'number') return key !== undefined && floats.has(key) && Number.isInteger(v) ? `${token}${floatRepr(v)}` : v;
    if (Array.isArray(v)) return v.map((x) => mark(x, undefined));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mark(x, k)]));
    return v;
  };
  const doc: Record<string, unknown> = { ...result };
  doc.runs = result.runs.map((run) => Object.fromEntries(Object.entries(run).map(([k, v]) => [k, DATA_KEYS.has(k) ? mark(v, undefined) : v])));
  if ('returned' in result) doc.returned = mark(result.returned, undefined);
  return JSON.stringify(doc, null, indent).replace(new RegExp(`"${token}([^"]*)"`, 'g'), '$1');
}
