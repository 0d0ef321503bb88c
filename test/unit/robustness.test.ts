// Robustness of the analysis against bad input, through the in-process API (SourceFile,
// analyzeFile, WorkspaceModel): nothing may throw or hang, and results stay sensible. Time bounds
// are generous (the machine is noisy): they catch hangs and pathological slowness, not regressions.
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/model/sourceFile';
import { analyzeFile } from '../../server/src/analysis/engine';
import type { Finding } from '../../server/src/analysis/finding';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { initPython } from '../../server/src/syntax/parser';
import { MAX_ANALYZED_CHARS } from '../../server/src/syntax/pythonDocument';

// 20 s, plus 20 s per MB of input: analysis is roughly linear (a few seconds per MB of Python on
// an idle machine — tree-sitter WASM parse plus fact extraction) and the CI box is shared.
const BOUND_MS = 20000;
const boundFor = (chars: number) => BOUND_MS + 20000 * (chars / (1024 * 1024));

interface Result { file: SourceFile; workspace: WorkspaceModel; findings: Finding[]; ms: number }

/** Creates and analyses a file; asserts it neither throws nor takes longer than the bound. */
function analyze(text: string, uri = 'file:///robust/input.py', workspace = new WorkspaceModel()): Result {
  const started = performance.now();
  const file = SourceFile.create(uri, text, 1);
  workspace.set(file);
  const findings = analyzeFile(file, workspace, defaultSettings());
  const ms = performance.now() - started;
  assert.ok(ms < boundFor(text.length), `analysis took ${ms.toFixed(0)} ms (bound ${boundFor(text.length).toFixed(0)} ms)`);
  return { file, workspace, findings, ms };
}

/** Applies one range change (offsets) and re-analyses, as the server does. */
function edit(r: Result, start: number, end: number, text: string): Finding[] {
  const lines = r.file.doc.lines;
  const started = performance.now();
  r.file.applyChanges([{ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text }], r.file.version + 1);
  r.workspace.changed(r.file);
  const findings = analyzeFile(r.file, r.workspace, defaultSettings());
  const ms = performance.now() - started;
  assert.ok(ms < boundFor(r.file.text.length), `edit + analysis took ${ms.toFixed(0)} ms (bound ${boundFor(r.file.text.length).toFixed(0)} ms)`);
  return findings;
}

const spanText = (file: SourceFile, f: Finding) => file.text.slice(f.span.start, f.span.end);
const codes = (fs: Finding[]) => fs.map((f) => f.code);
const comparable = (fs: Finding[]) => fs.map((f) => ({ code: f.code, span: f.span, message: f.message, severity: f.severity }));

/** UTF-16 line/character of an offset, computed independently of the server's LineIndex. */
function utf16Position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const HEADER = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=20, pool_max_overflow=30)

@db.model
class Product:
    name: str
    price: int
    category: str
    __dataflow__ = {"indexes": [{"name": "idx_product_category", "fields": ["category"]}]}
`;

const LOOP_FN = (i: number) => `
def import_batch_${i}(rows):
    workflow = WorkflowBuilder()
    for n, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_${i}_{n}", {"name": row["name"], "price": row["price"]})
    workflow.add_node("ProductListNode", "list_${i}", {"filter": {"name": "x"}, "order_by": ["-price"]})
    results, run_id = LocalRuntime().execute(workflow.build())
    return results
