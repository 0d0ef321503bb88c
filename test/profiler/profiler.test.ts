import * as assert from 'node:assert/strict';
import { onEachBackend, type BackendHandle } from '../runtime/backends';
import { NodeRegistry, RunRecorder, WorkflowBuilder, WorkflowCancelledError, executeWorkflow, type SourceLocation } from '../../server/src/runtime/workflow';
import { Profiler, type ProfilerInit } from '../../server/src/profiler';
import { existingIndexes, worthAnIndex } from '../../server/src/profiler/whatIf/missingIndex';
import { simulateLevel } from '../../server/src/profiler/whatIf/pool';
import { parseSqlComment, PROFILER_TAG } from '../../server/src/runtime/db/sqlComment';
import type { StatementEvent } from '../../server/src/runtime/db/types';
import type { DfRecord } from '../../server/src/runtime/dataflow/values/dfValues';
import { assignLanes } from '../../server/src/report/html/waterfall';
import { renderReportHtml } from '../../server/src/report/html/renderReportHtml';

/** What the evaluator passes: the add_node call site, inside a loop when given. */
const at = (line: number, loop?: { line: number; iteration: number }): SourceLocation => ({
  file: 'app.py',
  line,
  column: 4,
  function: 'main',
  ...(loop ? { loops: [{ kind: 'for' as const, line: loop.line, iteration: loop.iteration }] } : {}),
});

