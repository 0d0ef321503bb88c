import * as assert from 'node:assert/strict';
import { AttributionTracker } from '../../server/src/profiler/attribution';
import { resolveOptions } from '../../server/src/profiler/options';
import { StatementCollector } from '../../server/src/profiler/statementCollector';
import type { Database, SqlParam, StatementEvent } from '../../server/src/runtime/db/types';

// The hook notes each statement with its node; grouping waits for flush() (the report calls it
// after the run), or for the bound on what is noted (statements, parameters).
describe('profiler: statements grouped after the run', () => {
  const db = {} as Database;
  const event = (sql: string, params: SqlParam[], tag?: string): StatementEvent => ({
    sql,
    params,
    durationMs: 0.5,
    waitMs: 0,
    rowCount: 1,
    command: 'SELECT',
    tag,
    backend: 'pglite',
    connectionId: 0,
    inTransaction: false,
    startedAt: Date.now(),
  });
  const setUp = (): { tracker: AttributionTracker; c: StatementCollector } => {
    const tracker = new AttributionTracker();
    return { tracker, c: new StatementCollector(resolveOptions({}), tracker) };
  };

  it('a node that ended before the flush keeps its statements, loop and order', () => {
    const { tracker, c } = setUp();
    const run = tracker.startRun({ workflowId: 'wf' });
    for (let i = 0; i < 6; i++) {
      const id = `read_${i}`;
      const location = { file: 'app.py', line: 11, loops: [{ kind: 'for' as const, line: 10, iteration: i }] };
      tracker.nodeStart(run, { id, type: 'ProductReadNode', location });
      c.onStatement(db, event('SELECT * FROM "products" WHERE "id" = $1', [i % 3], id));
      tracker.nodeEnd(run, { id, type: 'ProductReadNode', startedAt: Date.now(), ms: 1, statements: 1, rows: 1, location });
    }
    tracker.endRun(run);
    assert.equal(c.total, 6, 'counted by the hook');
    assert.equal(c.statements.length, 0, 'not grouped yet');
    c.flush();
    assert.deepEqual(c.statements.map((s) => [s.id, s.nodeId, s.run]), [0, 1, 2, 3, 4, 5].map((i) => [i + 1, `read_${i}`, 0]));
    const [origin] = [...c.byOrigin.values()];
    assert.equal(origin.count, 6);
    assert.deepEqual(origin.loop, { kind: 'for', line: 10 });
    const groups = [...c.byDuplicate.values()].filter((g) => g.count >= 2);
    assert.deepEqual(groups.map((g) => g.count), [2, 2, 2], 'ids 0, 1, 2 twice each');
    assert.equal(c.byNode.get('0|read_4')?.statements, 1);
    c.flush(); // nothing left: idempotent
    assert.equal(c.statements.length, 6);
  });

  it('the hook groups on its own past 4,096 statements or 200,000 parameters', () => {
    const { c } = setUp();
    for (let i = 0; i < 4100; i++) c.onStatement(db, event('SELECT 1', []));
    assert.equal(c.statements.length, 4096);
    c.flush();
    assert.equal(c.statements.length, 4100);

    const bulk = setUp().c;
    const params = Array.from({ length: 60_000 }, (_, i) => i);
    for (let i = 0; i < 4; i++) bulk.onStatement(db, event('INSERT INTO "t" ("a") VALUES ($1)', params));
    assert.equal(bulk.statements.length, 4, 'four statements of 60,000 parameters are not held');
  });
});
