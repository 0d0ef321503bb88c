// Robustness of the server process: a 5 MB document, binary and random garbage documents,
// malformed LSP traffic (unknown methods, bad params, invalid JSON bodies, changes for unknown
// documents or past the end) must not kill it — it still answers requests afterwards.
import * as assert from 'node:assert/strict';
import { ErrorCodes, type CodeAction } from 'vscode-languageserver-protocol/node';
import { LspClient, codesOf, findDiagnostic } from '../helpers/lspClient';

const SMALL = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://localhost/shop", pool_size=20, pool_max_overflow=30)

@db.model
class Product:
    name: str
    price: int

def load(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"]})
    return workflow
`;

function big(chars: number): string {
  const parts = [SMALL];
  let size = SMALL.length;
  for (let i = 0; size < chars; i++) {
    const s = `\ndef load_${i}(rows):\n    workflow = WorkflowBuilder()\n    for i, row in enumerate(rows):\n        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})\n    return workflow\n`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** Deterministic pseudo-random garbage: bytes read as latin1 (with NULs) or UTF-16 units. */
function garbage(n: number, seed: number, kind: 'bytes' | 'utf16'): string {
  let x = seed >>> 0;
  const next = () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x; };
  if (kind === 'bytes') return Buffer.from(Array.from({ length: n }, () => next() & 0xff)).toString('latin1');
  // Printable-ish UTF-16 without NUL and without lone surrogates (JSON-RPC carries UTF-8).
  let s = '';
  while (s.length < n) {
    const c = 1 + (next() % 0xfffe);
    if (c >= 0xd800 && c <= 0xdfff) continue;
    s += String.fromCharCode(c);
  }
  return s + ' DataFlow add_node( [{"';
}

describe('robustness: the server process survives bad documents and bad traffic', function () {
  this.timeout(300000);
  let client: LspClient;

  before(async () => { client = await LspClient.start({ configuration: false }); });
  after(async () => { await client?.dispose(); });

  /** The server is alive and working: a new document gets diagnostics and code actions. */
  async function assertAlive(tag: string): Promise<void> {
    const uri = `file:///alive/${tag}.py`;
    const p = await client.openAndWait(uri, SMALL, { timeoutMs: 120000 });
    assert.deepEqual(codesOf(p), ['DF001'], tag);
    const d = findDiagnostic(p, 'DF001');
    const actions = await client.codeActions(uri, d.range, [d]);
    assert.equal(actions.length, 4, tag); // fix, ignore on this line, ignore in this file, docs
    assert.ok((actions[0] as CodeAction).isPreferred, tag);
    await client.close(uri);
    assert.ok(!client.hasExited, `${tag}: the server process exited; stderr: ${client.stderrTail()}`);
  }

  it('a 5 MB document is analysed (diagnostics arrive) and so is a one-character edit of it', async () => {
    const text = big(5 * 1024 * 1024);
    const uri = 'file:///big/five_mb.py';
    const p = await client.openAndWait(uri, text, { timeoutMs: 240000 });
    const expected = (text.match(/ProductCreateNode/g) ?? []).length;
    assert.equal(p.diagnostics.filter((d) => d.code === 'DF001').length, expected);
    const q = await client.changeAndWait(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }], { timeoutMs: 240000 });
    assert.equal(q.diagnostics.length, p.diagnostics.length);
    await client.close(uri);
    await assertAlive('after-5mb');
  });

  it('binary bytes (with NULs) publish only the "analysis skipped" notice; random UTF-16 garbage does not hurt', async () => {
    const skipped = (p: { diagnostics: Array<{ message: string; severity?: number; range: unknown }> }) => p.diagnostics.map((d) => [d.message, d.severity, d.range]);
    const notice = [['DataFlow analysis skipped: the file contains NUL bytes (binary?)', 3, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }]];
    const bin = await client.openAndWait('file:///garbage/binary.py', `import dataflow\n${garbage(200000, 7, 'bytes')}`);
    assert.deepEqual(skipped(bin), notice);
    const junk = await client.openAndWait('file:///garbage/utf16.py', garbage(200000, 11, 'utf16'));
    assert.deepEqual(junk.diagnostics, [], 'garbage that imports nothing: no finding and no notice');
    // Edit garbage into a valid document and back out again.
    const uri = 'file:///garbage/edited.py';
    await client.openAndWait(uri, SMALL);
    const dirty = await client.changeAndWait(uri, [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: garbage(5000, 3, 'bytes') }]);
    assert.deepEqual(skipped(dirty), notice, 'a NUL in the text: skipped, and said so');
    const clean = await client.changeAndWait(uri, [{ text: SMALL }]);
    assert.deepEqual(codesOf(clean), ['DF001']);
    for (const u of ['file:///garbage/binary.py', 'file:///garbage/utf16.py', uri]) await client.close(u);
    await assertAlive('after-garbage-documents');
  });

  it('malformed requests and notifications get errors or are ignored, never a crash', async () => {
    // Unknown request: MethodNotFound.
    await assert.rejects(client.conn.sendRequest('dataflow/doesNotExist', { x: 1 }), (err: { code?: number }) => err.code === ErrorCodes.MethodNotFound);
    // Requests with nonsense params: an error or an empty answer, but an answer.
    for (const params of [null, {}, { textDocument: null }, { textDocument: { uri: 42 }, range: 'x', context: null }, [1, 2, 3]]) {
      await client.request('textDocument/codeAction with bad params', client.conn.sendRequest('textDocument/codeAction', params).then(() => undefined, () => undefined));
    }
    // Notifications for documents that were never opened, or with impossible ranges.
    const n = (method: string, params: unknown) => client.conn.sendNotification(method, params);
    await n('textDocument/didChange', { textDocument: { uri: 'file:///never/opened.py', version: 2 }, contentChanges: [{ text: 'x' }] });
    await n('textDocument/didClose', { textDocument: { uri: 'file:///never/opened.py' } });
    await n('textDocument/didSave', { textDocument: { uri: 'file:///never/opened.py' } });
    await n('textDocument/didOpen', {});
    await n('textDocument/didOpen', { textDocument: { uri: 'file:///bad/no-text.py', languageId: 'python', version: 1 } });
    await n('textDocument/didChange', {});
    await n('textDocument/didChange', { textDocument: { uri: 'file:///bad/no-text.py', version: 2 }, contentChanges: null });
    await n('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 1 }, { uri: 'file:///nope/x.py', type: 3 }] });
    await n('workspace/didChangeWatchedFiles', {});
    await n('workspace/didChangeConfiguration', { settings: { dataflow: { debounceMs: 'soon', lint: 'all', pool: [] } } });
    await n('$/unknownNotification', { a: 1 });
    // Ranges past the end, reversed ranges, negative positions in an open document.
    const uri = 'file:///bad/ranges.py';
    await client.openAndWait(uri, SMALL);
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 1000000, character: 5 }, end: { line: 1000001, character: 0 } }, text: '\n# appended' },
        { range: { start: { line: 3, character: 10 }, end: { line: 2, character: 0 } }, text: '' },
        { range: { start: { line: -1, character: -5 }, end: { line: 0, character: 0 } }, text: '# top\n' },
      ],
    });
    // The document now holds whatever the server made of that; a full change resets it.
    client.docs.get(uri)!.version = 2;
    const reset = await client.changeAndWait(uri, [{ text: SMALL }]);
    assert.deepEqual(codesOf(reset), ['DF001']);
    await client.close(uri);
    await assertAlive('after-malformed-messages');
  });

  it('raw garbage frames on stdin (invalid JSON, non-JSON-RPC JSON) do not stop the server', async () => {
    const frame = (body: string) => {
      const b = Buffer.from(body, 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`, 'ascii'), b]);
    };
    const stdin = client.proc.stdin!;
    for (const body of ['{not json!!}', '[]', '{"hello": "world"}', '{"jsonrpc": "2.0"}', '{"jsonrpc": "2.0", "id": 99, "method": 5}', '"\u0000\u0001"', 'null']) {
      await new Promise<void>((resolve, reject) => stdin.write(frame(body), (err) => (err ? reject(err) : resolve())));
    }
    await assertAlive('after-garbage-frames');
  });
});
