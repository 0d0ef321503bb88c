// Protocol: how edits are scheduled with the default settings (no fixed debounce). Keystrokes
// that arrive together are coalesced, never queued one analysis per keystroke, and the last
// publish is for the last version and equals what a fresh server publishes for the same text.
// No timing is asserted: only which versions were published and what they contained.
import * as assert from 'node:assert/strict';
import { CompletionRequest, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node';
import { LspClient, codesOf, rangeOf } from '../helpers/lspClient';

function moduleText(functions = 30): string {
  const lines = [
    'from dataflow import DataFlow',
    'from kailash.workflow.builder import WorkflowBuilder',
    'from kailash.runtime.local import LocalRuntime',
    '',
    'db = DataFlow("postgresql://localhost/typing")',
    '',
    '@db.model',
    'class Ticket:',
    '    title: str',
    '    state: str = "open"',
    '',
  ];
  for (let i = 0; i < functions; i++) {
    lines.push(
      `def close_tickets_${i}(ids):`,
      '    workflow = WorkflowBuilder()',
      '    for n, ticket_id in enumerate(ids):',
      '        workflow.add_node("TicketUpdateNode", f"close_{n}", {"filter": {"id": ticket_id}, "fields": {"state": "closed"}})',
      '    return LocalRuntime().execute(workflow.build())',
      '',
    );
  }
  return lines.join('\n');
}

describe('protocol: edit scheduling with the default settings', function () {
  this.timeout(60000);
  let edited: LspClient, fresh: LspClient;
  // The shipped default (150), not the test helper's 0: it is only the upper bound of the delay now.
  before(async () => { [edited, fresh] = await Promise.all([LspClient.start({ settings: { debounceMs: 150 } }), LspClient.start({})]); });
  after(async () => { await Promise.all([edited?.dispose(), fresh?.dispose()]); });

  it('a burst of keystrokes sent together is coalesced, and the last version is published as a fresh open would', async () => {
    const uri = 'file:///virtual/burst.py';
    const text = moduleText();
    await edited.openAndWait(uri, text);
    const at = text.indexOf('"state": "closed"') + 1;
    const burst = 12;
    const last = edited.nextDiagnostics(uri, { predicate: (p) => p.version === 1 + burst, description: `version ${1 + burst}` });
    const publishedBefore = edited.publishes.length;
    // Typing "sta" -> "stxyz..." one character per message, all written before any answer.
    const sends: Array<Promise<number>> = [];
    for (let i = 0; i < burst; i++) sends.push(edited.changeAt(uri, at + i, at + i, String.fromCharCode(97 + i)));
    await Promise.all(sends);
    const got = await last;
    const versions = edited.publishes.slice(publishedBefore).filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    assert.ok(versions.length < burst, `one analysis per keystroke: published versions ${versions.join(', ')}`);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published versions go forward only: ${versions.join(', ')}`);
    assert.equal(versions[versions.length - 1], 1 + burst);
    const want = await fresh.openAndWait('file:///virtual/burst_fresh.py', edited.text(uri));
    assert.deepEqual(codesOf(got), codesOf(want));
    assert.deepEqual(got.diagnostics, want.diagnostics);
  });

  it('an edit that re-checks a large file: the completion sent with it is answered before its diagnostics, and edits typed during the check leave the last version published as a fresh open would', async () => {
    // A node type edit changes what every statement may read from the others: all 1,500 functions
    // are checked again, in slices with the event loop turning between them.
    const uri = 'file:///virtual/large.py';
    const text = moduleText(1500);
    await edited.openAndWait(uri, text);
    const at = text.indexOf('"TicketUpdateNode"', text.length >> 1) + 'Ticket'.length + 1;
    const position = edited.text(uri).slice(0, at).split('\n');
    const events: string[] = [];
    const v2 = edited.nextDiagnostics(uri, { predicate: (p) => p.version === 2, description: 'version 2' }).then(() => events.push('diagnostics v2'), () => events.push('v2 not published'));
    const typed = edited.changeAt(uri, at, at, 'X');
    const completion = edited.request('textDocument/completion', edited.conn.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: position.length - 1, character: position[position.length - 1].length + 1 },
    })).then((r) => {
      events.push('completion');
      return r;
    });
    await typed;
    const items = (await completion) as CompletionItem[] | CompletionList;
    assert.ok((Array.isArray(items) ? items : items.items).some((i) => i.label === 'TicketUpdateNode'), 'node types are offered');
    // Two more keystrokes at once, most likely while version 2 is being checked.
    const last = edited.nextDiagnostics(uri, { predicate: (p) => p.version === 4, description: 'version 4' });
    await edited.changeAt(uri, at + 1, at + 1, 'Y');
    await edited.changeAt(uri, at + 2, at + 2, 'Z');
    const got = await last;
    assert.equal(events[0], 'completion', `the completion came first: ${events.join(', ')}`);
    assert.ok(edited.text(uri).includes('"TicketXYZUpdateNode"'));
    const want = await fresh.openAndWait('file:///virtual/large_fresh.py', edited.text(uri));
    assert.deepEqual(codesOf(got), codesOf(want));
    assert.deepEqual(got.diagnostics, want.diagnostics);
    void v2;
  });

  it('each edit sent after the previous diagnostics arrived is published for its own version', async () => {
    const uri = 'file:///virtual/steady.py';
    const text = moduleText();
    await edited.openAndWait(uri, text);
    const at = text.indexOf('"state": "closed"') + 1;
    for (let i = 0; i < 6; i++) {
      const p = i % 2 === 0
        ? await edited.changeAndWait(uri, [{ range: rangeOf(edited.text(uri), at, at), text: 'x' }])
        : await edited.changeAndWait(uri, [{ range: rangeOf(edited.text(uri), at, at + 1), text: '' }]);
      assert.equal(p.version, 2 + i);
    }
    const want = await fresh.openAndWait('file:///virtual/steady_fresh.py', edited.text(uri));
    assert.deepEqual(edited.diagnostics.get(uri)!.diagnostics, want.diagnostics);
  });
});
