// The report of "Compare Engines": the Python run's report (the real DataFlow's statements), or
// the embedded run's when Python produced none, with a `comparison` section saying where the two
// engines differ. The panel, the HTML export and the JSON export all show that section.
import type { EngineComparison } from '../pythonProfile';
import type { RunFileResult } from '../runtime/runFile';
import type { EngineComparisonSection, EngineRunSummary, PerformanceReport } from './reportTypes';

/** Differences kept in the report (the rest are counted). */
export const MAX_DIFFERENCES = 500;
/** Characters of each side's JSON kept per difference. */
export const MAX_SIDE_CHARS = 4000;

function sideText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  let s: string;
  try { s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > MAX_SIDE_CHARS ? `${s.slice(0, MAX_SIDE_CHARS)}… (${s.length} characters)` : s;
}

function runSummary(r: RunFileResult, statements?: number): EngineRunSummary {
  const nodes = r.runs.reduce((n, run) => n + run.nodes.length, 0);
  const stmts = statements ?? r.report?.summary.statements ?? r.runs.reduce((n, run) => n + run.nodes.reduce((m, x) => m + x.statements, 0), 0);
  return {
    ok: r.ok,
    runs: r.runs.length,
    nodes,
    statements: stmts,
    elapsedMs: Math.max(0, r.elapsedMs),
    ...(r.error ? { error: `${r.error.type}: ${r.error.message}` } : {}),
  };
}

export function comparisonSection(cmp: EngineComparison, reportEngine: 'python' | 'embedded'): EngineComparisonSection {
  const kept = cmp.differences.slice(0, MAX_DIFFERENCES);
  return {
    python: { path: cmp.python.python.path, version: cmp.python.python.version, ...(cmp.python.python.kailashVersion ? { kailashVersion: cmp.python.python.kailashVersion } : {}) },
    reportEngine,
    embedded: runSummary(cmp.embedded),
    pythonRun: runSummary(cmp.python, cmp.python.statements?.length),
    nodesCompared: cmp.nodesCompared,
    nodesAgreeing: cmp.nodesAgreeing,
    differences: kept.map((d) => ({
      run: d.run,
      ...(d.node !== undefined ? { node: d.node } : {}),
      kind: d.kind,
      message: d.message,
      ...(d.embedded !== undefined ? { embedded: sideText(d.embedded) } : {}),
      ...(d.python !== undefined ? { python: sideText(d.python) } : {}),
    })),
    differencesOmitted: cmp.differences.length - kept.length,
  };
}

/** The report to show for a comparison; undefined when neither engine produced one (no workflow ran). */
export function reportWithComparison(cmp: EngineComparison): PerformanceReport | undefined {
  const base = cmp.python.report ?? cmp.embedded.report;
  if (!base) return undefined;
  return { ...base, comparison: comparisonSection(cmp, cmp.python.report ? 'python' : 'embedded') };
}
