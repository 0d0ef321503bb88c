// Bounds what a run sends back to the editor: long record lists are cut, with a count of the rest.
import type { RunFileResult } from '../runFile';

/** Keeps at most `max` records per node output, noting how many were left out. */
export function trimResults(result: RunFileResult, max: number): RunFileResult {
  for (const run of result.runs) {
    for (const results of [run.results, run.partialResults ?? {}]) {
      for (const [id, out] of Object.entries(results)) {
        const o = out as Record<string, unknown> | null;
        if (o && typeof o === 'object' && Array.isArray(o.records) && o.records.length > max) {
          results[id] = { ...o, records: o.records.slice(0, max), records_omitted: o.records.length - max };
        }
      }
    }
  }
  return result;
}
