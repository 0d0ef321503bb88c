import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { onEachBackend, TEST_DATABASE_URL } from './backends';

onEachBackend('fault injection', (h) => {
  it('connection killed mid bulk create: clear error and an exact account of committed batches', async function () {
    const { rt, db } = h();
    if (db.embedded) this.skip();
    let inserts = 0;
    const off = db.onStatement(
      async (e) => {
        if (!e.sql.startsWith('INSERT') || e.error) return;
        inserts++;
        if (inserts === 2) {
          const killer = new Client({ connectionString: TEST_DATABASE_URL });
          await killer.connect();
          await killer.query('SELECT pg_terminate_backend($1)', [e.connectionId]);
          await killer.end();
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      { awaitResult: true },
    );
    const ctx = rt.newExecution();
    const data = Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, price: i }));
    const out = await rt.runNode(ctx, 'ProductBulkCreateNode', { data, batch_size: 2 });
    off();
    assert.equal(out.success, false);
    assert.match(String(out.error), /terminat|Connection|not queryable/i);
    const acct = ctx.bulkAccounts[0];
    assert.deepEqual(acct.batches.map((b) => b.status), ['committed', 'committed', 'failed', 'not-run', 'not-run']);
    assert.equal(acct.committedRows, 4);
    assert.equal(out.processed, 4);
    const n = Number((await db.query('SELECT COUNT(*) AS c FROM "products"')).rows[0].c);
    assert.equal(n, 4);
  });
});
