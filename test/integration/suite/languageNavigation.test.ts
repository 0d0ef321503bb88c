// Language features in a real VS Code, part 2 (issue 11 §5–§6), on new files of the fixture
// workspace: the hover of a node type string (model and SQL; screenshot test-results/integration/hover.png),
// F12 from a node type to the model class in models.py, renaming a model across two files, and
// after "Profile Workflow" the inlay hints on the add_node calls and the code lenses above the
// execute call (measured time and statements; the runtime's node order), read through the
// workbench's provider commands and, where the UI bridge runs, from the rendered editor
// (screenshot test-results/integration/profile-lenses.png).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

function bridge(): { uiCheck: (name: string, args?: unknown) => Promise<unknown>; uiBridgeAvailable: () => boolean } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs'));
}

const LENS_PY = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

from models import db


def restock():
    workflow = WorkflowBuilder()
    workflow.add_node("ProductCreateNode", "new", {"name": "kite", "category": "toys", "price": 9.5})
    workflow.add_node("ProductReadNode", "fetch", {})
    workflow.add_node("ProductCountNode", "count", {"filter": {"category": "toys"}})
    workflow.add_connection("new", "id", "fetch", "id")
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results
`;

const GADGET_MODELS_PY = `from models import db


@db.model
class Gadget:
    label: str
    weight: float = 1.0
`;

const GADGET_USE_PY = `from kailash.workflow.builder import WorkflowBuilder

from scratch_gadget_models import Gadget


def add_gadget(label):
    workflow = WorkflowBuilder()
    workflow.add_node("GadgetCreateNode", "create", {"label": label})
    workflow.add_node("GadgetListNode", "all", {"limit": 10})
    return workflow, Gadget
