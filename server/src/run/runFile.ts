// Runs the workflows of one Python file: evaluates it with the DataFlow/Kailash host modules
// bound to the TypeScript runtime, on the database the caller opened, and returns the run
// document (every execute() with its results and node rows, tables, divergences, quirks).
// The user's Python is never executed: the evaluator walks the tree-sitter tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateModule, listEntryPoints } from '../runtime/python/evaluate';
import { DEFAULT_LIMITS } from '../runtime/python/runtime';
import { EntryPointError, EvaluationLimitError, PyException, PyTuple, PythonSyntaxError, UnsupportedPythonError, isRunRefusal, type PyValue } from '../runtime/python/values';
import type { Database, DatabasePreparation } from '../runtime/db/types';
import type { RunDocument } from '../runtime/workflow/runRecorder';
import { Session, type SessionOptions } from '../runtime/bindings/session';
import { Profiler } from '../profiler/profiler';
import type { ProfilerOptions } from '../profiler/options';
import type { PerformanceReport } from '../report/reportTypes';
import { hostModulesFor } from '../runtime/bindings/hostModules';
import { FileAccess } from '../runtime/python/fileAccess';
import { localModuleResolver, packageNameOf, projectRootOf } from '../runtime/localModules';
import { findLibrarySource, withSourceMembers } from '../runtime/librarySource';
import { RECORDED_WITH } from '../runtime/libraryFrames/recordedFrames.generated';
import { isTestStyleEntry, loadConftests, runTestEntry, type LoadedConftests, type TestEntryOutcome } from '../runtime/testEntry';
import { REAL_PACKAGES } from '../runtime/bindings/realNames';
import { toPlain } from '../runtime/python/convert';
import { toJsonValue } from '../runtime/workflow/runRecorder';
import { FloatNumber } from '../runtime/python/floatNumber';
import { takeRunFloats, type JsonPath } from '../runtime/floatPaths';
import { PyDate, PyDateTime, PyDecimal } from '../runtime/shared/hostValues';

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
  /** sys.argv[1:]: the file's command line (never the real process's). */
  argv?: string[];
  db: Database;
  seedRows?: number;
  seedAllowDatabase?: string;
  allowDestructive?: boolean;
  signal?: AbortSignal;
  /** Nothing above this folder is read (the workspace folder). Imports of the project's own modules resolve
   * against the project root: the nearest folder with pyproject.toml / setup.py / setup.cfg / .git, not above `root`. */
  root?: string;
  limits?: { maxIterations?: number; timeoutMs?: number; maxDepth?: number; maxSize?: number; maxHeapBytes?: number };
  onRun?: SessionOptions['onRun'];
  onPrint?: (line: string) => void;
  /** Profile the run: statements, plans and measured recommendations in `result.report`. */
  profile?: ProfilerOptions;
  /** The interpreter the user chose (dataflow.python.path): DataFlow's source for the modules evaluated from it is also looked for in its site-packages. */
  pythonPath?: string;
  /** Where DATAFLOW_SOURCE_DIR is read (default the runtime's own process environment; never the evaluated code's `env`). */
  libraryEnv?: Record<string, string | undefined>;
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
  /**
   * The paths (from the document's root: ['runs', 0, 'results', 'list', 'records', 0, 'price'],
   * ['returned', ...]) of the whole Python floats (8.0) in runs' results and the entry's return,
   * which JSON numbers cannot tell from ints; `--json` prints them as Python does (cli/pythonJson.ts).
   */
  floats?: JsonPath[];
  log: string[];
  /** The run's own time (the embedded database's one-time set-up is databasePreparedMs, apart). */
  elapsedMs: number;
  /** The first run on a fresh embedded data directory: how long its set-up took (not in elapsedMs). */
  databasePreparedMs?: number;
  /**
   * With `profile`: the performance report (absent when no workflow ran). Its recommendations are not yet
   * tied to diagnostics: the caller links them against the findings it has (profiler/linkDiagnostics.ts).
   */
  report?: PerformanceReport;
  /** No entry was named and the file has no `__main__` block: nothing ran (exit 2; see entryPoints). */
  nothingRun?: boolean;
  /** The callable entry points of the file (functions, tests, fixtures, Class.method), when nothing ran. */
  entryPoints?: string[];
  /**
   * What the entry returned, as JSON (datetimes, Decimals and UUIDs as strings, tuples and sets as
   * lists, other objects as `<TypeName object>`); absent when it raised or nothing was called.
   */
  returned?: unknown;
  /** A test, fixture or Class.method entry run the way pytest would: its outcome and the fixtures set up. */
  test?: { kind: TestEntryOutcome['kind']; outcome: TestEntryOutcome['outcome']; reason?: string; fixtures: string[] };
}

