// Issue 13 §1 (any workspace size), in process: files not open keep slim facts and no tree, and give
// the same findings as full facts; what tree-sitter cannot parse costs that file only; LSP positions
// count a lone \r as a line break; large edits are parsed from scratch with the same result.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { SourceFile } from '../../server/src/model/sourceFile';
import { analyzeFile } from '../../server/src/analysis/engine';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { FULL_BUDGET } from '../../server/src/model/fileFacts';
import { defaultSettings } from '../../server/src/settings';
import { createPythonParser, initPython } from '../../server/src/syntax/parser';
import { MAX_INDENT_LEVELS, PythonDocument, indentationDepth, parseText } from '../../server/src/syntax/pythonDocument';
import { LineIndex } from '../../server/src/syntax/lineIndex';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pythonFiles(p));
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

/** Whether the document holds a tree now (without parsing one). */
const holdsTree = (f: SourceFile) => (f.doc as unknown as { tree_: unknown }).tree_ !== null;
/** Whether slim facts hold their re-extracted statements now. */
const holdsStatements = (f: SourceFile) => (f.facts as unknown as { statements_: unknown }).statements_ !== undefined;

/** `depth` nested `if` blocks in a function, with a DataFlow node at the bottom. */
function nestedIfs(depth: number): string {
  let s = 'from dataflow import DataFlow\n\ndb = DataFlow("postgresql://app@localhost/shop")\n\n\ndef f(wf):\n';
  for (let i = 1; i <= depth; i++) s += `${'    '.repeat(i)}if x${i}:\n`;
  return `${s}${'    '.repeat(depth + 1)}wf.add_node("UserCreateNode", "create", {})\n`;
}

