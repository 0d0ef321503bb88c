// Incremental analysis must give exactly what a fresh analysis of the same text gives: after
// every single-character edit (SourceFile.applyChanges: tree.edit + incremental re-parse +
// re-extraction of the touched top-level statements + per-statement finding reuse), the findings
// must equal those of SourceFile.create on the resulting text. A seeded fuzz plus the minimal
// reproduction of the one divergence it found.
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/model/sourceFile';
import { analyzeFile } from '../../server/src/analysis/engine';
import type { Finding } from '../../server/src/analysis/finding';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { initPython } from '../../server/src/syntax/parser';
import { prng, REPARSED_STATEMENT_TEXT } from '../helpers/fuzz';
import * as fuzzGen from '../helpers/fuzzGen';
import { caseSource, replay, runInProcess, type Case } from '../helpers/fuzzCheck';
import { TextDocument } from 'vscode-languageserver-textdocument';


const comparable = (fs: Finding[]) => JSON.stringify(fs.map((f) => ({ code: f.code, span: f.span, message: f.message, severity: f.severity, fixable: !!f.fix })));
const brief = (fs: Finding[]) => fs.map((f) => `${f.code}@${f.span.start}-${f.span.end}`).join(' ');

function fresh(text: string): { findings: Finding[]; tree: string } {
  const ws = new WorkspaceModel();
  const f = SourceFile.create('file:///fuzz/a.py', text);
  ws.set(f);
  const findings = analyzeFile(f, ws, defaultSettings());
  const tree = f.doc.tree?.rootNode.toString() ?? '';
  ws.delete(f.uri);
  return { findings, tree };
}

