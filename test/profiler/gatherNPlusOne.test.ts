// asyncio.gather over per-item executes is an N+1 (issue 15 §4), as the linter already says for
// the same loop (DF001, "a same-file helper called per item"): each coroutine belongs to the
// comprehension iteration that made it, though gather awaits it after the comprehension ended.
// The fixture (test/fixtures/profiler/gather_creates.py) runs through the evaluator and the
// DataFlow runtime with the profiler, on both backends.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend } from '../runtime/backends';
import type { PerformanceReport } from '../../server/src/report/reportTypes';

const file = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'profiler', 'gather_creates.py');
const lineOf = (text: string): number => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

function bulkLoop(report: PerformanceReport) {
  const recs = report.recommendations.filter((x) => x.rule === 'bulk-loop');
  assert.equal(recs.length, 1, JSON.stringify(report.recommendations, null, 1));
  return recs[0];
}

filesOnEachBackend('asyncio.gather over per-item executes', (run) => {
  it('a helper coroutine per item, gathered from a list comprehension: one N+1 group at the comprehension, loop → bulk measured', async () => {
    const r = await run({ file, entry: 'gather_helper', profile: { whatIfRuns: 2 } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(r.returned, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const report = r.report!;
    const gatherLine = lineOf('asyncio.gather(*[create_one(runtime, item) for item in items])');
    assert.equal(report.groups.nPlusOne.length, 1, JSON.stringify(report.groups.nPlusOne));
    const n1 = report.groups.nPlusOne[0];
    assert.equal(n1.count, 12);
    assert.deepEqual(n1.loop, { kind: 'comprehension', line: gatherLine });
    assert.equal(n1.location?.line, gatherLine);
    assert.match(n1.sql, /^INSERT INTO "customers"/);
    // each node knows its iteration of the comprehension
    assert.deepEqual(report.runs.map((x) => x.nodes[0].loops), report.runs.map((_, i) => [{ kind: 'comprehension', line: gatherLine, iteration: i }]));
    const bulk = bulkLoop(report);
    assert.equal(bulk.code, 'DF001');
    assert.match(bulk.title, /^12 CustomerCreateNode in a loop: use one CustomerBulkCreateNode$/);
    assert.equal(bulk.before.statements, 12);
    assert.equal(bulk.after.statements, 1);
    assert.match(bulk.before.description, new RegExp(`^12 × CustomerCreateNode from the loop at line ${gatherLine}: 12 × the median of the 11 warm nodes`));
    assert.match(bulk.after.description, /1 × CustomerBulkCreateNode with the same 12 rows/);
    assert.ok(bulk.before.ms! > 0 && bulk.after.ms! > 0 && bulk.ratio! > 0);
    assert.equal(report.summary.nPlusOne, 1);
  });

  it('executes made directly in a generator expression: the same group and recommendation', async () => {
    const r = await run({ file, entry: 'gather_direct', profile: { whatIfRuns: 1 } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal((r.returned as number[]).length, 12);
    const line = lineOf('asyncio.gather(*(runtime.execute_workflow_async(build(item)');
    assert.deepEqual(r.report!.groups.nPlusOne.map((g) => [g.count, g.loop]), [[12, { kind: 'comprehension', line }]]);
    assert.equal(bulkLoop(r.report!).before.statements, 12);
  });

  it('a coroutine awaited inside the loop that made it keeps that one loop (not counted twice)', async () => {
    const r = await run({ file, entry: 'awaited_in_loop', profile: { whatIfRuns: 1 } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const line = lineOf('for item in items_named("l", n):');
    assert.deepEqual(r.report!.runs.map((x) => x.nodes[0].loops), [0, 1, 2, 3, 4, 5].map((i) => [{ kind: 'for', line, iteration: i }]));
    assert.deepEqual(r.report!.groups.nPlusOne.map((g) => [g.count, g.loop]), [[6, { kind: 'for', line }]]);
  });

  it('three coroutines written out, outside any loop: no loop, no N+1 group', async () => {
    const r = await run({ file, entry: 'gather_three', profile: { whatIfRuns: 1 } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(r.returned, [1, 2, 3]);
    assert.ok(r.report!.runs.every((x) => x.nodes[0].loops === undefined), JSON.stringify(r.report!.runs.map((x) => x.nodes[0].loops)));
    assert.equal(r.report!.groups.nPlusOne.length, 0);
    assert.equal(r.report!.recommendations.filter((x) => x.rule === 'bulk-loop').length, 0);
  });

  it('kailash-dataflow\'s concurrent-upserts shape (a node id per item, its own runtime each): one group, an upsert → bulk upsert recommendation', async () => {
    const r = await run({ file, entry: 'gather_upserts', profile: { whatIfRuns: 1 } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const line = lineOf('asyncio.gather(*[upsert_counter(i) for i in range(n)])');
    assert.deepEqual(r.report!.groups.nPlusOne.map((g) => [g.count, g.loop, g.nodeIds.length]), [[10, { kind: 'comprehension', line }, 10]]);
    const bulk = bulkLoop(r.report!);
    assert.equal(bulk.title, '10 CounterUpsertNode in a loop: use one CounterBulkUpsertNode');
    assert.equal(bulk.before.statements, 10);
    assert.match(bulk.after.description, /CounterBulkUpsertNode with the same 10 rows/);
  });
});
