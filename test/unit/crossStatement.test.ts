// Findings that read other top-level statements (a helper's body, a list filled by an earlier
// loop) must follow edits of those statements: the engine's per-statement cache is keyed on them.
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/model/sourceFile';
import { analyzeFile } from '../../server/src/analysis/engine';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { initPython } from '../../server/src/syntax/parser';

const TEXT = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/shop", pool_size=20, pool_max_overflow=30)


@db.model
class Customer:
    name: str


def save(row):
    wf = WorkflowBuilder()
    wf.add_node("CustomerCreateNode", "create", {"name": row})


for row in ["a", "b"]:
    save(row)

pending = ["x"]
for r in ["a", "b"]:
    pending.append(r)
for item in pending:
    db.express_sync.create("Customer", {"name": item})
`;

function edit(file: SourceFile, ws: WorkspaceModel, from: string, to: string, version: number): void {
  const offset = file.text.indexOf(from);
  const before = file.text.slice(0, offset).split('\n');
  const start = { line: before.length - 1, character: before[before.length - 1].length };
  const endLines = (file.text.slice(0, offset) + from).split('\n');
  const end = { line: endLines.length - 1, character: endLines[endLines.length - 1].length };
  file.applyChanges([{ range: { start, end }, text: to }], version);
  ws.changed(file);
}

const codes = (file: SourceFile, ws: WorkspaceModel) => analyzeFile(file, ws, defaultSettings()).map((f) => `${f.code}:${file.text.slice(f.span.start, f.span.end).split('(')[0]}`).sort();

describe('cross-statement findings follow edits elsewhere in the file', () => {
  before(async () => { await initPython(); });

  it('a helper that stops writing, and a list that stops growing', () => {
    const ws = new WorkspaceModel();
    const file = SourceFile.create('file:///x/a.py', TEXT, 1);
    ws.set(file);
    assert.deepEqual(codes(file, ws), ['DF001:db.express_sync.create', 'DF001:save']);
    edit(file, ws, 'CustomerCreateNode', 'CustomerListNode', 2);
    assert.deepEqual(codes(file, ws), ['DF001:db.express_sync.create']);
    // Without the append, `pending` holds one item: nothing to batch.
    edit(file, ws, '    pending.append(r)', '    print(r)', 3);
    assert.deepEqual(codes(file, ws), []);
  });
});
