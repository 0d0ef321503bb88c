// Runs the workflows of one Python file: evaluates it with the DataFlow/Kailash host modules
// bound to the TypeScript runtime, on the database the caller opened, and returns the run
// document (every execute() with its results and node rows, tables, divergences, quirks).
// The user's Python is never executed: the evaluator walks the tree-sitter tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateModule, listEntryPoints } from './python/evaluate';
import { EntryPointError, EvaluationLimitError, PyException, PythonSyntaxError, UnsupportedPythonError } from './python/values';
import type { Database } from './db/types';
import type { RunDocument } from './workflow/runRecorder';
import { Session, type SessionOptions } from './bindings/session';
import { Profiler } from '../profiler/profiler';
import type { ProfilerOptions } from '../profiler/options';
import { linkDiagnostics } from '../profiler/linkDiagnostics';
import type { PerformanceReport } from '../report/reportTypes';
import { hostModulesFor } from './bindings/hostModules';
import { REAL_PACKAGES } from './bindings/realNames';

export interface RunFileOptions {
  /** Absolute path of the file. */
  file: string;
  /** The text to run (the editor's unsaved text); read from disk when absent. */
  text?: string;
  /** A function to call after the module's top level; '__main__' runs the `if __name__ == "__main__":` block. */
  entry?: string;
  /** Values for the entry function's parameters. */
  args?: Record<string, unknown>;
  /** The environment os.getenv sees (never the real process environment). */
  env?: Record<string, string>;
  db: Database;
  seedRows?: number;
  seedAllowDatabase?: string;
  allowDestructive?: boolean;
  signal?: AbortSignal;
  /** Imports of local modules are read from here and below (default: the file's folder). */
  root?: string;
  limits?: { maxIterations?: number; timeoutMs?: number; maxDepth?: number; maxSize?: number };
  onRun?: SessionOptions['onRun'];
  onPrint?: (line: string) => void;
  /** Profile the run: statements, plans and measured recommendations in `result.report`. */
  profile?: ProfilerOptions;
  /** Fixed clock and seed, for reproducible runs (tests). */
  clock?: string;
  seed?: number;
}

export interface RunError {
  type: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  traceback?: string;
}

export interface RunFileResult extends RunDocument {
  ok: boolean;
  /** 0 success, 1 the workflow (or the Python code around it) failed, 2 unsupported Python or bad arguments. */
  exitCode: 0 | 1 | 2;
  error?: RunError;
  entry?: string;
  database: string;
  notes: string[];
  /** Synthetic rows inserted per table before the run. */
  seeded: Record<string, number>;
  log: string[];
  elapsedMs: number;
  /** With `profile`: the performance report (absent when no workflow ran). */
  report?: PerformanceReport;
}

const MAX_LOG_LINES = 5000;

function describeError(e: unknown): { error: RunError; exitCode: 1 | 2 } {
  if (e instanceof PyException) {
    const last = e.traceback[0];
    return { exitCode: 1, error: { type: e.pyType, message: e.pyMessage, file: last?.file, line: last?.line, column: last?.column, traceback: e.formatTraceback() } };
  }
  if (e instanceof UnsupportedPythonError || e instanceof PythonSyntaxError) {
    const loc = e.location;
    return { exitCode: 2, error: { type: e.name, message: e.message, file: loc?.file, line: loc?.line, column: loc?.column } };
  }
  if (e instanceof EntryPointError) return { exitCode: 2, error: { type: e.name, message: e.message } };
  if (e instanceof EvaluationLimitError) {
    const loc = e.location;
    return { exitCode: 1, error: { type: e.name, message: e.message, file: loc?.file, line: loc?.line, column: loc?.column } };
  }
  const err = e as Error;
  return { exitCode: 1, error: { type: (err as { pyType?: string }).pyType ?? err?.name ?? 'Error', message: err?.message ?? String(e) } };
}

