// The DataFlow hints under common runtime errors (server/src/cli/errorHints.ts), on the error
// texts the runtime really produces (see test/protocol/runArguments.test.ts for one end to end).
import * as assert from 'node:assert/strict';
import { dataflowHint } from '../../server/src/cli/errorHints';

const created = [{ nodes: [{ id: 'list', type: 'CustomerListNode' }, { id: 'new_customer', type: 'CustomerCreateNode' }] }];

describe('dataflowHint', () => {
  it("KeyError: 'output' after a generated node returned its record", () => {
    assert.equal(dataflowHint({ error: { type: 'KeyError', message: "'output'" }, runs: created }),
      "DataFlow 2.20 nodes return the record itself: use result['new_customer']['id'], not result['new_customer']['output']['id'].");
  });
  it('no hint for a KeyError when no record-returning node ran, or for another key', () => {
    assert.equal(dataflowHint({ error: { type: 'KeyError', message: "'output'" }, runs: [{ nodes: [{ id: 'list', type: 'CustomerListNode' }] }] }), undefined);
    assert.equal(dataflowHint({ error: { type: 'KeyError', message: "'email'" }, runs: created }), undefined);
  });
  it("Target node 'id' not found: arguments in the wrong order", () => {
    const message = "Target node 'id' not found in workflow.\nAvailable nodes: ['create', 'read']";
    assert.match(dataflowHint({ error: { type: 'WorkflowValidationError', message }, runs: [] }) ?? '', /^arguments in the wrong order\? add_connection\(source, output, target, input\)/);
  });
});
