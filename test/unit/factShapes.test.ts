// The facts of one kind share V8's hidden classes: made by extending the call's context object, not
// by an object spread followed by more properties, which under V8 11 (Node 20) gives every object a
// hidden class of its own (5,929 of them for the 10,000-line bench file's facts), so every rule's
// read of a fact property was megamorphic and the classes took 1.8 MiB of the server's heap. V8's
// %HaveSameMap is only available with --allow-natives-syntax, so the facts are made and compared in a
// child process.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const OUT = path.resolve(__dirname, '..', '..', 'server', 'src');

/** A module with `n` workflows of every kind of call the extractor reads, in and out of loops and functions. */
function module(n: number): string {
  let s = 'from dataflow import DataFlow\nfrom kailash.workflow.builder import WorkflowBuilder\nfrom kailash.runtime.local import LocalRuntime\n\n';
  s += 'db = DataFlow("postgresql://app@localhost/shop")\n\n\n@db.model\nclass Product:\n    name: str\n    price: float\n\n\n';
  for (let i = 0; i < n; i++) {
    const body = [
      `wf = WorkflowBuilder()`,
      `wf.add_node("ProductCreateNode", "create_${i}", {"name": "p${i}", "price": ${i}.5})`,
      `wf.add_node("ProductListNode", "list_${i}", {"filter": {"name": "p${i}"}})`,
      `wf.add_connection("create_${i}", "id", "list_${i}", "filter")`,
      `runtime = LocalRuntime()`,
      `results, run_id = runtime.execute(wf.build())`,
      `rows = results["list_${i}"]["records"]`,
      `helper_${i}(rows)`,
    ];
    if (i % 3 === 0) s += body.join('\n') + '\n\n';
    else if (i % 3 === 1) s += `def flow_${i}(items):\n` + body.map((l) => `    ${l}`).join('\n') + `\n    for item in items:\n        wf.add_node("ProductCreateNode", f"c_{item}", {"name": item})\n        helper_${i}(item)\n\n\n`;
    else s += `async def flow_${i}(items):\n    for item in items:\n        await db.express.create("Product", {"name": item})\n` + body.map((l) => `    ${l}`).join('\n') + '\n\n\n';
  }
  return s;
}

const SCRIPT = `
const { initPython } = require(${JSON.stringify(path.join(OUT, 'syntax', 'parser.js'))});
const { SourceFile } = require(${JSON.stringify(path.join(OUT, 'model', 'sourceFile.js'))});
(async () => {
  await initPython();
  const text = require('fs').readFileSync(0, 'utf8');
  const facts = SourceFile.create('file:///shapes.py', text, 1).facts;
  const out = {};
  for (const kind of ['nodes', 'connections', 'executes', 'builds', 'workflows', 'runtimes', 'express', 'calls', 'instances']) {
    const maps = [];
    for (const f of facts[kind]) if (!maps.some((m) => %HaveSameMap(m, f))) maps.push(f);
    out[kind] = { facts: facts[kind].length, classes: maps.length };
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

describe('fact shapes', function () {
  this.timeout(60000);

  it('facts of one kind share a few hidden classes, however many facts there are', () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', SCRIPT], { input: module(60), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const shapes = JSON.parse(r.stdout) as Record<string, { facts: number; classes: number }>;
    for (const [kind, { facts, classes }] of Object.entries(shapes)) {
      assert.ok(facts >= (kind === 'instances' ? 1 : 20), `${kind}: ${facts} facts`);
      // A kind has a class per combination of its optional properties (and V8 may generalise a
      // field once); one per fact is the regression this guards against.
      assert.ok(classes <= 4, `${kind}: ${facts} facts in ${classes} hidden classes`);
    }
  });
});