/** The module a local import names, read from disk under `root` (never outside it). */
function localModuleResolver(root: string) {
  const base = path.resolve(root);
  return (name: string, importer: string) => {
    const rel = name.split('.');
    const dirs = [path.dirname(importer), base];
    for (const dir of dirs) {
      for (const candidate of [path.join(dir, ...rel) + '.py', path.join(dir, ...rel, '__init__.py')]) {
        const resolved = path.resolve(candidate);
        if (!resolved.startsWith(base + path.sep) && resolved !== base) continue;
        if (fs.existsSync(resolved)) return { source: fs.readFileSync(resolved, 'utf8'), fileName: resolved };
      }
    }
    return undefined;
  };
}

export async function runFile(options: RunFileOptions): Promise<RunFileResult> {
  const started = Date.now();
  const log: string[] = [];
  const push = (line: string) => {
    profiler?.log(line);
    if (log.length < MAX_LOG_LINES) log.push(line);
    else if (log.length === MAX_LOG_LINES) log.push('… (log truncated)');
    options.onPrint?.(line);
  };
  let profiler: Profiler | undefined;
  const session: Session = new Session({
    onConnect: (rt) => {
      if (!options.profile) return;
      if (!profiler) {
        const where = session.instances.find((i) => i.runtime === rt)?.location;
        profiler = new Profiler({
          poolLocation: where?.file ? { file: where.file, line: where.line } : undefined,
          ...options.profile,
          runtimes: [rt],
          slowQueryThreshold: options.profile.slowQueryThreshold ?? session.slowQueryThreshold,
        }).start();
      } else profiler.runtimes.push(rt);
    },
    instrument: (built, o) => (profiler ? profiler.instrument(built, o) : o),
    db: options.db,
    seedRows: options.seedRows,
    seedAllowDatabase: options.seedAllowDatabase,
    allowDestructive: options.allowDestructive,
    signal: options.signal,
    onRun: options.onRun,
  });
  const source = options.text ?? fs.readFileSync(options.file, 'utf8');
  let entry = options.entry;
  let runMain = false;
  let error: RunError | undefined;
  let exitCode: 0 | 1 | 2 = 0;
  try {
    if (!entry) {
      const eps = await listEntryPoints(source);
      if (eps.hasMainBlock) { entry = '__main__'; }
    }
    runMain = entry === '__main__';
    const result = await evaluateModule(source, {
      fileName: options.file,
      hostModules: hostModulesFor(session),
      env: options.env ?? {},
      call: entry && entry !== '__main__' ? entry : undefined,
      args: options.args,
      runMain,
      print: (text) => push(text.replace(/\n$/, '')),
      log: (level, msg) => push(`[${level}] ${msg}`),
      limits: options.limits,
      signal: options.signal,
      clock: options.clock,
      seed: options.seed,
      resolveModule: localModuleResolver(options.root ?? path.dirname(options.file)),
      realPackages: REAL_PACKAGES,
    });
    result.dispose();
  } catch (e) {
    const d = describeError(e);
    error = d.error;
    exitCode = d.exitCode;
  }
  let report: PerformanceReport | undefined;
  if (profiler) {
    try {
      report = await profiler.buildReport({ source: { file: options.file, entry }, recorder: session.recorder, seedRows: options.seedRows, signal: options.signal });
      await linkDiagnostics(report, options.root ?? path.dirname(options.file));
    } catch (e) {
      session.notes.push(`The report could not be completed: ${(e as Error).message}`);
    } finally {
      profiler.stop();
    }
  }
  const doc = session.recorder.toJSON();
  try {
    doc.tables = await session.recorder.snapshotTables(...session.runtimes());
  } catch {
    // The database may be gone (cancelled, connection lost): the run document still stands.
  }
  await session.dropPrivateDatabases();
  return {
    ...doc,
    ok: !error,
    exitCode,
    error,
    entry,
    database: options.db.description,
    notes: session.notes,
    seeded: session.seeded,
    log,
    elapsedMs: Date.now() - started,
    report,
  };
}
