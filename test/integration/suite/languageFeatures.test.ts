// Language features in a real VS Code: typing `workflow.add_node("` in a new file of the fixture
// workspace lists every node type of the workspace's models (from models.py, not open), with
// the operation's summary, through the workbench's own completion provider command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

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
});
