// "Profile with Python": runs the user's file in the project's own Python interpreter (the one
// place the extension executes user code; callers gate it on workspace trust and an explicit
// command), with a small tracer shipped with the extension that records every statement DataFlow
// sends, each node's start/end and each execute()'s results, and feeds them to the same profiler
// the embedded runtime uses. No `vscode` import: the CLI and the language server both call this.
import type { DatabaseChoice } from '../runtime/openDatabase';
import type { ProfilerOptions } from '../profiler/options';
import type { RunFileResult } from '../runtime/runFile';

/** An interpreter that can `import dataflow`. */
export interface DataflowPython {
  /** The interpreter as given (a path or a command on PATH). */
  path: string;
  /** `dataflow.__version__`. */
  version: string;
  /** `kailash.__version__`, when importable. */
  kailashVersion?: string;
}

export interface FindPythonOptions {
  /** Extra environment for the probe (e.g. PYTHONPATH for an interpreter whose packages are a source tree). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Per-candidate probe timeout (default 20 s). */
  timeoutMs?: number;
}

/**
 * The first candidate (in order) whose `import dataflow` works, with its version; undefined when
 * none does. Candidates are paths or commands ('python3').
 */
export async function findDataflowPython(candidates: string[], options: FindPythonOptions = {}): Promise<DataflowPython | undefined> {
  void candidates; void options;
  throw new Error('findDataflowPython: not implemented yet');
}

export interface PythonProfileOptions {
  /** Absolute path of the file to run. */
  file: string;
  /** A function to call after the module is imported; '__main__' runs the `if __name__ == "__main__":` block. Default: '__main__' when the file has one. */
  entry?: string;
  /** Keyword arguments for the entry function (JSON values). */
  args?: Record<string, unknown>;
  /** The interpreter (path or command). */
  python: string;
  /** The project root (put first on sys.path; the working directory of the run). */
  root: string;
  /** Where every DataFlow(...) of the run is pointed. Embedded = PGlite served on a loopback port. */
  db: DatabaseChoice;
  /** Extra environment for the Python process (merged over the current one). */
  env?: Record<string, string>;
  /** Profile the run: statements, plans and measured recommendations in `result.report`. */
  profile?: ProfilerOptions;
  /** Kill the process tree after this long (default 10 min). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onPrint?: (line: string) => void;
}

export interface PythonRunFileResult extends RunFileResult {
  engine: 'python';
  /** The interpreter and versions that ran it. */
  python: DataflowPython;
  /** Every SQL statement DataFlow sent, in order (the tracer's record). */
  statements: TracedStatement[];
}

export interface TracedStatement {
  sql: string;
  /** Bound parameters (JSON-safe copies). */
  params?: unknown[];
  /** asyncpg / psycopg2 method that sent it (fetch, execute, executemany, ...). */
  method: string;
  node?: string;
  workflowRun?: number;
  file?: string;
  line?: number;
  startMs: number;
  durationMs: number;
  rows?: number;
  error?: string;
}

/** Runs `file` in the project's Python under the tracer and builds the same RunFileResult (and report) the embedded runtime does. */
export async function profileWithPython(o: PythonProfileOptions): Promise<PythonRunFileResult> {
  void o;
  throw new Error('profileWithPython: not implemented yet');
}

export interface CompareOptions extends Omit<PythonProfileOptions, 'db'> {
  /** Each engine gets its own fresh database of this kind (embedded: separate data dirs; postgresql: separate schemas). */
  db: DatabaseChoice;
}

/** One node (or whole run) where the engines disagree. */
export interface EngineDifference {
  /** Index of the execute() call (0-based), in call order. */
  run: number;
  /** The node id, absent for a run-level difference (run count, error). */
  node?: string;
  kind: 'result' | 'statements' | 'error' | 'missing';
  embedded?: unknown;
  python?: unknown;
  message: string;
}

export interface EngineComparison {
  file: string;
  entry?: string;
  embedded: RunFileResult;
  python: PythonRunFileResult;
  /** Nodes compared (across runs) and how many agree. */
  nodesCompared: number;
  nodesAgreeing: number;
  differences: EngineDifference[];
}

/** Runs one entry point with both engines and lists every node whose result or statements differ. */
export async function compareEngines(o: CompareOptions): Promise<EngineComparison> {
  void o;
  throw new Error('compareEngines: not implemented yet');
}
