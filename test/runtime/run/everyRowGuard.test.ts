// The destructive guard decides on the compiled WHERE, not on the filter dict: every filter that
// compiles to "every row" (`{}`, `$nin: []`, `$nin: [None]`, a keep-list that is empty only at run
// time, soft-delete models) is stopped before its statement on a database that is not the embedded
// one, the Python code cannot catch the refusal, and the run ends with exit 2 at the call. On the
// embedded database, or with allowDestructive, the same files run as DataFlow runs them.
import * as assert from 'node:assert/strict';
import type { StatementEvent } from '../../../server/src/runtime/db/types';
import { filesOnEachBackend, scratchWriter } from '../backends';

const write = scratchWriter('dataflow-every-row-');

const HEADER = `
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost:5432/bank")


@db.model
class Account:
    owner: str
    balance: float = 0.0


@db.model
class Note:
    text: str
    __dataflow__ = {"soft_delete": True}


def seed():
    wf = WorkflowBuilder()
    wf.add_node("AccountBulkCreateNode", "accounts", {"data": [{"owner": f"o{i}", "balance": 10.0} for i in range(4)]})
    wf.add_node("NoteBulkCreateNode", "notes", {"data": [{"text": f"n{i}"} for i in range(3)]})
    LocalRuntime().execute(wf.build())
`;

/** One file per case: seed, then one bulk node whose filter selects every row. */
function caseFile(name: string, node: string, params: string, extra = ''): string {
  return write(`${name}.py`, `${HEADER}
${extra}

def main():
    seed()
    wf = WorkflowBuilder()
    wf.add_node("${node}", "wipe", ${params})
    try:
        results, _ = LocalRuntime().execute(wf.build())
    except Exception as e:  # the guard's refusal must not be catchable by the user's code
        print("caught", type(e).__name__)
        return None
    print("result", results["wipe"])
    return results


if __name__ == "__main__":
    main()
`);
}

