import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PerformanceReport } from '../../server/src/report/reportTypes';
import { assertValidReport, loadReportSchema, validateReport } from '../../server/src/report/validateReport';
import { FULL_REPORT } from './fullReport';
import { clone, FIXTURE_NAMES, loadFixture, ROOT } from './helpers';

function firstError(doc: unknown, strict = true) {
  const res = validateReport(doc, { strict });
  assert.equal(res.valid, false, 'expected the report to be invalid');
  return res.errors;
}

describe('report schema', () => {
  it('has the sample reports', () => assert.ok(FIXTURE_NAMES.length >= 3, FIXTURE_NAMES.join(', ')));

  for (const name of FIXTURE_NAMES) {
    it(`accepts ${name} (strict, with references)`, () => {
      const res = validateReport(loadFixture(name));
      assert.deepEqual(res.errors, []);
      assert.equal(res.valid, true);
    });
  }

  it('accepts a typed report that sets every optional field (keeps reportTypes.ts and the schema in sync)', () => {
    assert.deepEqual(validateReport(FULL_REPORT).errors, []);
  });

  it('node ids are unique within their run: a second run of the same workflow reuses them; a repeat inside one run is refused', () => {
    const r = clone(FULL_REPORT) as PerformanceReport;
    const first = r.runs[0]!;
    const again = { ...clone(first), index: first.index + 1 };
    again.nodes = again.nodes.map((n) => ({ ...n, run: again.index, statementIds: [] }));
    r.runs.push(again);
    assert.deepEqual(validateReport(r).errors, []);
    again.nodes.push({ ...again.nodes[0]! });
    assert.deepEqual(firstError(r).map((e) => e.message), [`duplicate node id "${again.nodes[0]!.id}" in run ${again.index}`]);
  });

  it('rejects a field the schema does not describe, with its path', () => {
    const r = clone(loadFixture('missing-index')) as PerformanceReport & { statements: Array<Record<string, unknown>> };
    r.statements[2]!.params = ['x'];
    const errs = firstError(r);
    assert.deepEqual(errs.map((e) => [e.path, e.keyword]), [['/statements/2/params', 'additionalProperties']]);
    assert.match(errs[0]!.message, /not described by the schema: "params"/);
  });

  it('rejects undescribed fields deep in plans and measurements', () => {
    const r = clone(loadFixture('missing-index')) as unknown as { plans: Array<{ root: { children: Array<{ children: Array<Record<string, unknown>> }> } }>; recommendations: Array<{ after: Record<string, unknown> }> };
    r.plans[0]!.root.children[0]!.children[0]!.width = 64;
    r.recommendations[0]!.after.rows = 3;
    const paths = firstError(r).map((e) => e.path).sort();
    assert.deepEqual(paths, ['/plans/0/root/children/0/children/0/width', '/recommendations/0/after/rows']);
  });

  it('reports wrong values with useful paths and messages', () => {
    const r = clone(loadFixture('loop-and-n-plus-one'));
    (r.recommendations[1] as { verdict: string }).verdict = 'maybe';
    r.recommendations[0]!.line = 0;
    r.runs[0]!.nodes[3]!.ms = -1;
    delete (r.summary.cache as Partial<typeof r.summary.cache>).queryHitRate;
    const errs = firstError(r);
    const byPath = new Map(errs.map((e) => [e.path, e]));
    assert.match(byPath.get('/recommendations/1/verdict')!.message, /one of \["recommended","not-worth-it","unverified"\]/);
    assert.equal(byPath.get('/recommendations/0/line')!.keyword, 'minimum');
    assert.equal(byPath.get('/runs/0/nodes/3/ms')!.keyword, 'minimum');
    assert.match(byPath.get('/summary/cache')!.message, /required field "queryHitRate"/);
  });

  it('rejects another schema or version up front', () => {
    assert.deepEqual(firstError({ ...loadFixture('missing-index'), version: 2 }).map((e) => e.path), ['/version']);
    assert.match(firstError({ ...loadFixture('missing-index'), version: 2 })[0]!.message, /version 2 is not supported/);
    assert.deepEqual(firstError({ schema: 'something-else' }).map((e) => e.path), ['/schema']);
    assert.deepEqual(firstError([]).map((e) => e.path), ['']);
  });

  it('finds dangling references', () => {
    const r = clone(loadFixture('missing-index'));
    r.statements[0]!.planId = 99;
    r.statements[1]!.nodeId = 'nope';
    r.recommendations[0]!.nodeIds.push('ghost');
    const errs = firstError(r);
    assert.deepEqual(errs.map((e) => [e.path, e.keyword]), [['/statements/0/planId', 'reference'], ['/statements/1/nodeId', 'reference'], ['/recommendations/0/nodeIds/2', 'reference']]);
  });

  it('lets readers ignore unknown fields (lenient mode) but still checks types', () => {
    const r = clone(loadFixture('missing-index')) as unknown as Record<string, unknown> & { summary: Record<string, unknown> };
    r.futureSection = { anything: true };
    r.summary.newCounter = 3;
    assert.equal(validateReport(r, { strict: false }).valid, true);
    r.summary.totalMs = 'slow';
    assert.deepEqual(firstError(r, false).map((e) => e.path), ['/summary/totalMs']);
  });

  it('assertValidReport throws with the paths', () => {
    const r = clone(loadFixture('missing-index'));
    (r.database as { kind: string }).kind = 'mysql';
    assert.throws(() => assertValidReport(r), /\/database\/kind: must be one of/);
  });

  it('closes every object in the schema and documents every field in docs/report-schema.md', () => {
    const schema = loadReportSchema();
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'report-schema.md'), 'utf8');
    const open: string[] = []; const undocumented: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties && n.additionalProperties !== false) open.push(where);
      if (n.properties) for (const key of Object.keys(n.properties as object)) if (!docs.includes(`\`${key}\``)) undocumented.push(`${where}/${key}`);
      for (const [k, v] of Object.entries(n)) if (typeof v === 'object') walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    assert.deepEqual(open, [], 'objects with properties must set additionalProperties: false');
    assert.deepEqual(undocumented, [], 'fields missing from docs/report-schema.md');
  });
});