`;

const posOf = (text: string, needle: string, delta = 0): vscode.Position => {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at + delta).split('\n');
  return new vscode.Position(before.length - 1, before[before.length - 1].length);
};

const hoverText = (hs: vscode.Hover[] | undefined): string =>
  (hs ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n---\n');

/** Asks `fn` until `ok` holds (the language server may still be indexing a file just written). */
async function until<T>(fn: () => Thenable<T> | Promise<T>, ok: (v: T) => boolean, tries = 60): Promise<T> {
  let v = await fn();
  for (let i = 1; i < tries && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 500));
    v = await fn();
  }
  return v;
}

describe('DataFlow hover, F12, rename and profile lenses in VS Code', () => {
  const lensFile = workspaceFile('scratch_lens.py');
  const gadgetModels = workspaceFile('scratch_gadget_models.py');
  const gadgetUse = workspaceFile('scratch_gadget_use.py');
  const models = workspaceFile('models.py');

  before(async () => {
    await vscode.workspace.fs.writeFile(lensFile, Buffer.from(LENS_PY));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [lensFile, gadgetModels, gadgetUse]) {
      try { await vscode.workspace.fs.delete(f); } catch { /* already gone */ }
    }
  });

  it('hover on a node type string shows its model and the SQL of the call', async () => {
    const doc = await vscode.workspace.openTextDocument(lensFile);
    await vscode.window.showTextDocument(doc);
    const at = posOf(LENS_PY, '"ProductCountNode"', 3);
    const text = await until(() => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', lensFile, at).then(hoverText), (t) => t.includes('```sql'));
    assert.match(text, /\*\*ProductCountNode\*\* — `Count` on model \*\*Product\*\* \(table `products`, models\.py:7\)/);
    assert.ok(text.includes('SELECT COUNT(*) FROM "products" WHERE "category" = $1'), text);
    if (bridge().uiBridgeAvailable()) {
      const shown = (await bridge().uiCheck('hoverWidget', { line: at.line + 1, column: at.character + 1 })) as string;
      if (process.env.DATAFLOW_IT_RESULTS) await bridge().uiCheck('screenshot', { path: path.join(process.env.DATAFLOW_IT_RESULTS, 'hover.png') });
      await bridge().uiCheck('escape');
      assert.match(shown, /ProductCountNode/);
      assert.match(shown, /SELECT COUNT\(\*\) FROM "products"/);
    }
  });

  it('F12 on a node type string goes to the model class in models.py', async () => {
    const doc = await vscode.workspace.openTextDocument(lensFile);
    const editor = await vscode.window.showTextDocument(doc);
    const at = posOf(LENS_PY, '"ProductReadNode"', 3);
    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', lensFile, at);
    assert.equal(defs.length, 1);
    const target = 'targetUri' in defs[0] ? defs[0].targetUri : defs[0].uri;
    assert.equal(target.toString(), models.toString());
    // The command F12 runs, from the cursor in the editor.
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const active = await until(async () => vscode.window.activeTextEditor, (e) => e?.document.uri.toString() === models.toString(), 20);
    assert.equal(active?.document.uri.toString(), models.toString());
    const cursor = active!.selection.active;
    assert.equal(active!.document.lineAt(cursor.line).text, 'class Product:');
    assert.equal(cursor.character, 'class '.length, 'on the class name');
  });

  it('renames a model across two files: the class, its node type strings and the import', async () => {
    await vscode.workspace.fs.writeFile(gadgetModels, Buffer.from(GADGET_MODELS_PY));
    await vscode.workspace.fs.writeFile(gadgetUse, Buffer.from(GADGET_USE_PY));
    const use = await vscode.workspace.openTextDocument(gadgetUse);
    await vscode.window.showTextDocument(use);
    const at = posOf(GADGET_USE_PY, '"GadgetListNode"', 3);
    const edit = await until(
      () => vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', gadgetUse, at, 'Widget').then((e) => e, () => undefined),
      (e) => !!e && e.entries().length === 2,
    );
    assert.ok(edit, 'a rename edit');
    const byFile = new Map(edit.entries().map(([u, es]) => [path.basename(u.path), es.map((e) => e.newText)]));
    assert.deepEqual([...byFile.keys()].sort(), ['scratch_gadget_models.py', 'scratch_gadget_use.py']);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = async (u: vscode.Uri) => (await vscode.workspace.openTextDocument(u)).getText();
    assert.equal(await after(gadgetModels), GADGET_MODELS_PY.replace('class Gadget:', 'class Widget:'));
    assert.equal(await after(gadgetUse), GADGET_USE_PY.replace(/Gadget/g, 'Widget'));
    await vscode.workspace.saveAll(false);
  });

  it('after Profile Workflow: inlay hints on the add_node calls and, above the execute call, the measured lens and the runtime\'s node order', async function () {
    this.timeout(120000);
    const t0 = Date.now();
    const step = (what: string) => console.log(`  profile lenses: ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const doc = await vscode.workspace.openTextDocument(lensFile);
    await vscode.window.showTextDocument(doc);
    const executeLine = posOf(LENS_PY, 'runtime.execute(').line;
    const lensesAt = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', lensFile, 20)).filter((l) => l.range.start.line === executeLine).map((l) => l.command?.title ?? '');
    // Before a profile: the order lens only (the runtime runs the ready nodes sorted by id).
    assert.deepEqual(await until(lensesAt, (t) => t.length > 0), ['$(list-ordered) order: count → new → fetch']);
    step('order lens');
    const result = await vscode.commands.executeCommand<{ ok: boolean; error?: unknown; report?: { runs: Array<{ ms: number; nodes: Array<{ id: string; statements: number; ms: number; rows: number }> }> } }>(
      'dataflow.profileWorkflow', { uri: lensFile.toString(), entry: 'restock', args: {}, seedRows: 0 });
    assert.equal(result?.ok, true, JSON.stringify(result?.error));
    step('profiled');
    const run = result!.report!.runs[0];
    assert.deepEqual(run.nodes.map((n) => n.id), ['count', 'new', 'fetch'], 'the order the lens announced is the order the run took');
    // The report panel opened beside the editor: give the editor the whole window again.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
    const statements = run.nodes.reduce((s, n) => s + n.statements, 0);
    const measured = `$(dashboard) ${fmt(run.ms)} ms · ${statements} statement${statements === 1 ? '' : 's'}`;
    assert.deepEqual(await until(lensesAt, (t) => t.length === 2), [measured, '$(list-ordered) order: count → new → fetch']);
    // The inlay hints: one per add_node call, with that node's measured facts.
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    step('measured lens');
    const hints = await until(() => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', lensFile, whole), (h) => h.length === 3);
    const label = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
    const want = run.nodes.map((n) => [posOf(LENS_PY, `"${n.id}", {`).line, `⏱ ${fmt(n.ms)} ms · ${n.statements} stmt · ${n.rows} row${n.rows === 1 ? '' : 's'}`]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(hints.map((h) => [h.position.line, label(h)]), want);
    step('inlay hints');
    if (bridge().uiBridgeAvailable()) {
      // Rendered in the editor: the hints in the lines' text, the lenses above the execute line.
      const view = (await bridge().uiCheck('editorView', { hint: '⏱', lens: 'statement' })) as { lines: string; lenses: string[] };
      if (process.env.DATAFLOW_IT_RESULTS) await bridge().uiCheck('screenshot', { path: path.join(process.env.DATAFLOW_IT_RESULTS, 'profile-lenses.png') });
      for (const [, text] of want) assert.ok(view.lines.includes(String(text)), `${text} in ${view.lines}`);
      assert.ok(view.lenses.some((l) => l.includes(`${fmt(run.ms)} ms · ${statements} statement`)), view.lenses.join(' | '));
      assert.ok(view.lenses.some((l) => l.includes('order: count → new → fetch')), view.lenses.join(' | '));
    }
  });
});
