// The findings a run's report is linked to in the editor: the server's own (the diagnostics it
// shows: open buffers, the user's severities and excludes), for the files whose text in the
// server is the text the run read. A file edited since, or open with unsaved changes the run did
// not see, is not linked: its lines may not be the run's.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../analysis/finding';
import type { WorkspaceModel } from '../model/workspaceModel';
import { linkDiagnostics, type FindingsOf } from '../profiler/linkDiagnostics';
import type { PerformanceReport } from '../report/reportTypes';

/** The text of a file on disk, as a run that read it from disk saw it (undefined when unreadable). */
export function diskText(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

/**
 * `findings`: the server's findings of a document (the diagnostics scheduler's); `ranOn`: the text the
 * run read for a file, by absolute path.
 */
export function serverFindings(workspace: WorkspaceModel, findings: (uri: string) => Promise<readonly Finding[]>, ranOn: (file: string) => string | undefined): FindingsOf {
  let uriOf: Map<string, string> | undefined;
  return async (file) => {
    // The client's URIs may spell a path differently from pathToFileURL: match by path.
    uriOf ??= new Map([...workspace.allFiles()].filter((f) => f.uri.startsWith('file:')).map((f) => [fileURLToPath(f.uri), f.uri]));
    const uri = uriOf.get(file);
    const sf = uri ? workspace.get(uri) : undefined;
    if (!uri || !sf || sf.text !== ranOn(file)) return undefined;
    const version = sf.version;
    const lines = sf.doc.lines;
    const found = await findings(uri);
    if (workspace.get(uri) !== sf || sf.version !== version) return undefined; // edited while analysed
    return { findings: found, positionAt: (o) => lines.positionAt(o), workspace };
  };
}

/** Links every report to the server's findings (see serverFindings); reports absent are skipped. */
export async function linkToServerFindings(reports: ReadonlyArray<PerformanceReport | undefined>, workspace: WorkspaceModel, findings: (uri: string) => Promise<readonly Finding[]>, ranOn: (file: string) => string | undefined): Promise<void> {
  const findingsOf = serverFindings(workspace, findings, ranOn);
  for (const r of reports) if (r) await linkDiagnostics(r, findingsOf);
}
