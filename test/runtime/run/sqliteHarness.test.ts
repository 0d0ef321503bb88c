// A unit-test harness in the style of kailash-py's (its own aiosqlite connection next to a
// DataFlow(":memory:")): the harness's SQL runs on a real SQLite (foreign keys, a join, an
// IntegrityError) while the workflow runs on the run's database, and a teardown's probe of
// db._connection_manager finds no cleanup(), as in DataFlow 2.20. Compared with what the real
// DataFlow 2.20 / aiosqlite 0.22.1 returned for the same functions (sqlite_harness.oracle.json,
// record.py: the fixture keeps its ":memory:" URLs).
import * as assert from 'node:assert/strict';
import type { Database } from '../../../server/src/runtime/db/types';
import { filesOnEachBackend } from '../backends';
import { dataflowApiFixtures } from './dataflowApiFixtures';

const { recording, returned } = dataflowApiFixtures('sqlite-harness-');

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

  it('db._connection_manager is DataFlow\'s ConnectionManager, without cleanup()', async () => {
    const { value } = await returned(db, 'sqlite_harness', 'connection_manager_probe');
    assert.deepEqual(value, recording('sqlite_harness', 'connection_manager_probe').return);
  });
});
