// "Export Report": the report as JSON (the document itself) or as one standalone HTML file (same
// renderer as the panel, mode 'standalone': no VS Code API, fallback theme, file:line as text).
import * as vscode from 'vscode';
import { renderReportHtml } from '../../../server/src/report/html/renderReportHtml';
import type { PerformanceReport } from '../../../server/src/report/reportTypes';
import { makeNonce } from './nonce';

export function exportReportJson(report: PerformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function exportReportHtml(report: PerformanceReport): string {
  return renderReportHtml(report, { nonce: makeNonce(), mode: 'standalone' });
}

/** Asks where to save (JSON or HTML by the chosen extension) and writes the file. Resolves to its URI, or undefined when cancelled. */
export async function saveReportAs(report: PerformanceReport, defaultFormat: 'json' | 'html' = 'html'): Promise<vscode.Uri | undefined> {
  const base = (report.source.file.split(/[\\/]/).pop() ?? 'report').replace(/\.py$/, '');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${base}.dataflow-report.${defaultFormat}`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: defaultFormat === 'html' ? { 'HTML report': ['html'], 'JSON report': ['json'] } : { 'JSON report': ['json'], 'HTML report': ['html'] },
    title: 'Export DataFlow performance report',
  });
  if (!target) return undefined;
  const text = target.path.toLowerCase().endsWith('.json') ? exportReportJson(report) : exportReportHtml(report);
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  return target;
}
