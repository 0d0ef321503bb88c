import * as assert from 'node:assert/strict';
import { onEachBackend } from './backends';

onEachBackend('query cache, express, transactions', (h) => {
  it('a hit returns the same object stamped in place; writes invalidate generated keys', async () => {
    const { rt } = h();
    const ctx = rt.newExecution();
    await rt.runNode(ctx, 'ProductCreateNode', { name: 'A', price: 1 });
    const first = await rt.runNode(ctx, 'ProductListNode', {});
    const second = await rt.runNode(ctx, 'ProductListNode', {});
    assert.equal(first, second);
    assert.equal((first._cache as Record<string, unknown>).hit, true);
    await rt.runNode(ctx, 'ProductCreateNode', { name: 'B', price: 1 });
    const third = await rt.runNode(ctx, 'ProductListNode', {});
    assert.equal(third.count, 2);
    assert.equal((third._cache as Record<string, unknown>).hit, false);
  });

  it('a custom cache_key serves stale rows after a write', async () => {
    const { rt } = h();
    const ctx = rt.newExecution();
    await rt.runNode(ctx, 'ProductCreateNode', { name: 'A', price: 1 });
    assert.equal((await rt.runNode(ctx, 'ProductListNode', { cache_key: 'mykey' })).count, 1);
    await rt.runNode(ctx, 'ProductCreateNode', { name: 'B', price: 1 });
    const stale = await rt.runNode(ctx, 'ProductListNode', { cache_key: 'mykey' });
    assert.equal(stale.count, 1);
    assert.equal((await rt.runNode(ctx, 'ProductCountNode', {})).count, 2);
  });

  it('express: limit 100, $like allowed, separate cache stale after a workflow write, bulk_upsert updates', async () => {
    const { rt } = h();
    const ex = rt.express();
    await rt.seedRows(['Product'], 120, { allowDatabase: h().db.description });
    assert.equal((await ex.list('Product')).length, 100);
    assert.equal((await ex.list('Product', { name: { $like: 'name_11%' } })).length, 11);
    assert.equal(await ex.count('Product'), 120);
    await rt.runNode(rt.newExecution(), 'ProductCreateNode', { name: 'W', price: 1 });
    assert.equal(await ex.count('Product'), 120); // stale: only express writes invalidate it
    await ex.create('Product', { name: 'E', price: 1 });
    assert.equal(await ex.count('Product'), 122);
    await ex.create('Customer', { email: 'a@x', name: 'A', score: 1 });
    const r = await ex.bulk_upsert('Customer', [{ email: 'a@x', name: 'A', score: 5 }], ['email']);
    assert.equal(r.updated, 1);
    assert.equal((await ex.find_one('Customer', { email: 'a@x' }))?.score, 5);
    assert.equal(await ex.bulk_delete('Product', [1, 2]), true);
    assert.equal((await ex.read('Product', 1)), null);
  });

  it('schema cache metrics have DataFlow keys', () => {
    const m = h().rt.getSchemaCacheMetrics();
    assert.deepEqual(Object.keys(m), ['enabled', 'cache_size', 'max_size', 'hits', 'misses', 'hit_rate_percent', 'evictions', 'failures', 'ttl_seconds']);
  });

  it('TransactionScope: nodes join it; rollback discards, commit keeps', async () => {
    const { rt } = h();
    const ctx = rt.newExecution();
    await rt.runNode(ctx, 'TransactionScopeNode', {});
    await rt.runNode(ctx, 'ProductCreateNode', { name: 'A', price: 1 });
    await rt.runNode(ctx, 'ProductBulkCreateNode', { data: [{ name: 'b', price: 1 }, { name: 'c', price: 1 }], batch_size: 1 });
    assert.equal((await rt.runNode(ctx, 'ProductCountNode', {})).count, 3);
    assert.equal((await rt.runNode(ctx, 'TransactionRollbackNode', {})).status, 'rolled_back');
    assert.equal((await rt.runNode(ctx, 'ProductCountNode', {})).count, 0);
    await rt.runNode(ctx, 'TransactionScopeNode', {});
    await rt.runNode(ctx, 'ProductCreateNode', { name: 'A', price: 1 });
    assert.equal((await rt.runNode(ctx, 'TransactionCommitNode', {})).status, 'committed');
    assert.equal((await rt.runNode(ctx, 'ProductCountNode', {})).count, 1);
  });
});
