// Workspace files read from disk free their tree-sitter tree once their facts are extracted, and
// keep at most TREE_BUDGET trees parsed again on demand (tree-sitter's WebAssembly heap never
// shrinks: kailash-py's 6,193 files held 2 GB of trees, and a larger workspace aborted the process).
// A released tree is parsed again when something reads it, and the analysis gives the same
// findings; documents open in the editor always keep theirs.
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/model/sourceFile';
import { analyzeFile } from '../../server/src/analysis/engine';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { initPython } from '../../server/src/syntax/parser';
import { TREE_BUDGET } from '../../server/src/syntax/pythonDocument';

const modelFile = (i: number) => `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/shop")


@db.model
class Item${i}:
    name: str


def save(rows):
    for row in rows:
        wf = WorkflowBuilder()
        wf.add_node("Item${i}CreateNode", "create", {"name": row})
`;

/** Whether the document holds a tree now (without parsing one). */
const holdsTree = (f: SourceFile) => (f.doc as unknown as { tree_: unknown }).tree_ !== null;

describe('tree budget of workspace files', () => {
  before(() => initPython());

  it(`keeps at most ${TREE_BUDGET} trees of files read from disk, re-parses on demand with the same findings, and never releases an open document's tree`, () => {
    const workspace = new WorkspaceModel();
    const open = SourceFile.create('file:///ws/open.py', modelFile(0), 1);
    workspace.set(open);
    const disk: SourceFile[] = [];
    for (let i = 1; i <= TREE_BUDGET * 2; i++) {
      const f = SourceFile.create(`file:///ws/m${i}.py`, modelFile(i), 0, true);
      workspace.set(f);
      disk.push(f);
    }
    assert.equal(disk.filter(holdsTree).length, 0, 'files read from disk free their tree once their facts are extracted');
    assert.ok(holdsTree(open), 'an open document keeps its tree');
    for (const f of disk) void f.doc.tree;
    assert.equal(disk.filter(holdsTree).length, TREE_BUDGET, 'only the most recently re-parsed trees are kept');
    assert.ok(!holdsTree(disk[0]) && holdsTree(disk[disk.length - 1]));

    const settings = defaultSettings();
    const first = analyzeFile(disk[0], workspace, settings).map((f) => `${f.code}@${f.span.start}`);
    assert.deepEqual(first, [`DF001@${modelFile(1).indexOf('"Item1CreateNode"')}`], 'the loop of single-record nodes is found on a re-parsed file');
    // Analysing every file parses each again; the budget still holds and the findings are stable.
    const all = disk.map((f) => analyzeFile(f, workspace, settings).length);
    assert.equal(disk.filter(holdsTree).length, TREE_BUDGET);
    assert.deepEqual(disk.map((f) => analyzeFile(f, workspace, settings).length), all);
    assert.deepEqual(analyzeFile(disk[0], workspace, settings).map((f) => `${f.code}@${f.span.start}`), first);
    assert.ok(holdsTree(open));
  });

  it('a released tree follows later edits (the document re-parses the current text)', () => {
    const f = SourceFile.create('file:///ws/edited.py', modelFile(1), 0, true);
    void f.doc.tree;
    assert.ok(holdsTree(f));
    for (let i = 0; i < TREE_BUDGET; i++) void SourceFile.create(`file:///ws/filler${i}.py`, modelFile(i), 0, true).doc.tree;
    assert.ok(!holdsTree(f));
    f.applyChanges([{ range: { start: { line: 7, character: 6 }, end: { line: 7, character: 11 } }, text: 'Thing' }], 1);
    assert.match(f.doc.tree!.rootNode.text, /class Thing:/);
    assert.deepEqual(f.facts.classes.map((c) => c.name), ['Thing']);
  });
});
