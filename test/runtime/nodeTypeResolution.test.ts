// The runtime resolves node type names with the catalogue's readings (server/src/catalogue/nodes.ts
// nodeTypeReadings): the longest operation whose model is registered wins.
import * as assert from 'node:assert/strict';
import { onEachBackend } from './backends';

onEachBackend('node type resolution', (h) => {
  it('ProductBulkCreateNode is ProductBulk + Create when there is no Product model', async () => {
    const { rt, db } = h();
    const t = rt.resolveNodeType('ProductBulkCreateNode');
    assert.ok(t.kind === 'model');
    assert.deepEqual([t.model.name, t.op], ['ProductBulk', 'Create']);
    const out = await rt.runNode(rt.newExecution(), 'ProductBulkCreateNode', { name: 'a' });
    assert.deepEqual(out, { name: 'a', id: 1 });
    assert.equal(Number((await db.query('SELECT COUNT(*) AS c FROM "product_bulks"')).rows[0].c), 1);
    const listed = await rt.runNode(rt.newExecution(), 'ProductBulkListNode', {});
    assert.equal(listed.count, 1);
    assert.throws(() => rt.resolveNodeType('ProductCreateNode'), /not found in registry/);
  });

  it('tryResolveNodeType answers undefined for a name no model or Transaction* node has, without throwing', () => {
    const { rt } = h();
    assert.equal(rt.tryResolveNodeType('ProductCreateNode'), undefined);
    assert.equal(rt.tryResolveNodeType('NotANode'), undefined);
    assert.deepEqual(rt.tryResolveNodeType('TransactionScopeNode'), { kind: 'transaction', typeName: 'TransactionScopeNode' });
    const t = rt.tryResolveNodeType('ProductBulkUpdateNode');
    assert.ok(t?.kind === 'model');
    assert.deepEqual([t.model.name, t.op], ['ProductBulk', 'Update']);
  });
}, {}, [{ name: 'ProductBulk', fields: [{ name: 'name', type: 'str' }] }]);
