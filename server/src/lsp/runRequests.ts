// Custom requests for running and profiling workflows. The server picks the document's current
// text and its workspace folder; the run itself happens in the runtime worker process.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { WorkerClient } from '../run/worker/workerClient';
import type { RunFileResult } from '../run/runFile';
import { entryPoints, type EntryPoint } from './entryPoints';
import { readSourceFile } from './workspaceIndexer';
import { databaseUrlOf } from '../model/databaseUrl';
import type { PerformanceReport } from '../report/reportTypes';
import { parseArgValue, type ArgValue } from '../cli/argValue';
import type { Finding } from '../analysis/finding';
import { diskText, linkToServerFindings } from './reportLinks';
import { ENTRY_POINTS_REQUEST, FILE_DATABASE_URL_REQUEST, PARSE_ARGUMENTS_REQUEST, RUN_LOG_NOTIFICATION, RUN_MODELS_REQUEST, RUN_REQUEST, type RunParams } from '../protocol';


/** Node outputs the editor receives keep at most this many records each (a List can return 100,000). */
const EDITOR_MAX_RECORDS = 200;

export { ENTRY_POINTS_REQUEST, FILE_DATABASE_URL_REQUEST, PARSE_ARGUMENTS_REQUEST, RUN_LOG_NOTIFICATION, RUN_MODELS_REQUEST, RUN_REQUEST, type RunParams };

/**
 * The models a run of `uri` defines, and so creates the tables and indexes of: those of the file and
 * of the workspace files it imports, followed through their own imports (`from models import db`,
 * `import app.models`, relative imports); a module is matched by its path's ending.
 */
export function runModels(workspace: WorkspaceModel, uri: string): string[] {
  const byUri = new Map<string, string[]>();
  for (const [name, infos] of workspace.models()) for (const m of infos) byUri.set(m.uri, [...(byUri.get(m.uri) ?? []), name]);
  const files = [...workspace.allFiles()].map((f) => f.uri);
  const seen = new Set<string>([uri]);
  const queue = [uri];
  const names = new Set<string>();
  while (queue.length) {
    const at = queue.shift()!;
    for (const n of byUri.get(at) ?? []) names.add(n);
    for (const imp of workspace.importsOf(at)) {
      const dots = /^\.*/.exec(imp.module)![0].length;
      const rest = imp.module.slice(dots).replace(/\./g, '/');
      const base = dots ? `${at.slice(0, at.lastIndexOf('/'))}${'/..'.repeat(dots - 1)}` : '';
      const modules = [rest, ...(imp.kind === 'from' ? imp.names.filter((x) => x.name !== '*').map((x) => (rest ? `${rest}/${x.name}` : x.name)) : [])];
      for (const f of files) {
        if (seen.has(f)) continue;
        const hit = modules.some((m) => m && (f.endsWith(`/${m}.py`) || f.endsWith(`/${m}/__init__.py`)) && (!base || path.posix.normalize(f).startsWith(path.posix.normalize(base))));
        if (hit) { seen.add(f); queue.push(f); }
      }
    }
  }
  return [...names].sort();
}

/**
 * `findings`: the findings behind the diagnostics the server shows for a document (a profile's
 * recommendations are linked to them). `onReport` sees the report of every profile run (the hover
 * shows the last measured times).
 */
export function registerRunRequests(connection: Connection, workspace: WorkspaceModel, worker: WorkerClient, folders: () => string[], findings: (uri: string) => Promise<readonly Finding[]>, onReport?: (r: PerformanceReport | undefined) => void): void {
  const fileFor = async (uri: string) => workspace.get(uri) ?? (await readSourceFile(uri));

  connection.onRequest(ENTRY_POINTS_REQUEST, async (p: { uri: string }): Promise<EntryPoint[]> => {
    const f = await fileFor(p.uri);
    return f ? entryPoints(f) : [];
  });

  connection.onRequest(FILE_DATABASE_URL_REQUEST, async (p: { uri: string }): Promise<string | null> => {
    const f = await fileFor(p.uri);
    return (f && databaseUrlOf(f)) ?? null;
  });

  connection.onRequest(RUN_MODELS_REQUEST, (p: { uri: string }): string[] => runModels(workspace, p.uri));

  connection.onRequest(PARSE_ARGUMENTS_REQUEST, (p: { texts: Record<string, string> }): Record<string, ArgValue> =>
    Object.fromEntries(Object.entries(p.texts).map(([k, t]) => [k, parseArgValue(String(t))])));

  connection.onRequest(RUN_REQUEST, async (p: RunParams, token: CancellationToken): Promise<RunFileResult> => {
    if (!p.uri.startsWith('file:')) throw new Error('only files on disk can be run (save the document first)');
    const f = await fileFor(p.uri);
    if (!f) throw new Error(`cannot read ${p.uri}`);
    const file = fileURLToPath(p.uri);
    const root = folders().map((u) => fileURLToPath(u)).find((r) => !path.relative(r, file).startsWith('..')) ?? path.dirname(file);
    const { uri: _uri, ...rest } = p;
    const text = f.text;
    const result = await worker.run({ ...rest, file, text, root, maxRecordsPerResult: EDITOR_MAX_RECORDS }, token, (line) => void connection.sendNotification(RUN_LOG_NOTIFICATION, { line }));
    // The run read this file's text as sent and its imports from disk.
    await linkToServerFindings([result.report], workspace, findings, (at) => (at === file ? text : diskText(at)));
    onReport?.(result.report);
    return result;
  });
}
