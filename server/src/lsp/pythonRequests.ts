// Custom requests for "Profile with Python": find an interpreter that can `import dataflow`, and
// run a file's entry point in it (or in both engines, to compare them). The only requests that
// execute the user's code; the client sends them only in a trusted workspace, on an explicit
// command the user has confirmed. The run happens in the runtime worker, which serves the
// embedded database to the interpreter and can be killed on cancel.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { WorkerClient } from '../run/worker/workerClient';
import type { PythonRunRequestParams } from '../run/worker/protocol';
// findPython only: the rest of pythonProfile (the comparison runs the embedded runtime: the
// evaluator, PGlite, pg) runs in the worker process, and importing it through the folder's index
// put all of it into the language server's bundle.
import { findDataflowPython, type DataflowPython } from '../pythonProfile/findPython';
import type { EngineComparison, PythonRunFileResult } from '../pythonProfile';
import { COMPARE_ENGINES_REQUEST, FIND_PYTHON_REQUEST, PROFILE_WITH_PYTHON_REQUEST, RUN_LOG_NOTIFICATION, type FindPythonParams, type PythonRunParams } from '../protocol';
import type { PerformanceReport } from '../report/reportTypes';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { Finding } from '../analysis/finding';
import { diskText, linkToServerFindings } from './reportLinks';

export { COMPARE_ENGINES_REQUEST, FIND_PYTHON_REQUEST, PROFILE_WITH_PYTHON_REQUEST, type FindPythonParams, type PythonRunParams };

/** Node outputs the editor receives keep at most this many records each (as for embedded runs). */
const EDITOR_MAX_RECORDS = 200;

const isStringMap = (x: unknown): x is Record<string, string> =>
  !!x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every((v) => typeof v === 'string');

/** The run's file and root: the workspace folder that holds the file, else the file's folder. */
export function fileAndRoot(uri: string, folders: string[]): { file: string; root: string } {
  if (!uri.startsWith('file:')) throw new Error('only files on disk can be run with Python (save the document first)');
  const file = fileURLToPath(uri);
  const root = folders.map((u) => fileURLToPath(u)).find((r) => !path.relative(r, file).startsWith('..')) ?? path.dirname(file);
  return { file, root };
}

/** `findings`: the findings behind the diagnostics the server shows for a document (reports are linked to them, as for embedded runs). */
export function registerPythonRequests(connection: Connection, workspace: WorkspaceModel, worker: WorkerClient, folders: () => string[], findings: (uri: string) => Promise<readonly Finding[]>, onReport?: (r: PerformanceReport | undefined) => void): void {
  connection.onRequest(FIND_PYTHON_REQUEST, async (p: FindPythonParams, token: CancellationToken): Promise<DataflowPython | null> => {
    const candidates = Array.isArray(p?.candidates) ? p.candidates.filter((c): c is string => typeof c === 'string' && c.trim() !== '') : [];
    if (!candidates.length) return null;
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
    return (await findDataflowPython(candidates, { env: isStringMap(p.env) ? p.env : undefined, signal: abort.signal })) ?? null;
  });

  const params = (p: PythonRunParams): PythonRunRequestParams => {
    if (typeof p?.python !== 'string' || !p.python) throw new Error('no Python interpreter was given');
    const { uri, ...rest } = p;
    return { ...rest, ...fileAndRoot(uri, folders()), env: isStringMap(p.env) ? p.env : undefined, maxRecordsPerResult: EDITOR_MAX_RECORDS };
  };
  const log = (line: string) => void connection.sendNotification(RUN_LOG_NOTIFICATION, { line });

  connection.onRequest(PROFILE_WITH_PYTHON_REQUEST, async (p: PythonRunParams, token: CancellationToken): Promise<PythonRunFileResult> => {
    const result = await worker.profileWithPython(params(p), token, log);
    // Python (and the embedded engine in a comparison) read every file from disk.
    await linkToServerFindings([result.report], workspace, findings, diskText);
    onReport?.(result.report);
    return result;
  });

  connection.onRequest(COMPARE_ENGINES_REQUEST, async (p: PythonRunParams, token: CancellationToken): Promise<EngineComparison> => {
    const comparison = await worker.compareEngines(params(p), token, log);
    await linkToServerFindings([comparison.python.report, comparison.embedded.report], workspace, findings, diskText);
    return comparison;
  });
}
