// AsyncLocalRuntime's concurrent levels end to end: a Python file whose workflow has a level of 12
// nodes, run with the profiler; AsyncLocalRuntime(max_concurrent_nodes=3) reaches the runtime and
// the pool what-if measures the level on PostgreSQL and simulates it on the embedded database.
import * as assert from 'node:assert/strict';
import { filesOnEachBackend, scratchWriter } from '../runtime/backends';
import { validateReport } from '../../server/src/report/validateReport';

const write = scratchWriter('async-pool-');
const file = write(
  'jobs.py',
  `from dataflow import DataFlow
from kailash.runtime.async_local import AsyncLocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/app")


@db.model
class Job:
    name: str
    tries: int = 0


async def main():
    runtime = AsyncLocalRuntime(max_concurrent_nodes=3)
    wf = WorkflowBuilder()
    for i in range(12):
        wf.add_node("JobCreateNode", f"job{i:02d}", {"name": f"j{i}"})
    results, _ = await runtime.execute_workflow_async(wf.build(), {})
    return len(results)
`,
);

filesOnEachBackend('AsyncLocalRuntime levels under the profiler', (run, db) => {
  it('a level of 12 runs 3 at a time (max_concurrent_nodes=3); the pool what-if is measured on PostgreSQL, simulated on PGlite', async () => {
    const r = await run({ file, entry: 'main', profile: { whatIfRuns: 1, explain: false } });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.returned, 12);
    const report = r.report!;
    assert.deepEqual(validateReport(report).errors, []);
    const rec = report.recommendations.find((x) => x.rule === 'small-pool');
    assert.ok(rec, JSON.stringify(report.recommendations.map((x) => x.title)));
    assert.match(rec.before.description, /1 AsyncLocalRuntime level\(s\) of 12 concurrent nodes \(max_concurrent_nodes 3\)/);
    assert.equal(rec.line, 5, 'at the DataFlow(...) call');
    if (db().embedded) {
      assert.equal(rec.verdict, 'unverified');
      assert.match(rec.after.description, /simulated/);
      assert.match(rec.detail, /^Simulated, not measured/);
    } else {
      assert.match(rec.before.description, /, measured: /);
      assert.match(rec.after.description, /, measured: /);
      assert.equal(rec.after.statements, 12);
      assert.match(rec.detail, /^Measured on PostgreSQL/);
    }
  });
});
