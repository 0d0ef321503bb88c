// Tests, fixtures and Class.method as entry points, run the way pytest would (fixtures from the
// file and its conftest.py files, yield teardown, autouse, marks), on the real evaluator and PGlite;
// and a file without an entry point saying that nothing was run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { runFile, type RunFileOptions, type RunFileResult } from '../../../server/src/run/runFile';
import { listEntryPoints } from '../../../server/src/runtime/python/evaluate';
import type { Database } from '../../../server/src/runtime/db/types';
import { sharedPglite } from '../backends';
import { REPO } from '../../helpers/analysis';

const PROJECT = path.join(REPO, 'test', 'fixtures', 'pytest-project');
const TESTS = path.join(PROJECT, 'tests', 'integration', 'test_customers.py');

describe('test entry points (pytest-style) [pglite]', function () {
  let db: Database;
  before(async function () {
    await initPython();
    const d = await sharedPglite();
    if (typeof d === 'string') throw new Error(d);
    db = d;
  });
  beforeEach(async () => {
    await db.resetSchema();
  });
  const run = (o: Omit<RunFileOptions, 'db'>): Promise<RunFileResult> => runFile({ ...o, db, clock: '2026-01-02T03:04:05', seed: 7 });

  it('a test gets its fixtures from the conftest.py files (dependencies, autouse, request) and yield fixtures are torn down after it, last first', async () => {
    const r = await run({ file: TESTS, entry: 'test_create_and_read' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.test, { kind: 'test', outcome: 'passed', reason: undefined, fixtures: ['record_test', 'database_url', 'db', 'runtime', 'customer_data'] });
    assert.deepEqual(r.log, ['start test_create_and_read', 'db: setup', 'runtime: teardown', 'db: teardown', 'end test_create_and_read']);
    assert.equal(r.runs.length, 2);
    assert.deepEqual(r.runs[0].results.create, { id: 1, name: 'Cy', email: 'cy@example.com', tier: 'silver' });
    assert.equal(r.tables.customers, 1);
  });

  it('an async test runs under the event loop with an async yield fixture from the nearer conftest.py', async () => {
    const r = await run({ file: TESTS, entry: 'test_list_seeded' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.test?.fixtures, ['record_test', 'database_url', 'db', 'seeded']);
    assert.equal(r.runs.length, 2, 'the fixture\'s workflow, then the test\'s');
    assert.equal((r.runs[1].results.list as { records: unknown[] }).records.length, 1);
  });

  it('parametrize runs the first parameter set (said in a note); --arg values replace it', async () => {
    const r = await run({ file: TESTS, entry: 'test_parametrized' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.ok(r.notes.some((n) => /parametrize: ran the first of 2 parameter set\(s\) \(name='Dee', tier_name='gold'\)/.test(n)), r.notes.join('\n'));
    assert.ok(r.log.includes('created Dee'));
    await db.resetSchema();
    const other = await run({ file: TESTS, entry: 'test_parametrized', args: { name: 'Eve', tier_name: 'basic' } });
    assert.equal(other.exitCode, 0, JSON.stringify(other.error));
    assert.ok(other.log.includes('created Eve'));
    assert.deepEqual(other.runs[0].results.c, { id: 1, name: 'Eve', email: 'eve@example.com', tier: 'basic' });
  });

  it('a parametrized fixture gets its first param as request.param (said in a note)', async () => {
    const r = await run({ file: TESTS, entry: 'test_fixture_params' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.ok(r.notes.some((n) => /fixture 'tier': request.param is the first of its 2 param/.test(n)));
  });

  it('pytest.raises (match=, excinfo) and pytest.approx pass; a block that does not raise fails like pytest (exit 1)', async () => {
    const ok = await run({ file: TESTS, entry: 'test_raises_and_approx' });
    assert.equal(ok.exitCode, 0, JSON.stringify(ok.error));
    const bad = await run({ file: TESTS, entry: 'test_raises_not_raised' });
    assert.equal(bad.exitCode, 1);
    assert.equal(bad.error?.type, 'Failed');
    assert.equal(bad.error?.message, 'DID NOT RAISE ValueError');
  });

  it('monkeypatch.setenv changes what os.getenv sees inside the evaluator, and is undone after the test', async () => {
    const r = await run({ file: TESTS, entry: 'test_monkeypatch_env', env: {} });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(process.env.SHOP_REGION, undefined, 'the real environment is never touched');
    const after = await run({ file: TESTS, entry: 'test_env_restored' });
    assert.equal(after.exitCode, 0, JSON.stringify(after.error));
  });

  it('skip, skipif (on an environment the conftest.py set before the module) and pytest.skip: exit 0, outcome skipped with the reason', async () => {
    for (const [entry, reason] of [['test_payment', 'needs a payment gateway'], ['test_only_outside_test_mode', 'test mode'], ['test_skips_itself', 'feature flag off']]) {
      const r = await run({ file: TESTS, entry });
      assert.equal(r.exitCode, 0, `${entry}: ${JSON.stringify(r.error)}`);
      assert.equal(r.test?.outcome, 'skipped', entry);
      assert.equal(r.test?.reason, reason);
      assert.ok(r.notes.includes(`skipped: ${reason}`));
      assert.equal(r.runs.length, 0);
    }
  });

  it('pytest.importorskip returns a module the evaluator knows; for one it does not, the run is unsupported (exit 2), not a skip', async () => {
    const known = await run({ file: TESTS, entry: 'test_importorskip_known' });
    assert.equal(known.exitCode, 0, JSON.stringify(known.error));
    const unknown = await run({ file: TESTS, entry: 'test_importorskip_unknown' });
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.error?.type, 'UnsupportedPythonError');
    assert.match(unknown.error!.message, /pytest\.importorskip\('aiomysql'\).*whether pytest would run or skip this test cannot be told/);
    assert.equal(unknown.error?.line, 97);
  });

  it('a fixture no file defines (a plugin\'s) is unsupported (exit 2) and named; pytest.fail is a failure (exit 1) after the teardown ran', async () => {
    const plugin = await run({ file: TESTS, entry: 'test_needs_plugin_fixture' });
    assert.equal(plugin.exitCode, 2);
    assert.match(plugin.error!.message, /fixture 'benchmark' \(needed by test_needs_plugin_fixture\)/);
    const failed = await run({ file: TESTS, entry: 'test_fails' });
    assert.equal(failed.exitCode, 1);
    assert.equal(failed.error?.type, 'Failed');
    assert.equal(failed.error?.message, 'the gateway answered 500');
    assert.deepEqual(failed.log, ['start test_fails', 'db: setup', 'db: teardown', 'end test_fails']);
  });

  it('tmp_path is a pathlib.Path to a fresh folder the test may write to (inside the run\'s scratch folder)', async () => {
    const r = await run({ file: TESTS, entry: 'test_export_to_tmp_path' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.test?.outcome, 'passed');
    assert.ok(r.log.includes('PosixPath export.csv 1,Cy True') || r.log.includes('Path export.csv 1,Cy True'), r.log.join('\n'));
  });

  it('TestX.test_y: the class is instantiated, setup_method runs, a class fixture gets self; async methods too', async () => {
    const r = await run({ file: TESTS, entry: 'TestCustomerService.test_bulk' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.test?.fixtures, ['record_test', 'database_url', 'db', 'runtime', 'service_name']);
    assert.equal((r.runs[0].results.bulk as { inserted: number }).inserted, 3);
    const a = await run({ file: TESTS, entry: 'TestCustomerService.test_async_count' });
    assert.equal(a.exitCode, 0, JSON.stringify(a.error));
  });

  it('Service.method: a no-argument constructor, then the method with its default arguments', async () => {
    const r = await run({ file: TESTS, entry: 'CustomerReport.run' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.test?.kind, 'method');
    assert.deepEqual(r.log, ['customers 0']);
    assert.equal(r.runs.length, 1);
  });

  it('a fixture (here one of a conftest.py) is an entry point of its own: its dependencies set up, its teardown run', async () => {
    const r = await run({ file: TESTS, entry: 'seeded' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.test?.kind, 'fixture');
    assert.deepEqual(r.test?.fixtures, ['database_url', 'db', 'seeded']);
    assert.deepEqual(r.log, ['db: setup', 'db: teardown']);
    assert.equal(r.tables.customers, 2);
  });

  it('a file with no __main__ block and no entry named: nothing was run (exit 2), with its entry points listed', async () => {
    const r = await run({ file: path.join(PROJECT, 'tests', 'integration', 'models_only.py') });
    assert.equal(r.exitCode, 2);
    assert.equal(r.nothingRun, true);
    assert.deepEqual(r.entryPoints, ['load', 'Loader.run']);
    assert.equal(r.error?.type, 'EntryPointError');
    assert.match(r.error!.message, /nothing was run: models_only\.py has no `if __name__ == "__main__":` block .*entry points: load, Loader\.run/);
  });

  describe('with a conftest.py the evaluator cannot finish', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pytestep-conftest-'));
    fs.writeFileSync(path.join(dir, 'setup.py'), '');
    fs.writeFileSync(
      path.join(dir, 'conftest.py'),
      ['import pytest', 'import aiomysql.cursors', '', '@pytest.fixture', 'def early():', '    return 1', '', 'aiomysql.cursors.patched = True', '', '@pytest.fixture', 'def late():', '    return 2', ''].join('\n'),
    );
    const file = path.join(dir, 'test_x.py');
    fs.writeFileSync(file, ['def test_early(early):', '    assert early == 1', '', 'def test_late(late):', '    assert late == 2', '', 'class Needs:', '    def __init__(self, url):', '        self.url = url', '    def go(self):', '        return 1', ''].join('\n'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a test using fixtures defined before the failing line runs, and a note says what could not be evaluated', async () => {
      const r = await run({ file, entry: 'test_early' });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      assert.ok(r.notes.some((n) => /conftest\.py could not be evaluated to its end .*aiomysql/.test(n)), r.notes.join('\n'));
    });

    it('a test needing a fixture defined after it is unsupported (exit 2), pointing at the conftest.py line', async () => {
      const r = await run({ file, entry: 'test_late' });
      assert.equal(r.exitCode, 2);
      assert.match(r.error!.message, /fixture 'late' \(needed by test_late\).*conftest\.py could not be evaluated to its end/);
      assert.equal(r.error?.file, path.join(dir, 'conftest.py'));
      assert.equal(r.error?.line, 8);
    });

    it('Class.method on a class whose constructor needs arguments is a usage error (exit 2)', async () => {
      const r = await run({ file, entry: 'Needs.go' });
      assert.equal(r.exitCode, 2);
      assert.equal(r.error?.type, 'EntryPointError');
      assert.match(r.error!.message, /Needs\(\) needs constructor arguments/);
    });
  });
});

describe('listEntryPoints: Class.method entry points', () => {
  it('lists the public methods of top-level classes, not fixtures, properties or dunders', async () => {
    const eps = await listEntryPoints(fs.readFileSync(TESTS, 'utf8'));
    assert.deepEqual(
      eps.methods.map((m) => `${m.className}.${m.name}`),
      ['TestCustomerService.setup_method', 'TestCustomerService.teardown_method', 'TestCustomerService.test_bulk', 'TestCustomerService.test_async_count', 'CustomerReport.build', 'CustomerReport.run'],
    );
    assert.equal(eps.methods.find((m) => m.name === 'test_async_count')?.isAsync, true);
  });
});
