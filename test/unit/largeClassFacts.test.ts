// A module that is one large class (DataFlow's own core/engine.py is 12,280 lines of one class) is
// one top-level statement: an edit in one method re-extracts that method only and keeps the facts
// of the others (reextractStatement). What that must never change: the facts and the findings are
// those a fresh extraction of the same text gives, after every edit, including the values of
// assignments read only after later methods moved.
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/model/sourceFile';
import { FileFacts } from '../../server/src/model/fileFacts';
import { checkedParts, LARGE_CLASS_CHARS, piecesByMember } from '../../server/src/model/extractStatement';
import { FACT_KINDS, type StatementFacts } from '../../server/src/model/facts';
import { PythonDocument } from '../../server/src/syntax/pythonDocument';
import { analyzeFile } from '../../server/src/analysis/engine';
import type { Finding } from '../../server/src/analysis/finding';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { initPython } from '../../server/src/syntax/parser';
import { prng } from '../helpers/fuzz';

/** One method of the service class: workflows, loops of single-record nodes, result reads, express calls, helpers. */
function method(i: number): string {
  const kinds = [
    `    def load_${i}(self, rows):
        workflow = WorkflowBuilder()
        batch_${i} = []
        for n, row in enumerate(rows):
            workflow.add_node("OrderCreateNode", f"create_{n}", {"customer": row["customer"], "total": row["total"]})
            batch_${i}.append(row)
        results, run_id = self.runtime.execute(workflow.build())
        return results["create_0"]["id"]
`,
    `    async def find_${i}(self, customer):
        limit_${i} = ${10 + i}
        workflow = WorkflowBuilder()
        workflow.add_node("OrderListNode", "list", {"filter": {"customer": customer}, "limit": limit_${i}})
        results, _ = await self.async_runtime.execute_workflow_async(workflow.build(), inputs={})
        return results.get("list", {}).get("records", [])
`,
    `    def express_${i}(self, items):
        count_${i} = 0
        for item in items:
            self.db.express_sync.create("Order", {"customer": item, "total": ${i}})
            count_${i} += 1
        return count_${i}
`,
    `    @staticmethod
    def helper_${i}(db, order_id):
        # a helper called from other methods
        status_${i} = {"status": "shipped", "note": "batch ${i}"}
        return db.express_sync.update("Order", order_id, status_${i})
`,
    `    def ship_${i}(self, ids):
        for order_id in ids:
            self.helper_${i - 3 >= 0 ? i - 3 : 3}(self.db, order_id)
        workflow = WorkflowBuilder()
        workflow.add_node("OrderUpdateNode", "mark", {"filter": {"id": ids[0]}, "fields": {"status": "shipped"}})
        workflow.add_connection("mark", "result", "notify", "payload")
        return self.runtime.execute(workflow.build())
`,
  ];
  return kinds[i % kinds.length];
}

function largeModule(methods: number): string {
  const body = Array.from({ length: methods }, (_, i) => method(i)).join('\n');
  return `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost/shop", pool_size=5)

@db.model
class Order:
    customer: str
    total: int = 0
    status: str = "new"


class OrderService:
    """Every way the service writes and reads orders."""

    PAGE = 50

    def __init__(self, db):
        self.db = db
        self.runtime = LocalRuntime()

${body}

def main():
    service = OrderService(db)
    service.load_0([{"customer": "a", "total": 1}])
`;
}

/** The facts of every statement, assignment values read, as comparable text. */
function factsText(statements: StatementFacts[]): string {
  return JSON.stringify(statements.map((st) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(st)) if (k !== 'spans' && k !== 'text') o[k] = v;
    o.values = st.assignments.map((a) => a.value);
    return o;
  }));
}

function freshFacts(text: string): string {
  const doc = PythonDocument.create('file:///fresh.py', text, 1, true, false);
  try { return factsText(FileFacts.build(doc).statements); } finally { doc.dispose(); }
}

const comparable = (fs: Finding[]) => JSON.stringify(fs.map((f) => ({ code: f.code, span: f.span, message: f.message, severity: f.severity, fixable: !!f.fix })));

function freshFindings(text: string): string {
  const ws = new WorkspaceModel();
  const f = SourceFile.create('file:///fresh.py', text);
  ws.set(f);
  return comparable(analyzeFile(f, ws, defaultSettings()));
}

