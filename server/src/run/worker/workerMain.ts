// The runtime worker: a separate process the language server starts on first use and keeps warm.
// It owns the embedded PostgreSQL (opened once, schema reset per run) and runs one workflow file
// at a time. A crash or a runaway run here never takes the language server down: the server can
// kill this process and start a fresh one.
import * as fs from 'node:fs';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { initPython } from '../../syntax/parser';
import { openDatabase, type DatabaseChoice } from '../openDatabase';
import type { Database } from '../../runtime/db/types';
import { runFile } from '../runFile';
import { trimResults } from './trimResults';
import { compareEngines, profileWithPython, type PythonRunFileResult } from '../../pythonProfile';
import { CompareEnginesRequest, LogNotification, PrepareNotification, PythonProfileRequest, RunRequest, type DatabaseSpec, type PythonRunRequestParams, type RunRequestParams } from './protocol';

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
let embedded: Promise<Database> | undefined;

function openEmbedded(): Promise<Database> {
  return (embedded ??= openDatabase({ kind: 'embedded' }, (line) => void connection.sendNotification(LogNotification, { line })));
}

// A first run then finds the embedded database (and the parser) ready: its one-time set-up
// happens here, in the background, and is still reported to the first run that uses it.
connection.onNotification(PrepareNotification, () => {
  void initPython().catch(() => undefined);
  openEmbedded().catch(() => { embedded = undefined; });
});

async function databaseFor(p: RunRequestParams): Promise<{ db: Database; close: boolean }> {
  if (p.database.kind === 'embedded') {
    try {
      const db = await openEmbedded();
      await db.resetSchema();
      return { db, close: false };
    } catch (e) {
      embedded = undefined;
      throw e;
    }
  }
  return { db: await openDatabase({ kind: 'postgresql', url: urlOf(p.database) }), close: true };
}

/** The URL of a PostgreSQL choice; a URL file the client wrote is read once and deleted. */
function urlOf(spec: Extract<DatabaseSpec, { kind: 'postgresql' }>): string {
  let url = spec.url;
  if (spec.urlFile) {
    url = fs.readFileSync(spec.urlFile, 'utf8').trim();
    fs.rmSync(spec.urlFile, { force: true });
  }
  if (!url) throw new Error('no database URL was given');
  return url;
}

/**
 * Where a Python run's DataFlow(...) points. Embedded: profileWithPython serves PGlite from the
 * default data directory + "-python" (compareEngines' embedded side uses + "-compare"), never the
 * directory this worker keeps open for embedded runs: two PGlite instances must not share one.
 */
function pythonDatabase(spec: DatabaseSpec): DatabaseChoice {
  return spec.kind === 'embedded' ? { kind: 'embedded' } : { kind: 'postgresql', url: urlOf(spec) };
}

/** Traced statements the editor receives (all of them are in the report, up to its own limit). */
const EDITOR_MAX_TRACED = 1000;

/** A Python run as the editor gets it: long record lists and the traced-statement list cut. */
function forEditor(result: PythonRunFileResult, maxRecords: number): PythonRunFileResult {
  trimResults(result, maxRecords);
  if (result.statements.length > EDITOR_MAX_TRACED) {
    result.notes.push(`${result.statements.length - EDITOR_MAX_TRACED} of ${result.statements.length} traced statements are not listed here (the report has them).`);
    result.statements = result.statements.slice(0, EDITOR_MAX_TRACED);
  }
  return result;
}

function pythonOptions(p: PythonRunRequestParams, signal: AbortSignal) {
  return {
    file: p.file,
    entry: p.entry,
    args: p.args,
    python: p.python,
    root: p.root,
    env: p.env,
    db: pythonDatabase(p.database),
    profile: { explain: p.explainAnalyze ? 'analyze' as const : true, slowQueryMs: p.slowQueryMs, nPlusOneMin: p.nPlusOneMin },
    timeoutMs: p.timeoutMs,
    signal,
    onPrint: (line: string) => void connection.sendNotification(LogNotification, { line }),
  };
}

connection.onRequest(PythonProfileRequest, async (p, token) => {
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
  const result = await profileWithPython(pythonOptions(p, abort.signal));
  if (p.maxRecordsPerResult !== undefined) forEditor(result, p.maxRecordsPerResult);
  return result;
});

connection.onRequest(CompareEnginesRequest, async (p, token) => {
  await initPython();
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
  const comparison = await compareEngines(pythonOptions(p, abort.signal));
  if (p.maxRecordsPerResult !== undefined) {
    trimResults(comparison.embedded, p.maxRecordsPerResult);
    forEditor(comparison.python, p.maxRecordsPerResult);
  }
  return comparison;
});

connection.onRequest(RunRequest, async (p, token) => {
  await initPython();
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
  const { db, close } = await databaseFor(p);
  try {
    const result = await runFile({
      file: p.file,
      text: p.text,
      entry: p.entry,
      args: p.args,
      env: p.env,
      db,
      root: p.root,
      pythonPath: p.pythonPath,
      seedRows: p.seedRows,
      seedAllowDatabase: p.allowSeedOnDatabase ? db.description : undefined,
      allowDestructive: p.allowDestructive,
      signal: abort.signal,
      limits: { timeoutMs: p.timeoutMs ?? 300_000 },
      profile: p.profile ? { explain: p.explainAnalyze ? 'analyze' : true, slowQueryMs: p.slowQueryMs, nPlusOneMin: p.nPlusOneMin } : undefined,
      onPrint: (line) => void connection.sendNotification(LogNotification, { line }),
    });
    return p.maxRecordsPerResult !== undefined ? trimResults(result, p.maxRecordsPerResult) : result;
  } finally {
    if (close) await db.close().catch(() => undefined);
  }
});

process.on('uncaughtException', (e) => process.stderr.write(`dataflow runtime worker: ${e.stack ?? e}\n`));
connection.listen();
