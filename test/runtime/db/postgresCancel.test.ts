// A statement cancelled on PostgreSQL (the run's time limit, a cancelled run): the cancel is sent
// from another connection and may land after its statement ended. It must never cancel a later
// statement that gets the same connection from the pool.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TEST_DATABASE_URL } from '../backends';
import { PostgresDatabase } from '../../../server/src/runtime/db/postgresDatabase';

describe('PostgreSQL: a late cancel', function () {
  this.timeout(60000);
  let db: PostgresDatabase | undefined;
  const schema = `df_test_${randomBytes(4).toString('hex')}`;
  before(async function () {
    try {
      // One connection: every statement gets the one the cancelled statement ran on, if it is kept.
      db = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema, poolMax: 1, connectTimeoutMs: 3000 });
    } catch (e) {
      if (process.env.DATAFLOW_REQUIRE_POSTGRES === '1') throw e;
      console.log(`      skipped: ${(e as Error).message}`);
      this.skip();
    }
  });
  after(async () => {
    if (!db) return;
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.close();
  });

  it('a statement that ended before its cancel landed leaves the next statements alone', async () => {
    for (let round = 0; round < 12; round++) {
      const controller = new AbortController();
      // Aborted once it is sent (the statement hook runs when it ends, so an abort from the first
      // statement of the round lands while it runs): SELECT 1 ends in well under a millisecond,
      // while the cancel needs a connection of its own first, so it arrives after the statement ended.
      const quick = db!.query('SELECT 1 AS one', [], { signal: controller.signal });
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (let hop = 0; hop < round % 4; hop++) await Promise.resolve();
      if (!controller.signal.aborted) controller.abort();
      await quick.catch(() => undefined); // cancelled or done, either is right
      // The next statements run while a late cancel would land (they wait the cancel out, or get a
      // new connection): none of them is cancelled.
      const slept = await db!.query('SELECT pg_sleep(0.05) AS slept, pg_backend_pid() AS pid');
      assert.equal(slept.rowCount, 1);
      const r = await db!.query('SELECT 2 AS two');
      assert.equal(r.rows[0].two, 2);
    }
  });
});
