// The runtime worker prepared in the background (issue 12 target 5): a client that asks for it
// (initializationOptions.prepareRuntime, as the VS Code client does by default) gets the worker
// started after the workspace scan when a file makes a DataFlow instance, and the embedded
// database set up there before any Run; the first run then reports the one-time set-up once, apart
// from its own time, and the next run does not. Real server over stdio, real worker, real PGlite
// in a private data directory.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LspClient, fileUri } from '../helpers/lspClient';
import { tempDir, removeDir, writeFiles } from './fixtures';

const JOBS = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://localhost/shop")


@db.model
class Ticket:
    title: str
    points: int = 1


def add(title="first"):
    wf = WorkflowBuilder()
    wf.add_node("TicketCreateNode", "create", {"title": title, "points": 3})
    wf.add_node("TicketCountNode", "count", {"filter": {"points": 3}})
    wf.add_connection("create", "id", "count", "unused_input")
    results, _ = LocalRuntime().execute(wf.build())
    return results["count"]["count"]
`;

interface RunResult { ok: boolean; error?: unknown; notes: string[]; databasePreparedMs?: number; elapsedMs: number; returned?: unknown }

describe('runtime worker prepared in the background (protocol)', function () {
  this.timeout(240000);
  let dir: string | undefined;
  let client: LspClient | undefined;
  const savedDataDir = process.env.DATAFLOW_PERF_DATA_DIR;

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeDir(dir);
    if (savedDataDir === undefined) delete process.env.DATAFLOW_PERF_DATA_DIR;
    else process.env.DATAFLOW_PERF_DATA_DIR = savedDataDir;
  });

  it('sets the embedded database up before the first Run, which reports it once, not in its own time', async () => {
    dir = tempDir('dfp-prepare-');
    const dataDir = path.join(dir, '.embedded-db');
    writeFiles(dir, { 'jobs.py': JOBS });
    // The server (and the worker it forks) take the data directory from the environment.
    process.env.DATAFLOW_PERF_DATA_DIR = dataDir;
    client = await LspClient.start({ workspaceFolders: [dir], initializationOptions: { prepareRuntime: true } });
    // No document is opened and nothing is run: only the background preparation can make it.
    const deadline = Date.now() + 150000;
    while (!fs.existsSync(path.join(dataDir, 'PG_VERSION')) && Date.now() < deadline) await sleep(200);
    assert.ok(fs.existsSync(path.join(dataDir, 'PG_VERSION')), 'the embedded data directory was not set up in the background');

    const uri = fileUri(path.join(dir, 'jobs.py'));
    const first = await client.conn.sendRequest<RunResult>('dataflow/run', { uri, entry: 'add', args: {}, database: { kind: 'embedded' } });
    assert.equal(first.ok, true, JSON.stringify(first.error));
    const prepared = first.notes.filter((n) => n.startsWith('embedded database prepared in'));
    assert.equal(prepared.length, 1, first.notes.join('\n'));
    assert.match(prepared[0], /^embedded database prepared in \d+\.\d s \(from the bundled seed; first run only, not counted in this run's time\)$/);
    assert.ok((first.databasePreparedMs ?? 0) > 0);

    const second = await client.conn.sendRequest<RunResult>('dataflow/run', { uri, entry: 'add', args: { title: 'second' }, database: { kind: 'embedded' } });
    assert.equal(second.ok, true, JSON.stringify(second.error));
    assert.deepEqual(second.notes.filter((n) => n.includes('prepared')), []);
    assert.equal(second.databasePreparedMs, undefined);
  });
});
