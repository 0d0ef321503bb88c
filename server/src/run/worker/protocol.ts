// Messages between the language server and the runtime worker process (JSON-RPC over Node IPC).
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { RunFileResult } from '../runFile';
import type { EngineComparison, PythonRunFileResult } from '../../pythonProfile';

/**
 * The database of a run. A PostgreSQL URL may arrive as a file the client wrote (mode 0600) so that
 * the password never travels in an LSP message, which message tracing would log; the worker reads
 * the file and deletes it.
 */
export type DatabaseSpec = { kind: 'embedded' } | { kind: 'postgresql'; url?: string; urlFile?: string };

export interface RunRequestParams {
  file: string;
  /** The document's current text (unsaved edits included). */
  text: string;
  entry?: string;
  args?: Record<string, unknown>;
  env?: Record<string, string>;
  database: DatabaseSpec;
  seedRows?: number;
  /** Let UPDATE/DELETE without a filter run, and seeding happen, on a non-embedded database. */
  allowDestructive?: boolean;
  allowSeedOnDatabase?: boolean;
  profile?: boolean;
  explainAnalyze?: boolean;
  slowQueryMs?: number;
  nPlusOneMin?: number;
  /** Local imports resolve under this folder (the workspace folder). */
  root?: string;
  /** The project's interpreter (`dataflow.python.path`): its site-packages may hold DataFlow's source, which is read, never run. */
  pythonPath?: string;
  timeoutMs?: number;
  /**
   * Trim node outputs for the editor: record lists longer than this keep their first entries and
   * say how many were left out (the report and the counts are not affected). Unset: everything.
   */
  maxRecordsPerResult?: number;
}

export const RunRequest = new RequestType<RunRequestParams, RunFileResult, void>('dataflow/worker/run');
export const LogNotification = new NotificationType<{ line: string }>('dataflow/worker/log');
/** Open the embedded database now (the editor asks once, in the background, when the workspace uses DataFlow). */
export const PrepareNotification = new NotificationType<void>('dataflow/worker/prepare');

/**
 * "Profile with Python": the file runs in the project's own interpreter (the one place user code
 * is executed; the client gates it on workspace trust and an explicit, confirmed command).
 */
export interface PythonRunRequestParams {
  file: string;
  entry?: string;
  args?: Record<string, unknown>;
  /** The interpreter findDataflowPython accepted (a path or a command on PATH). */
  python: string;
  /** Extra environment for the Python process (the `dataflow.python.env` setting). */
  env?: Record<string, string>;
  /** The project root: first on sys.path and the working directory. */
  root: string;
  database: DatabaseSpec;
  explainAnalyze?: boolean;
  slowQueryMs?: number;
  nPlusOneMin?: number;
  timeoutMs?: number;
  maxRecordsPerResult?: number;
}

export const PythonProfileRequest = new RequestType<PythonRunRequestParams, PythonRunFileResult, void>('dataflow/worker/profileWithPython');
export const CompareEnginesRequest = new RequestType<PythonRunRequestParams, EngineComparison, void>('dataflow/worker/compareEngines');
