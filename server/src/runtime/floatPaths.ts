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
