// Where a run document holds Python floats a JSON number cannot show as floats: a whole float (8.0),
// inf or nan is a FloatNumber in the values the runtime recorded; here it becomes its number (inf /
// nan their repr, 'inf', as the oracle writes them), and its path is listed (RunFileResult.floats), so that `--json` prints it as Python does (cli/pythonJson.ts) while
// the document stays plain JSON for every other reader (issue 10 §2.6).
import { FloatNumber } from './python/floatNumber';

export type JsonPath = (string | number)[];

/** `v` with every FloatNumber replaced by its number; the paths of those (under `at`) are pushed on `out`. */
export function takeFloats(v: unknown, at: JsonPath, out: JsonPath[]): unknown {
  if (v instanceof FloatNumber) {
    out.push(at);
    return v.toJSON();
  }
  if (Array.isArray(v)) return v.map((x, i) => takeFloats(x, [...at, i], out));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = takeFloats(x, [...at, k], out);
    return o;
  }
  return v;
}

/** A run document's runs and return with their FloatNumbers taken out (see takeFloats); `floats` lists where they were. */
export function takeRunFloats<R extends { results: Record<string, unknown>; partialResults?: Record<string, unknown> }>(runs: R[], returned: unknown): { runs: R[]; returned: unknown; floats: JsonPath[] } {
  const floats: JsonPath[] = [];
  const out = runs.map((run, i) => {
    const r = { ...run, results: takeFloats(run.results, ['runs', i, 'results'], floats) as R['results'] };
    if (run.partialResults) r.partialResults = takeFloats(run.partialResults, ['runs', i, 'partialResults'], floats) as R['partialResults'];
    return r;
  });
  return { runs: out, returned: returned === undefined ? undefined : takeFloats(returned, ['returned'], floats), floats };
}

/** The paths of `floats` under `prefix`, relative to it. */
export function floatsUnder(floats: readonly JsonPath[] | undefined, prefix: JsonPath): JsonPath[] {
  return (floats ?? []).filter((p) => p.length >= prefix.length && prefix.every((k, i) => p[i] === k)).map((p) => p.slice(prefix.length));
}

/**
 * JSON.parse of a text Python's json.dumps wrote, keeping what JSON numbers lose: a whole float
 * (`8.0`, `1e+16`) becomes a FloatNumber (the Profile with Python tracer's results).
 */
export function parsePythonJson(text: string): unknown {
  const marker = `\u0000pyfloat:${Math.random().toString(36).slice(2)}:`;
  let found = false;
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g, (m) => {
    if (m[0] === '"' || !/[.eE]/.test(m) || !Number.isInteger(Number(m))) return m;
    found = true;
    return JSON.stringify(marker + m);
  });
  if (!found) return JSON.parse(text);
  return JSON.parse(marked, (_k, v: unknown) => (typeof v === 'string' && v.startsWith(marker) ? new FloatNumber(Number(v.slice(marker.length))) : v));
}
