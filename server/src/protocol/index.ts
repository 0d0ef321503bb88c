// The language server's own protocol, one module for both sides: the names of its custom requests
// and notifications, their parameters and results, and the report. The VS Code client imports the
// server only through here and report/ (esbuild bundles what it uses into dist/client.js), so
// nothing here may import vscode or a server module with side effects; the types are re-exported
// from where the server makes them, and are erased from the bundle.

/** Run a file's entry point in the runtime worker (params RunParams, result RunFileResult). */
export const RUN_REQUEST = 'dataflow/run';
/** The runnable entry points of a document (params { uri }, result EntryPoint[]). */
export const ENTRY_POINTS_REQUEST = 'dataflow/entryPoints';
/** A line a run printed or logged ({ line }). */
export const RUN_LOG_NOTIFICATION = 'dataflow/runLog';
/** The literal database URL in the file's DataFlow(...) (params { uri }, result string | null). */
export const FILE_DATABASE_URL_REQUEST = 'dataflow/fileDatabaseUrl';
/** The values of typed run arguments, read as Python literals (params { texts }, result Record<string, ArgValue>). */
export const PARSE_ARGUMENTS_REQUEST = 'dataflow/parseArguments';
/** The models a run of the file can create tables for (params { uri }, result string[]). */
export const RUN_MODELS_REQUEST = 'dataflow/runModels';
/** Analyse every file of the workspace and show its diagnostics (result { files, findings }). */
export const ANALYZE_WORKSPACE_REQUEST = 'dataflow/analyzeWorkspace';
/** An interpreter that can `import dataflow` (params FindPythonParams, result DataflowPython | null). */
export const FIND_PYTHON_REQUEST = 'dataflow/findDataflowPython';
/** Run and profile the file in the project's Python (params PythonRunParams, result PythonRunFileResult). */
export const PROFILE_WITH_PYTHON_REQUEST = 'dataflow/profileWithPython';
/** Run the file with both engines and compare (params PythonRunParams, result EngineComparison). */
export const COMPARE_ENGINES_REQUEST = 'dataflow/compareEngines';

import type { PythonRunRequestParams, RunRequestParams } from '../run/worker/protocol';

/** A run as the client asks for it: the document instead of a path and text (the server knows both). */
export type RunParams = Omit<RunRequestParams, 'file' | 'text' | 'root' | 'timeoutMs' | 'maxRecordsPerResult'> & { uri: string };

/** A Python run as the client asks for it: the document instead of a path (the server finds the root). */
export type PythonRunParams = Omit<PythonRunRequestParams, 'file' | 'root' | 'timeoutMs' | 'maxRecordsPerResult'> & { uri: string };

export interface FindPythonParams {
  /** Interpreters to try, in order (paths or commands on PATH). */
  candidates: string[];
  env?: Record<string, string>;
}

/** A parameter of an entry point, for the client's prompts. */
export interface EntryParam { name: string; hasDefault: boolean; kind: 'positional' | 'keyword' | 'varargs' | 'kwargs' }
/** A function (or the `__main__` block) a user can run, at its 0-based line and character. */
export interface EntryPoint { name: string; line: number; character: number; isAsync: boolean; params: EntryParam[] }

export type { DatabaseSpec } from '../run/worker/protocol';
export type { ArgValue } from '../cli/argValue';
export type { RunError, RunFileResult } from '../run/runFile';
export type { DataflowPython, EngineComparison, EngineDifference, PythonRunFileResult } from '../pythonProfile';
export type { PerformanceReport, Recommendation } from '../report/reportTypes';
export { REPORT_SCHEMA, REPORT_VERSION } from '../report/reportTypes';

// Shown the same way by the client as by the server and the CLIs.
export { redactUrl } from '../runtime/db/redactUrl';
export { dataflowHint } from '../cli/errorHints';

export { SERVER_EXEC_ARGV, serverEnvironment } from './serverProcess';
