// The catalogue (what the analysis believes DataFlow 2.20 declares) and the runtime's
// declaredParameters (what the runtime executes) must describe the same parameters.
import * as assert from 'node:assert/strict';
import { NODE_OPERATIONS, OPERATIONS, parseNodeType, generatedNodeNames, isKnownNonGeneratedNode } from '../../server/src/catalogue';
import { declaredParameters, OPERATION_SUFFIXES } from '../../server/src/runtime/dataflow/nodes/parameters';
import { defineModel } from '../../server/src/runtime/dataflow/schema';

const model = defineModel({ name: 'Product', fields: [{ name: 'name', type: 'str' }, { name: 'price', type: 'float', default: 0 }] });
const runtimeOp = (op: string) => OPERATION_SUFFIXES.find(([suffix]) => suffix === `${op}Node`)![1];

describe('catalogue', () => {
  for (const op of NODE_OPERATIONS) {
    it(`${op}: the declared parameters agree with the runtime's`, () => {
      const fieldNames = new Set(model.fields.map((f) => f.name));
      const runtime = declaredParameters(model, runtimeOp(op))
        .filter((d) => !(OPERATIONS[op].modelFieldsFlat !== 'no' && (fieldNames.has(d.name) || (op === 'Create' && d.name === 'id'))))
        .map((d) => ({ name: d.name, type: d.type, required: d.required, default: d.default === undefined ? undefined : JSON.parse(JSON.stringify(d.default)) }));
      const catalogue = OPERATIONS[op].params.map((p) => ({ name: p.name, type: p.type, required: p.required, default: p.default }));
      assert.deepEqual(catalogue, runtime);
    });
  }
  it('Create and legacy Update take model fields flat', () => {
    const create = declaredParameters(model, 'create').map((d) => d.name);
    const update = declaredParameters(model, 'update').map((d) => d.name);
    for (const f of ['name', 'price']) { assert.ok(create.includes(f)); assert.ok(update.includes(f)); }
    assert.equal(OPERATIONS.Create.modelFieldsFlat, 'yes');
    assert.equal(OPERATIONS.Update.modelFieldsFlat, 'legacy');
  });
  it('parses and names generated nodes', () => {
    assert.deepEqual(parseNodeType('ProductBulkCreateNode'), { model: 'Product', op: 'BulkCreate' });
    assert.equal(generatedNodeNames('A').length, 11);
    assert.ok(isKnownNonGeneratedNode('PythonCodeNode') && isKnownNonGeneratedNode('TransactionScopeNode'));
    assert.ok(!isKnownNonGeneratedNode('ProductCreateNode'));
  });
});