onEachBackend('profiler core', (h) => {
  const builder = (): WorkflowBuilder => new WorkflowBuilder(new NodeRegistry(h().rt), { seed: 'profiler' });
  const count = async (table: string, { db }: BackendHandle = h()): Promise<number> => Number((await db.query(`SELECT COUNT(*) AS c FROM "${table}"`)).rows[0].c);
  const seed = (n: number, model = 'Product') => h().rt.seedRows([model], n, { allowDatabase: h().db.description });
  let profiler: Profiler | undefined;
  const start = (o: Partial<ProfilerInit> = {}): Profiler => (profiler = new Profiler({ runtimes: [h().rt], whatIfRuns: 1, ...o }).start());
  afterEach(() => profiler?.stop());

  it('counts, groups (similar / duplicate) and finds the N+1 of a loop of 20 ReadNodes; the profiler’s own statements are excluded', async () => {
    await seed(30);
    const p = start();
    const seen: StatementEvent[] = [];
    const off = h().db.onStatement((e) => void seen.push(e));
    const wf = builder();
    for (let i = 0; i < 20; i++) wf.addNode('ProductReadNode', `read_${i}`, { id: i + 1 }, at(11, { line: 10, iteration: i }));
    wf.addNode('ProductReadNode', 'again_a', { id: 1 }, at(30));
    wf.addNode('ProductReadNode', 'again_b', { id: 1 }, at(31));
    wf.addNode('ProductListNode', 'list', { filter: { price: { $gt: 3 } }, limit: 5 }, at(40));
    const recorder = new RunRecorder();
    const built = wf.build('wf-reads');
    const r = await p.execute(h().rt, built, { recorder, location: at(50) });
    off();
    const nodeStatements = r.nodes.reduce((s, n) => s + n.statements, 0);
    const report = await p.buildReport({ source: { file: 'app.py' }, recorder });

    // counts: exactly the run's statements, though EXPLAIN / catalog / what-if statements ran meanwhile
    assert.equal(report.summary.statements, nodeStatements);
    assert.equal(report.summary.statements, 23);
    assert.equal(report.statements.length, 23);
    assert.ok(p.collector.excluded > 0, 'the profiler sent statements of its own');
    assert.ok(report.plans.length >= 2);
    assert.equal(report.summary.runs, 1);
    assert.equal(report.summary.nodes, 23);
    assert.equal(report.runs[0].workflowId, 'wf-reads');

    // similar: the 22 reads; duplicate: the three reads of id 1
    const readFp = report.statements.find((s) => s.nodeId === 'read_0')!.fingerprint;
    const similar = report.groups.similar.find((g) => g.fingerprint === readFp)!;
    assert.equal(similar.count, 22);
    const dup = report.groups.duplicate.find((g) => g.fingerprint === readFp)!;
    assert.equal(dup.count, 3);
    assert.deepEqual([...dup.nodeIds].sort(), ['again_a', 'again_b', 'read_0']);
    assert.equal(report.groups.duplicate.length, 1);

    // N+1: 20 similar statements from the loop at line 10 (the two reads outside it are not part of it)
    assert.equal(report.groups.nPlusOne.length, 1);
    const n1 = report.groups.nPlusOne[0];
    assert.equal(n1.count, 20);
    assert.deepEqual(n1.loop, { kind: 'for', line: 10 });
    assert.equal(n1.location?.line, 10);
    assert.equal(n1.nodeIds.length, 20);
    assert.equal(report.summary.nPlusOne, 1);

    // statement ↔ node ↔ group ↔ plan links
    const s0 = report.statements.find((s) => s.nodeId === 'read_0')!;
    assert.equal(s0.similarGroup, similar.id);
    assert.equal(s0.duplicateGroup, dup.id);
    assert.equal(s0.location?.line, 11);
    assert.equal(s0.location?.column, 5);
    assert.ok(s0.planId !== undefined);
    const plan = report.plans.find((x) => x.id === s0.planId)!;
    assert.match(plan.root.nodeType, /Index Scan|Bitmap|Seq Scan/);
    assert.equal(plan.root.children.length >= 0, true);
    const node0 = report.runs[0].nodes.find((n) => n.id === 'read_0')!;
    assert.deepEqual(node0.statementIds, [s0.id]);
    assert.equal(node0.model, 'Product');
    assert.equal(node0.operation, 'read');
    assert.deepEqual(node0.loops, [{ kind: 'for', line: 10, iteration: 0 }]);
    assert.equal(report.summary.cache.queryMisses, 1);
    assert.equal(report.tables.products, 30);

    // sqlcommenter, by default on a PostgreSQL server only: the statements as sent carried the attribution
    const readEvent = seen.find((e) => e.tag === 'read_3')!;
    if (h().db.embedded) assert.equal(readEvent.comment, undefined, 'nothing reads comments on the embedded database');
    else assert.deepEqual(parseSqlComment(`x ${readEvent.comment}`), { df_file: 'app.py:11', df_node: 'read_3', df_node_type: 'ProductReadNode', df_workflow: 'wf-reads' });
    assert.ok(!readEvent.sql.includes('/*'), 'the event sql is the statement without the comment');
    assert.ok(seen.filter((e) => e.tag === PROFILER_TAG).every((e) => e.comment === "/*df_tag='dataflow%3Aprofiler'*/" || e.comment === undefined));
    JSON.parse(JSON.stringify(report)); // a JSON document
  });

  it('the comment reaches the server (current_query() sees it); nothing is added once the profiler stops', async () => {
    const node = { id: 'create_1', type: 'ProductCreateNode', location: { file: '/home/u/jobs.py', line: 12 } };
    const currentQuery = async (): Promise<string> => (await h().db.query('SELECT current_query() AS q', [], { tag: 'create_1' })).rows[0].q as string;
    const commented = /\/\*df_file='jobs\.py%3A12',df_node='create_1',df_node_type='ProductCreateNode',df_workflow='wf-1'\*\/$/;
    // the default: on a PostgreSQL server, not on the embedded database
    const byDefault = start();
    byDefault.tracker.startRun({ workflowId: 'wf-1' });
    byDefault.tracker.nodeStart(byDefault.tracker.currentRun!, node);
    if (h().db.embedded) assert.equal(await currentQuery(), 'SELECT current_query() AS q');
    else assert.match(await currentQuery(), commented);
    byDefault.stop();
    // asked for, on either
    const p = start({ sqlComments: true });
    p.tracker.startRun({ workflowId: 'wf-1' });
    p.tracker.nodeStart(p.tracker.currentRun!, node);
    assert.match(await currentQuery(), commented);
    p.stop();
    const q2 = (await h().db.query('SELECT current_query() AS q', [], { tag: 'create_1' })).rows[0].q as string;
    assert.equal(q2, 'SELECT current_query() AS q');
    // and BEGIN / COMMIT are never commented
    p.start();
    const events: StatementEvent[] = [];
    const off = h().db.onStatement((e) => void events.push(e));
    const tx = await h().db.begin({ tag: 'create_1' });
    await tx.query('SELECT 1', [], { tag: 'create_1' });
    await tx.commit();
    off();
    assert.deepEqual(events.map((e) => e.comment !== undefined), [false, true, false]);
  });

  it('missing index: Seq Scan → Index Scan on 10,000 rows, measured, recommended; the index is gone afterwards', async () => {
    await seed(10_000);
    const p = start({ allowIndexWhatIfOnUserDb: true, whatIfRuns: 2 });
    const wf = builder();
    wf.addNode('ProductListNode', 'by_name', { filter: { name: 'name_5000' } }, at(20));
    const r = await p.execute(h().rt, wf.build());
    assert.equal(((r.results.by_name as DfRecord).records as DfRecord[]).length, 1);
    const report = await p.buildReport({ source: { file: 'app.py' } });
    const rec = report.recommendations.find((x) => x.rule === 'missing-index')!;
    assert.ok(rec, JSON.stringify(report.recommendations));
    assert.equal(rec.verdict, 'recommended', rec.detail);
    assert.equal(rec.code, 'DF003');
    assert.equal(rec.title, 'Index products (name)');
    assert.deepEqual(rec.nodeIds, ['by_name']);
    assert.equal(rec.line, 20);
    assert.match(rec.before.plan!, /^Seq Scan on products$/);
    assert.match(rec.after.plan!, /(Index|Bitmap Heap) Scan.*on products|using df_whatif_products_name/);
    assert.ok(rec.before.cost! >= 100);
    assert.ok(rec.after.cost! <= rec.before.cost! / 2);
    assert.ok(rec.before.ms !== undefined && rec.after.ms !== undefined);
    // both sides timed: the one ratio is the time's (its label says 'faster' or 'slower'), not the cost's
    assert.ok(Math.abs(rec.ratio! - rec.before.ms! / rec.after.ms!) <= 0.01 * rec.ratio! + 0.01, `${rec.ratio} vs ${rec.before.ms} / ${rec.after.ms}`);
    const after = await existingIndexes(h().db, 'products');
    assert.ok(!after.some((i) => i.name.startsWith('df_whatif')), 'the what-if index was rolled back');
    assert.equal(report.summary.statements, 1);
    // The overhead card is the profiler's cost inside the run; the what-if ran after it and is apart.
    assert.ok(report.summary.profilerMs <= report.summary.totalMs, `${report.summary.profilerMs} > ${report.summary.totalMs}`);
    assert.ok(report.summary.analysisMs! >= rec.after.ms!, `analysis ${report.summary.analysisMs} ms < the what-if's own ${rec.after.ms} ms`);
  });

  it('missing index on a user database without hypopg and without permission: unverified, nothing created', async function () {
    if (h().db.embedded) this.skip();
    await seed(10_000);
    const p = start();
    const wf = builder();
    wf.addNode('ProductListNode', 'by_name', { filter: { name: 'name_5000' } }, at(20));
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' } });
    const rec = report.recommendations.find((x) => x.rule === 'missing-index')!;
    // hypopg, when installed, measures it; otherwise the what-if refuses to touch the user's table
    assert.ok(rec.verdict === 'unverified' || rec.after.description.includes('hypopg'), rec.detail);
  });

  it('"not worth an index at this size" on a tiny table; no candidate when an index covers the filter', async () => {
    await seed(5);
    await seed(5, 'Customer');
    const p = start({ allowIndexWhatIfOnUserDb: true });
    const wf = builder();
    wf.addNode('ProductListNode', 'tiny', { filter: { category: 'category_3' } }, at(5));
    wf.addNode('CustomerListNode', 'covered', { filter: { email: 'email_3' } }, at(6));
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' } });
    const recs = report.recommendations.filter((x) => x.rule === 'missing-index');
    assert.equal(recs.length, 1, JSON.stringify(recs));
    assert.equal(recs[0].verdict, 'not-worth-it');
    assert.match(recs[0].detail, /not worth an index at this size/);
    assert.ok(recs[0].before.cost! < 100);
  });

  it('loop of 10 CreateNodes vs one BulkCreate: both measured, ratio reported, the table left as the run left it', async () => {
    const p = start({ whatIfRuns: 2 });
    const wf = builder();
    for (let i = 0; i < 10; i++) wf.addNode('ProductCreateNode', `create_${i}`, { name: `p${i}`, price: i }, at(41, { line: 40, iteration: i }));
    for (let i = 0; i < 6; i++) wf.addNode('ProductReadNode', `read_${i}`, { id: i + 1 }, at(46, { line: 45, iteration: i }));
    for (let i = 0; i < 6; i++) wf.addConnection(`create_${i}`, 'id', `read_${i}`, 'id');
    await p.execute(h().rt, wf.build());
    const before = (await h().db.query('SELECT id, name, price FROM "products" ORDER BY id', [], { tag: 'seed' })).rows;
    const report = await p.buildReport({ source: { file: 'app.py' } });
    const bulk = report.recommendations.find((x) => x.rule === 'bulk-loop')!;
    assert.ok(bulk, JSON.stringify(report.recommendations));
    assert.equal(bulk.code, 'DF001');
    assert.equal(bulk.nodeIds.length, 10);
    assert.equal(bulk.before.statements, 10);
    assert.equal(bulk.after.statements, 1);
    assert.ok(bulk.before.ms! > 0 && bulk.after.ms! > 0);
    assert.ok(bulk.ratio! > 0);
    assert.ok(['recommended', 'not-worth-it'].includes(bulk.verdict));
    assert.match(bulk.after.description, /BulkCreateNode with the same 10 rows/);
    const read = report.recommendations.find((x) => x.rule === 'read-in-loop')!;
    assert.equal(read.before.statements, 6);
    assert.equal(read.after.statements, 1);
    assert.match(read.after.description, /ProductListNode/);
    // the database is as the run left it
    assert.deepEqual((await h().db.query('SELECT id, name, price FROM "products" ORDER BY id')).rows, before);
    assert.equal(await count('products'), 10);
    if (h().db.embedded) {
      // the id sequence too
      const wf2 = builder();
      wf2.addNode('ProductCreateNode', 'next', { name: 'next', price: 1 });
      p.stop();
      const r2 = await executeWorkflow(h().rt, wf2.build());
      assert.equal((r2.results.next as DfRecord).id, 11);
    }
    // the what-if's statements are not counted
    assert.equal(report.summary.statements, 16);
  });

  it('loop vs bulk compares like with like: the loop as n × its warm median (the cold first node and spikes left out), one labelled ratio, the spread, "1 statement"', async () => {
    const p = start({ whatIfRuns: 3 });
    const wf = builder();
    for (let i = 0; i < 12; i++) wf.addNode('ProductCreateNode', `c_${i}`, { name: `p${i}`, price: i }, at(41, { line: 40, iteration: i }));
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' } });
    const bulk = report.recommendations.find((x) => x.rule === 'bulk-loop')!;
    assert.ok(bulk, JSON.stringify(report.recommendations));
    const nodes = report.runs[0].nodes.filter((n) => n.id.startsWith('c_'));
    assert.equal(nodes.length, 12);
    // before: 12 × the median of the 11 warm nodes (every node but the first), not their sum
    const warm = nodes.slice(1).map((n) => n.ms).sort((a, b) => a - b);
    const warmMedian = warm[5];
    assert.ok(Math.abs(bulk.before.ms! - 12 * warmMedian) <= 12 * 0.001 + 1e-9, `${bulk.before.ms} vs 12 × ${warmMedian}`);
    assert.match(bulk.before.description, /^12 × ProductCreateNode from the loop at line 40: 12 × the median of the 11 warm nodes, [\d.]+ ms \(as run: [\d.,]+ ms in all, the first node [\d.]+ ms cold\)$/);
    assert.match(bulk.after.description, /median of 3 warm runs after an untimed one/);
    // one ratio per card: the recommendation's ratio is before / after, and the detail repeats no other
    assert.ok(Math.abs(bulk.ratio! - bulk.before.ms! / bulk.after.ms!) < 0.01 * bulk.ratio! + 0.01);
    assert.doesNotMatch(bulk.detail, /\d\s*×/);
    // plural agreement: 12 statements as a loop, 1 statement as one bulk node
    assert.equal(bulk.after.statements, 1);
    assert.match(bulk.detail, /and 12 statements as a loop → [\d.]+ ms and 1 statement as one bulk node\./);
    assert.doesNotMatch(bulk.detail, /\b1 statements\b/);
    // the spread of both sides
    assert.match(bulk.detail, /Spread: the loop's warm nodes took [\d.]+ ms–[\d.]+ ms each \(middle half of 11\), the bulk node [\d.]+ ms–[\d.]+ ms \(3 runs\)\./);
  });

  it('a LocalRuntime run\'s nodes run one at a time and its timeline says so: no node starts before the previous one ended, one lane, no "in parallel"', async () => {
    const p = start({ whatIfs: { missingIndex: false, loopVsBulk: false, pool: true } });
    const wf = builder();
    // Short nodes: with starts truncated to the millisecond, some of these overlapped their successor.
    for (let i = 0; i < 40; i++) wf.addNode('ProductCreateNode', `c_${i}`, { name: `p${i}`, price: i }, at(8, { line: 7, iteration: i }));
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' } });
    const nodes = report.runs[0].nodes;
    assert.equal(nodes.length, 40);
    for (let i = 1; i < nodes.length; i++) {
      assert.ok(nodes[i].startMs >= nodes[i - 1].startMs + nodes[i - 1].ms - 0.002, `${nodes[i - 1].id} ends at ${nodes[i - 1].startMs + nodes[i - 1].ms}, ${nodes[i].id} starts at ${nodes[i].startMs}`);
    }
    assert.deepEqual(new Set(assignLanes(nodes)), new Set([0]));
    const html = renderReportHtml(report, { nonce: 'bm9uY2Vub25jZW5vbmNl', mode: 'standalone' });
    assert.doesNotMatch(html, /in parallel/);
    assert.match(html, /40 nodes/);
    const pool = report.recommendations.find((r) => r.rule === 'small-pool');
    if (pool) assert.doesNotMatch(pool.detail, /in parallel/);
  });

  it('pool: a sequential run has peak demand 1; a small configured pool is "not-worth-it", honestly', async () => {
    const p = start({ poolLocation: { file: 'app.py', line: 3 } });
    const wf = builder();
    for (let i = 0; i < 3; i++) wf.addNode('ProductCreateNode', `c${i}`, { name: `p${i}`, price: i });
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' }, collectedOnly: true });
    assert.equal(report.summary.pool.peakConnections, 1);
    assert.equal(report.summary.pool.size, h().db.embedded ? 1 : 1);
    assert.ok(report.summary.pool.waitMs >= 0);
    assert.equal(report.plans.length, 0, 'collectedOnly: no database work');
  });

  it('pool: AsyncLocalRuntime\'s level of 12 concurrent nodes is replayed and measured on PostgreSQL (current vs recommended pool), simulated on the embedded database', async () => {
    const p = start({ poolLocation: { file: 'app.py', line: 3 }, whatIfRuns: 1, explain: false, whatIfs: { missingIndex: false, loopVsBulk: false, pool: true } });
    const wf = builder();
    for (let i = 0; i < 12; i++) wf.addNode('ProductCreateNode', `c${String(i).padStart(2, '0')}`, { name: `p${i}`, price: i }, at(20 + i));
    const r = await p.execute(h().rt, wf.build(), { runtime: 'AsyncLocalRuntime' });
    // the nodes overlapped: ten started before the first one ended (max_concurrent_nodes=10)
    const firstEnd = Math.min(...r.nodes.map((n) => n.startedAt + n.ms));
    assert.ok(r.nodes.filter((n) => n.startedAt <= firstEnd).length >= 2);
    assert.ok(r.nodes.every((n) => n.level === 0 && n.waitMs !== undefined));
    const report = await p.buildReport({ source: { file: 'app.py' } });
    assert.equal(report.summary.statements, 12, 'the replay is not counted');
    assert.equal(await count('products'), 12, 'the replayed inserts were rolled back');
    const rec = report.recommendations.find((x) => x.rule === 'small-pool');
    assert.ok(rec, JSON.stringify(report.recommendations));
    assert.equal(rec.line, 3);
    assert.equal(rec.nodeIds.length, 12);
    assert.match(rec.before.description, /1 AsyncLocalRuntime level\(s\) of 12 concurrent nodes \(max_concurrent_nodes 10\)/);
    if (h().db.embedded) {
      assert.equal(rec.verdict, 'unverified');
      assert.match(rec.detail, /^Simulated, not measured: the embedded database has one connection/);
      assert.match(rec.after.description, /^pool 20 \+ 30 \(50 connections\), simulated: /);
    } else {
      // the test pool is 1 + 0: twelve nodes queue for its one connection, measured
      assert.match(rec.before.description, /^pool 1 \(1 \+ 0\), measured: /);
      assert.match(rec.after.description, /^pool 20 \+ 30 \(50\), measured: /);
      assert.ok(rec.before.ms! > 0, rec.before.description);
      assert.equal(rec.before.statements, 12);
      assert.equal(rec.after.statements, 12);
      assert.match(rec.detail, /^Measured on PostgreSQL/);
      assert.ok(['recommended', 'not-worth-it'].includes(rec.verdict));
    }
  });

  it('pool: the simulation of a level (FIFO connections, nodes admitted by max_concurrent_nodes)', () => {
    const four = [10, 10, 10, 10].map((ms) => ({ ms, waitMs: 0 }));
    assert.deepEqual(simulateLevel(four, 1, 10), { waitMs: 60, wallMs: 40 });
    assert.deepEqual(simulateLevel(four, 2, 10), { waitMs: 20, wallMs: 20 });
    // two slots of the semaphore: the others wait for a slot, not for a connection
    assert.deepEqual(simulateLevel(four, 4, 2), { waitMs: 0, wallMs: 20 });
    // a node's measured wait is not part of its time on a connection
    assert.deepEqual(simulateLevel([{ ms: 15, waitMs: 5 }, { ms: 10, waitMs: 0 }], 1, 10), { waitMs: 10, wallMs: 20 });
  });

  it('keeps the first N statements; the summary and groups count all', async () => {
    const p = start({ maxStatements: 15, explain: false, whatIfs: { missingIndex: false, loopVsBulk: false, pool: false } });
    const wf = builder();
    for (let i = 0; i < 40; i++) wf.addNode('ProductCreateNode', `c${i}`, { name: `p${i}`, price: i }, at(8, { line: 7, iteration: i }));
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' } });
    assert.equal(report.summary.statements, 40);
    assert.equal(report.statements.length, 15);
    assert.equal(report.statementsOmitted, 25);
    assert.equal(report.groups.similar[0].count, 40);
    assert.equal(report.groups.similar[0].statementIds.length, 15);
    assert.equal(report.groups.nPlusOne[0].count, 40);
    assert.equal(report.runs[0].nodes.length, 40);
    assert.equal(report.runs[0].nodes[39].statements, 1);
  });

  it('slow statements: slow_query_threshold in seconds (or slowQueryMs, the lower wins)', async () => {
    const p = start({ slowQueryThreshold: 10, slowQueryMs: 0, explain: false });
    const wf = builder();
    wf.addNode('ProductCreateNode', 'c', { name: 'a', price: 1 });
    await p.execute(h().rt, wf.build());
    const report = await p.buildReport({ source: { file: 'app.py' }, collectedOnly: true });
    assert.equal(report.summary.slowStatements, 1);
    assert.equal(report.statements[0].slow, true);
  });

  it('EXPLAIN ANALYZE of data-changing statements runs in a rolled-back transaction', async () => {
    await seed(20);
    const p = start({ explain: 'analyze', whatIfs: { missingIndex: false, loopVsBulk: false, pool: false } });
    const wf = builder();
    wf.addNode('ProductUpdateNode', 'u', { filter: { id: 3 }, fields: { price: 99 } }, at(1));
    wf.addNode('ProductDeleteNode', 'd', { id: 4 }, at(2));
    wf.addNode('ProductCreateNode', 'c', { name: 'z', price: 1 }, at(3));
    await p.execute(h().rt, wf.build());
    const snapshot = (await h().db.query('SELECT id, price FROM "products" ORDER BY id')).rows;
    const report = await p.buildReport({ source: { file: 'app.py' } });
    assert.ok(report.plans.length >= 3, JSON.stringify(report.plans.map((x) => x.sql)));
    assert.ok(report.plans.every((x) => x.analyzed));
    assert.ok(report.plans.every((x) => x.root.costliest === true || JSON.stringify(x.root).includes('"costliest":true')));
    assert.deepEqual((await h().db.query('SELECT id, price FROM "products" ORDER BY id')).rows, snapshot);
  });

  it('cancellation: an AbortSignal stops a loop of many nodes with a clear cancelled error', async () => {
    const p = start();
    const ac = new AbortController();
    const wf = builder();
    for (let i = 0; i < 300; i++) wf.addNode('ProductCreateNode', `c${String(i).padStart(3, '0')}`, { name: `p${i}`, price: i }, at(9, { line: 8, iteration: i }));
    let ended = 0;
    const recorder = new RunRecorder();
    await assert.rejects(
      p.execute(h().rt, wf.build(), {
        signal: ac.signal,
        recorder,
        onNodeEnd: () => {
          if (++ended === 30) ac.abort();
        },
      }),
      (e: unknown) => e instanceof WorkflowCancelledError && /cancelled/.test(e.message),
    );
    const report = await p.buildReport({ source: { file: 'app.py' }, recorder, collectedOnly: true });
    assert.equal(report.runs[0].error?.type, 'WorkflowCancelledError');
    assert.equal(report.summary.statements, 30);
    assert.equal(await count('products'), 30);
    assert.equal(recorder.toJSON().runs[0].error?.type, 'WorkflowCancelledError');
    // the analysis is cancellable too
    const dead = new AbortController();
    dead.abort();
    await assert.rejects(p.buildReport({ source: { file: 'app.py' }, signal: dead.signal }), /cancelled/);
  });

  it('cancellation of a slow statement (pg_sleep) through the signal', async function () {
    if (h().db.embedded) this.skip(); // PGlite cannot interrupt a running statement (only the next one)
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 150);
    await assert.rejects(h().db.query('SELECT pg_sleep(10)', [], { signal: ac.signal }), /cancel/i);
    assert.ok(Date.now() - t0 < 5000);
  });
});

describe('missing-index verdict', () => {
  it('an index is worth it when it halves the cost, or halves the measured time while saving a quarter of the cost', () => {
    assert.equal(worthAnIndex(50, 50, undefined, undefined), true);
    assert.equal(worthAnIndex(48.7, 50, undefined, undefined), false, 'not measured: the cost decides');
    assert.equal(worthAnIndex(48.7, 50, 3.19, 0.68), true, '20,000 rows, 5 % selected: 4.7x faster');
    assert.equal(worthAnIndex(46, 50, 0.587, 1.651), false, 'slower with the index on 5,000 rows');
    assert.equal(worthAnIndex(20, 50, 10, 1), false, 'a fast statement whose cost barely moves');
    assert.equal(worthAnIndex(30, 50, 2, 1), true);
    assert.equal(worthAnIndex(30, 50, 1.9, 1), false);
  });
});
