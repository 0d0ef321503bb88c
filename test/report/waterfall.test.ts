import * as assert from 'node:assert/strict';
import { assignLanes, opClass, renderWaterfall, WATERFALL } from '../../server/src/report/html/waterfall';
import type { NodeProfile, PerformanceReport } from '../../server/src/report/reportTypes';

function node(id: string, startMs: number, ms: number, extra: Partial<NodeProfile> = {}): NodeProfile {
  return { id, type: 'ProductCreateNode', operation: 'create', run: 0, startMs, ms, sqlMs: 0, statements: 0, rows: 0, cache: { hits: 0, misses: 0 }, poolWaitMs: 0, statementIds: [], ...extra };
}
type Run = PerformanceReport['runs'][number];
const bar = (svg: string, id: string) => {
  const g = svg.slice(svg.indexOf(`data-node="${id}"`));
  const m = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"/.exec(g)!;
  return { x: Number(m[1]), y: Number(m[2]), width: Number(m[3]) };
};

describe('report HTML: waterfall', () => {
  const { padX, width } = WATERFALL;
  const track = width - 2 * padX;
  const run: Run = { index: 0, startMs: 100, ms: 200, nodes: [
    node('a', 100, 100),
    node('b', 200, 50, { operation: 'read', type: 'CustomerReadNode' }),
    node('c', 210, 90, { operation: 'list', failed: true, error: 'boom' }), // parallel with b
    node('d', 250, 50, { operation: 'bulk_create', loops: [{ kind: 'for', line: 3, iteration: 0 }] }),
  ] };
  const wf = renderWaterfall(run);

  it('positions bars proportionally to startMs and ms', () => {
    assert.deepEqual(bar(wf.svg, 'a'), { x: padX, y: bar(wf.svg, 'a').y, width: track / 2 });
    assert.equal(bar(wf.svg, 'b').x, padX + track / 2);
    assert.equal(bar(wf.svg, 'b').width, track / 4);
    assert.ok(Math.abs(bar(wf.svg, 'c').x - (padX + track * 0.55)) < 0.01);
    assert.ok(Math.abs(bar(wf.svg, 'd').x - (padX + track * 0.75)) < 0.01);
  });

  it('puts parallel nodes on separate lanes, sequential ones on the same lane', () => {
    assert.deepEqual(assignLanes(run.nodes), [0, 0, 1, 0]);
    assert.equal(wf.lanes, 2);
    assert.equal(bar(wf.svg, 'a').y, bar(wf.svg, 'b').y);
    assert.ok(bar(wf.svg, 'c').y > bar(wf.svg, 'b').y);
    assert.deepEqual(assignLanes([node('x', 0, 10), node('y', 0, 10), node('z', 0, 10), node('w', 10, 5)]), [0, 1, 2, 0]);
  });

  it('nodes run one at a time stay on one lane when rounding to 0.001 ms makes one end after the next starts', () => {
    // 1.2345 + 0.5665 = 1.801: the next node starts there; rounded, the first seems to end at 1.802.
    assert.deepEqual(assignLanes([node('a', 1.235, 0.567), node('b', 1.801, 0.5), node('c', 2.301, 0.25)]), [0, 0, 0]);
    // a real overlap is still drawn as one
    assert.deepEqual(assignLanes([node('a', 1, 1), node('b', 1.9, 1)]), [0, 1]);
    const seq = renderWaterfall({ index: 1, startMs: 1, ms: 2, nodes: [node('a', 1.235, 0.567), node('b', 1.801, 0.5)] });
    assert.equal(seq.lanes, 1);
  });

  it('says "1 statement, 1 row" in a bar\'s tooltip, plural only for other counts', () => {
    const one = renderWaterfall({ index: 1, startMs: 0, ms: 10, nodes: [node('a', 0, 4, { statements: 1, rows: 1 }), node('b', 4, 4, { statements: 2, rows: 0 })] });
    assert.match(one.svg, /1 statement, 1 row\n/);
    assert.match(one.svg, /2 statements, 0 rows\n/);
    assert.doesNotMatch(one.svg, /\(s\)/);
  });

  it('colours by operation and marks failed nodes', () => {
    assert.match(wf.svg, /<g class="bar op-create" data-node="a">/);
    assert.match(wf.svg, /<g class="bar op-read" data-node="b">/);
    assert.match(wf.svg, /<g class="bar op-list failed" data-node="c">/);
    assert.match(wf.svg, /<g class="bar op-create" data-node="d">/);
    assert.match(wf.svg, /FAILED: boom/);
    assert.equal(opClass(undefined, 'OrderBulkUpsertNode'), 'upsert');
    assert.equal(opClass('"><script>', undefined), 'other');
  });

  it('draws loop spans and an axis', () => {
    assert.match(wf.svg, /for loop, line 3: 1 node run</);
    assert.doesNotMatch(wf.svg, /1 node runs/);
    assert.match(wf.svg, /<text x="8\.0" y="14" text-anchor="start">0 ms<\/text>/);
  });
});