function at(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function edit(file: SourceFile, start: number, end: number, insert: string): void {
  const text = file.doc.text;
  file.applyChanges([{ range: { start: at(text, start), end: at(text, end) }, text: insert }], file.version + 1);
}

const serviceOf = (file: SourceFile) => file.facts.statements.find((s) => s.classes.some((c) => c.name === 'OrderService'))!;

describe('large classes: an edit re-extracts one method (reextractStatement)', () => {
  before(async () => { await initPython(); });

  it('the generated class is large enough to be read statement by statement, and its statements cover it in order', () => {
    const text = largeModule(80);
    const file = SourceFile.create('file:///svc.py', text, 1);
    const st = serviceOf(file);
    assert.ok(st.span.end - st.span.start >= LARGE_CLASS_CHARS, `class of ${st.span.end - st.span.start} characters`);
    const pieces = piecesByMember(st, 'text', (t) => t);
    assert.ok(pieces, 'a large class has pieces by method');
    assert.equal(pieces.length, 2 * 83 + 1, 'one piece per statement of the class body (its docstring, PAGE, __init__ and 80 methods) and one per stretch around them');
    assert.equal(pieces.join(''), st.text, 'the pieces are the class text, in order, without gaps or overlaps');
    assert.equal(piecesByMember(file.facts.statements.find((s) => s.classes.some((c) => c.name === 'Order'))!, 'text', (t) => t), undefined, 'a small class is one piece');
  });

  it('an edit in one method keeps the facts of the others (the same objects) and gives the facts and findings of a fresh extraction', () => {
    const text = largeModule(80);
    const file = SourceFile.create('file:///svc.py', text, 1);
    const ws = new WorkspaceModel();
    ws.set(file);
    analyzeFile(file, ws, defaultSettings());
    const before = serviceOf(file);
    const nodeIn = (st: StatementFacts, fn: string) => st.nodes.find((n) => n.functionName === fn)!;
    const first = nodeIn(before, 'OrderService.load_0');
    const middle = nodeIn(before, 'OrderService.load_30');
    const last = nodeIn(before, 'OrderService.ship_79');
    const lastStart = last.span.start;
    // Type inside a node id of load_30: the text after it moves by one character.
    const where = text.indexOf('f"create_{n}"', text.indexOf('def load_30')) + 3;
    edit(file, where, where, 'x');
    ws.changed(file);
    const after = serviceOf(file);
    assert.notEqual(after, before, 'the class statement has new facts');
    assert.equal(nodeIn(after, 'OrderService.load_0'), first, 'a method before the edit keeps its facts');
    assert.equal(nodeIn(after, 'OrderService.ship_79'), last, 'a method after the edit keeps its facts');
    assert.notEqual(nodeIn(after, 'OrderService.load_30'), middle, 'the edited method is extracted again');
    assert.equal(last.span.start, lastStart + 1, 'the kept facts after the edit moved by its length');
    assert.ok(file.doc.text.slice(last.span.start, last.span.end).startsWith('workflow.add_node("OrderUpdateNode", "mark"'));
    assert.equal(factsText(file.facts.statements), freshFacts(file.doc.text));
    assert.equal(comparable(analyzeFile(file, ws, defaultSettings())), freshFindings(file.doc.text));
  });

  it('the rules check a large class member by member: every fact is in exactly one part, and a method\'s facts are all in its own', () => {
    const file = SourceFile.create('file:///svc.py', largeModule(80), 1);
    const st = serviceOf(file);
    const parts = checkedParts(st);
    assert.ok(parts && parts.length > 80, `${parts?.length} parts`);
    for (const k of FACT_KINDS) {
      const inParts: unknown[] = parts.flatMap((p) => p[k] as unknown[]);
      assert.equal(inParts.length, st[k].length, `${k}: as many in the parts as in the class`);
      assert.equal(new Set(inParts).size, inParts.length, `${k}: none twice`);
      for (const x of st[k] as unknown[]) assert.ok(inParts.includes(x), `${k}: every fact in a part`);
    }
    for (const p of parts) {
      const fns = new Set(FACT_KINDS.flatMap((k) => (p[k] as Array<{ functionName?: string }>).map((x) => x.functionName)).filter((f) => f !== undefined).map((f) => f!.split('.').slice(0, 2).join('.')));
      assert.ok(fns.size <= 1, `a part holds one method's facts: ${[...fns].join(', ')}`);
      if (fns.size) {
        const fn = [...fns][0];
        for (const k of FACT_KINDS) for (const x of st[k] as Array<{ functionName?: string }>) if (x.functionName?.startsWith(fn + '.') || x.functionName === fn) assert.ok((p[k] as unknown[]).includes(x), `${fn}: all its ${k} in its part`);
      }
      assert.equal(file.doc.text.slice(p.span.start, p.span.end), p.text, 'a part\'s text is where its span is');
    }
    assert.equal(checkedParts(file.facts.statements.find((s) => s.classes.some((c) => c.name === 'Order'))!), undefined, 'a small class is checked whole');
  });

  it('an edit in one method checks that method again: the findings of the others are kept, moved with their methods', () => {
    const text = largeModule(80);
    const file = SourceFile.create('file:///svc.py', text, 1);
    const ws = new WorkspaceModel();
    ws.set(file);
    const before = analyzeFile(file, ws, defaultSettings());
    const inFn = (fs: Finding[], fn: string) => {
      const at = file.doc.text.indexOf(`def ${fn}(`), end = file.doc.text.indexOf('\n    def ', at + 1);
      return fs.filter((f) => f.span.start > at && f.span.start < end);
    };
    const first = inFn(before, 'load_0'), last = inFn(before, 'express_77');
    assert.ok(first.length && last.length, 'findings in the first and in a late method');
    const lastStarts = last.map((f) => f.span.start);
    const where = text.indexOf('f"create_{n}"', text.indexOf('def load_30')) + 3;
    edit(file, where, where, 'x');
    ws.changed(file);
    const after = analyzeFile(file, ws, defaultSettings());
    for (const f of first) assert.ok(after.includes(f), `${f.code} in load_0 is the same finding`);
    last.forEach((f, i) => {
      assert.ok(after.includes(f), `${f.code} in express_77 is the same finding`);
      assert.equal(f.span.start, lastStarts[i] + 1, 'moved by the edit');
    });
    assert.equal(comparable(after), freshFindings(file.doc.text));
  });

  it('a value assigned in a later method and read only after the edit moved it is read at its new place', () => {
    const file = SourceFile.create('file:///svc.py', largeModule(80), 1);
    const limitOf = () => serviceOf(file).assignments.find((a) => a.name === 'limit_61')!;
    const kept = limitOf();
    const insertAt = file.doc.text.indexOf('def load_10');
    edit(file, insertAt, insertAt, 'def added(self):\n        return 1\n\n    ');
    assert.equal(limitOf(), kept, 'the assignment in find_61 is kept');
    const v = kept.value;
    assert.deepEqual(v.k === "num" ? v.v : v, 71);
    assert.equal(file.doc.text.slice(v.span.start, v.span.end), '71', 'its value is read where it now is');
    assert.equal(factsText(file.facts.statements), freshFacts(file.doc.text));
  });

  it('seeded edits anywhere (in methods, between them, in the class header, adding and deleting methods) give a fresh extraction\'s facts and findings', function () {
    this.timeout(120_000);
    const rnd = prng(20261207);
    const pieces = ['x', ' ', '\n', '(', ')', '"', ':', '#', '\n    def added(self):\n        workflow.add_node("OrderCreateNode", "n", {"total": 1})\n', 'results["a"]["b"]', '\n        total = 7\n', 'count += 1\n'];
    for (const revert of [true, false]) {
      const file = SourceFile.create('file:///svc.py', largeModule(70), 1);
      const ws = new WorkspaceModel();
      ws.set(file);
      let undo: { start: number; text: string; removed: string } | undefined;
      for (let i = 0; i < 60; i++) {
        const text = file.doc.text;
        if (revert && undo) {
          edit(file, undo.start, undo.start + undo.text.length, undo.removed);
          undo = undefined;
        } else {
          const start = Math.floor(rnd() * text.length);
          const r = rnd();
          const end = r < 0.6 ? start : Math.min(text.length, start + Math.floor(rnd() * (r < 0.9 ? 40 : 2500)));
          const insert = r < 0.6 || r >= 0.9 ? pieces[Math.floor(rnd() * pieces.length)] : '';
          edit(file, start, end, insert);
          undo = { start, text: insert, removed: text.slice(start, end) };
        }
        ws.changed(file);
        // Some values are read between edits, others only after later edits moved them.
        for (const st of file.facts.statements) for (const a of st.assignments) if (rnd() < 0.1) void a.value;
        const findings = comparable(analyzeFile(file, ws, defaultSettings()));
        assert.equal(factsText(file.facts.statements), freshFacts(file.doc.text), `facts after edit ${i} (${revert ? 'each edit undone by the next' : 'edits accumulate'})`);
        assert.equal(findings, freshFindings(file.doc.text), `findings after edit ${i}`);
      }
    }
  });
});
