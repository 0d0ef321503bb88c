// Protocol: quick-fixes a user can trust, with a client that supports codeAction/resolve (as VS
// Code does): the light bulb lists the fix without its edit and the edit comes on resolve; a fix
// that is refused is a disabled action carrying the reason; diagnostics say `fixable` only when an
// edit will come; hover explains the finding and the fix; "Fix all DF001", source.fixAll.dataflow
// (safe fixes only) and "Ignore in this file" work end to end.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeAction, Command, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, codesOf, findDiagnostic, editsByUri, applyTextEdits } from '../helpers/lspClient';
import { SINGLE_FILE_PY, tempDir, removeDir, writeFiles } from './fixtures';

function isAction(a: CodeAction | Command): a is CodeAction { return !('command' in a && typeof a.command === 'string'); }

/** Two loops of creates (both fixable) and one whose body does more (not fixable). */
const TWO_LOOPS_PY = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost/shop", pool_size=20, pool_max_overflow=30)

@db.model
class Tag:
    label: str

def seed(labels, more):
    wf = WorkflowBuilder()
    for i, label in enumerate(labels):
        wf.add_node("TagCreateNode", f"tag_{i}", {"label": label})
    for j, m in enumerate(more):
        wf.add_node("TagCreateNode", f"more_{j}", {"label": m})
    for k, m in enumerate(more):
        print(m)
        wf.add_node("TagCreateNode", f"noisy_{k}", {"label": m})
    return wf
