// Protocol (issue 13 §1): a file tree-sitter cannot parse costs that file one diagnostic, never the
// workspace scan or the server; a file opened while a long scan runs gets its diagnostics before the
// scan ends; files not open (slim facts, no tree) still give cross-file findings.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri, codesOf } from '../helpers/lspClient';
import { MODELS_PY, WORKFLOWS_PY, tempDir, removeDir, writeFiles } from './fixtures';

/** 600 nested blocks: tree-sitter's WebAssembly stack overflowed on it ("memory access out of bounds"). */
function deepFile(): string {
  let s = 'from dataflow import DataFlow\n\ndb = DataFlow("postgresql://app@localhost/shop")\n\n\ndef f(wf):\n';
  for (let i = 1; i <= 600; i++) s += `${'    '.repeat(i)}if x${i}:\n`;
  return `${s}${'    '.repeat(601)}wf.add_node("ProductCreateNode", "create", {})\n`;
}

/** A small DataFlow module (a model of its own and a loop of single-record nodes). */
const filler = (i: number) => `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder

db${i} = DataFlow("postgresql://app@localhost/shop")


@db${i}.model
class Thing${i}:
    name: str
    total: float


def save_${i}(rows):
    wf = WorkflowBuilder()
    for row in rows:
        wf.add_node("Thing${i}CreateNode", f"create_{row}", {"name": row})
    return wf
`;

describe('protocol: workspace of any size (issue 13 §1)', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspClient | undefined;
  afterEach(async () => { await client?.dispose(); client = undefined; removeDir(dir); });

  it('a file tree-sitter cannot parse gets one diagnostic saying so; the scan and the server go on', async () => {
    dir = tempDir();
    writeFiles(dir, { 'a_deep.py': deepFile(), 'models.py': MODELS_PY, 'workflows.py': WORKFLOWS_PY });
    client = await LspClient.start({ workspaceFolders: [dir] });
    assert.match(await client.waitForIndexed(), /^indexed 3 Python files/);
    await client.waitForLog(/skipped .*a_deep\.py: the file nests more than 200 indented blocks/);
    const deepUri = fileUri(path.join(dir, 'a_deep.py'));
    const p = await client.openAndWait(deepUri, deepFile());
    assert.equal(p.diagnostics.length, 1);
    assert.match(p.diagnostics[0].message, /^DataFlow analysis skipped: the file nests more than 200 indented blocks/);
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    // The server keeps serving: workflows.py gets DF003 from models.py (on disk, slim facts, no tree).
    const w = await client.openAndWait(fileUri(path.join(dir, 'workflows.py')), WORKFLOWS_PY);
    assert.deepEqual(codesOf(w), ['DF001', 'DF003', 'DF002']);
    // Editing the deep file down to a parseable one: analysed again.
    const text = deepFile();
    const cut = text.indexOf('    if x3:');
    const q = client.nextDiagnostics(deepUri, { predicate: (d) => d.version === 2 });
    await client.changeAt(deepUri, cut, text.indexOf(`${'    '.repeat(601)}wf.add_node`), '');
    const fixed = await q;
    assert.ok(!fixed.diagnostics.some((d) => /analysis skipped/.test(d.message)), JSON.stringify(fixed.diagnostics));
  });

  it('a file opened while a long workspace scan runs gets its diagnostics before the scan ends', async () => {
    dir = tempDir();
    const files: Record<string, string> = { 'models.py': MODELS_PY };
    for (let i = 0; i < 3000; i++) files[`pkg${Math.floor(i / 100)}/mod_${i}.py`] = filler(i);
    writeFiles(dir, files);
    client = await LspClient.start({ workspaceFolders: [dir] });
    const workflowsUri = fileUri(path.join(dir, 'open', 'workflows.py'));
    const first = await client.openAndWait(workflowsUri, WORKFLOWS_PY);
    const scanEnded = client.logs.some((m) => /^indexed \d+ Python files/.test(m));
    assert.ok(!scanEnded, 'the first diagnostics came while the scan was running');
    assert.ok(codesOf(first).includes('DF001'), JSON.stringify(codesOf(first)));
    assert.match(await client.waitForIndexed(), /^indexed 3001 Python files/);
    // After the scan the cross-file finding (Product from models.py) is there too.
    const after = client.diagnostics.get(workflowsUri)!;
    const all = codesOf(after).includes('DF003') ? after : await client.nextDiagnostics(workflowsUri, { predicate: (d) => codesOf(d).includes('DF003') });
    assert.deepEqual(codesOf(all), ['DF001', 'DF003', 'DF002']);
  });
});
