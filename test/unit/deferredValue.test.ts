// An assignment's value is converted when first read, from the statement's text
// (model/deferredValue.ts), not while the tree is at hand. It must be the SExpr the tree's own
// right-hand side converts to, spans included, for every shape a right-hand side takes, and still
// after the statement was moved by an edit above it.
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/model/sourceFile';
import { toSExpr, type SExpr } from '../../server/src/model/staticExpr';
import { initPython, sharedPythonParser, type Node } from '../../server/src/syntax/parser';

const MODULE = [
  'import os',
  'from dataflow import DataFlow',
  'URL = os.getenv("DATABASE_URL", "postgresql://localhost/app")',
  'POOL = int(os.environ.get("POOL", "20")) * 2',
  'PAIR = 1, "two"',
  'HEAD, *REST = *range(3), 4',
  'db = DataFlow(URL, pool_size=POOL, **{"echo": False})',
  'def flow(rows, region):',
  '    config = {"filter": {"region": region, "qty": {"$gte": 3}}, "limit": 10, **extra}',
  '    ids = [r["id"] for r in rows if r.get("ok")]',
  '    label = f"{region!r:>10} {len(rows)} rows"',
  '    raw = rb"\\d+" "tail" \'x\'',
  '    pick = (lambda r: r["id"]) if rows else None',
  '    total = -sum(r["qty"] for r in rows) ** 2 % 7',
  '    chain = a.b.c(1)[2].d',
  '    joined = "a" \\',
  '        "b"',
  '    waited = await fetch(rows)',
  '    got = yield region',
  '    walrus = (n := len(rows))',
  '    typed: dict[str, int] = {"a": 1}',
  '    obj.attr = [1, 2.5, 0x1F, True, None, ...]',
  '    return config',
  '',
].join('\r\n');

/** Every assignment's right-hand side in the tree, converted directly. */
function direct(text: string): SExpr[] {
  const tree = sharedPythonParser().parse(text)!;
  const out: SExpr[] = [];
  const walk = (n: Node) => {
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left'), right = n.childForFieldName('right');
      if (left && right && (left.type === 'identifier' || left.type === 'attribute') && right.type !== 'assignment') out.push(toSExpr(right));
    }
    for (const c of n.namedChildren) if (c) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  return out;
}

describe('deferred assignment values', () => {
  before(async () => { await initPython(); });

  it('converts each right-hand side to what the tree converts it to, spans included', () => {
    const file = SourceFile.create('file:///deferred/flow.py', MODULE, 1);
    const values = file.facts.assignments.map((a) => a.value);
    assert.equal(values.length, 17);
    assert.deepEqual(values, direct(MODULE));
    for (const v of values) assert.notEqual(v.k === 'other' && v.type, 'unparsed');
    // The spans point at the value in the file.
    const config = file.facts.assignments.find((a) => a.name === 'config')!;
    assert.equal(MODULE.slice(config.value.span.start, config.value.span.end).slice(0, 11), '{"filter": ');
  });

  it('reads a value at its new place after an edit above its statement moved it', () => {
    const file = SourceFile.create('file:///deferred/moved.py', MODULE, 1);
    const inserted = '# a comment line\r\nNAME = "x"\r\n';
    file.applyChanges([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: inserted }], 2);
    const text = file.text;
    const fresh = SourceFile.create('file:///deferred/fresh.py', text, 1);
    assert.deepEqual(file.facts.assignments.map((a) => a.value), fresh.facts.assignments.map((a) => a.value));
    assert.deepEqual(file.facts.assignments.map((a) => a.value), direct(text));
  });

  it('is the same value when read once before and once after the move', () => {
    const file = SourceFile.create('file:///deferred/twice.py', MODULE, 1);
    const url = file.facts.assignments.find((a) => a.name === 'URL')!;
    const before = MODULE.slice(url.value.span.start, url.value.span.end);
    file.applyChanges([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import sys\r\n' }], 2);
    const moved = file.facts.assignments.find((a) => a.name === 'URL')!;
    assert.equal(file.text.slice(moved.value.span.start, moved.value.span.end), before);
    const config = file.facts.assignments.find((a) => a.name === 'config')!;
    assert.deepEqual(config.value, direct(file.text)[4]);
  });
});