const EVERY_ROW: { name: string; node: string; params: string; table: string; extra?: string }[] = [
  { name: 'delete_empty_filter', node: 'AccountBulkDeleteNode', params: '{"filter": {}, "confirmed": True}', table: 'accounts' },
  { name: 'delete_nin_empty', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$nin": []}}}', table: 'accounts' },
  { name: 'delete_nin_none', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$nin": [None]}}}', table: 'accounts' },
  { name: 'delete_nin_nones_two_fields', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$nin": [None, None]}, "owner": {"$nin": []}}}', table: 'accounts' },
  {
    name: 'delete_keep_list_empty_at_run_time', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$nin": keep_ids()}}}', table: 'accounts',
    extra: 'def keep_ids():\n    return [a for a in [] if a]\n',
  },
  { name: 'soft_delete_nin_empty', node: 'NoteBulkDeleteNode', params: '{"filter": {"id": {"$nin": []}}}', table: 'notes' },
  { name: 'update_empty_filter', node: 'AccountBulkUpdateNode', params: '{"filter": {}, "fields": {"balance": 0.0}, "confirmed": True}', table: 'accounts' },
  { name: 'update_nin_empty', node: 'AccountBulkUpdateNode', params: '{"filter": {"id": {"$nin": []}}, "fields": {"balance": 0.0}}', table: 'accounts' },
  { name: 'update_nin_none', node: 'AccountBulkUpdateNode', params: '{"filter": {"owner": {"$nin": [None]}}, "fields": {"balance": 0.0}}', table: 'accounts' },
  { name: 'soft_delete_model_update_nin_empty', node: 'NoteBulkUpdateNode', params: '{"filter": {"id": {"$nin": []}}, "fields": {"text": "x"}}', table: 'notes' },
];

/** Filters that narrow (or select nothing): never blocked. */
const NARROWING: { name: string; node: string; params: string; table: string; left: number }[] = [
  { name: 'delete_nin_one', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$nin": [1]}}}', table: 'accounts', left: 1 },
  { name: 'delete_in_empty', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$in": []}}}', table: 'accounts', left: 4 },
  { name: 'delete_nin_empty_and_owner', node: 'AccountBulkDeleteNode', params: '{"filter": {"id": {"$nin": []}, "owner": "o2"}}', table: 'accounts', left: 3 },
];

filesOnEachBackend('every-row UPDATE/DELETE guard', (run, db) => {
  const rows = async (table: string, where = ''): Promise<number> => Number((await db().query(`SELECT count(*)::int AS n FROM "${table}"${where}`)).rows[0].n);
  /** Rows the case's statement has not changed yet (not soft-deleted, balance kept, text kept). */
  const unchanged = (c: { node: string; table: string }) =>
    rows(c.table, c.table === 'accounts' ? ' WHERE balance > 0' : c.node.includes('Update') ? " WHERE text <> 'x'" : ' WHERE deleted_at IS NULL');

  for (const c of EVERY_ROW) {
    it(`${c.name}: blocked before its statement on PostgreSQL (exit 2 at the execute, uncatchable); runs on the embedded database`, async () => {
      const file = caseFile(c.name, c.node, c.params, c.extra);
      const sent: string[] = [];
      const off = db().onStatement((e: StatementEvent) => { sent.push(e.sql); });
      let r;
      try {
        r = await run({ file });
      } finally {
        off();
      }
      const wipes = sent.filter((s) => new RegExp(`^(DELETE FROM|UPDATE) "${c.table}"`).test(s));
      if (db().embedded) {
        assert.equal(r.exitCode, 0, JSON.stringify(r.error));
        assert.equal(wipes.length, 1, sent.join('\n'));
        assert.equal(await unchanged(c), 0, 'every row was changed, as DataFlow does');
        return;
      }
      assert.equal(r.exitCode, 2, JSON.stringify(r.error));
      assert.equal(r.error?.type, 'UnsafeOperationBlockedError');
      assert.match(r.error!.message, new RegExp(`^Blocked ${c.node.replace(/^(Account|Note)/, '').replace(/Node$/, '')} of (Account|Note) against PostgreSQL`));
      assert.match(r.error!.message, /would (delete|soft-delete|update) every row of "(accounts|notes)"\. Nothing was sent\. To run it, use dataflow-run --allow-destructive/);
      if (!c.params.includes('"filter": {}')) assert.match(r.error!.message, /compiles to WHERE 1 = 1/);
      assert.equal(r.error?.file, file);
      assert.equal(r.error?.line, (HEADER + (c.extra ?? '')).split('\n').length + 8, 'located at the execute call');
      assert.ok(!r.log.some((l) => l.startsWith('caught')), `the user's except clause must not see the refusal: ${r.log.join(' | ')}`);
      assert.deepEqual(wipes, [], 'no UPDATE/DELETE was sent');
      assert.equal(await unchanged(c), c.table === 'notes' ? 3 : 4, 'no row changed');
    });
  }

  it('with allowDestructive the same every-row delete runs on PostgreSQL as DataFlow runs it', async () => {
    const file = caseFile('allowed_nin_none', 'AccountBulkDeleteNode', '{"filter": {"id": {"$nin": [None]}}}');
    const r = await run({ file, allowDestructive: true });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(await rows('accounts'), 0);
    assert.ok(r.log.some((l) => /'deleted': 4/.test(l)), r.log.join(' | '));
  });

  for (const c of NARROWING) {
    it(`${c.name}: a filter that narrows is never blocked`, async () => {
      const r = await run({ file: caseFile(c.name, c.node, c.params) });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      assert.equal(await rows(c.table), c.left);
    });
  }

  it('db.express.bulk_delete takes ids ($in): an empty list selects nothing and is never blocked', async () => {
    const file = write('express_ids.py', `${HEADER}

async def main():
    seed()
    return await db.express.bulk_delete("Account", [])
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(await rows('accounts'), 4);
  });
});
