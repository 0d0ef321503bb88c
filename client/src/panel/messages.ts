// Messages from the report webview, and the webview state, checked before use: the webview is
// untrusted input (it renders report values). Pure: no `vscode` import, so tests run in Node.
import { REPORT_SCHEMA, REPORT_VERSION, type PerformanceReport } from '../../../server/src/report/reportTypes';

export type WebviewMessage =
  | { type: 'applyFix'; recommendationId: number }
  | { type: 'goToSource'; file: string; line: number; column?: number }
  | { type: 'exportReport' };

const posInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1;

/** The message if it is one the panel understands, else undefined (ignored). Lines and columns are 1-based. */
export function parseWebviewMessage(msg: unknown): WebviewMessage | undefined {
  if (msg === null || typeof msg !== 'object') return undefined;
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'applyFix':
      return typeof m.recommendationId === 'number' && Number.isInteger(m.recommendationId) ? { type: 'applyFix', recommendationId: m.recommendationId } : undefined;
    case 'goToSource':
      if (typeof m.file !== 'string' || m.file.length === 0 || m.file.length > 4096 || !posInt(m.line)) return undefined;
      return { type: 'goToSource', file: m.file, line: m.line, ...(posInt(m.column) ? { column: m.column } : {}) };
    case 'exportReport':
      return { type: 'exportReport' };
    default:
      return undefined;
  }
}

/**
 * The files the report itself names (its source, and every `file` of a location, recommendation
 * or error in it): the only files a goToSource from the page may open. The page is untrusted (it
 * renders report values), so a path it sends is used only when the report already holds it.
 */
export function reportFiles(report: PerformanceReport): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { for (const x of v) walk(x, depth + 1); return; }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'file' && typeof x === 'string') out.add(x);
      else walk(x, depth + 1);
    }
  };
  walk(report, 0);
  return out;
}

/**
 * A cheap shape check for a report coming back from the webview state (the full schema check,
 * validateReport, needs ajv, which the client bundle does without).
 */
export function isReportLike(x: unknown): x is PerformanceReport {
  if (x === null || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const groups = r.groups as Record<string, unknown> | undefined;
  return r.schema === REPORT_SCHEMA && r.version === REPORT_VERSION && isObj(r.summary) && isObj(r.source) && isObj(r.database) && isObj(r.tool) &&
    typeof (r.source as Record<string, unknown>).file === 'string' &&
    Array.isArray(r.runs) && Array.isArray(r.statements) && Array.isArray(r.plans) && Array.isArray(r.recommendations) &&
    Array.isArray(r.divergences) && Array.isArray(r.quirks) && Array.isArray(r.log) && isObj(r.tables) && typeof r.statementsOmitted === 'number' &&
    isObj(groups) && Array.isArray(groups!.similar) && Array.isArray(groups!.duplicate) && Array.isArray(groups!.nPlusOne);
}

/** The report kept in the webview state (`vscode.setState({ report })` in the page script). */
export function reportFromState(state: unknown): PerformanceReport | undefined {
  if (state === null || typeof state !== 'object') return undefined;
  const report = (state as { report?: unknown }).report;
  return isReportLike(report) ? report : undefined;
}
