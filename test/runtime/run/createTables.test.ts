// db.create_tables_async() creates every model's table even with existing_schema_mode=True (DataFlow
// 2.20 runs its schema DDL there unconditionally). Expected result recorded with the real DataFlow
// (oracle, ORACLE_DROP_ONLY=1 so the table did not exist before the call).
import * as assert from 'node:assert/strict';
import { filesOnEachBackend, scratchWriter } from '../backends';

const SRC = `
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://localhost/app", migration_enabled=True, existing_schema_mode=True, cache_enabled=False)

@db.model
class TestUser:
    name: str
    email: str
    active: bool = True

async def main():
    print(await db.create_tables_async())
    await db.initialize()
    workflow = WorkflowBuilder()
    workflow.add_node("TestUserCreateNode", "create_user", {"name": "Test User", "email": "test@example.com"})
    results, _ = LocalRuntime().execute(workflow.build())
    return results
`;

filesOnEachBackend('db.create_tables_async with existing_schema_mode=True', (run) => {
  const file = scratchWriter('df-create-tables-')('create_tables.py', SRC);

  it('creates the table, so the workflow writes its row (as DataFlow 2.20 does)', async () => {
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ['None']);
    assert.deepEqual(r.runs[0].results.create_user, { name: 'Test User', email: 'test@example.com', active: true, id: 1 });
    assert.equal(r.tables.test_users, 1);
  });
});
