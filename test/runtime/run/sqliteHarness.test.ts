// A unit-test harness in the style of kailash-py's (its own aiosqlite connection next to a
// DataFlow(":memory:")): the harness's SQL runs on a real SQLite (foreign keys, a join, an
// IntegrityError) while the workflow runs on the run's database, and a teardown's probe of
// db._connection_manager finds no cleanup(), as in DataFlow 2.20; opening DataFlow's own SQLite file
// with sqlite3 is not modelled (DataFlow runs on the run's database here). Compared with what the real
// DataFlow 2.20 / aiosqlite 0.22.1 returned for the same functions (sqlite_harness.oracle.json,
// record.py: the fixture keeps its ":memory:" URLs).
import * as assert from 'node:assert/strict';
import type { Database } from '../../../server/src/runtime/db/types';
import { filesOnEachBackend } from '../backends';
import { dataflowApiFixtures } from './dataflowApiFixtures';

const { recording, returned, run } = dataflowApiFixtures('sqlite-harness-');

filesOnEachBackend('a harness\'s own aiosqlite connection next to DataFlow', (_run, database) => {
  let db: Database;
  beforeEach(() => { db = database(); });

  it('the harness\'s rows, constraint and join come from SQLite; the workflow\'s create and failed read from DataFlow', async () => {
    const { value, result } = await returned(db, 'sqlite_harness', 'harness_and_workflow');
    assert.deepEqual(value, recording('sqlite_harness', 'harness_and_workflow').return);
    // The harness's statements are not DataFlow's: only the workflow ran on the run's database.
    assert.equal(result.runs.length, 1);
    assert.ok(!JSON.stringify(result.runs).includes('shelf'), 'the harness tables stay in its own SQLite');
  });

  // The real DataFlow shares the file with sqlite3 (recorded); here DataFlow runs on the run's
  // database, so the file would hold another database: exit 2 in either order, never a false answer.
  it('sqlite3 on the file of a DataFlow("sqlite:///...") of the run is not modelled (exit 2), after DataFlow and before it', async () => {
    assert.deepEqual(recording('sqlite_harness', 'inspect_dataflow_file').return, { tables: ['shelves'], rows: [['B7']] });
    const after = await run(db, 'sqlite_harness', 'inspect_dataflow_file');
    assert.equal(after.exitCode, 2, JSON.stringify(after.error));
    assert.match(after.error!.message, /sqlite3\.connect\(\) on \/\S+shelves\.db, the SQLite file of DataFlow\("sqlite:\/\/\/\S+shelves\.db"\)/);
    assert.match(after.error!.message, /sqlite_harness\.py:\d+:\d+/);
    assert.deepEqual(recording('sqlite_harness', 'seed_file_then_dataflow').return, ['A1']);
    const before = await run(db, 'sqlite_harness', 'seed_file_then_dataflow');
    assert.equal(before.exitCode, 2, JSON.stringify(before.error));
    assert.match(before.error!.message, /DataFlow\("sqlite:\/\/\/\S+seeded\.db"\) on a SQLite file the run opened with sqlite3/);
  });

  it('db._connection_manager is DataFlow\'s ConnectionManager, without cleanup()', async () => {
    const { value } = await returned(db, 'sqlite_harness', 'connection_manager_probe');
    assert.deepEqual(value, recording('sqlite_harness', 'connection_manager_probe').return);
  });
});
