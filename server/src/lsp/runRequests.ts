// Custom requests for running and profiling workflows. The server picks the document's current
// text and its workspace folder; the run itself happens in the runtime worker process.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { WorkerClient } from '../runtime/worker/workerClient';
import type { RunRequestParams } from '../runtime/worker/protocol';
import type { RunFileResult } from '../runtime/runFile';
import { entryPoints, type EntryPoint } from './entryPoints';
import { readSourceFile } from './workspaceIndexer';
import { databaseUrlOf } from '../model/databaseUrl';
import type { PerformanceReport } from '../report/reportTypes';
import { parseArgValue, type ArgValue } from '../cli/argValue';

/** A run as the client asks for it: the document instead of a path and text (the server knows both). */
export type RunParams = Omit<RunRequestParams, 'file' | 'text' | 'root' | 'timeoutMs' | 'maxRecordsPerResult'> & { uri: string };

/** Node outputs the editor receives keep at most this many records each (a List can return 100,000). */
const EDITOR_MAX_RECORDS = 200;

export const RUN_REQUEST = 'dataflow/run';
export const ENTRY_POINTS_REQUEST = 'dataflow/entryPoints';
export const RUN_LOG_NOTIFICATION = 'dataflow/runLog';
export const FILE_DATABASE_URL_REQUEST = 'dataflow/fileDatabaseUrl';
/** The values of typed run arguments, read as Python literals (cli/argValue.ts). */
export const PARSE_ARGUMENTS_REQUEST = 'dataflow/parseArguments';
/** The models a run of the file can create tables for (those it can see), for the first-run notice on a real database. */
export const RUN_MODELS_REQUEST = 'dataflow/runModels';

/** `onReport` sees the report of every profile run (the hover shows the last measured times). */
export function registerRunRequests(connection: Connection, workspace: WorkspaceModel, worker: WorkerClient, folders: () => string[], onReport?: (r: PerformanceReport | undefined) => void): void {
  const fileFor = async (uri: string) => workspace.get(uri) ?? (await readSourceFile(uri));

  connection.onRequest(ENTRY_POINTS_REQUEST, async (p: { uri: string }): Promise<EntryPoint[]> => {
    const f = await fileFor(p.uri);
    return f ? entryPoints(f) : [];
  });

  connection.onRequest(FILE_DATABASE_URL_REQUEST, async (p: { uri: string }): Promise<string | null> => {
    const f = await fileFor(p.uri);
    return (f && databaseUrlOf(f)) ?? null;
  });

  connection.onRequest(RUN_MODELS_REQUEST, (p: { uri: string }): string[] =>
    [...workspace.models().keys()].filter((name) => workspace.model(name, p.uri)).sort());

  connection.onRequest(PARSE_ARGUMENTS_REQUEST, (p: { texts: Record<string, string> }): Record<string, ArgValue> =>
    Object.fromEntries(Object.entries(p.texts).map(([k, t]) => [k, parseArgValue(String(t))])));

  connection.onRequest(RUN_REQUEST, async (p: RunParams, token: CancellationToken): Promise<RunFileResult> => {
    if (!p.uri.startsWith('file:')) throw new Error('only files on disk can be run (save the document first)');
    const f = await fileFor(p.uri);
    if (!f) throw new Error(`cannot read ${p.uri}`);
    const file = fileURLToPath(p.uri);
    const root = folders().map((u) => fileURLToPath(u)).find((r) => !path.relative(r, file).startsWith('..')) ?? path.dirname(file);
    const { uri: _uri, ...rest } = p;
    void _uri;
    const result = await worker.run({ ...rest, file, text: f.text, root, maxRecordsPerResult: EDITOR_MAX_RECORDS }, token, (line) => void connection.sendNotification(RUN_LOG_NOTIFICATION, { line }));
    onReport?.(result.report);
    return result;
  });
}
