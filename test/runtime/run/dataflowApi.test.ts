// DataFlow attributes real code touches (Model.query_builder, db.get_models / list_models / _models /
// get_node / get_generated_nodes, WorkflowBuilder.nodes / .connections, Workflow.nodes), each
// DataFlow(":memory:") its own database, and honest attribute / import errors: fixtures of our own
// run through the real evaluator on PGlite and PostgreSQL, compared with what the real DataFlow 2.20
// returned for the same functions (test/fixtures/dataflow-api/*.oracle.json, see record.py there).
import * as assert from 'node:assert/strict';
import type { Database } from '../../../server/src/runtime/db/types';
import { filesOnEachBackend } from '../backends';
import { dataflowApiFixtures } from './dataflowApiFixtures';

const { recording, returned, run } = dataflowApiFixtures('dataflow-api-');

filesOnEachBackend('DataFlow attributes real code touches', (_run, database) => {
  let db: Database;
  beforeEach(() => { db = database(); });

  it('Model.query_builder(): the SQL and parameters DataFlow builds, per dialect (PostgreSQL, SQLite, MySQL, no URL, :memory:, __tablename__)', async () => {
    const { value } = await returned(db, 'query_builder', 'builders');
    assert.deepEqual(value, recording('query_builder', 'builders').return);
  });

  it('Model.query_builder(): ValueError for an unknown operator, a non-list $in, a bad direction, limit and join type', async () => {
    const { value } = await returned(db, 'query_builder', 'errors');
    assert.deepEqual(value, recording('query_builder', 'errors').return);
  });

  it('db.list_models / get_models / _models / get_node / get_generated_nodes answer as DataFlow does', async () => {
    const { value } = await returned(db, 'models_api', 'models');
    assert.deepEqual(value, recording('models_api', 'models').return);
  });

  it('db._models[name] is a dict whose "fields" are DataFlow\'s (MRO type hints, defaults, private names skipped, multi_tenant tenant_id)', async () => {
    const { value } = await returned(db, 'model_fields', 'fields');
    assert.deepEqual(value, recording('model_fields', 'fields').return);
  });

  it('WorkflowBuilder.nodes and .connections, and the built Workflow.nodes keys, have DataFlow\'s shapes', async () => {
    const { value } = await returned(db, 'builder_attrs', 'shapes');
    assert.deepEqual(value, recording('builder_attrs', 'shapes').return);
  });

  it('each DataFlow(":memory:") is its own database: the same table name holds only that instance\'s rows', async () => {
    const { value, result } = await returned(db, 'memory_instances', 'counts');
    assert.deepEqual(value, recording('memory_instances', 'counts').return);
    assert.equal(result.runs.length, 2);
    // The private schema is dropped after the run.
    const left = await db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${db.schema}_memory_%`]);
    assert.equal(left.rows.length, 0);
  });

  describe('honest attributes and imports', () => {
    const notModelled: [string, RegExp][] = [
      ['db_transactions', /`db\.transactions` is a DataFlow attribute the runtime does not model/],
      ['db_config', /`db\.config\.database\.echo` is a DatabaseConfig attribute the runtime does not model/],
      ['runtime_real', /`LocalRuntime\(\)\.get_execution_metrics` is a LocalRuntime attribute the runtime does not model|`LocalRuntime\.get_execution_metrics` is a LocalRuntime attribute/],
      ['builder_set_real', /setting `wb\.nodes` \(a WorkflowBuilder attribute\) is not modelled/],
      ['workflow_graph', /`wb\.build\(\)\.graph` is a Workflow attribute the runtime does not model|`Workflow\.graph` is a Workflow attribute/],
      ['express_real', /`db\.express_sync\.import_file` is a SyncExpress attribute|import_file` is a \w+ attribute the runtime does not model/],
      ['import_real_unmodelled', /`dataflow\.migrations` is not modelled/],
      ['import_real_name_unmodelled', /`dataflow\.DataFlowConfig` is not modelled/],
    ];
    for (const [func, message] of notModelled) {
      it(`${func}: exists in DataFlow 2.20 but is not modelled → exit 2 at file:line:col`, async () => {
        const real = recording('honesty', func);
        assert.ok(!real.raised || !['AttributeError', 'ModuleNotFoundError', 'ImportError'].includes(real.raised.type), `the real DataFlow has it: ${JSON.stringify(real)}`);
        const r = await run(db, 'honesty', func);
        assert.equal(r.exitCode, 2, JSON.stringify(r.error));
        assert.match(r.error!.message, message);
        assert.match(r.error!.message, /honesty\.py:\d+:\d+/);
      });
    }

    const missing = ['db_missing', 'runtime_missing', 'express_missing', 'import_missing_module', 'import_missing_name', 'import_missing_package', 'add_connection_two_args'];
    for (const func of missing) {
      it(`${func}: missing in DataFlow 2.20 → the error Python raises (exit 1)`, async () => {
        const real = recording('honesty', func).raised!;
        const r = await run(db, 'honesty', func);
        assert.equal(r.exitCode, 1, JSON.stringify(r.error));
        assert.equal(r.error!.type, real.type);
        // Python appends the package's file path to ImportError; the runtime has none to give.
        assert.equal(r.error!.message, real.message.replace(/ \(\/.*\)$/, ''));
      });
    }

    it('an unmodelled module imported but never used, an ImportError caught, an attribute of our own on a builder: run as in Python', async () => {
      for (const func of ['import_real_unused', 'caught_missing_module', 'builder_set_other']) {
        const { value } = await returned(db, 'honesty', func);
        assert.deepEqual(value, recording('honesty', func).return, func);
      }
    });
  });
});
