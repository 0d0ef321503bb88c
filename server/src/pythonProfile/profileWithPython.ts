// "Profile with Python": the user's file in the project's own interpreter under the tracer, on the
// chosen database (the embedded PGlite served on a loopback port, or the user's PostgreSQL), turned
// into the same RunFileResult and report the embedded runtime produces.
import { takeRunFloats } from '../runtime/floatPaths';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseChoice } from '../run/openDatabase';
import { PostgresDatabase } from '../runtime/db/postgresDatabase';
import type { Database } from '../runtime/db/types';
import { redactUrl } from '../runtime/db/redactUrl';
import type { ProfilerOptions } from '../profiler/options';
import type { RunFileResult } from '../run/runFile';
import type { PerformanceReport } from '../report/reportTypes';
import type { DataflowPython } from './findPython';
import { servePglite } from './servePglite';
import { TraceConsumer, type TracedStatement } from './traceConsumer';
import { runTracer } from './tracerProcess';

export interface PythonProfileOptions {
  /** Absolute path of the file to run. */
  file: string;
  /** A function to call after the module is imported ('Class.method' too); '__main__' runs the `if __name__ == "__main__":` block. Default: '__main__' when the file has one, else the module is only imported. */
  entry?: string;
  /** Keyword arguments for the entry function (JSON values). */
  args?: Record<string, unknown>;
  /** The file's sys.argv[1:] (its command line). */
  argv?: string[];
  /** The interpreter (path or command). */
  python: string;
  /** The project root (first on sys.path; the working directory of the run). */
  root: string;
  /** Where every DataFlow(...) of the run is pointed. Embedded = PGlite served on a loopback port (its own data dir: `dataDir` + "-python"). */
  db: DatabaseChoice;
  /** Extra environment for the Python process (merged over the current one; PYTHONPATH for a source-tree install). */
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
  /** The interpreter and versions that ran it (undefined when it could not import DataFlow). */
  python?: DataflowPython;
  /** Every SQL statement the run sent, in order (the tracer's record; at most 20,000 kept). */
  statements: TracedStatement[];
}

export type { TracedStatement };

const MAX_LOG_LINES = 5000;

/** `if __name__ == "__main__":` at the top level of the file. */
export function hasMainBlock(source: string): boolean {
  return /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/m.test(source);
}

function passwordOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `file` in the project's Python under the tracer and builds the same RunFileResult (and report) the embedded runtime does. */
export async function profileWithPython(o: PythonProfileOptions): Promise<PythonRunFileResult> {
  const started = Date.now();
  const base = { runs: [], tables: {}, divergences: [], quirks: [], seeded: {}, log: [], notes: [], statements: [], engine: 'python' as const };
  const environmentError = (reason: string): PythonRunFileResult => ({
    ...base,
    ok: false,
    exitCode: 2,
    error: { type: 'PythonEnvironmentError', message: `${reason}. Profile with Python needs an interpreter with kailash-dataflow installed (pip install kailash-dataflow).` },
    entry: o.entry,
    database: '',
    elapsedMs: Date.now() - started,
  });
  let entry = o.entry;
  if (!entry) {
    try {
      if (hasMainBlock(fs.readFileSync(o.file, 'utf8'))) entry = '__main__';
    } catch {
      // the tracer reports the missing file
    }
  }

  let db: Database;
  let url: string;
  let closeDb: () => Promise<void>;
  if (o.db.kind === 'embedded') {
    const served = await servePglite(o.db.dataDir ? o.db.dataDir + '-python' : undefined);
    db = served.db;
    url = served.url;
    closeDb = () => served.close();
  } else {
    const pg = await PostgresDatabase.open({ url: o.db.url, schema: o.db.schema ?? 'public', poolSize: o.db.poolSize, poolMaxOverflow: o.db.poolMaxOverflow });
    db = pg;
    url = o.db.url;
    closeDb = () => pg.close();
  }
  const secret = passwordOf(url);
  const secrets = secret ? [secret, encodeURIComponent(secret)] : [];
  const log: string[] = [];
  const push = (line: string) => {
    consumer.profiler?.log(line);
    if (log.length < MAX_LOG_LINES) log.push(line);
    else if (log.length === MAX_LOG_LINES) log.push('… (log truncated)');
    o.onPrint?.(line);
  };
  const consumer = new TraceConsumer(db, o.profile);
  let report: PerformanceReport | undefined;
  try {
    let proc;
    try {
      proc = await runTracer({
        python: o.python,
        file: path.resolve(o.file),
        entry,
        args: o.args,
        argv: o.argv,
        root: path.resolve(o.root),
        dbUrl: url,
        embedded: o.db.kind === 'embedded',
        env: o.env,
        timeoutMs: o.timeoutMs,
        signal: o.signal,
        secrets,
        onEvent: (e) => consumer.handle(e),
        onPrint: push,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' || err.code === 'EACCES') return environmentError(`${o.python}: no such interpreter`);
      throw e;
    }
    if (consumer.done?.missing) return environmentError(`${o.python} cannot import kailash-dataflow (${consumer.done.error?.message ?? ''})`);
    let error: RunFileResult['error'];
    let exitCode: 0 | 1 | 2 = 0;
    const notes = [...consumer.notes];
    if (proc.timedOut || proc.aborted) {
      consumer.closeOpenRuns(proc.timedOut ? 'the run timed out' : 'the run was cancelled');
      error = { type: proc.timedOut ? 'TimeoutError' : 'CancelledError', message: proc.timedOut ? `the Python run was stopped after ${o.timeoutMs ?? 600000} ms` : 'the Python run was cancelled' };
      exitCode = 1;
    } else if (consumer.done?.badEntry) {
      error = { type: 'EntryPointError', message: consumer.done.error?.message ?? 'no such entry point' };
      exitCode = 2;
    } else if (!consumer.done) {
      consumer.closeOpenRuns('the Python process ended without finishing');
      const tail = proc.stderr.trim().split('\n').slice(-5).join('\n');
      error = { type: 'PythonProcessError', message: `the Python process ended (exit ${proc.exitCode ?? proc.signal}) before the run finished${tail ? `: ${tail}` : ''}` };
      exitCode = 1;
    } else if (!consumer.done.ok && consumer.done.error) {
      const e = consumer.done.error;
      error = { type: e.type, message: e.message, file: e.file, line: e.line, traceback: e.traceback };
      exitCode = 1;
    }
    if (consumer.statementsOmitted) notes.push(`${consumer.statementsOmitted} more statements were traced than the result keeps (20,000).`);
    if (consumer.profiler) {
      try {
        report = await consumer.profiler.buildReport({ source: { file: o.file, entry }, recorder: consumer.recorder, signal: o.signal });
        report.engine = 'python';
        for (const rec of report.recommendations) {
          if (rec.rule !== 'bulk-loop' && rec.rule !== 'read-in-loop') continue;
          // the loop was timed in Python (node times include DataFlow's per-node overhead); the bulk
          // equivalent is run by the embedded runtime on the same database: say so next to the ratio
          rec.before.description += ' (timed in the real DataFlow, per-node Python overhead included)';
          if (rec.after.ms !== undefined) rec.after.description += ' (run by the embedded runtime on the same database)';
        }
      } catch (e) {
        notes.push(`The report could not be completed: ${(e as Error).message}`);
      } finally {
        consumer.profiler.stop();
      }
    }
    const doc = consumer.recorder.toJSON();
    try {
      doc.tables = await consumer.recorder.snapshotTables(...consumer.runtimes);
    } catch {
      // the database may be gone
    }
    // Python's whole floats (8.0) in the results: their numbers, their paths listed (runtime/floatPaths.ts).
    const taken = takeRunFloats(doc.runs, undefined);
    doc.runs = taken.runs;
    return {
      ...doc,
      ...(taken.floats.length ? { floats: taken.floats } : {}),
      engine: 'python',
      python: consumer.hello ? { path: o.python, version: consumer.hello.dataflow, kailashVersion: consumer.hello.kailash, pythonVersion: consumer.hello.python } : undefined,
      statements: consumer.statements,
      ok: !error,
      exitCode,
      error,
      entry,
      database: o.db.kind === 'embedded' ? `${db.description}, served to Python on ${url}` : redactUrl(url),
      notes,
      seeded: {},
      log,
      elapsedMs: Date.now() - started,
      report,
    };
  } finally {
    await closeDb();
  }
}
