import * as assert from 'node:assert/strict';
import { onEachBackend } from './backends';
import { isContentAwareFailure } from '../../server/src/runtime/dataflow/errors';

onEachBackend('generated nodes', (h) => {
  const run = async (type: string, config: Record<string, unknown>, id = 'n') => {
    const { rt } = h();
    const ctx = rt.newExecution();
    return { out: await rt.runNode(ctx, type, config as never, {}, id), ctx };
  };
  const count = async (table: string) => Number((await h().db.query(`SELECT COUNT(*) AS c FROM "${table}"`)).rows[0].c);

  it('CreateNode: {**inputs, **row}, float4 rounding, defaults merged, no timestamps', async () => {
    const { out } = await run('ProductCreateNode', { name: 'A', price: 3.3, tags: ['x'] });
    // A List field comes back as its JSON text, as asyncpg hands it to DataFlow (recorded: test/conformance/cases/field_types).
    assert.deepEqual(out, { name: 'A', price: 3.299999952316284, tags: '["x"]', category: 'misc', id: 1, note: null });
    assert.equal(await count('products'), 1);
  });

  it('CreateNode: a data wrapper and a missing required field return success False', async () => {
    const r1 = (await run('ProductCreateNode', { data: { name: 'A', price: 1 } })).out;
    assert.equal(r1.success, false);
    assert.ok(isContentAwareFailure(r1));
    const r2 = (await run('ProductCreateNode', { name: 'A' })).out;
    assert.equal(r2.success, false);
    assert.match(String(r2.error), /price/);
  });

  it('CreateNode: the sanitiser rewrites stored strings on the workflow path only', async () => {
    const { out, ctx } = await run('ProductCreateNode', { name: 'x; drop table y', price: 1 });
    assert.equal(out.name, 'x; STATEMENT_BLOCKED table y');
    assert.ok(ctx.quirks.some((q) => q.code === 'input-sanitiser-rewrote-values'));
    const ex = await h().rt.express().create('Product', { name: 'select * from t', price: 1 });
    assert.equal(ex.name, 'select * from t');
  });

  it('ReadNode: by id, found shape, filter fails, raise_on_not_found', async () => {
    await run('ProductCreateNode', { name: 'A', price: 1.5 });
    const { out } = await run('ProductReadNode', { id: 1 });
    assert.equal(out.found, true);
    assert.deepEqual(Object.keys(out), ['id', 'name', 'price', 'category', 'tags', 'note', 'created_at', 'updated_at', 'found']);
    assert.match(String(out.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    await assert.rejects(run('ProductReadNode', { filter: { id: 1 } }), /requires 'id' or 'record_id'/);
    await assert.rejects(run('ProductReadNode', { id: 99 }), /not found/);
    assert.deepEqual((await run('ProductReadNode', { id: 99, raise_on_not_found: false })).out, { id: 99, found: false });
    assert.equal((await run('ProductReadNode', { conditions: { id: '1' }, id: 7 })).out.id, 1);
  });

  it('UpdateNode: by id, echo keys, not found, filter-only fails', async () => {
    await run('ProductCreateNode', { name: 'A', price: 1 });
    const { out } = await run('ProductUpdateNode', { filter: { id: 1, name: 'zzz' }, fields: { price: 2.5 } });
    assert.equal(out.updated, true);
    assert.equal(out.price, 2.5);
    assert.deepEqual(out.filter, { id: 1, name: 'zzz' });
    assert.deepEqual(out.conditions, {});
    assert.deepEqual(out.updates, {});
    assert.deepEqual((await run('ProductUpdateNode', { filter: { id: 5 }, fields: { price: 1 } })).out, { id: 5, updated: false });
    await assert.rejects(run('ProductUpdateNode', { filter: { name: 'A' }, fields: { price: 1 } }), /requires 'id'/);
    const legacy = (await run('ProductUpdateNode', { id: 1, name: 'B' })).out;
    assert.equal(legacy.name, 'B');
    assert.equal(legacy.price, 2.5);
  });

  it('DeleteNode: by id, deleted flag, no id raises', async () => {
    await run('ProductCreateNode', { name: 'A', price: 1 });
    assert.deepEqual((await run('ProductDeleteNode', { id: 1 })).out, { id: 1, deleted: true });
    assert.deepEqual((await run('ProductDeleteNode', { id: 1 })).out, { id: 1, deleted: false });
    await assert.rejects(run('ProductDeleteNode', {}), /Refusing to proceed/);
  });

  it('ListNode: id DESC default, limit 10, count is the page length, _cache marker', async () => {
    const { rt } = h();
    await rt.seedRows(['Product'], 15, { allowDatabase: h().db.description });
    const { out } = await run('ProductListNode', {});
    const recs = out.records as Record<string, unknown>[];
    assert.equal(recs.length, 10);
    assert.equal(out.count, 10);
    assert.equal(out.limit, 10);
    assert.equal(recs[0].id, 15);
    assert.deepEqual(Object.keys(out._cache as object), ['key', 'hit', 'source', 'timestamp']);
    assert.equal((out._cache as Record<string, unknown>).source, 'database');
    const off = (await run('ProductListNode', { enable_cache: false })).out;
    assert.equal('_cache' in off, false);
  });

  it('ListNode: $in [] fails with a PostgreSQL syntax error; $like rejected on the workflow path', async () => {
    await assert.rejects(run('ProductListNode', { filter: { id: { $in: [] } } }), /Database query failed: syntax error/);
    await assert.rejects(run('ProductListNode', { filter: { name: { $like: 'A%' } } }), /Unsafe filter operator '\$like' on Product.name in list operation/);
    await assert.rejects(run('ProductListNode', { filter: { name: { $contains: 'A' } } }), /Unsupported operator: \$contains/);
  });

  it('ListNode: a string order_by in config is split into characters and fails', async () => {
    const { rt } = h();
    const ctx = rt.newExecution();
    await assert.rejects(rt.runNode(ctx, 'ProductListNode', { order_by: '-price' }), /zero-length delimited identifier/);
    assert.ok(ctx.quirks.some((q) => q.code === 'order-by-string-split'));
    // at run time the same string is json.loads-ed → [] → default ordering
    const out = await rt.runNode(rt.newExecution(), 'ProductListNode', {}, { order_by: '-price' });
    assert.equal(out.count, 0);
  });

  it('ListNode filter operators and ordering', async () => {
    const { rt } = h();
    await rt.seedRows(['Product'], 6, { allowDatabase: h().db.description }); // prices 1.5 .. 6.5, names name_1..name_6
    const ids = async (config: Record<string, unknown>) =>
      ((await run('ProductListNode', { enable_cache: false, ...config })).out.records as Record<string, unknown>[]).map((r) => r.id);
    assert.deepEqual(await ids({ filter: { price: { $gte: 2, $lte: 4 } }, order_by: ['id'] }), [2, 3]);
    assert.deepEqual(await ids({ filter: { id: { $in: [1, 3] } }, order_by: [{ id: 1 }] }), [1, 3]);
    assert.deepEqual(await ids({ filter: { id: { $nin: [1, 2, 3] } }, order_by: ['-id'] }), [6, 5, 4]);
    assert.deepEqual(await ids({ filter: { id: { $ne: 1, $lt: 4 } }, order_by: ['id'] }), [2, 3]);
    assert.deepEqual(await ids({ filter: { name: { $regex: '^name_[12]$' } }, order_by: ['id'] }), [1, 2]);
    assert.deepEqual(await ids({ filter: { note: { $exists: false } }, sort: [{ field: 'price', order: 'desc' }], limit: 2 }), [6, 5]);
    assert.deepEqual(await ids({ filter: { note: { $null: false } } }), []);
    assert.deepEqual(await ids({ filter: { name: 'name_4' } }), [4]);
    assert.deepEqual(await ids({ order_by: [{ id: 'desc' }], limit: 2, offset: 1 }), [2, 3]);
  });

  it('CountNode', async () => {
    await h().rt.seedRows(['Product'], 4, { allowDatabase: h().db.description });
    assert.deepEqual((await run('ProductCountNode', { filter: { id: { $gt: 1 } } })).out, { count: 3 });
    assert.deepEqual((await run('ProductCountNode', {})).out, { count: 4 });
  });

  it('UpsertNode: created then updated; conflict target must be unique', async () => {
    const a = (await run('CustomerUpsertNode', { where: { email: 'a@x' }, create: { name: 'A' }, update: { name: 'A2' } })).out;
    assert.equal(a.created, true);
    assert.equal(a.action, 'created');
    assert.equal((a.record as Record<string, unknown>).name, 'A');
    const b = (await run('CustomerUpsertNode', { where: { email: 'a@x' }, create: { name: 'A' }, update: { name: 'A2' } })).out;
    assert.deepEqual([b.created, b.action, (b.record as Record<string, unknown>).name], [false, 'updated', 'A2']);
    const c = (await run('CustomerUpsertNode', { where: { email: 'a@x' }, create: { name: 'A' } })).out;
    assert.equal(c.action, 'updated');
    await assert.rejects(run('CustomerUpsertNode', { where: { name: 'A' }, create: { email: 'q' } }), /UpsertConflictTargetError/);
  });

  it('BulkCreateNode: first-record columns, one INSERT per batch', async () => {
    const { rt, db } = h();
    const sqls: string[] = [];
    const off = db.onStatement((e) => {
      if (e.sql.startsWith('INSERT')) sqls.push(e.sql);
    });
    const ctx = rt.newExecution();
    const out = await rt.runNode(ctx, 'ProductBulkCreateNode', {
      data: [{ name: 'a', price: 1 }, { name: 'b', price: 2, category: 'dropped' }, { name: 'c', price: 3 }],
      batch_size: 2,
    });
    off();
    assert.deepEqual(out, { processed: 3, inserted: 3, batch_size: 2, operation: 'bulk_create', success: true });
    assert.equal(sqls.length, 2);
    const cats = (await db.query('SELECT category FROM "products" ORDER BY id')).rows.map((r) => r.category);
    assert.deepEqual(cats, ['misc', 'misc', 'misc']);
    assert.ok(ctx.quirks.some((q) => q.code === 'bulk-create-first-record-columns'));
  });

  it('BulkCreateNode: records with their keys in another order, a key missing or an extra one bind by column name; each batch\'s text has its own int casts', async () => {
    const { rt, db } = h();
    const sent: { sql: string; params: readonly unknown[] }[] = [];
    const off = db.onStatement((e) => {
      if (e.sql.startsWith('INSERT')) sent.push({ sql: e.sql, params: e.params });
    });
    const ctx = rt.newExecution();
    const out = await rt.runNode(ctx, 'ProductBulkCreateNode', {
      data: [
        { name: 'a', price: 1, note: 'n1' },
        { note: 'n2', price: 2.5, name: 'b' },
        { name: 'c', price: 3.5 },
        { price: 4.5, name: 'd', note: 'n4', category: 'dropped' },
        { name: 'e', note: 'n5', price: 5.5 },
        { name: 'f', price: 6 },
        { name: 'g', price: 7.5, note: 'n7' },
      ],
      batch_size: 3,
    });
    off();
    assert.deepEqual(out, { processed: 7, inserted: 7, batch_size: 3, operation: 'bulk_create', success: true });
    assert.deepEqual(
      sent.map((s) => s.params),
      [
        ['a', 1, 'n1', 'b', 2.5, 'n2', 'c', 3.5, null],
        ['d', 4.5, 'n4', 'e', 5.5, 'n5', 'f', 6, null],
        ['g', 7.5, 'n7'],
      ],
    );
    // an int's placeholder carries kailash's ::integer cast, batch by batch
    assert.equal(sent[0].sql, 'INSERT INTO "products" ("name", "price", "note") VALUES ($1, $2::integer, $3), ($4, $5, $6), ($7, $8, $9)');
    assert.equal(sent[1].sql, 'INSERT INTO "products" ("name", "price", "note") VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8::integer, $9)');
    assert.equal(sent[2].sql, 'INSERT INTO "products" ("name", "price", "note") VALUES ($1, $2, $3)');
    const rows = (await db.query('SELECT name, price, note, category FROM "products" ORDER BY id')).rows;
    assert.deepEqual(
      rows.map((r) => [r.name, Number(r.price), r.note, r.category]),
      [
        ['a', 1, 'n1', 'misc'],
        ['b', 2.5, 'n2', 'misc'],
        ['c', 3.5, null, 'misc'],
        ['d', 4.5, 'n4', 'misc'],
        ['e', 5.5, 'n5', 'misc'],
        ['f', 6, null, 'misc'],
        ['g', 7.5, 'n7', 'misc'],
      ],
    );
    assert.ok(ctx.quirks.some((q) => q.code === 'bulk-create-first-record-columns' && q.message.endsWith('dropped: category')));
  });

  it('BulkCreateNode / BulkUpsertNode: a record that is not a dict fails the node before any statement', async () => {
    const c = (await run('ProductBulkCreateNode', { data: [{ name: 'a', price: 1 }, 'b', { name: 'c', price: 3 }] })).out;
    assert.deepEqual(c, { processed: 0, inserted: 0, batch_size: 1000, operation: 'bulk_create', success: false, error: 'bulk_create data must be a list of dicts' });
    const u = (await run('ProductBulkUpsertNode', { data: [{ id: 1, name: 'a', price: 1 }, [1]] })).out;
    assert.equal(u.success, false);
    assert.match(String(u.error), /bulk_upsert data must be a list of dicts/);
    assert.equal(await count('products'), 0);
  });

  it('BulkUpdateNode: filter mode one statement; data mode one per record; empty filter guard', async () => {
    const { rt } = h();
    await rt.seedRows(['Product'], 4, { allowDatabase: h().db.description });
    const f = (await run('ProductBulkUpdateNode', { filter: { id: { $in: [1, 2] } }, fields: { category: 'x' } })).out;
    assert.deepEqual(f, { processed: 2, updated: 2, batch_size: 1000, operation: 'bulk_update', success: true });
    const d = (await run('ProductBulkUpdateNode', { data: [{ id: 3, category: 'y' }, { category: 'no id' }, { id: 4, category: 'y' }] })).out;
    assert.equal(d.processed, 2);
    const e = (await run('ProductBulkUpdateNode', { fields: { category: 'z' } })).out;
    assert.equal(e.success, false);
    assert.match(String(e.error), /requires confirmed=True/);
    const cats = (await h().db.query('SELECT category FROM "products" ORDER BY id')).rows.map((r) => r.category);
    assert.deepEqual(cats, ['x', 'x', 'y', 'y']);
  });

  it('BulkUpdateNode data mode: each record its own columns, in its own key order; a record like the one before reuses its statement', async () => {
    const { rt, db } = h();
    await rt.seedRows(['Product'], 5, { allowDatabase: db.description });
    const sent: { sql: string; params: readonly unknown[] }[] = [];
    const off = db.onStatement((e) => {
      if (e.sql.startsWith('UPDATE')) sent.push({ sql: e.sql, params: e.params });
    });
    const out = (
      await run('ProductBulkUpdateNode', {
        data: [
          { id: 1, category: 'a', price: 1.5 },
          { id: 2, category: 'b', price: 2.5 },
          { price: 3.5, id: 3 },
          { category: 'd', id: 4, price: 4.5 },
          { id: 5, category: 'e', price: 5.5 },
          { id: 6 },
        ],
      })
    ).out;
    off();
    assert.deepEqual(out, { processed: 6, updated: 6, batch_size: 1000, operation: 'bulk_update', success: true });
    assert.deepEqual(
      sent.map((s) => [s.sql, s.params]),
      [
        ['UPDATE "products" SET "category" = $1, "price" = $2 WHERE "id" = $3::integer', ['a', 1.5, 1]],
        ['UPDATE "products" SET "category" = $1, "price" = $2 WHERE "id" = $3::integer', ['b', 2.5, 2]],
        ['UPDATE "products" SET "price" = $1 WHERE "id" = $2::integer', [3.5, 3]],
        ['UPDATE "products" SET "category" = $1, "price" = $2 WHERE "id" = $3::integer', ['d', 4.5, 4]],
        ['UPDATE "products" SET "category" = $1, "price" = $2 WHERE "id" = $3::integer', ['e', 5.5, 5]],
      ],
    );
    const rows = (await db.query('SELECT id, category, price FROM "products" ORDER BY id')).rows.map((r) => [Number(r.id), r.category, Number(r.price)]);
    assert.deepEqual(rows.map((r) => r.slice(1)), [['a', 1.5], ['b', 2.5], [rows[2][1], 3.5], ['d', 4.5], ['e', 5.5]]);
    // a str for the REAL column fails where asyncpg refuses it, at its own position
    const bad = (await run('ProductBulkUpdateNode', { data: [{ id: 1, price: 1 }, { id: 2, category: 'x', price: 'cheap' }] })).out;
    assert.equal(bad.success, false);
    assert.match(String(bad.error), /invalid input for query argument \$2: 'cheap'/);
  });

  it('BulkDeleteNode: COUNT then DELETE; empty filter needs confirmed; confirmed + data deletes everything', async () => {
    const { rt, db } = h();
    await rt.seedRows(['Product'], 5, { allowDatabase: h().db.description });
    const sqls: string[] = [];
    const off = db.onStatement((e) => {
      sqls.push(e.sql);
    });
    const a = (await run('ProductBulkDeleteNode', { filter: { id: { $in: [1, 2] } } })).out;
    off();
    assert.deepEqual(a, { processed: 2, deleted: 2, batch_size: 1000, operation: 'bulk_delete', success: true });
    assert.ok(sqls[sqls.length - 2].startsWith('SELECT COUNT(*)'));
    assert.ok(sqls[sqls.length - 1].startsWith('DELETE FROM'));
    const b = (await run('ProductBulkDeleteNode', { data: [{ id: 3 }] })).out;
    assert.equal(b.success, false);
    assert.match(String(b.error), /empty filter requires confirmed=True/);
    const ctx = rt.newExecution({ allowUnfilteredWritesOnExternal: true });
    const c = await rt.runNode(ctx, 'ProductBulkDeleteNode', { data: [{ id: 3 }], confirmed: true });
    assert.equal(c.deleted, 3);
    assert.equal(await count('products'), 0);
    assert.ok(ctx.quirks.some((q) => q.code === 'bulk-delete-data-ignored'));
  });

  it('BulkDeleteNode / BulkUpdate without a filter are blocked on a non-embedded database', async function () {
    const { rt, db } = h();
    if (db.embedded) this.skip();
    await rt.seedRows(['Product'], 2, { allowDatabase: db.description });
    await assert.rejects(rt.runNode(rt.newExecution(), 'ProductBulkDeleteNode', { confirmed: true }), /Blocked BulkDelete/);
    await assert.rejects(rt.runNode(rt.newExecution(), 'ProductBulkUpdateNode', { confirmed: true, fields: { name: 'q' } }), /Blocked BulkUpdate/);
    assert.equal(await count('products'), 2);
  });

  it('BulkUpsertNode: skips on conflict by default, updates with conflict_resolution="update"', async () => {
    await run('CustomerCreateNode', { email: 'a@x', name: 'A', score: 1 });
    const data = [{ email: 'a@x', name: 'A', score: 9 }, { email: 'b@x', name: 'B', score: 2 }];
    const s = (await run('CustomerBulkUpsertNode', { data, conflict_on: ['email'] })).out;
    assert.deepEqual(s, { processed: 2, upserted: 2, total: 2, batch_size: 1000, operation: 'bulk_upsert', success: true, inserted: 1, updated: 0, skipped: 1 });
    assert.equal((await h().db.query(`SELECT score FROM "customers" WHERE email = 'a@x'`)).rows[0].score, 1);
    const u = (await run('CustomerBulkUpsertNode', { data, conflict_on: ['email'], conflict_resolution: 'update' })).out;
    assert.deepEqual([u.inserted, u.updated, u.skipped], [0, 2, 0]);
    assert.equal((await h().db.query(`SELECT score FROM "customers" WHERE email = 'a@x'`)).rows[0].score, 9);
    const m = (await run('CustomerBulkUpsertNode', { data: [{ name: 'no email' }], conflict_on: ['email'] })).out;
    assert.match(String(m.error), /Record at index 0 is missing conflict-target column/);
  });

  it('soft delete: Delete tombstones, Read/List/Count hide it, include_deleted shows it', async () => {
    await run('NoteCreateNode', { title: 't1' });
    await run('NoteCreateNode', { title: 't2' });
    assert.deepEqual((await run('NoteDeleteNode', { id: 1 })).out, { id: 1, deleted: true });
    assert.equal(await count('notes'), 2);
    assert.equal((await run('NoteReadNode', { id: 1, raise_on_not_found: false })).out.found, false);
    assert.equal((await run('NoteReadNode', { id: 1, include_deleted: true })).out.found, true);
    assert.equal((await run('NoteListNode', { enable_cache: false })).out.count, 1);
    assert.deepEqual((await run('NoteCountNode', { include_deleted: true })).out, { count: 2 });
    const created = (await run('NoteCreateNode', { title: 't3' })).out;
    assert.equal(created.stamp, '2024-05-06T07:08:09.123456');
  });
});
