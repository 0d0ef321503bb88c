// Bounds that hold (issue 13 §2), through runFile on both backends with hostile programs: the run
// ends with a located, named limit (or the Python error CPython raises), never a hang, a crash of
// the process or a silent pass. CPython's own answers for int conversion and nesting are recorded
// in test/fixtures/stdlib-cpython/limits_cases.py; these cover what only the runtime can show.
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { filesOnEachBackend, scratchWriter } from '../backends';
import { OUTPUT_LIMITS } from '../../../server/src/runtime/python/runtime';

const write = scratchWriter('dfp-bounds-');

filesOnEachBackend('bounds', (run) => {
  it('the time limit stops a workflow of thousands of nodes inside runtime.execute(), located at the execute', async () => {
    const file = write('wide.py', `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://localhost/bounds")


@db.model
class Item:
    name: str


def main():
    wf = WorkflowBuilder()
    for i in range(20000):
        wf.add_node("ItemCreateNode", f"c{i}", {"name": f"n{i}"})
    results, _ = LocalRuntime().execute(wf.build())
    return len(results)
`);
    // Building the 20,000 nodes takes a fraction of the limit; running them takes several times it.
    const r = await run({ file, entry: 'main', limits: { timeoutMs: 3000 } });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, 1);
    assert.equal(r.error?.type, 'EvaluationLimitError');
    assert.match(r.error!.message, /^Time limit exceeded \(3000 ms\): Workflow execution (stopped by the time limit before|cancelled in) node 'c\d+'/);
    assert.equal(r.error?.line, 17, 'located at the execute() call');
    const nodes = r.runs.reduce((n, x) => n + x.nodes.length, 0);
    assert.ok(nodes > 0 && nodes < 20000, `${nodes} nodes ran`);
  });

  it('aggregate memory: many lists each under the size limit stop with a located MemoryError, not a dead process', async () => {
    const file = write('hungry.py', `def main():
    kept = [[0] * 1_000_000 for _ in range(200)]
    return len(kept)
`);
    // 200 lists of 1,000,000 items are about 1.6 GB; the limit is set 300 MB above what the process uses now.
    const r = await run({ file, entry: 'main', limits: { maxHeapBytes: v8.getHeapStatistics().used_heap_size + 300 * 2 ** 20 } });
    assert.equal(r.ok, false);
    assert.equal(r.error?.type, 'EvaluationLimitError');
    assert.match(r.error!.message, /^MemoryError: the run's memory limit was reached \(\d[\d,]* MB in use, limit \d[\d,]* MB\)/);
    assert.equal(r.error?.line, 2);
  });

  it('stdout is capped: what was dropped is counted and said, the run itself finishes', async () => {
    const file = write('loud.py', `def main():
    s = "x" * 1_000_000
    for i in range(20):
        print(s)
    print("done")
    return 20
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.returned, 20);
    const shown = r.log.filter((l) => l.startsWith('x'));
    assert.ok(shown.every((l) => l.length < OUTPUT_LIMITS.lineChars + 100), 'a shown line is cut at the line limit');
    assert.match(shown[0], new RegExp(` … \\[${(1_000_000 - OUTPUT_LIMITS.lineChars).toLocaleString('en-US')} more characters not shown\\]$`));
    assert.ok(r.log.some((l) => l === 'done'), 'the last print, under the limit, is shown');
  });

  it('the total printed is capped, with one note where the rest was dropped', async () => {
    const file = write('louder.py', `def main():
    line = "y" * 10_000
    for i in range(1000):
        print(line)
    return "finished"
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.returned, 'finished');
    const notes = r.log.filter((l) => l.startsWith('… [output limit of'));
    assert.equal(notes.length, 1);
    assert.ok(r.log.filter((l) => l.startsWith('y')).length < 1000);
  });

  it('nesting deeper than the compiler can take is a located SyntaxError (exit 2), not a stack overflow', async () => {
    const file = write('chain.py', `x = ${Array.from({ length: 3000 }, () => '1').join(' + ')}\n\n\ndef main():\n    return x\n`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 2);
    assert.equal(r.error?.type, 'PythonSyntaxError');
    assert.match(r.error!.message, /too deeply nested \(more than 1500 levels; CPython's compiler raises RecursionError/);
    assert.equal(r.error?.line, 1);
  });
});