const MAX_LOG_LINES = 5000;

/** An entry's return value as JSON, as the oracle's run_real.py writes it; objects it cannot show become `<TypeName object>`. */
function returnedAsJson(v: PyValue | undefined): unknown {
  if (v === undefined) return undefined;
  const clean = (x: unknown, depth: number): unknown => {
    if (x === null || typeof x !== 'object' || depth > 50) return x;
    if (Array.isArray(x)) return x.map((y) => clean(y, depth + 1));
    if (x instanceof Map) return Object.fromEntries([...x].map(([k, y]) => [String(k), clean(y, depth + 1)]));
    if (x instanceof Uint8Array || x instanceof PyDate || x instanceof PyDateTime || x instanceof PyDecimal || x instanceof FloatNumber) return x;
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) return `<${(x as { typeName?: string }).typeName ?? proto.constructor?.name ?? 'object'} object>`;
    return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, clean(y, depth + 1)]));
  };
  try {
    return toJsonValue(clean(toPlain(v, { floats: 'whole' }), 0));
  } catch {
    return '<unrepresentable>';
  }
}

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
  if (isRunRefusal(e)) {
    const loc = e.location;
    return { exitCode: 2, error: { type: e.name, message: e.message, file: loc?.file, line: loc?.line, column: loc?.column } };
  }
  if (e instanceof EvaluationLimitError) {
    const loc = e.location;
    return { exitCode: 1, error: { type: e.name, message: e.message, file: loc?.file, line: loc?.line, column: loc?.column } };
  }
  const err = e as Error;
  return { exitCode: 1, error: { type: (err as { pyType?: string }).pyType ?? err?.name ?? 'Error', message: err?.message ?? String(e) } };
}

/**
 * sys.exit(n) / raise SystemExit(n) that left the file: the run ends with n's meaning (0 or None:
 * success; anything else: failure, exit 1) and says where the file called it.
 */
function systemExitOf(e: unknown): { code: 0 | 1; message: string; file?: string; line?: number; column?: number } | undefined {
  if (!(e instanceof PyException) || !e.pyTypes.includes('SystemExit')) return undefined;
  const args = e.exc.dict.get('args');
  const arg = args instanceof PyTuple && args.items.length ? args.items[0] : null;
  const where = e.traceback[0];
  const at = where ? ` at ${path.basename(where.file)}:${where.line}` : '';
  const shown = arg === null ? '' : typeof arg === 'string' ? JSON.stringify(arg) : String(arg);
  const code = arg === null || arg === 0 || arg === false ? 0 : 1;
  const message = `the file called sys.exit(${shown})${at}${code ? (typeof arg === 'string' ? ' (a message means exit status 1)' : '') : ': the run stopped there, successfully'}`;
  return { code, message, file: where?.file, line: where?.line, column: where?.column };
}