`;

describe('protocol: quick-fixes with codeAction/resolve', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  let uri: string;
  let n = 0;

  before(async () => {
    dir = tempDir();
    writeFiles(dir, { 'app.py': SINGLE_FILE_PY });
    client = await LspClient.start({ workspaceFolders: [dir], codeActionResolve: true });
    await client.waitForIndexed();
  });
  after(async () => { await client?.dispose(); removeDir(dir); });
  beforeEach(() => { uri = fileUri(path.join(dir, `fix${++n}.py`)); });
  afterEach(async () => { if (client.docs.has(uri)) await client.close(uri); });

  it('lists the fix without an edit and delivers the edit on resolve', async () => {
    const p = await client.openAndWait(uri, TWO_LOOPS_PY);
    const first = p.diagnostics.filter((d) => d.code === 'DF001')[0];
    const actions = (await client.codeActions(uri, first.range, [first])).filter(isAction);
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal(fix.title, 'Replace the loop with one TagBulkCreateNode (changes behaviour)');
    assert.equal(fix.edit, undefined, 'the edit is computed on resolve');
    const resolved = await client.resolveCodeAction(fix);
    const after = applyTextEdits(TWO_LOOPS_PY, editsByUri(resolved.edit!).get(uri)!);
    assert.match(after, /wf\.add_node\("TagBulkCreateNode", "tag_bulk", \{\n {8}"data": \[\{"label": label\} for label in labels\],/);
  });

  it('diagnostics say fixable: false with the reason when the rule refused a fix, and never guess true', async () => {
    const p = await client.openAndWait(uri, TWO_LOOPS_PY);
    const df001 = p.diagnostics.filter((d) => d.code === 'DF001');
    assert.equal(df001.length, 3);
    // Whether an offered fix comes is known only by computing it, which the code action does.
    assert.deepEqual(df001.map((d) => (d.data as { fixable?: boolean }).fixable), [undefined, undefined, false]);
    for (const d of df001.slice(0, 2)) {
      const actions = (await client.codeActions(uri, d.range, [d])).filter(isAction);
      assert.ok(actions.some((a) => a.isPreferred && !a.disabled), JSON.stringify(actions.map((a) => a.title)));
    }
    assert.equal((df001[2].data as { noFixReason?: string }).noFixReason, 'the loop body does more than this call; only a loop that does nothing else is rewritten');
  });

  it('a refused fix is a disabled action with its reason; hover says the same', async () => {
    const p = await client.openAndWait(uri, TWO_LOOPS_PY);
    const noisy = p.diagnostics.filter((d) => d.code === 'DF001')[2];
    const actions = (await client.codeActions(uri, noisy.range, [noisy])).filter(isAction);
    const disabled = actions.find((a) => a.disabled);
    assert.ok(disabled, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(disabled.title, 'No quick-fix for DF001 here');
    assert.equal(disabled.disabled!.reason, 'the loop body does more than this call; only a loop that does nothing else is rewritten');
    assert.ok(!actions.some((a) => a.isPreferred), 'no fix is offered');
    const hover = await client.hover(uri, noisy.range.start);
    const text = (hover!.contents as MarkupContent).value;
    assert.match(text, /\*\*DF001\*\* `bulk-loop`/);
    assert.match(text, /No quick-fix here: the loop body does more than this call; only a loop that does nothing else is rewritten\./);
    const fixableHover = await client.hover(uri, p.diagnostics.filter((d) => d.code === 'DF001')[0].range.start);
    assert.match((fixableHover!.contents as MarkupContent).value, /Quick-fix: Replace the loop with one TagBulkCreateNode \(changes behaviour\)/);
    assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
  });

  it('"Fix all DF001 in this file" rewrites both fixable loops and leaves the refused one', async () => {
    const p = await client.openAndWait(uri, TWO_LOOPS_PY);
    const first = p.diagnostics.filter((d) => d.code === 'DF001')[0];
    const all = (await client.codeActions(uri, first.range, [first])).filter(isAction).find((a) => a.title.startsWith('Fix all DF001'));
    assert.ok(all);
    assert.equal(all.title, 'Fix all DF001 (bulk-loop) in this file (2)');
    const resolved = await client.resolveCodeAction(all);
    const next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2 });
    await client.applyWorkspaceEdit(resolved.edit!);
    const q = await next;
    assert.deepEqual(codesOf(q), ['DF001']);
    const text = client.text(uri);
    assert.match(text, /"TagBulkCreateNode", "tag_bulk"/);
    assert.match(text, /"TagBulkCreateNode", "more_bulk"/);
    assert.match(text, /print\(m\)\n {8}wf\.add_node\("TagCreateNode", f"noisy_\{k\}"/);
  });

  it('source.fixAll.dataflow applies only safe fixes', async () => {
    // DF004's fix is safe, DF001's changes behaviour: only the pool is rewritten.
    await client.openAndWait(uri, SINGLE_FILE_PY);
    const actions = (await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.dataflow'])).filter(isAction);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.dataflow');
    const resolved = await client.resolveCodeAction(actions[0]);
    const after = applyTextEdits(SINGLE_FILE_PY, editsByUri(resolved.edit!).get(uri)!);
    assert.match(after, /for i, p in enumerate\(products\):/, 'DF001 (changes behaviour) is not applied');
    assert.match(after, /__dataflow__ = \{"indexes": \[\{"name": "idx_cat", "fields": \["category"\]\}, \{"name": "idx_product_name_price", "fields": \["name", "price"\]\}\]\}/);
    assert.doesNotMatch(after, /pool_size=POOL\)/, 'DF004 (safe) is applied');
    // Nothing safe to do: no action.
    const clean = `from dataflow import DataFlow\ndb = DataFlow("postgresql://app@localhost/shop", pool_size=20, pool_max_overflow=30)\n`;
    const other = fileUri(path.join(dir, `clean${n}.py`));
    await client.openAndWait(other, clean);
    assert.deepEqual(await client.codeActions(other, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.dataflow']), []);
    await client.close(other);
  });

  it('"Ignore in this file" silences the rule in the whole file', async () => {
    const p = await client.openAndWait(uri, TWO_LOOPS_PY);
    const d = findDiagnostic(p, 'DF001');
    const ignore = (await client.codeActions(uri, d.range, [d])).filter(isAction).find((a) => a.title === 'Ignore bulk-loop (DF001) in this file')!;
    const next = client.nextDiagnostics(uri, { predicate: (x) => x.version === 2 });
    await client.applyWorkspaceEdit(ignore.edit!);
    assert.deepEqual(codesOf(await next), []);
    assert.match(client.text(uri), /^# dataflow: ignore-file\[bulk-loop\]\nfrom dataflow import DataFlow/);
  });
});
