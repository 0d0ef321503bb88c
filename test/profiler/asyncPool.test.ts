// AsyncLocalRuntime's concurrent levels end to end: a Python file whose workflow has a level of 12
// nodes, run with the profiler; AsyncLocalRuntime(max_concurrent_nodes=3) reaches the runtime and
// the pool what-if measures the level on PostgreSQL and simulates it on the embedded database.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MODELS, TEST_DATABASE_URL, filesOnEachBackend, scratchWriter, sharedPostgres } from '../runtime/backends';
import { validateReport } from '../../server/src/report/validateReport';
import { PostgresDatabase } from '../../server/src/runtime/db/postgresDatabase';
import { DataFlowRuntime } from '../../server/src/runtime/dataflow/runtime';
import { NodeRegistry, WorkflowBuilder } from '../../server/src/runtime/workflow';
import { AsyncSqlDatabaseNodeInstance } from '../../server/src/runtime/kailash/nodes/asyncSqlNode';
import { Profiler } from '../../server/src/profiler';

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

describe('AsyncLocalRuntime levels on PostgreSQL pools of 4 and of 1 (real concurrency, real waits)', () => {
  const pools: PostgresDatabase[] = [];
  after(async () => {
    for (const p of pools) {
      await p.dropSchema().catch(() => undefined);
      await p.close();
    }
  });

  /** A level of four `SELECT pg_sleep(0.2)` nodes under the profiler, on a pool of `max` connections. */
  const level = async (max: number) => {
    const db = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema: `df_test_${randomBytes(4).toString('hex')}`, poolSize: max, poolMaxOverflow: 0, connectTimeoutMs: 3000 });
    pools.push(db);
    const rt = new DataFlowRuntime({ db, models: MODELS, settings: {} });
    const registry = new NodeRegistry(rt).register('AsyncSQLDatabaseNode', (id, config) => new AsyncSqlDatabaseNodeInstance(id, config));
    const wf = new WorkflowBuilder(registry);
    for (let i = 0; i < 4; i++) wf.addNode('AsyncSQLDatabaseNode', `sleep${i}`, { database_type: 'postgresql', query: 'SELECT pg_sleep(0.2) AS slept' });
    const profiler = new Profiler({ runtimes: [rt], explain: false, whatIfRuns: 1, whatIfs: { missingIndex: false, loopVsBulk: false, pool: true } }).start();
    try {
      const r = await profiler.execute(rt, wf.build(), { runtime: 'AsyncLocalRuntime' });
      const report = await profiler.buildReport({ source: { file: 'app.py' } });
      return { r, report, connections: profiler.collector.connections.size };
    } finally {
      profiler.stop();
    }
  };

  before(async function () {
    const pg = await sharedPostgres();
    if (typeof pg === 'string') {
      if (process.env.DATAFLOW_REQUIRE_POSTGRES === '1') throw new Error(pg);
      this.skip();
    }
  });

  it('four nodes on four connections overlap (peak > 1); on one connection they queue (each later node waits for the one before)', async () => {
    const wide = await level(4);
    assert.ok(wide.report.summary.pool.peakConnections >= 2 && wide.report.summary.pool.peakConnections <= 4, `peak ${wide.report.summary.pool.peakConnections}`);
    assert.ok(wide.connections >= 2, `${wide.connections} connections`);
    assert.ok(wide.r.nodes.every((n) => n.level === 0 && n.statements === 1));

    const narrow = await level(1);
    assert.equal(narrow.report.summary.pool.peakConnections, 1);
    assert.equal(narrow.connections, 1);
    // a node that queued behind another's pg_sleep(0.2) waited at least that long
    const waits = narrow.r.nodes.map((n) => n.waitMs ?? 0).sort((a, b) => a - b);
    assert.ok(waits[3] >= 3 * 200 - 50, `waits ${waits.join(', ')}`);
    const rec = narrow.report.recommendations.find((x) => x.rule === 'small-pool')!;
    assert.match(rec.before.description, /^pool 1 \(1 \+ 0\), measured: /);
    assert.ok(rec.before.ms! >= 3 * 200, rec.before.description);
  });
});