/** The embedded database's one-time set-up, said once, apart from the run's own time. */
function preparedNote(p: DatabasePreparation): string {
  const how = p.how === 'seed' ? 'from the bundled seed' : 'initdb';
  return `embedded database prepared in ${(p.ms / 1000).toFixed(1)} s (${how}; first run only, not counted in this run's time)`;
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
  const prepared = options.db.takePreparation?.();
  // The time limit holds everywhere, not only between the evaluator's steps: inside
  // runtime.execute() (a 30,000-node workflow) and a running statement, through the run's signal.
  const timeoutMs = options.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const deadline = started + timeoutMs;
  const timeLimit = new AbortController();
  const timer = setTimeout(() => timeLimit.abort(new Error(`Time limit exceeded (${timeoutMs} ms)`)), timeoutMs);
  timer.unref?.();
  const signal = options.signal ? AbortSignal.any([options.signal, timeLimit.signal]) : timeLimit.signal;
  const projectRoot = projectRootOf(options.file, options.root);
  const library = findLibrarySource({ projectRoot, workspaceRoot: options.root, pythonPath: options.pythonPath, env: options.libraryEnv ?? process.env });
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
    signal,
    deadline,
    onRun: options.onRun,
    // Recorded kailash / DataFlow frames name the real files of the version they were recorded with; the standard library's stay as recorded.
    locateLibraryFile: (root, file) => (root === 'stdlib' ? undefined : library.locate(root, file, RECORDED_WITH[root])),
  });
  const source = options.text ?? fs.readFileSync(options.file, 'utf8');
  const files = new FileAccess(projectRoot);
  if (library.packageDir) files.allowReading(library.packageDir);
  if (library.kailashDir) files.allowReading(library.kailashDir);
  let entry = options.entry;
  let error: RunError | undefined;
  let exitCode: 0 | 1 | 2 = 0;
  let nothingRun = false;
  let entryPointNames: string[] | undefined;
  let test: RunFileResult['test'];
  let returned: unknown;
  const captured = { logs: [] as Array<{ level: string; message: string }>, prints: [] as string[] };
  try {
    const eps = await listEntryPoints(source);
    if (!entry && eps.hasMainBlock) entry = '__main__';
    if (!entry) {
      nothingRun = true;
      entryPointNames = entryPointList(eps);
    }
    const runMain = entry === '__main__';
    // Tests, fixtures (of the file or its conftest.py files) and Class.method go through the pytest-style runner.
    const testStyle = !!entry && entry !== '__main__' && (isTestStyleEntry(entry, (n) => eps.functions.find((f) => f.name === n)?.decorators) || !eps.functions.some((f) => f.name === entry));
    let conftests: LoadedConftests = { modules: [], errors: [] };
    const env = options.env ?? {};
    const result = await evaluateModule(source, {
      fileName: options.file,
      hostModules: hostModulesFor(session, env),
      env,
      argv: options.argv,
      call: entry && entry !== '__main__' && !testStyle ? entry : undefined,
      args: options.args,
      prelude: testStyle
        ? async (ctx) => {
            conftests = await loadConftests(ctx, options.file, projectRoot, (f) => (f === options.file ? source : undefined));
          }
        : undefined,
      invoke: testStyle
        ? async (ctx) => {
            const r = await runTestEntry(ctx, { file: options.file, entry: entry!, args: options.args ?? {}, root: projectRoot, captured }, conftests);
            session.notes.push(...r.notes);
            if (r.outcome !== 'passed') session.notes.push(`${r.outcome}${r.reason ? `: ${r.reason}` : ''}`);
            test = { kind: r.kind, outcome: r.outcome, reason: r.reason, fixtures: r.fixtures };
            return r.returnValue;
          }
        : undefined,
      runMain,
      // One entry per print() call, without print's own end="\n" (the evaluator leaves it out): a
      // printed string's own trailing newline is output and stays.
      print: (text) => {
        captured.prints.push(text);
        push(text);
      },
      log: (level, msg) => {
        captured.logs.push({ level, message: msg });
        push(`[${level}] ${msg}`);
      },
      limits: options.limits,
      signal,
      clock: options.clock,
      seed: options.seed,
      resolveModule: localModuleResolver(projectRoot),
      packageName: packageNameOf(options.file, projectRoot),
      files,
      realPackages: withSourceMembers(REAL_PACKAGES, library),
      library: (name) => library.resolve(name),
    });
    if (entry && entry !== '__main__') returned = returnedAsJson(result.returnValue);
    result.dispose();
  } catch (e) {
    const exit = systemExitOf(e);
    if (exit && exit.code === 0) session.notes.push(exit.message);
    else if (exit) {
      error = { type: 'SystemExit', message: exit.message, file: exit.file, line: exit.line, column: exit.column };
      exitCode = 1;
    } else if ((timeLimit.signal.aborted || Date.now() >= deadline) && !options.signal?.aborted && !(e instanceof EvaluationLimitError)) {
      // Stopped by the time limit inside a workflow or a statement: said as the limit it is, where it stopped.
      const d = describeError(e);
      const why = e instanceof PyException ? e.pyMessage : d.error.message;
      error = { type: 'EvaluationLimitError', message: `Time limit exceeded (${timeoutMs} ms): ${why}`, file: d.error.file, line: d.error.line, column: d.error.column };
      exitCode = 1;
    } else {
      const d = describeError(e);
      error = d.error;
      exitCode = d.exitCode;
    }
  } finally {
    clearTimeout(timer);
    const wrote = files.projectWrites();
    if (wrote.length) {
      const shown = wrote.slice(0, 10).join(', ') + (wrote.length > 10 ? `, and ${wrote.length - 10} more` : '');
      session.notes.push(`The run wrote ${wrote.length} path(s) of the project (${shown}); what it wrote stayed in the run's scratch folder, which is removed after the run: the project's own files are unchanged.`);
    }
    files.dispose();
  }
  for (const f of session.runtimes().flatMap((rt) => rt.seededFilters)) {
    session.notes.push(`seeded for the filter ${f.model}.${f.condition}: ${f.seeded} row(s) given matching values; it selects ${f.matching} of ${f.total} rows (${f.total ? ((100 * f.matching) / f.total).toFixed(1) : '0.0'} %)`);
  }
  let report: PerformanceReport | undefined;
  if (profiler) {
    try {
      report = await profiler.buildReport({ source: { file: options.file, entry }, recorder: session.recorder, seedRows: options.seedRows, seededFilters: session.runtimes().flatMap((rt) => rt.seededFilters), signal: options.signal });
    } catch (e) {
      session.notes.push(`The report could not be completed: ${(e as Error).message}`);
    } finally {
      profiler.stop();
    }
  }
  const doc = session.recorder.toJSON();
  if (nothingRun && !error && doc.runs.length === 0) {
    exitCode = 2;
    const list = entryPointNames?.length ? `; its entry points: ${entryPointNames.join(', ')} (run one as FILE:NAME)` : '; it defines no function, test or class method to run';
    error = { type: 'EntryPointError', message: `nothing was run: ${path.basename(options.file)} has no \`if __name__ == "__main__":\` block and no entry point was named${list}` };
  } else nothingRun = false;
  try {
    doc.tables = await session.recorder.snapshotTables(...session.runtimes());
  } catch {
    // The database may be gone (cancelled, connection lost): the run document still stands.
  }
  await session.dropPrivateDatabases();
  const taken = takeRunFloats(doc.runs, returned);
  doc.runs = taken.runs;
  returned = taken.returned;
  const floats = taken.floats;
  return {
    ...doc,
    ok: !error,
    exitCode,
    error,
    entry,
    database: options.db.description,
    notes: [...(options.db.notes ?? []), ...(prepared ? [preparedNote(prepared)] : []), ...session.notes],
    ...(prepared ? { databasePreparedMs: prepared.ms } : {}),
    seeded: session.seeded,
    ...(floats.length ? { floats } : {}),
    log,
    elapsedMs: Date.now() - started,
    report,
    ...(nothingRun ? { nothingRun: true, entryPoints: entryPointNames ?? [] } : {}),
    ...(test ? { test } : {}),
    ...(returned !== undefined && !error ? { returned } : {}),
  };
}

/** Names a user can pass as FILE:NAME: module functions (tests and fixtures included) and Class.method. */
function entryPointList(eps: Awaited<ReturnType<typeof listEntryPoints>>): string[] {
  const out = eps.functions.map((f) => f.name);
  for (const m of eps.methods ?? []) out.push(`${m.className}.${m.name}`);
  return out;
}
