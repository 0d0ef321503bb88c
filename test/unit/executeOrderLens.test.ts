// The order lens above an execute call, without a profile: a long workflow's order is cut to eight
// ids, a diamond of connections, `with LocalRuntime() as runtime:`, and the shapes that have no static order (a builder passed to
// a helper, a connection naming an id held in a variable, a cycle).
import * as assert from 'node:assert/strict';
import { initPython } from '../../server/src/syntax/parser';
import { codeLenses } from '../../server/src/lsp/codeLens';
import { ProfileStore } from '../../server/src/language/profileStore';
import { defaultSettings } from '../../server/src/settings';
import { uriOf, workspaceOf } from '../helpers/analysis';

const HEAD = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost/shop")


@db.model
class Item:
    name: str

`;

function orderLenses(body: string): string[] {
  const p = '/w/flows.py';
  const ws = workspaceOf({ [p]: HEAD + body });
  const file = ws.get(uriOf(p))!;
  return codeLenses(file, { file, facts: file.facts, workspace: ws, settings: defaultSettings() }, new ProfileStore())
    .map((l) => l.command?.title ?? '')
    .filter((t) => t.includes('order: '));
}

describe('order lens above execute calls (static workflows)', () => {
  before(async () => { await initPython(); });

  it('ten nodes written in reverse: the sorted order, cut after eight ids with the count of the rest', () => {
    const adds = Array.from({ length: 10 }, (_, i) => `    wf.add_node("ItemCountNode", "n${9 - i}", {})\n`).join('');
    assert.deepEqual(orderLenses(`def run():\n    wf = WorkflowBuilder()\n${adds}    with LocalRuntime() as runtime:\n        runtime.execute(wf.build())\n`), [
      '$(list-ordered) order: n0 → n1 → n2 → n3 → n4 → n5 → n6 → n7 → … (2 more)',
    ]);
  });

  it('a diamond: Kahn\'s order with the successors of each node in sorted order', () => {
    const body = `def run():
    wf = WorkflowBuilder()
    wf.add_node("ItemCreateNode", "z_root", {"name": "a"})
    wf.add_node("ItemReadNode", "m_left", {})
    wf.add_node("ItemReadNode", "b_right", {})
    wf.add_node("ItemListNode", "a_join", {})
    wf.add_connection("z_root", "id", "m_left", "id")
    wf.add_connection("z_root", "id", "b_right", "id")
    wf.add_connection("m_left", "name", "a_join", "filter")
    wf.connect("b_right", "a_join", mapping={"name": "order_by"})
    LocalRuntime().execute(wf.build())
`;
    assert.deepEqual(orderLenses(body), ['$(list-ordered) order: z_root → b_right → m_left → a_join']);
  });

  it('no order lens where the workflow is not known statically, or has a cycle', () => {
    const helper = `def add_more(wf):\n    wf.add_node("ItemCountNode", "a", {})\n\n\ndef run():\n    wf = WorkflowBuilder()\n    wf.add_node("ItemCountNode", "b", {})\n    add_more(wf)\n    wf.add_node("ItemCountNode", "a2", {})\n    LocalRuntime().execute(wf.build())\n`;
    assert.deepEqual(orderLenses(helper), []);
    const variable = `def run(src="b"):\n    wf = WorkflowBuilder()\n    wf.add_node("ItemCountNode", "b", {})\n    wf.add_node("ItemListNode", "a", {})\n    wf.add_connection(src, "count", "a", "limit")\n    LocalRuntime().execute(wf.build())\n`;
    assert.deepEqual(orderLenses(variable), []);
    const cycle = `def run():\n    wf = WorkflowBuilder()\n    wf.add_node("ItemCountNode", "b", {})\n    wf.add_node("ItemListNode", "a", {})\n    wf.add_connection("b", "count", "a", "limit")\n    wf.add_connection("a", "count", "b", "filter")\n    LocalRuntime().execute(wf.build())\n`;
    assert.deepEqual(orderLenses(cycle), []);
    // Without the cycle's back edge and with the connection reversed, the same workflow has an order.
    assert.deepEqual(orderLenses(cycle.replace('    wf.add_connection("b", "count", "a", "limit")\n', '')), ['$(list-ordered) order: a → b']);
    const reversed = `def run():\n    wf = WorkflowBuilder()\n    wf.add_node("ItemCountNode", "b", {})\n    wf.add_node("ItemListNode", "a", {})\n    LocalRuntime().execute(wf.build())\n`;
    assert.deepEqual(orderLenses(reversed), ['$(list-ordered) order: a → b']);
  });
});
