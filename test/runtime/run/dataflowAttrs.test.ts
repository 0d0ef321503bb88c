// DataFlow attributes real tests touch: db.config (URL, pool and cache settings), db._nodes,
// db.get_type_processor() (TypeAwareFieldProcessor), await db.cleanup_test_tables(),
// db.discover_schema() / register_schema_as_models() in a running event loop, and a
// Kailash-only workflow run before any DataFlow(...) exists. Fixtures of our own
// (test/fixtures/dataflow-api) run through the real evaluator on PGlite and PostgreSQL and are
// compared with what the real DataFlow 2.20 / kailash returned for the same functions
// (*.oracle.json: record.py for the ones without a database, oracle.sh for cleanup_tables,
// kailash_only and schema_discovery, whose URLs oracle.sh points at its PostgreSQL database).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runFile } from '../../../server/src/run/runFile';
import type { Database } from '../../../server/src/runtime/db/types';
import { filesOnEachBackend } from '../backends';
import { dataflowApiFixtures } from './dataflowApiFixtures';

const { dir, recording, returned, run } = dataflowApiFixtures('dataflow-attrs-');

filesOnEachBackend('DataFlow attributes real tests touch', (_run, database) => {
  let db: Database;
  beforeEach(() => { db = database(); });

  it('db.config: database_url, pools, cache and tenancy settings, .database and .security, as DataFlow derives them from its arguments', async () => {
    const { value } = await returned(db, 'config_attrs', 'configs');
    assert.deepEqual(value, recording('config_attrs', 'configs').return);
  });

  it('db.config.pool_size is None until a pool exists: comparing it raises DataFlow\'s TypeError (exit 1)', async () => {
    const real = recording('config_attrs', 'pool_size_compared').raised!;
    const r = await run(db, 'config_attrs', 'pool_size_compared');
    assert.equal(r.exitCode, 1, JSON.stringify(r.error));
    assert.equal(r.error!.type, real.type);
    assert.equal(r.error!.message, real.message);
  });

  it('db.config of DataFlow() without a URL comes from the environment: not modelled (exit 2 at file:line:col)', async () => {
    assert.ok(recording('config_attrs', 'config_without_url').return !== undefined, 'the real DataFlow answers it');
    const r = await run(db, 'config_attrs', 'config_without_url');
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /`DataFlow\(\)\.config\.database_url`.*from the environment/);
    assert.match(r.error!.message, /config_attrs\.py:\d+:\d+/);
  });

  it('db._nodes: the specialized nodes, then each model\'s generated nodes, the same classes get_node returns', async () => {
    const { value } = await returned(db, 'nodes_attrs', 'nodes');
    assert.deepEqual(value, recording('nodes_attrs', 'nodes').return);
  });

  it('db.get_type_processor(): validate_field / process_record / process_records accept, convert and refuse as TypeAwareFieldProcessor does', async () => {
    const { value } = await returned(db, 'type_processor', 'checks');
    assert.deepEqual(value, recording('type_processor', 'checks').return);
  });

  it('db.get_type_processor(): a str converted to uuid.UUID is not modelled (exit 2), though DataFlow converts it', async () => {
    assert.ok(recording('type_processor', 'uuid_conversion').return !== undefined, 'the real DataFlow converts it');
    const r = await run(db, 'type_processor', 'uuid_conversion');
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /validate_field\('code', \.\.\.\)/);
    assert.match(r.error!.message, /type_processor\.py:\d+:\d+/);
  });

  it('await db.cleanup_test_tables() drops the tables named like DataFlow\'s test patterns and keeps the others; not awaited, nothing runs', async () => {
    const destructive = !db.embedded;
    const drops: string[] = [];
    const off = db.onStatement((e) => { if (/^DROP TABLE/.test(e.sql)) drops.push(e.sql); });
    let value: unknown;
    try {
      ({ value } = await returned(db, 'cleanup_tables', 'cleanup', destructive));
    } finally {
      off();
    }
    assert.deepEqual(value, recording('cleanup_tables', 'cleanup').return);
    // DataFlow's statements, pattern by pattern: test_% finds test_widgets, article% finds articles.
    assert.deepEqual(drops, ['DROP TABLE IF EXISTS "test_widgets" CASCADE', 'DROP TABLE IF EXISTS "articles" CASCADE']);
    await db.resetSchema();
    const notAwaited = await returned(db, 'cleanup_tables', 'cleanup_not_awaited', destructive);
    assert.deepEqual(notAwaited.value, recording('cleanup_tables', 'cleanup_not_awaited').return);
  });

  it('await db.cleanup_test_tables() on a database that is not the embedded one needs destructive statements allowed (exit 2 otherwise)', async function () {
    if (db.embedded) this.skip();
    const driver = path.join(dir, 'drive_cleanup_guarded.py');
    fs.writeFileSync(driver, 'import asyncio\nfrom cleanup_tables import cleanup\n\n\ndef main():\n    return asyncio.run(cleanup())\n');
    const r = await runFile({ file: driver, entry: 'main', db, root: dir });
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /cleanup_test_tables\(\).*allow destructive statements/);
    const left = await db.query('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [db.schema]);
    assert.deepEqual(left.rows.map((x) => x.tablename), ['articles', 'keepers', 'test_widgets']);
  });

  it('db.discover_schema() / register_schema_as_models() inside a running event loop raise DataFlow\'s RuntimeError; outside one they are not modelled (exit 2)', async () => {
    for (const func of ['in_loop', 'nested']) {
      const { value } = await returned(db, 'schema_discovery', func);
      assert.deepEqual(value, recording('schema_discovery', func).return, func);
    }
    const r = await run(db, 'schema_discovery', 'outside_loop');
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /`db\.discover_schema\(\)`.*information_schema/);
    assert.match(r.error!.message, /schema_discovery\.py:\d+:\d+/);
  });

  it('a Kailash-only workflow (AsyncSQLDatabaseNode, no DataFlow instance) runs on the run\'s database with kailash\'s results', async () => {
    const { value, result } = await returned(db, 'kailash_only', 'direct_sql');
    assert.deepEqual(value, recording('kailash_only', 'direct_sql').return);
    assert.equal(result.runs.length, 1);
    assert.ok(result.notes.some((n) => /A workflow ran before any DataFlow\(\.\.\.\) was created/.test(n)));
  });
});