`;

/** A DataFlow module of at least `chars` characters. */
function bigDataFlowFile(chars: number): string {
  const parts = [HEADER];
  let size = HEADER.length;
  for (let i = 0; size < chars; i++) { const s = LOOP_FN(i); parts.push(s); size += s.length; }
  return parts.join('');
}

describe('robustness: bad input through the in-process analysis API', function () {
  this.timeout(300000);
  before(async () => { await initPython(); });

  it('the baseline module yields DF001 and DF003', () => {
    const r = analyze(HEADER + LOOP_FN(0));
    assert.deepEqual(codes(r.findings), ['DF001', 'DF003']);
    assert.equal(spanText(r.file, r.findings[0]), '"ProductCreateNode"');
  });

  it('text that is not Python at all (prose, JSON, HTML, a shell script) analyses to nothing, without throwing', () => {
    const texts = [
      'DataFlow is a framework. This is prose, not code: it has "quotes", (brackets and: colons.\nadd_node is mentioned too!\n',
      JSON.stringify({ DataFlow: { add_node: [1, 2, { nested: 'x' }] }, list: Array.from({ length: 500 }, (_, i) => i) }, null, 2),
      '<html><body><script>const wf = new WorkflowBuilder(); wf.add_node("ProductCreateNode");</script></body></html>\n',
      '#!/bin/sh\nfor f in *.py; do echo "$f DataFlow"; done\nif [ -z "$X" ]; then exit 1; fi\n',
      '}{)(][ :: ,, DataFlow ?? !! @@ $$ `` \\\\ \t\t\u000b\u000c',
    ];
    for (const t of texts) {
      const r = analyze(t);
      assert.ok(r.file.doc.tree, 'a tree is still built');
      assert.equal(r.file.doc.skipReason, undefined);
      assert.deepEqual(r.findings, []);
    }
  });

  it('binary content (NUL bytes) is skipped with a reason and no findings; removing the NUL analyses again', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    const binary = HEADER + LOOP_FN(1) + bytes.toString('latin1');
    assert.ok(binary.includes('\u0000'));
    const r = analyze(binary);
    assert.match(r.file.doc.skipReason ?? '', /NUL/);
    assert.equal(r.file.doc.tree, null);
    assert.deepEqual(r.findings, []);
    // Editing the NULs away (as an editor would) brings the analysis back.
    const clean = HEADER + LOOP_FN(1);
    const r2 = analyze(clean, 'file:///robust/clean.py');
    const after = edit(r, clean.length, binary.length, '');
    assert.equal(r.file.doc.skipReason, undefined);
    assert.deepEqual(comparable(after), comparable(r2.findings));
    assert.deepEqual(codes(after), ['DF001', 'DF003']);
  });

  it('a 5 MB generated DataFlow file still yields diagnostics, and an edit in it re-analyses', () => {
    const text = bigDataFlowFile(5 * 1024 * 1024);
    const r = analyze(text);
    assert.equal(r.file.doc.skipReason, undefined);
    const fns = (text.match(/^def import_batch_/gm) ?? []).length;
    assert.ok(fns > 10000, `${fns} functions`);
    assert.equal(r.findings.filter((f) => f.code === 'DF001').length, fns);
    assert.equal(r.findings.filter((f) => f.code === 'DF003').length, fns);
    const last = r.findings[r.findings.length - 1];
    assert.equal(spanText(r.file, last), '"name"');
    // One character inserted near the end: still everything, shifted.
    const at = text.lastIndexOf('def import_batch_');
    const after = edit(r, at, at, '\n');
    assert.equal(after.length, r.findings.length);
    assert.equal(spanText(r.file, after[after.length - 1]), '"name"');
  });

  it('a file larger than the analysis limit is skipped with a reason', () => {
    const text = bigDataFlowFile(MAX_ANALYZED_CHARS + 1024);
    const r = analyze(text);
    assert.match(r.file.doc.skipReason ?? '', /larger than 8 MB/);
    assert.deepEqual(r.findings, []);
  });

  it('a syntax error on every line does not throw, and well-formed functions among them still report', () => {
    const bad = Array.from({ length: 3000 }, (_, i) => [
      `wf.add_node("ProductCreateNode", f"c{i}", {"name": ) ]`,
      `for x in : wf.add_node(`,
      `def broken_${i}(:`,
      `class : pass pass`,
      `    return return`,
      `"""unterminated ${i}`.replace('"""', '"'),
      `@@@ db.express.create("Product", {`,
    ][i % 7]).join('\n');
    const r = analyze(HEADER + bad + '\n');
    assert.deepEqual(comparable(r.findings), [], 'no finding comes out of the broken lines');
    const mixed = analyze(HEADER + bad + '\n' + LOOP_FN(7), 'file:///robust/mixed.py');
    const fnLine = (HEADER + bad + '\n').split('\n').length - 1;
    // The function after them still reports its unindexed filter. Its loop's DF001 is lost: the
    // first broken line leaves a `{` open, and tree-sitter's recovery takes the `for` into the error.
    assert.deepEqual(codes(mixed.findings), ['DF003']);
    assert.equal(spanText(mixed.file, mixed.findings[0]), '"name"');
    assert.equal(mixed.file.doc.lines.positionAt(mixed.findings[0].span.start).line, fnLine + 5);
  });

  it('unterminated strings and brackets: before the damage findings survive, inside a string nothing is reported', () => {
    const good = HEADER + LOOP_FN(0);
    const cases: Array<{ name: string; text: string; expect: (fs: Finding[]) => void }> = [
      { name: 'unterminated bracket at the end', text: good + 'wf.add_node("ProductListNode", "l", {"filter": {"name": [', expect: (fs) => assert.ok(codes(fs).includes('DF001')) },
      { name: 'unterminated single-quoted string at the end', text: good + 'x = "abc\n', expect: (fs) => assert.deepEqual(codes(fs).slice(0, 2), ['DF001', 'DF003']) },
      { name: 'unterminated triple quote before everything', text: '"""' + good, expect: (fs) => assert.deepEqual(fs, []) },
      { name: 'unterminated f-string inside the loop', text: good.replace('f"create_0_{n}"', 'f"create_0_{n'), expect: (fs) => assert.deepEqual(codes(fs), ['DF001', 'DF003']) },
      { name: 'only opening brackets', text: HEADER + '(['.repeat(5000) + '{', expect: (fs) => assert.deepEqual(fs, []) },
      { name: 'only closing brackets', text: HEADER + ')]}'.repeat(5000), expect: (fs) => assert.deepEqual(fs, []) },
      { name: 'stray quotes', text: HEADER + `'"'"'"`.repeat(3000), expect: (fs) => assert.deepEqual(fs, []) },
    ];
    for (const c of cases) {
      const r = analyze(c.text, `file:///robust/${c.name.replace(/\W+/g, '_')}.py`);
      try { c.expect(r.findings); } catch (err) { throw new Error(`${c.name}: ${(err as Error).message}`, { cause: err }); }
    }
  });

  it('10,000-deep nested parentheses, lists and dicts (also inside node configs, also unclosed)', () => {
    const N = 10000;
    const texts: Record<string, string> = {
      parens: `x = ${'('.repeat(N)}1${')'.repeat(N)}\n`,
      lists: `x = ${'['.repeat(N)}${']'.repeat(N)}\n`,
      dicts: `x = ${'{"a": '.repeat(N)}1${'}'.repeat(N)}\n`,
      calls: `x = f${'('.repeat(N)}${')'.repeat(N)}\n`,
      attributes: `x = a${'.b'.repeat(N)}\n`,
      binops: `x = ${'1 + '.repeat(N)}1\n`,
      unclosed: `x = ${'(['.repeat(N)}\n`,
      filter: `wf = WorkflowBuilder()\nwf.add_node("ProductListNode", "l", {"filter": ${'{"a": '.repeat(N)}1${'}'.repeat(N)}})\n`,
      loopConfig: `wf = WorkflowBuilder()\nfor i in range(3):\n    wf.add_node("ProductCreateNode", f"c{i}", ${'{"a": '.repeat(N)}1${'}'.repeat(N)})\n`,
      nestedLoops: `wf = WorkflowBuilder()\n${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i * 4)}for i${i} in range(2):`).join('\n')}\n${' '.repeat(400)}wf.add_node("ProductCreateNode", "x", {})\n`,
    };
    for (const [name, body] of Object.entries(texts)) {
      const r = analyze(HEADER + body, `file:///robust/deep_${name}.py`);
      if (name === 'nestedLoops') assert.deepEqual(codes(r.findings), ['DF001'], name);
      else if (name === 'loopConfig') assert.deepEqual(codes(r.findings), ['DF001', 'DF012'], name); // Product has no field "a"
      else if (name === 'filter') assert.deepEqual(codes(r.findings), ['DF012'], name); // Product has no field "a"
      else assert.deepEqual(r.findings, [], name);
      // An edit at the top must not blow up either (facts shift through the deep structures).
      const after = edit(r, 0, 0, '# edited\n');
      assert.deepEqual(comparable(after), comparable(analyze(r.file.text, `file:///robust/deep_${name}_fresh.py`).findings), `${name} after an edit`);
    }
  });

  it('a very long single line (2 MB, 20,000 loop nodes) reports with correct columns past 65,535', () => {
    const call = 'wf.add_node("ProductCreateNode", f"c{i}", {"name": "x", "price": 1.0}); ';
    const n = Math.ceil((2 * 1024 * 1024) / call.length);
    const text = `${HEADER}wf = WorkflowBuilder()\nfor i in range(10): ${call.repeat(n)}\n`;
    const r = analyze(text);
    const df001 = r.findings.filter((f) => f.code === 'DF001');
    assert.equal(df001.length, n);
    const last = df001[df001.length - 1];
    assert.equal(spanText(r.file, last), '"ProductCreateNode"');
    const pos = r.file.doc.lines.positionAt(last.span.start);
    assert.deepEqual(pos, utf16Position(text, last.span.start));
    assert.ok(pos.character > 65535, `column ${pos.character}`);
    // A plain 1 MB string literal on one line.
    const r2 = analyze(`${HEADER}x = "${'a'.repeat(1024 * 1024)}"\n`, 'file:///robust/longstring.py');
    assert.deepEqual(r2.findings, []);
  });

  it('CRLF line endings give the same findings and the same line/character ranges as LF', () => {
    const lf = HEADER + LOOP_FN(0) + LOOP_FN(1);
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = analyze(lf, 'file:///robust/lf.py');
    const b = analyze(crlf, 'file:///robust/crlf.py');
    assert.deepEqual(codes(b.findings), codes(a.findings));
    assert.deepEqual(b.findings.map((f) => b.file.doc.lines.range(f.span.start, f.span.end)), a.findings.map((f) => a.file.doc.lines.range(f.span.start, f.span.end)));
    assert.deepEqual(b.findings.map((f) => f.message), a.findings.map((f) => f.message));
    for (const f of b.findings) assert.equal(spanText(b.file, f), spanText(a.file, a.findings[b.findings.indexOf(f)]));
    // A suppression comment at the end of a CRLF line works, and the quick-fix edits stay inside the line.
    const suppressed = analyze(crlf.replace('{"name": row["name"], "price": row["price"]})\r\n', '{"name": row["name"], "price": row["price"]})  # dataflow: ignore[bulk-loop]\r\n'), 'file:///robust/crlf_ignored.py');
    assert.equal(suppressed.findings.filter((f) => f.code === 'DF001').length, 1);
  });

  it('non-ASCII text (emoji, accents, CJK) before findings keeps UTF-16 ranges right, also after edits', () => {
    const text = HEADER.replace('from dataflow', '# Produits 🚀🚀 crème brûlée 数据流 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\nfrom dataflow') + `
def emoji_batch(rows):
    """Imports 🚀 rows — “quoted” — 中文."""
    workflow = WorkflowBuilder()
    for n, row in enumerate(rows):
        label = "🚀🚀é中"; workflow.add_node("ProductCreateNode", f"create_🚀_{n}", {"name": row["name"] + "🚀"})
    workflow.add_node("ProductListNode", "list_é", {"filter": {"name": "🚀"}, "order_by": ["-price"]})
    return workflow
`;
    const r = analyze(text);
    assert.deepEqual(codes(r.findings), ['DF001', 'DF003']);
    for (const f of r.findings) {
      const range = r.file.doc.lines.range(f.span.start, f.span.end);
      assert.deepEqual(range.start, utf16Position(text, f.span.start));
      assert.deepEqual(range.end, utf16Position(text, f.span.end));
    }
    assert.equal(spanText(r.file, r.findings[0]), '"ProductCreateNode"');
    assert.equal(spanText(r.file, r.findings[1]), '"name"');
    // The DF001 line has 4 astral characters' worth of surrogate pairs before the node type.
    const df001 = r.file.doc.lines.range(r.findings[0].span.start, r.findings[0].span.end);
    const lineText = text.split('\n')[df001.start.line];
    assert.equal(lineText.indexOf('"ProductCreateNode"'), df001.start.character);
    // Insert more emoji before the node on the same line, then delete one: same as fresh.
    const at = r.file.text.indexOf('label = ');
    let after = edit(r, at, at, '🎉🎉');
    assert.deepEqual(comparable(after), comparable(analyze(r.file.text, 'file:///robust/emoji_fresh1.py').findings));
    after = edit(r, at, at + 2, '');
    assert.deepEqual(comparable(after), comparable(analyze(r.file.text, 'file:///robust/emoji_fresh2.py').findings));
    assert.equal(spanText(r.file, after[0]), '"ProductCreateNode"');
  });
});
