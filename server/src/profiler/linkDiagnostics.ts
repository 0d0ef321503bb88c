// Ties each measured recommendation to the static diagnostic at the same place (and its quick-fix
// title), so the report's "Apply fix" can run the editor's quick-fix.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PerformanceReport } from '../report/reportTypes';
import { WorkspaceModel } from '../model/workspaceModel';
import { analyzeFile } from '../analysis/engine';
import { fixTitle, resolveFix } from '../analysis/fixResolution';
import { defaultSettings, type AnalysisSettings } from '../settings';
import { loadIntoWorkspace } from '../workspace/loadWorkspace';
import type { Finding } from '../analysis/finding';

export async function linkDiagnostics(report: PerformanceReport, root: string, settings: AnalysisSettings = defaultSettings()): Promise<void> {
  if (!report.recommendations.length) return;
  const workspace = new WorkspaceModel();
  await loadIntoWorkspace(workspace, [root]);
  const nodeLines = new Map<string, Set<number>>();
  for (const run of report.runs) for (const n of run.nodes) if (n.location) {
    const key = `${path.resolve(n.location.file)}#${n.id}`;
    (nodeLines.get(key) ?? nodeLines.set(key, new Set()).get(key)!).add(n.location.line);
  }
  const cache = new Map<string, { findings: Finding[]; lineOf: (o: number) => { line: number; character: number } } | undefined>();
  const findingsOf = (file: string) => {
    const abs = path.resolve(file);
    if (!cache.has(abs)) {
      const sf = workspace.get(pathToFileURL(abs).toString());
      cache.set(abs, sf ? { findings: analyzeFile(sf, workspace, settings), lineOf: (o) => sf.doc.lines.positionAt(o) } : undefined);
    }
    return cache.get(abs);
  };
  for (const rec of report.recommendations) {
    const f = findingsOf(rec.file);
    if (!f) continue;
    const lines = new Set<number>([rec.line]);
    for (const id of rec.nodeIds) for (const l of nodeLines.get(`${path.resolve(rec.file)}#${id}`) ?? []) lines.add(l);
    const match = f.findings.find((x) => x.rule === rec.rule && lines.has(f.lineOf(x.span.start).line + 1));
    if (!match) continue;
    const pos = f.lineOf(match.span.start);
    const fix = resolveFix(match);
    const title = fix && fixTitle(fix);
    rec.diagnostic = { code: match.code, line: pos.line + 1, column: pos.character + 1, ...(title ? { fixTitle: title } : {}) };
  }
}
