// Ties each measured recommendation to the static diagnostic at the same place (and its quick-fix
// title), so the report's "Apply fix" can run the editor's quick-fix. The findings come from the
// caller, who already has them: the language server's own (open buffers, the user's settings), or
// the analysis the CLI runs on the text the run used. Nothing is read from disk here.
import * as path from 'node:path';
import type { PerformanceReport } from '../report/reportTypes';
import { fixTitle, resolveFix } from '../analysis/fixResolution';
import type { Finding } from '../analysis/finding';
import type { WorkspaceModel } from '../model/workspaceModel';

/** The findings of one file, with the positions of the text they were found in. */
export interface FileFindings {
  findings: readonly Finding[];
  positionAt(offset: number): { line: number; character: number };
  /** The workspace they were found in: the fix title is the one the light bulb offers (its edit parse-checked there). */
  workspace?: WorkspaceModel;
}

/**
 * The findings of a file (absolute path) for the text the run used; undefined when they are not
 * known for that text (the file is not analysed, or its text changed since the run read it).
 */
export type FindingsOf = (file: string) => FileFindings | undefined | Promise<FileFindings | undefined>;

export async function linkDiagnostics(report: PerformanceReport, findingsOf: FindingsOf): Promise<void> {
  if (!report.recommendations.length) return;
  const nodeLines = new Map<string, Set<number>>();
  for (const run of report.runs) for (const n of run.nodes) if (n.location) {
    const key = `${path.resolve(n.location.file)}#${n.id}`;
    (nodeLines.get(key) ?? nodeLines.set(key, new Set()).get(key)!).add(n.location.line);
  }
  const cache = new Map<string, Promise<FileFindings | undefined>>();
  const findingsFor = (file: string) => {
    const abs = path.resolve(file);
    let found = cache.get(abs);
    if (!found) {
      // One file whose findings cannot be had costs that file's links, never the report.
      found = Promise.resolve().then(() => findingsOf(abs)).catch(() => undefined);
      cache.set(abs, found);
    }
    return found;
  };
  for (const rec of report.recommendations) {
    const f = await findingsFor(rec.file);
    if (!f) continue;
    const lines = new Set<number>([rec.line]);
    for (const id of rec.nodeIds) for (const l of nodeLines.get(`${path.resolve(rec.file)}#${id}`) ?? []) lines.add(l);
    const match = f.findings.find((x) => x.rule === rec.rule && lines.has(f.positionAt(x.span.start).line + 1));
    if (!match) continue;
    const pos = f.positionAt(match.span.start);
    const fix = resolveFix(match, f.workspace);
    const title = fix && fixTitle(fix);
    rec.diagnostic = { code: match.code, line: pos.line + 1, column: pos.character + 1, ...(title ? { fixTitle: title } : {}) };
  }
}