function pos(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** A valid module: a model, pool settings, eight functions with every rule, an async express loop. */
const BASE = `import os
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

POOL = 5
db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=POOL)

@db.model
class Product:
    name: str
    price: int = 0
    category: str
    tags: List[str] = []
    __dataflow__ = {"indexes": [{"name": "idx_cat", "fields": ["category"]}]}

def load(products):
    workflow = WorkflowBuilder()
    for i, p in enumerate(products):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": p["name"], "price": p["price"]})
    workflow.add_node("ProductListNode", "list", {"filter": {"name": "x"}, "order_by": ["-price"]})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results




def import_products(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results


def products_in(category):
    workflow = WorkflowBuilder()
    workflow.add_node("ProductListNode", "list", {"filter": {"category": category}, "limit": 50})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results["list"]


def load_each(ids):
    workflow = WorkflowBuilder()
    for pid in ids:
        workflow.add_node("ProductReadNode", f"read_{pid}", {"id": pid})
    runtime = LocalRuntime()
    return runtime.execute(workflow.build())
def load1(products):
    workflow = WorkflowBuilder()
    for i, p in enumerate(products):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": p["name"], "price": p["price"]})
    workflow.add_node("ProductListNode", "list", {"filter": {"name": "x"}, "order_by": ["-price"]})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results
def load2(products):
    workflow = WorkflowBuilder()
    for i, p in enumerate(products):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": p["name"], "price": p["price"]})
    workflow.add_node("ProductListNode", "list", {"filter": {"name": "x"}, "order_by": ["-price"]})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results
def load3(products):
    workflow = WorkflowBuilder()
    for i, p in enumerate(products):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": p["name"], "price": p["price"]})
    workflow.add_node("ProductListNode", "list", {"filter": {"name": "x"}, "order_by": ["-price"]})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results
async def f(ids):
    for x in ids:
        await db.express.read("Product", x)
        await db.express.create("Product", {"name": x})

`;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz_0123456789        \n\n\n()[]{}"\'::,,..=#\t';

/** Edits a fuzz may skip (tree-sitter's incremental tree differs from its fresh parse; none today): 1 % of 2,000. */
const MAX_SKIPPED_STEPS = 20;

describe('robustness: incremental analysis equals a fresh analysis after every edit', function () {
  this.timeout(300000);
  before(async () => { await initPython(); });

  it('minimal reproduction: a statement whose span did not move but whose subtree was re-parsed is re-extracted', () => {
    // `withLocalRuntime()` (a typo mid-typing) makes the function body an error region; deleting
    // one space of indentation in the last line then re-parses the `for` statement before it
    // (same start and end offsets, different subtree: its block becomes an ERROR node).
    const text = REPARSED_STATEMENT_TEXT;
    const ws = new WorkspaceModel();
    const file = SourceFile.create('file:///fuzz/min.py', text, 1);
    ws.set(file);
    analyzeFile(file, ws, defaultSettings());
    file.applyChanges([{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 1 } }, text: '' }], 2);
    ws.changed(file);
    const incremental = analyzeFile(file, ws, defaultSettings());
    const want = fresh(file.text);
    assert.equal(file.doc.tree?.rootNode.toString(), want.tree, 'precondition: the incremental tree equals the fresh tree');
    assert.equal(brief(incremental), brief(want.findings), 'incremental findings differ from a fresh analysis of the same text');
  });

  it('200 random single-character edits per seed, seeds 13-16: findings equal a fresh analysis at every step', () => {
    const failures: string[] = [];
    let steps = 0, treeDivergences = 0;
    for (let seed = 13; seed <= 16; seed++) {
      const rnd = prng(seed);
      const ws = new WorkspaceModel();
      const file = SourceFile.create('file:///fuzz/a.py', BASE, 0);
      ws.set(file);
      analyzeFile(file, ws, defaultSettings());
      let text = BASE;
      for (let step = 0; step < 200; step++) {
        const insert = text.length === 0 || rnd() < 0.5;
        const at = Math.floor(rnd() * (text.length + (insert ? 1 : 0)));
        const ch = insert ? ALPHABET[Math.floor(rnd() * ALPHABET.length)] : '';
        const end = insert ? at : at + 1;
        const change = { range: { start: pos(text, at), end: pos(text, end) }, text: ch };
        text = text.slice(0, at) + ch + text.slice(end);
        file.applyChanges([change], step + 1);
        ws.changed(file);
        assert.equal(file.text, text);
        const got = analyzeFile(file, ws, defaultSettings());
        const want = fresh(text);
        steps++;
        if (comparable(got) === comparable(want.findings)) continue;
        if (file.doc.tree?.rootNode.toString() !== want.tree) {
          // tree-sitter's own incremental parse differs from a fresh parse of this (broken) text:
          // error recovery depends on the edit history. Not the server's doing; counted, skipped.
          treeDivergences++;
          continue;
        }
        failures.push(`seed ${seed} step ${step + 1} ${JSON.stringify(change)}: incremental [${brief(got)}] vs fresh [${brief(want.findings)}]`);
        break;
      }
      ws.delete(file.uri);
    }
    assert.equal(failures.length, 0, `${failures.length} of 4 seeds diverged with identical trees (tree-sitter divergences skipped: ${treeDivergences}):\n${failures.join('\n')}`);
    assert.equal(steps, 4 * 200, 'every edit of every seed was made and analysed');
    // A step whose incremental tree differs from the fresh parse is skipped: it proves nothing, so
    // few may be (today none of the 800). More means the fuzz no longer tests the analysis.
    assert.ok(treeDivergences <= MAX_SKIPPED_STEPS, `${treeDivergences} of ${steps} steps skipped (tree-sitter's incremental tree differed from a fresh parse); at most ${MAX_SKIPPED_STEPS}`);
  });

  // Minimal cases the fuzz below found (reduced by test/helpers/fuzzCheck.ts `reduce`): replaying
  // each edit history must give, after every edit, what a fresh analysis of the text gives.
  const REDUCED: Array<{ what: string; c: Case }> = [
    { what: 'a reused DF031 finding kept its span when a space was typed before its statement',
      c: { initial: ' DataFlow(p=1)', edits: [{ at: 0, removed: '', inserted: ' ', kind: 'char' }] } },
    { what: 'a reused bulk-loop finding kept its remembered fix (edit spans of the text before the statement moved)',
      c: { initial: '\n for k in:wf.add_node("yDeleteNode",f"{k}",{"id":k})', edits: [{ at: 0, removed: '\n', inserted: '', kind: 'delete' }, { at: 0, removed: '', inserted: ' ', kind: 'char' }] } },
    { what: 'a read-in-loop fix inserted its lookup where the loop was before a deletion above it',
      c: { initial: ' \nfor in i:(b.express.read("P"x))Ru', edits: [{ at: 33, removed: 'Ru', inserted: 'id', kind: 'replace' }, { at: 0, removed: ' ', inserted: '', kind: 'delete' }] } },
    { what: 'a bulk-loop fix refused for a reference in another statement stayed refused after that statement changed',
      c: { initial: 'for i in s:workflow.add_node("OCreateNode",f"{i}"e)def u(:"".add_connection("")', edits: [{ at: 59, removed: '', inserted: 'h', kind: 'char' }, { at: 66, removed: 'c', inserted: '', kind: 'delete' }] } },
  ];
  for (const { what, c } of REDUCED) {
    it(`reduced fuzz case: ${what}`, () => {
      const r = replay(c.initial, c.edits);
      assert.equal(r, undefined, r && `edit ${r.index + 1}: ${r.kind}: ${r.detail}`);
    });
  }

  it('a lone \\r ends a line: positions are the client\'s, statements are split as CPython splits them', () => {
    // The server counted only "\n": every position after a lone "\r" was a line too high, and
    // tree-sitter read the "\r" as a space, joining the two statements into one broken one.
    const lf = 'import os\nfrom dataflow import DataFlow\n\ndb = DataFlow()\nx = 1\n';
    const cr = lf.replace(/\n/g, '\r');
    const mixed = 'import os\r\nfrom dataflow import DataFlow\r\rdb = DataFlow()\nx = 1\r';
    const want = fresh(lf).findings;
    assert.ok(want.some((f) => f.code === 'DF030'), brief(want));
    for (const text of [cr, mixed]) {
      const ws = new WorkspaceModel();
      const file = SourceFile.create('file:///fuzz/cr.py', text);
      ws.set(file);
      const got = analyzeFile(file, ws, defaultSettings());
      assert.equal(brief(got), brief(fresh(text).findings));
      assert.deepEqual(got.map((f) => f.code), want.map((f) => f.code), JSON.stringify(text));
      const client = TextDocument.create('file:///fuzz/cr.py', 'python', 1, text);
      for (const f of got) {
        assert.deepEqual(file.doc.lines.range(f.span.start, f.span.end), { start: client.positionAt(f.span.start), end: client.positionAt(f.span.end) });
        assert.equal(file.doc.lines.range(f.span.start, f.span.end).start.line, 3, `${f.code} is on the fourth line`);
      }
      assert.equal(file.doc.tree!.rootNode.namedChildCount, 4, file.doc.tree!.rootNode.toString());
      // A client range after the lone "\r" lands where the client means it.
      const at = text.indexOf('x = 1');
      file.applyChanges([{ range: { start: client.positionAt(at), end: client.positionAt(at + 1) }, text: 'y' }], 2);
      assert.equal(file.text, text.slice(0, at) + 'y' + text.slice(at + 1));
      ws.delete(file.uri);
    }
  });

  it('typing "\\n" after a lone "\\r" (making it a "\\r\\n") re-parses as a fresh parse does', () => {
    const c: Case = { initial: 'from dataflow import DataFlow\rdb = DataFlow()\rx = 1\r', edits: [] };
    const at = c.initial.indexOf('db');
    c.edits.push({ at, removed: '', inserted: '\n', kind: 'eol' }, { at: at + 1, removed: '', inserted: '\r', kind: 'eol' }, { at: at - 1, removed: '\r\n\r', inserted: '', kind: 'delete' });
    const r = replay(c.initial, c.edits);
    assert.equal(r, undefined, r && `edit ${r.index + 1}: ${r.kind}: ${r.detail}`);
  });

  it('fuzz: 2,000 edits of generated DataFlow modules (CRLF, lone CR, astral characters, unterminated strings, pastes) equal a fresh analysis', () => {
    // `npm run fuzz -- --edits 100000` runs the same for longer (and over the protocol with --lsp).
    const stats = runInProcess({ seed: 0xdf13, edits: 2000, perFile: 250, fixesEvery: 8 }, { ...fuzzGen, prng });
    assert.equal(stats.edits, 2000);
    assert.ok(stats.treeDivergences <= MAX_SKIPPED_STEPS, `${stats.treeDivergences} of 2,000 edits skipped (tree-sitter's incremental tree differed from a fresh parse); at most ${MAX_SKIPPED_STEPS}`);
    for (const k of ['char', 'eol', 'eol-kind', 'astral', 'unterminated', 'delete-across', 'paste', 'undo']) assert.ok(stats.byKind[k] > 0, `no ${k} edit: ${JSON.stringify(stats.byKind)}`);
    assert.deepEqual(stats.findings.map((f) => `${f.kind} (file ${f.file}, edit ${f.edit}): ${f.detail.slice(0, 300)}${f.reduced ? `\nreduced: ${caseSource(f.reduced)}` : ''}`), []);
  });
});