describe('workspace memory (issue 13 §1)', function () {
  this.timeout(120000);
  before(() => initPython());

  it('slim facts of files read from disk give the same findings as full facts, for every fixture file', () => {
    const files = pythonFiles(FIXTURES);
    assert.ok(files.length > 100, `fixtures found: ${files.length}`);
    const settings = defaultSettings();
    const full = new WorkspaceModel();
    const slim = new WorkspaceModel();
    for (const p of files) {
      const uri = pathToFileURL(p).toString();
      const text = fs.readFileSync(p, 'utf8');
      full.set(SourceFile.create(uri, text, 0, false));
      slim.set(SourceFile.create(uri, text, 0, true));
    }
    const relevant = [...slim.allFiles()].filter((f) => f.relevant);
    assert.ok(relevant.length > 50);
    assert.ok(relevant.every((f) => f.facts.slim && !holdsTree(f) && !holdsStatements(f)), 'files not open keep no tree and no statement facts');
    assert.equal([...full.allFiles()].filter((f) => f.facts.slim).length, 0);
    const show = (fs_: ReturnType<typeof analyzeFile>) => fs_.map((f) => `${f.code}@${f.span.start}-${f.span.end} ${f.message}`);
    let findings = 0;
    for (const f of full.allFiles()) {
      const expected = show(analyzeFile(f, full, settings));
      findings += expected.length;
      assert.deepEqual(show(analyzeFile(slim.get(f.uri)!, slim, settings)), expected, f.uri);
    }
    assert.ok(findings > 100, `findings compared: ${findings}`);
    assert.ok(relevant.filter(holdsStatements).length <= FULL_BUDGET, 'at most FULL_BUDGET files hold re-extracted facts');
    // Re-extracted facts reuse the kept objects: a model class is still the workspace's model.
    const modelFile = relevant.find((f) => f.facts.classes.some((c) => slim.isModel(c, f.uri)))!;
    const cls = modelFile.facts.statements.flatMap((s) => s.classes).find((c) => slim.isModel(c, modelFile.uri));
    assert.ok(cls, 'a class of the re-extracted statements is the model');
    assert.equal(slim.models().get(cls.name)?.find((m) => m.uri === modelFile.uri)?.cls, cls);
  });

  it('a file nested deeper than tree-sitter can parse is skipped with the reason; the files after it parse', () => {
    assert.equal(indentationDepth(nestedIfs(120)), 121);
    // The shape that overflowed tree-sitter's WebAssembly stack ("memory access out of bounds").
    const deep = SourceFile.create('file:///ws/deep.py', nestedIfs(600), 0, true);
    assert.equal(deep.doc.tree, null);
    assert.match(deep.doc.skipReason ?? '', new RegExp(`more than ${MAX_INDENT_LEVELS} indented blocks`));
    assert.deepEqual(analyzeFile(deep, new WorkspaceModel(), defaultSettings()), []);
    // 150 levels (more than CPython takes) still parses: the limit is tree-sitter's, with a margin.
    const deepish = SourceFile.create('file:///ws/deepish.py', nestedIfs(150), 0, false);
    assert.equal(deepish.doc.skipReason, undefined);
    assert.equal(deepish.facts.nodes.length, 1);
    const after = SourceFile.create('file:///ws/after.py', nestedIfs(3), 0, false);
    assert.equal(after.facts.nodes.length, 1);
    // Fixing the file (deleting the inner blocks) makes it parse and analysed again.
    const text = nestedIfs(600);
    const cut = text.indexOf('    if x3:');
    const open = SourceFile.create('file:///ws/open-deep.py', text, 1, false);
    assert.ok(open.doc.skipReason);
    open.applyChanges([{ range: { start: open.doc.lines.positionAt(cut), end: open.doc.lines.positionAt(text.indexOf('        wf.add_node')) }, text: '' }], 2);
    assert.equal(open.doc.skipReason, undefined);
    assert.equal(open.facts.nodes.length, 1);
  });

  it('when tree-sitter traps on a file anyway, that file says so and the next files parse with a new parser (child process)', () => {
    // Run apart: a trap leaves tree-sitter's WebAssembly stack behind, which later tests must not inherit.
    const out = path.resolve(__dirname, '..', '..', 'server', 'src');
    const script = `
      const { initPython } = require(${JSON.stringify(path.join(out, 'syntax', 'parser.js'))});
      const { parseLimits } = require(${JSON.stringify(path.join(out, 'syntax', 'pythonDocument.js'))});
      const { SourceFile } = require(${JSON.stringify(path.join(out, 'model', 'sourceFile.js'))});
      initPython().then(() => {
        parseLimits.maxIndentLevels = Infinity;
        const deep = SourceFile.create('file:///ws/deep.py', ${JSON.stringify(nestedIfs(600))}, 0, true);
        const next = SourceFile.create('file:///ws/next.py', ${JSON.stringify(nestedIfs(3))}, 0, false);
        process.stdout.write(JSON.stringify({ error: deep.doc.parseError, reason: deep.doc.skipReason, tree: deep.doc.tree === null, nodes: deep.facts.nodes.length, nextNodes: next.facts.nodes.length, nextSkip: next.doc.skipReason ?? null }));
      });`;
    const r = spawnSync(process.execPath, ['-'], { input: script, encoding: 'utf8' }); // on stdin: too long for an argument
    assert.equal(r.status, 0, `${r.error ?? ''} ${r.stderr}`);
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.match(String(got.error), /memory access out of bounds/);
    assert.match(String(got.reason), /^tree-sitter could not parse this file \(memory access out of bounds\); it is not analysed$/);
    assert.deepEqual({ tree: got.tree, nodes: got.nodes, nextNodes: got.nextNodes, nextSkip: got.nextSkip }, { tree: true, nodes: 0, nextNodes: 1, nextSkip: null });
  });

  it('a lone \\r is a line break for LSP positions and for the parsed text (tree-sitter reads it as \\n)', () => {
    const text = 'a = 1\rb = 2\r\nc = 3\nd = 4';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.positionAt(text.indexOf('b')), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('c')), { line: 2, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('d')), { line: 3, character: 0 });
    assert.equal(lines.offsetAt({ line: 1, character: 4 }), text.indexOf('2'));
    assert.deepEqual(lines.pointAt(text.indexOf('c')), { row: 2, column: 0 });
    // An edit after a lone \r re-parses to the same tree as a fresh parse.
    const doc = PythonDocument.create('file:///ws/cr.py', text, 1);
    doc.applyChanges([{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } }, text: '30' }], 2);
    assert.equal(doc.text, 'a = 1\rb = 2\r\nc = 30\nd = 4');
    assert.equal(doc.tree!.rootNode.toString(), createPythonParser().parse(parseText(doc.text))!.rootNode.toString());
  });

  it('an edit replacing most of the file is parsed from scratch, with the same tree and facts as a fresh file', () => {
    const before = nestedIfs(5);
    const after = 'from dataflow import DataFlow\n\ndb = DataFlow()\n\n@db.model\nclass User:\n    name: str\n';
    const f = SourceFile.create('file:///ws/big-edit.py', before, 1, false);
    f.applyChanges([{ range: { start: { line: 1, character: 0 }, end: f.doc.lines.positionAt(before.length) }, text: after.slice(after.indexOf('\n') + 1) }], 2);
    assert.equal(f.text, after);
    assert.deepEqual(f.doc.changedRanges, [], 'no incremental parse: no changed ranges');
    const fresh = SourceFile.create('file:///ws/fresh.py', after, 1, false);
    assert.equal(f.doc.tree!.rootNode.toString(), fresh.doc.tree!.rootNode.toString());
    assert.deepEqual(f.facts.classes.map((c) => [c.name, c.fields.map((x) => x.name)]), [['User', ['name']]]);
  });
});
