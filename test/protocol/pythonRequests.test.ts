// Protocol: the "Profile with Python" requests of the language server (server/src/lsp/pythonRequests.ts),
// as any LSP client sends them: find an interpreter that can `import dataflow`, then run a file's
// entry point in it through the runtime worker, with print() lines as dataflow/runLog
// notifications. The interpreter is the oracle's venv (the real DataFlow 2.20) behind a wrapper.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, fileUri, positionAt } from '../helpers/lspClient';
import { removeDir, tempDir } from './fixtures';
import { oraclePythonOrSkip } from '../helpers/oracle';

const REPO = path.resolve(__dirname, '..', '..', '..');


const TICKETS_PY = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost:5432/helpdesk")


@db.model
class Ticket:
    title: str
    status: str = "open"


def open_two():
    workflow = WorkflowBuilder()
    workflow.add_node("TicketCreateNode", "first", {"title": "First"})
    workflow.add_node("TicketCreateNode", "second", {"title": "Second"})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    print("created", results["first"]["id"], results["second"]["id"])
    return results
`;

interface PythonRun {
  ok: boolean;
  engine: string;
  error?: { type: string; message: string };
  python?: { path: string; version: string };
  runs: Array<{ nodes: Array<{ id: string }>; results: Record<string, { title?: string }> }>;
  statements: Array<{ sql: string; node?: string }>;
  report?: { engine?: string; statements: Array<{ sql: string; nodeId?: string }> };
}

describe('protocol: Profile with Python requests', function () {
  this.timeout(600000);
  let dir: string;
  let python: string;
  let client: LspClient | undefined;

  before(function () {
    ({ dir, python } = oraclePythonOrSkip(this, REPO, () => {
      const d = tempDir('dfp-pyreq-');
      fs.writeFileSync(path.join(d, 'tickets.py'), TICKETS_PY);
      return d;
    }));
  });
  afterEach(async () => { await client?.dispose(); client = undefined; });
  after(() => { if (dir) removeDir(dir); });

  it('dataflow/findDataflowPython: the first candidate that imports dataflow, else null', async () => {
    client = await LspClient.start({ workspaceFolders: [dir] });
    const found = await client.conn.sendRequest<{ path: string; version: string; kailashVersion?: string } | null>('dataflow/findDataflowPython', { candidates: [path.join(dir, 'no-such-python'), python, 'python3'] });
    assert.equal(found?.path, python);
    assert.equal(found?.version, '2.20.0');
    assert.equal(found?.kailashVersion, '2.63.0');
    assert.equal(await client.conn.sendRequest('dataflow/findDataflowPython', { candidates: [path.join(dir, 'no-such-python')] }), null);
    assert.equal(await client.conn.sendRequest('dataflow/findDataflowPython', { candidates: [] }), null);
  });

  it('dataflow/profileWithPython: runs the entry point in that interpreter on the embedded database and returns the Python engine\'s run and report', async () => {
    client = await LspClient.start({ workspaceFolders: [dir] });
    const printed: string[] = [];
    client.conn.onNotification('dataflow/runLog', (p: { line: string }) => printed.push(p.line));
    const uri = fileUri(path.join(dir, 'tickets.py'));
    const r = await client.conn.sendRequest<PythonRun>('dataflow/profileWithPython', { uri, entry: 'open_two', args: {}, python, database: { kind: 'embedded' } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.engine, 'python');
    assert.equal(r.python?.path, python);
    assert.deepEqual(r.runs[0].nodes.map((n) => n.id).sort(), ['first', 'second']);
    assert.equal(r.runs[0].results.first.title, 'First');
    assert.ok(printed.includes('created 1 2'), printed.join('\n'));
    assert.equal(r.report?.engine, 'python');
    const inserts = r.report!.statements.filter((s) => /^\s*INSERT INTO "tickets"/.test(s.sql));
    assert.deepEqual(inserts.map((s) => s.nodeId).sort(), ['first', 'second']);
    // The node type hover shows what the real DataFlow measured for each node of that type.
    await client.open(uri, TICKETS_PY);
    const hover = await client.hover(uri, positionAt(TICKETS_PY, TICKETS_PY.indexOf('"TicketCreateNode"') + 3));
    const text = (hover?.contents as { value: string }).value;
    assert.match(text, /\*\*TicketCreateNode\*\*/);
    assert.match(text, /\*\*Last profile\*\* \([^)]*\)[^]*- `first` \(line 16\): [\d.]+ ms · \d+ stmt · \d+ rows\n- `second` \(line 17\): /);
  });

  it('dataflow/profileWithPython refuses a request without an interpreter, and a document not on disk', async () => {
    client = await LspClient.start({ workspaceFolders: [dir] });
    const uri = fileUri(path.join(dir, 'tickets.py'));
    await assert.rejects(client.conn.sendRequest('dataflow/profileWithPython', { uri, entry: 'open_two', database: { kind: 'embedded' } }), /no Python interpreter/);
    await assert.rejects(client.conn.sendRequest('dataflow/profileWithPython', { uri: 'untitled:Untitled-1', python, database: { kind: 'embedded' } }), /only files on disk/);
  });
});
