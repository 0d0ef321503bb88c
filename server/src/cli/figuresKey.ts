/**
 * dataflow-run --profile's figures said once in plain words, under them: the two totals (the
 * whole command's time and the workflows' own), the query cache hit rate and a recommendation's
 * labelled ratio. A line only for a figure the output shows.
 */
import type { PerformanceReport } from '../report/reportTypes';
import { ratioLabel } from '../report/html/sections';

const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));

export function figuresKey(r: PerformanceReport): string[] {
  const s = r.summary;
  const lines = [
    'the dataflow-run line\'s time is the whole command: the file evaluated, its tables made (and seeded), the workflows run and, here, profiled',
    `"${ms(s.totalMs)} ms total" is the workflows' own time, from the first execute() to the end of the last; ${ms(s.sqlMs)} ms of it in SQL`,
  ];
  if (s.cache.queryHitRate !== null) {
    const reads = s.cache.queryHits + s.cache.queryMisses;
    lines.push(`query cache hit rate: of the ${reads} List read${reads === 1 ? '' : 's'} that could use DataFlow's query cache, ${s.cache.queryHits} ${s.cache.queryHits === 1 ? 'was' : 'were'} answered from it (a miss runs its SQL)`);
  }
  const labelled = r.recommendations.map((x) => ratioLabel(x)).find(Boolean);
  if (labelled) lines.push(`"(${labelled})": a recommendation's before ÷ after, both measured on this database (the fix in a transaction rolled back)`);
  return lines.map((l, i) => `${i ? '     ' : 'key: '}${l}`);
}
