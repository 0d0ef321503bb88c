// Language features in a real VS Code: typing `workflow.add_node("` in a new file of the fixture
// workspace lists every node type of the workspace's models (from models.py, not open), with
// the operation's summary, through the workbench's completion provider command and, typed as
// keystrokes, in the suggest widget (screenshot: test-results/integration/completion.png).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

function bridge(): { uiCheck: (name: string, args?: unknown) => Promise<unknown>; uiBridgeAvailable: () => boolean } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs'));
}

describe('DataFlow language features in VS Code', () => {
  const scratch = workspaceFile('scratch_completion.py');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    try { await vscode.workspace.fs.delete(scratch); } catch { /* already gone */ }
  });

  it('after typing add_node(" the completion list holds every node type, grouped by model, with its summary', async () => {
    const head = 'from kailash.workflow.builder import WorkflowBuilder\n\nfrom models import db\n\n\ndef build():\n    workflow = WorkflowBuilder()\n';
    await vscode.workspace.fs.writeFile(scratch, Buffer.from(`${head}    return workflow\n`));
    const doc = await vscode.workspace.openTextDocument(scratch);
    const editor = await vscode.window.showTextDocument(doc);
    // Type the line as a user does, one edit per character, into the open editor.
    const line = 7;
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), '\n'));
    const typed = '    workflow.add_node("';
    for (let i = 0; i < typed.length; i++) {
      await editor.edit((e) => e.insert(new vscode.Position(line, i), typed[i]), { undoStopBefore: false, undoStopAfter: false });
    }
    const at = new vscode.Position(line, typed.length);
    let list: vscode.CompletionList | undefined;
    let ours: vscode.CompletionItem[] = [];
    // The language server may still be starting: ask until its items arrive.
    for (let attempt = 0; attempt < 60 && !ours.some((i) => i.label === 'ProductListNode' || (typeof i.label === 'object' && i.label.label === 'ProductListNode')); attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 500));
      list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', scratch, at, '"');
      ours = (list?.items ?? []).filter((i) => /(Create|Read|Update|Delete|List|Count|Upsert)Node$/.test(typeof i.label === 'string' ? i.label : i.label.label));
    }
    const name = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const names = ours.map(name);
    for (const model of ['Product', 'Customer', 'Review']) {
      for (const op of ['Create', 'Read', 'Update', 'Delete', 'List', 'Count', 'Upsert', 'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert']) {
        assert.ok(names.includes(`${model}${op}Node`), `${model}${op}Node in ${names.join(', ')}`);
      }
    }
    const list_ = ours.find((i) => name(i) === 'ProductListNode')!;
    assert.match(String(list_.detail), /count is the page length/);
    const doc_ = list_.documentation;
    assert.match(typeof doc_ === 'string' ? doc_ : doc_?.value ?? '', /List on model `Product` \(models\.py/);
    assert.equal(typeof list_.label === 'object' ? list_.label.description : undefined, 'Product · models.py');
    // Grouped by model: sorting by sortText keeps each model's 11 node types together.
    const sorted = [...ours].sort((a, b) => String(a.sortText).localeCompare(String(b.sortText))).map(name);
    const firstOf = (m: string) => sorted.findIndex((n) => n.startsWith(m));
    for (const m of ['Product', 'Customer', 'Review']) assert.deepEqual(sorted.slice(firstOf(m), firstOf(m) + 11).every((n) => n.startsWith(m)), true, sorted.join(', '));
    // Accepting an item replaces what is typed inside the quotes (here nothing) with its text.
    const range = list_.range && ('inserting' in list_.range ? list_.range.replacing : list_.range);
    assert.ok(range, 'the item carries its range');
    assert.equal(doc.getText(range), '');
    await editor.edit((e) => e.replace(range!, String(typeof list_.insertText === 'string' ? list_.insertText : list_.insertText?.value ?? name(list_))));
    assert.equal(doc.lineAt(line).text, '    workflow.add_node("ProductListNode');
  });

  it('typing the quote of add_node( opens the suggest widget with the node types', async function () {
    if (!bridge().uiBridgeAvailable()) this.skip();
    const doc = await vscode.workspace.openTextDocument(scratch);
    const editor = await vscode.window.showTextDocument(doc);
    const line = 8;
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), '    workflow.add_node(\n'));
    const rows = (await bridge().uiCheck('suggestWidget', { line: line + 1, column: '    workflow.add_node('.length + 1, text: '"' })) as string[];
    if (process.env.DATAFLOW_IT_RESULTS) await bridge().uiCheck('screenshot', { path: path.join(process.env.DATAFLOW_IT_RESULTS, 'completion.png') });
    await vscode.commands.executeCommand('hideSuggestWidget');
    assert.ok(rows.some((r) => r.includes('CustomerCreateNode')), rows.join(' | '));
    assert.match(rows[0], /Customer\w*Node/, rows.join(' | '));
  });
});
