// The runtime worker: a separate process the language server starts on first use and keeps warm.
// It owns the embedded PostgreSQL (opened once, schema reset per run) and runs one workflow file
// at a time. A crash or a runaway run here never takes the language server down: the server can
// kill this process and start a fresh one.
import * as fs from 'node:fs';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { initPython } from '../../python/parser';
import { openDatabase } from '../openDatabase';
import type { Database } from '../db/types';
import { runFile } from '../runFile';
import { trimResults } from './trimResults';
import { LogNotification, RunRequest, type RunRequestParams } from './protocol';

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
let embedded: Promise<Database> | undefined;

async function databaseFor(p: RunRequestParams): Promise<{ db: Database; close: boolean }> {
  if (p.database.kind === 'embedded') {
    embedded ??= openDatabase({ kind: 'embedded' });
    try {
      const db = await embedded;
      await db.resetSchema();
      return { db, close: false };
    } catch (e) {
      embedded = undefined;
      throw e;
    }
  }
  let url = p.database.url;
  if (p.database.urlFile) {
    url = fs.readFileSync(p.database.urlFile, 'utf8').trim();
    fs.rmSync(p.database.urlFile, { force: true });
  }
  if (!url) throw new Error('no database URL was given');
  return { db: await openDatabase({ kind: 'postgresql', url }), close: true };
}

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
