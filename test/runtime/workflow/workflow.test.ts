import * as assert from 'node:assert/strict';
import { onEachBackend, type BackendHandle } from '../backends';
import {
  ConnectionError,
  NodeRegistry,
  RunRecorder,
  RuntimeExecutionError,
  WorkflowBuilder,
  WorkflowValidationError,
  executeWorkflow,
  executeWorkflowAsync,
  type ExecuteOptions,
  type WorkflowNodeInstance,
} from '../../../server/src/runtime/workflow';
import type { DfRecord } from '../../../server/src/runtime/dataflow/values/dfValues';

const loc = (line: number) => ({ file: 'app.py', line, column: 0 });

onEachBackend('workflow builder + LocalRuntime', (h) => {
  const builder = (seed?: string) => new WorkflowBuilder(new NodeRegistry(h().rt), { seed });
  const exec = (wf: WorkflowBuilder, options: ExecuteOptions = {}) => executeWorkflow(h().rt, wf.build(), options);
  /** `parameters={"workflow_context": {"dataflow_instance": db}}`, which DataFlow's transaction nodes need. */
  const inContext = (): ExecuteOptions => ({ workflowContextInstance: h().rt });
  const count = async (table: string, { db }: BackendHandle = h()) => Number((await db.query(`SELECT COUNT(*) AS c FROM "${table}"`)).rows[0].c);
  const names = async () => (await h().db.query('SELECT name FROM "products" ORDER BY id')).rows.map((r) => r.name);

  describe('execution order', () => {
    it('loop-built ids run as msg_10, msg_11, msg_8, msg_9 (sorted as strings) and later nodes see earlier writes', async () => {
      const wf = builder();
      for (const i of [8, 9, 10, 11]) wf.addNode('ProductCreateNode', `msg_${i}`, { name: `m${i}`, price: i }, loc(i));
      const r = await exec(wf);
      assert.deepEqual(r.order, ['msg_10', 'msg_11', 'msg_8', 'msg_9']);
      assert.deepEqual(await names(), ['m10', 'm11', 'm8', 'm9']);
      assert.equal((r.results.msg_10 as DfRecord).id, 1);
      assert.deepEqual(r.nodes.map((n) => n.location?.line), [10, 11, 8, 9]);
    });

    it('extra, cheap, one run as cheap, extra, one', async () => {
      const wf = builder();
      for (const id of ['extra', 'cheap', 'one']) wf.addNode('ProductCreateNode', id, { name: id, price: 1 });
      const r = await exec(wf);
      assert.deepEqual(r.order, ['cheap', 'extra', 'one']);
      assert.deepEqual(await names(), ['cheap', 'extra', 'one']);
    });

    it('a dependent node runs after unrelated nodes that sort later (Kahn, newly ready appended)', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'a', { name: 'A', price: 1 });
      wf.addNode('ProductCountNode', 'b', {});
      wf.addNode('ProductCreateNode', 'c', { name: 'C', price: 1 });
      wf.addNode('ProductCountNode', 'd', {});
      wf.addConnection('a', 'name', 'b', 'unused_input');
      const r = await exec(wf);
      assert.deepEqual(r.order, ['a', 'c', 'd', 'b']);
      assert.deepEqual(r.results.b, { count: 2 });
    });
  });

  describe('connections', () => {
    it('Create → Read via add_connection("create", "id", "read", "id")', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'create', { name: 'Widget', price: 2.5 });
      wf.addNode('ProductReadNode', 'read', {});
      wf.addConnection('create', 'id', 'read', 'id');
      const { results } = await exec(wf);
      const read = results.read as DfRecord;
      assert.equal(read.found, true);
      assert.equal(read.name, 'Widget');
      assert.equal(read.id, (results.create as DfRecord).id);
    });

    it('dotted from_output: "record.id" of an Upsert', async () => {
      const wf = builder();
      wf.addNode('CustomerUpsertNode', 'upsert', { where: { email: 'a@x' }, create: { name: 'Ann' }, update: { name: 'Ann2' } });
      wf.addNode('CustomerReadNode', 'read', {});
      wf.addConnection('upsert', 'record.id', 'read', 'id');
      const { results, warnings } = await exec(wf);
      assert.equal((results.read as DfRecord).email, 'a@x');
      assert.deepEqual(warnings, []);
    });

    it('a missing from_output is a warning and the input is skipped', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'create', { name: 'A', price: 1 });
      wf.addNode('ProductCountNode', 'count', {});
      wf.addConnection('create', 'record.nope', 'count', 'filter');
      const { results, warnings } = await exec(wf);
      assert.deepEqual(results.count, { count: 1 });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /^Source output 'record\.nope' not found in node 'create'\. Available outputs: \['name', 'price'/);
    });

    it('List records → BulkCreate data: fails as a content-aware failure (records carry id and string timestamps)', async () => {
      const { rt } = h();
      await rt.seedRows(['Product'], 3, { allowDatabase: h().db.description });
      const wf = builder();
      wf.addNode('ProductListNode', 'list', { limit: 2 });
      wf.addNode('ProductBulkCreateNode', 'bulk', {});
      wf.addConnection('list', 'records', 'bulk', 'data');
      const err = await exec(wf).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof RuntimeExecutionError);
      // asyncpg refuses the ISO strings before anything is inserted (docs/dataflow-2.20.md §7; case
      // bulk_value_types), on both backends: the duplicate primary key is never reached.
      assert.match(
        err.message,
        /^Unified enterprise workflow execution failed: WorkflowExecutionError: Content-aware failure in node 'bulk': Node 'bulk' reported failure: .*expected a datetime\.date or datetime\.datetime instance, got 'str'/,
      );
      assert.equal(err.nodeId, 'bulk');
      assert.equal(await count('products'), 3);
    });

    // asyncpg rejects the ISO-string created_at/updated_at that List records carry ("expected a
    // datetime.date or datetime.datetime instance, got 'str'"), for BulkCreate and BulkUpdate data
    // mode alike; the runtime reproduces the check on both backends (values/asyncpgBindCheck.ts).
    it('List records → BulkUpdate data on PostgreSQL: asyncpg rejects string timestamps', async () => {
      await h().rt.seedRows(['Product'], 3, { allowDatabase: h().db.description });
      const wf = builder();
      wf.addNode('ProductListNode', 'list', { limit: 2 });
      wf.addNode('ProductBulkUpdateNode', 'bulk', {});
      wf.addConnection('list', 'records', 'bulk', 'data');
      await assert.rejects(
        exec(wf),
        /Content-aware failure in node 'bulk': Node 'bulk' reported failure: .*expected a datetime\.date or datetime\.datetime instance, got 'str'/,
      );
    });

    it('connect(): mapping pairs, explicit pair, default data → data', () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'a', { name: 'A', price: 1 });
      wf.addNode('ProductReadNode', 'b', {});
      wf.connect('a', 'b', { id: 'id', name: 'unused' });
      wf.connect('a', 'b', null, 'price', 'other');
      wf.connect('a', 'b');
      assert.deepEqual(
        wf.connections.map((c) => `${c.fromOutput}->${c.toInput}`),
        ['id->id', 'name->unused', 'price->other', 'data->data'],
      );
    });

    it('self-connection and exact duplicates raise ConnectionError; unknown nodes raise WorkflowValidationError', () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'a', { name: 'A', price: 1 });
      wf.addNode('ProductReadNode', 'b', {});
      assert.throws(() => wf.addConnection('a', 'id', 'a', 'id'), (e: unknown) => e instanceof ConnectionError && /^Cannot connect node 'a' to itself\./.test(e.message));
      wf.addConnection('a', 'id', 'b', 'id');
      assert.throws(() => wf.addConnection('a', 'id', 'b', 'id'), (e: unknown) => e instanceof ConnectionError && /^Duplicate connection detected: a\.id -> b\.id/.test(e.message));
      assert.throws(() => wf.addConnection('zz', 'id', 'b', 'id'), (e: unknown) => e instanceof WorkflowValidationError && /^Source node 'zz' not found in workflow\./.test(e.message));
      assert.equal(new ConnectionError('x').pythonType, 'ConnectionError');
    });
  });

  describe('builder', () => {
    it('duplicate node id: WorkflowValidationError("Node ID \'x\' already exists in workflow")', () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'create', { name: 'A', price: 1 });
      assert.throws(
        () => wf.addNode('ProductCreateNode', 'create', { name: 'B', price: 1 }),
        (e: unknown) => e instanceof WorkflowValidationError && e.message === "Node ID 'create' already exists in workflow" && e.pythonType === 'WorkflowValidationError',
      );
    });

    it('auto ids are node_<8 hex>, deterministic for a seed', () => {
      const a = builder('s1');
      const b = builder('s1');
      const ids = [a.addNode('ProductCountNode', undefined, {}), a.addNode('ProductCountNode', undefined, {})];
      assert.deepEqual(ids, [b.addNode('ProductCountNode', undefined, {}), b.addNode('ProductCountNode', undefined, {})]);
      for (const id of ids) assert.match(id, /^node_[0-9a-f]{8}$/);
      assert.notEqual(ids[0], ids[1]);
      assert.notEqual(builder('s2').addNode('ProductCountNode', undefined, {}), ids[0]);
    });

    it('unknown node type and bad config fail at build()', () => {
      const wf = builder();
      wf.addNode('NopeNode', 'x', {});
      assert.throws(() => wf.build(), (e: unknown) => e instanceof WorkflowValidationError && e.message === "Failed to add node 'x' to workflow: Node 'NopeNode' not found in registry");
      const wf2 = builder();
      wf2.addNode('ProductListNode', 'l', { order_by: 5 });
      assert.throws(() => wf2.build(), (e: unknown) => e instanceof WorkflowValidationError && /^Failed to add node 'l' to workflow: Failed to initialize node 'l': Configuration parameter 'order_by' must be of type list, got int. Conversion failed: 'int' object is not iterable$/.test(e.message));
    });

    it('build-time coercion: a string order_by is split into characters (failed entry on PostgreSQL, quirk recorded)', async () => {
      const wf = builder();
      wf.addNode('ProductListNode', 'l', { order_by: '-price' });
      const built = wf.build();
      assert.deepEqual(built.nodes.get('l')!.instance.config.order_by, ['-', 'p', 'r', 'i', 'c', 'e']);
      const r = await executeWorkflow(h().rt, built);
      const entry = r.results.l as DfRecord;
      assert.equal(entry.failed, true);
      assert.equal(entry.error_type, 'NodeExecutionError');
      assert.match(String(entry.error), /^Database query failed: .*zero-length delimited identifier/);
      assert.ok(r.contexts[0].quirks.some((q) => q.code === 'order-by-string-split' && q.node === 'l'));
    });
  });

  describe('parameters', () => {
    it('§6.5: config limit 1, parameters {"l": {"limit": 5}} → limit 5', async () => {
      await h().rt.seedRows(['Product'], 7, { allowDatabase: h().db.description });
      const wf = builder();
      wf.addNode('ProductListNode', 'l', { limit: 1 });
      const { results } = await exec(wf, { parameters: { l: { limit: 5 } } });
      assert.equal((results.l as DfRecord).limit, 5);
      assert.equal((results.l as DfRecord).count, 5);
    });

    it('parameters beat connection values', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'c1', { name: 'one', price: 1 });
      wf.addNode('ProductCreateNode', 'c2', { name: 'two', price: 2 });
      wf.addNode('ProductReadNode', 'read', {});
      wf.addConnection('c1', 'id', 'read', 'id');
      const { results } = await exec(wf, { parameters: { read: { id: 2 } } });
      assert.equal((results.read as DfRecord).name, 'two');
    });

    it('workflow-level flat parameters are injected into nodes that declare them', async () => {
      await h().rt.seedRows(['Product'], 6, { allowDatabase: h().db.description });
      const wf = builder();
      wf.addNode('ProductListNode', 'l', {});
      wf.addNode('ProductListNode', 'l2', { limit: 1 });
      wf.addNode('ProductCreateNode', 'c', { name: 'x', price: 1 });
      const r = await exec(wf, { parameters: { limit: 3, l2: { limit: 2 }, nobody_takes_this: 1 } });
      assert.equal((r.results.l as DfRecord).limit, 3);
      assert.equal((r.results.l2 as DfRecord).limit, 2); // node-specific wins over workflow-level
      assert.equal('limit' in (r.results.c as DfRecord), false);
      assert.deepEqual(r.warnings, ["Unused workflow parameters: ['nobody_takes_this']"]);
      assert.deepEqual(
        r.injections.map((i) => `${i.param}->${i.node}.${i.target}:${i.how}`),
        ['limit->l.limit:name', 'limit->l2.limit:name'],
      );
    });

    it('"records" reaches a bulk node\'s data through auto_map_from', async () => {
      const wf = builder();
      wf.addNode('ProductBulkCreateNode', 'bulk', {});
      const { results } = await exec(wf, { parameters: { records: [{ name: 'a', price: 1 }, { name: 'b', price: 2 }] } });
      assert.equal((results.bulk as DfRecord).inserted, 2);
      assert.equal(await count('products'), 2);
    });

    it('${name} templates in the config resolve from the runtime inputs', async () => {
      await h().rt.seedRows(['Product'], 3, { allowDatabase: h().db.description });
      const wf = builder();
      wf.addNode('ProductCountNode', 'n', { filter: { name: '${wanted}' } });
      const { results } = await exec(wf, { parameters: { n: { wanted: 'name_2' } } });
      assert.deepEqual(results.n, { count: 1 });
    });

    it('${name} templates without runtime inputs stay as they are, in the config and in bulk data', async () => {
      const wf = builder();
      wf.addNode('ProductBulkCreateNode', 'bulk', { data: [{ name: '${wanted}', price: 1 }, { name: 'x ${wanted} y', price: 2 }] });
      wf.addNode('ProductCountNode', 'n', { filter: { name: '${wanted}' } });
      wf.addConnection('bulk', 'inserted', 'n', 'unused');
      const { results } = await exec(wf);
      assert.equal((results.bulk as DfRecord).inserted, 2);
      // n has a runtime input (the connection) without `wanted`: its template is left as it is too
      assert.deepEqual(results.n, { count: 1 });
      const names = (await h().db.query('SELECT name FROM "products" ORDER BY id')).rows.map((r) => r.name);
      assert.deepEqual(names, ['${wanted}', 'x ${wanted} y']);
    });
  });

  describe('errors', () => {
    it('missing required inputs are reported before anything runs', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'a', { name: 'A', price: 1 });
      wf.addNode('CustomerUpsertNode', 'u', { create: { name: 'x' } });
      await assert.rejects(exec(wf), (e: unknown) => {
        assert.ok(e instanceof WorkflowValidationError);
        assert.equal(e.message, "Node 'u' missing required inputs: ['where']. Provide these inputs via connections, node configuration, or runtime parameters");
        return true;
      });
      assert.equal(await count('products'), 0);
      // supplied by a runtime parameter: fine
      const r = await exec(wf, { parameters: { u: { where: { email: 'q@x' } } } });
      assert.equal((r.results.u as DfRecord).action, 'created');
    });

    it('content-aware failure: DataFlow\'s exact message', async () => {
      const wf = builder();
      wf.addNode('ProductBulkDeleteNode', 'del', { data: [{ id: 1 }] });
      await assert.rejects(exec(wf), (e: unknown) => {
        assert.ok(e instanceof RuntimeExecutionError);
        assert.equal(e.pythonType, 'RuntimeExecutionError');
        assert.match(
          e.message,
          /^Unified enterprise workflow execution failed: WorkflowExecutionError: Content-aware failure in node 'del': Node 'del' reported failure: .*empty filter requires confirmed=True/,
        );
        return true;
      });
    });

    it('a raising node without dependents becomes a failed entry (Read with filter; List with $in [])', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'a_create', { name: 'A', price: 1 });
      wf.addNode('ProductReadNode', 'b_read', { filter: { id: 1 } });
      wf.addNode('ProductListNode', 'c_list', { filter: { id: { $in: [] } } });
      wf.addNode('ProductCreateNode', 'd_create', { name: 'D', price: 1 });
      const r = await exec(wf);
      const read = r.results.b_read as DfRecord;
      // LocalRuntime's failed entry, as recorded with DataFlow 2.20 (test/conformance/cases/failures.dataflow.json).
      assert.deepEqual(Object.keys(read), ['error', 'error_type', 'failed', '_exception']);
      assert.match(String(read.error), /^Node 'b_read' execution failed: DataFlowError: .*requires 'id' or 'record_id'/s);
      assert.equal(read.error_type, 'NodeExecutionError');
      assert.equal(read.failed, true);
      const list = r.results.c_list as DfRecord;
      assert.equal(list.failed, true);
      assert.match(String(list.error), /^Database query failed: syntax error/);
      assert.ok((list as Record<string, unknown>)._exception instanceof Error);
      assert.equal(await count('products'), 2);
      assert.deepEqual(
        r.nodes.map((n) => [n.id, n.failed ?? false]),
        [['a_create', false], ['b_read', true], ['c_list', true], ['d_create', false]],
      );
    });

    it('a raising node with a dependent stops the run', async () => {
      const wf = builder();
      wf.addNode('ProductReadNode', 'read', { filter: { id: 1 } });
      wf.addNode('ProductCreateNode', 'later', { name: 'L', price: 1 });
      wf.addNode('ProductCountNode', 'after', {});
      wf.addConnection('read', 'name', 'after', 'unused');
      const rec = new RunRecorder();
      await assert.rejects(exec(wf, { recorder: rec }), (e: unknown) => {
        assert.ok(e instanceof RuntimeExecutionError);
        assert.match(e.message, /^Unified enterprise workflow execution failed: WorkflowExecutionError: Node 'read' failed: .*requires 'id' or 'record_id'/);
        return true;
      });
      assert.equal(await count('products'), 1); // 'later' sorts before 'read', so it ran; 'after' never did
      const doc = rec.toJSON();
      assert.deepEqual(doc.runs[0].nodes.map((n) => n.id), ['later', 'read']);
      assert.equal(doc.runs[0].error?.type, 'RuntimeExecutionError');
    });
  });

  describe('transactions and statements', () => {
    // DataFlow's Transaction* nodes find their DataFlow in the workflow context (transaction_nodes.py:54).

    it('a Transaction* node without the DataFlow instance in the workflow context fails as in DataFlow (test/conformance/cases/upsert_transactions)', async () => {
      const wf = builder();
      wf.addNode('TransactionScopeNode', 'a_scope', {});
      wf.addNode('ProductCreateNode', 'b_create', { name: 'A', price: 1 });
      wf.addConnection('a_scope', 'transaction_id', 'b_create', 'marker');
      await assert.rejects(exec(wf), /Node 'a_scope' failed: DataFlow instance not found in workflow context\. Ensure the workflow is executed with a DataFlow instance in context\.$/);
      assert.equal(await count('products'), 0);
    });

    it('TransactionScope → writes → Rollback leaves no rows', async () => {
      const wf = builder();
      wf.addNode('TransactionScopeNode', 'a_scope', {});
      wf.addNode('ProductCreateNode', 'b_create', { name: 'A', price: 1 });
      wf.addNode('ProductBulkCreateNode', 'c_bulk', { data: [{ name: 'b', price: 1 }, { name: 'c', price: 1 }], batch_size: 1 });
      wf.addNode('ProductCountNode', 'd_count', {});
      wf.addNode('TransactionRollbackNode', 'e_rollback', {});
      const r = await exec(wf, inContext());
      assert.deepEqual(r.results.d_count, { count: 3 });
      assert.equal((r.results.e_rollback as DfRecord).status, 'rolled_back');
      assert.equal(await count('products'), 0);
    });

    it('a scope left open is rolled back at the end of the run', async () => {
      const wf = builder();
      wf.addNode('TransactionScopeNode', 'a_scope', {});
      wf.addNode('ProductCreateNode', 'b_create', { name: 'A', price: 1 });
      await exec(wf, inContext());
      assert.equal(await count('products'), 0);
    });

    it('statement counts and rows per node; cache hits', async () => {
      const wf = builder();
      wf.addNode('TransactionScopeNode', 'a_scope', {});
      wf.addNode('ProductCreateNode', 'b_create', { name: 'A', price: 1 });
      wf.addNode('ProductBulkCreateNode', 'c_bulk', { data: [{ name: 'b', price: 1 }, { name: 'c', price: 1 }, { name: 'd', price: 1 }], batch_size: 1 });
      wf.addNode('TransactionCommitNode', 'd_commit', {});
      wf.addNode('ProductListNode', 'e_list', {});
      wf.addNode('ProductListNode', 'f_list', {});
      wf.addNode('ProductBulkDeleteNode', 'g_delete', { filter: { id: { $in: [1, 2] } } });
      const seen: string[] = [];
      const r = await exec(wf, { ...inContext(), onNodeStart: (n) => seen.push(`start:${n.id}`), onNodeEnd: (n) => seen.push(`end:${n.id}`) });
      const by = Object.fromEntries(r.nodes.map((n) => [n.id, n]));
      assert.equal(by.a_scope.statements, 1); // BEGIN
      assert.equal(by.b_create.statements, 1);
      assert.equal(by.b_create.rows, 1);
      assert.equal(by.c_bulk.statements, 3);
      assert.equal(by.c_bulk.rows, 3);
      assert.equal(by.d_commit.statements, 1); // COMMIT
      assert.equal(by.e_list.statements, 1);
      assert.equal(by.e_list.rows, 4);
      assert.equal(by.e_list.cacheHit, false);
      assert.equal(by.f_list.statements, 0);
      assert.equal(by.f_list.cacheHit, true);
      assert.equal(by.g_delete.statements, 2); // COUNT then DELETE
      assert.equal(seen.length, 14);
      assert.equal(seen[0], 'start:a_scope');
      assert.ok(r.nodes.every((n) => n.ms >= 0 && n.startedAt > 0));
      assert.equal(await count('products'), 2);
    });
  });

  describe('async runtime, registry, recorder', () => {
    it('execute_workflow_async(workflow, inputs): same results, no sequential-order divergence any more', async () => {
      const wf = builder();
      wf.addNode('ProductCreateNode', 'create', { name: 'A', price: 1 });
      wf.addNode('ProductReadNode', 'read', {});
      wf.addConnection('create', 'id', 'read', 'id');
      const r = await executeWorkflowAsync(h().rt, wf.build(), { create: { name: 'B' } });
      assert.equal((r.results.read as DfRecord).name, 'B');
      assert.ok(!r.contexts[0].divergences.some((d) => d.code === 'async-runtime-sequential'));
    });

    it('AsyncLocalRuntime runs a level of 12 at most max_concurrent_nodes at a time (10 by default), each statement counted to its own node', async () => {
      for (const limit of [undefined, 3]) {
        await h().db.query('DELETE FROM "products"').catch(() => undefined);
        const wf = builder();
        for (let i = 0; i < 12; i++) wf.addNode('ProductCreateNode', `p${String(i).padStart(2, '0')}`, { name: `n${i}`, price: i });
        let running = 0;
        let peak = 0;
        const r = await executeWorkflowAsync(h().rt, wf.build(), {}, {
          maxConcurrentNodes: limit,
          onNodeStart: () => {
            running++;
            peak = Math.max(peak, running);
          },
          onNodeEnd: () => {
            running--;
          },
        });
        assert.equal(peak, limit ?? 10, `peak ${peak} with max_concurrent_nodes=${limit ?? 'default'}`);
        assert.equal(Object.keys(r.results).length, 12);
        assert.ok(r.nodes.every((n) => n.level === 0 && n.statements === 1 && n.rows === 1 && n.waitMs !== undefined), JSON.stringify(r.nodes));
        // each node's own row: the lanes kept the statements' tags apart
        const ids = new Set(Object.values(r.results).map((o) => (o as DfRecord).id));
        assert.equal(ids.size, 12);
        assert.equal(await count('products'), 12);
      }
    });

    it('non-DataFlow node types plug into the registry', async () => {
      const registry = new NodeRegistry(h().rt).register('EchoNode', (id, config, type): WorkflowNodeInstance => ({
        id,
        type,
        config,
        isAsyncNode: false,
        parameters: () => [{ name: 'value', required: true }],
        missingRequiredInputs: (keys) => ('value' in config || [...keys].includes('value') ? [] : ['value']),
        execute: async (_env, inputs) => ({ echoed: { ...config, ...inputs }.value }),
      }));
      const wf = new WorkflowBuilder(registry);
      wf.addNode('ProductCreateNode', 'create', { name: 'A', price: 1 });
      wf.addNode('EchoNode', 'echo', {});
      wf.addConnection('create', 'name', 'echo', 'value');
      const r = await executeWorkflow(h().rt, wf.build());
      assert.deepEqual(r.results.echo, { echoed: 'A' });
      const bad = new WorkflowBuilder(registry);
      bad.addNode('EchoNode', 'echo', {});
      await assert.rejects(executeWorkflow(h().rt, bad.build()), /Node 'echo' missing required inputs: \['value'\]/);
    });

    it('RunRecorder accumulates runs, tables, quirks and divergences as JSON', async () => {
      const rec = new RunRecorder();
      const wf = builder();
      wf.addNode('ProductCreateNode', 'create', { name: 'x; drop table y', price: 1 }, loc(3));
      await exec(wf, { recorder: rec, location: loc(9) });
      const wf2 = builder();
      wf2.addNode('ProductBulkDeleteNode', 'del', {});
      await exec(wf2, { recorder: rec, location: loc(12) }).catch(() => undefined);
      await rec.snapshotTables(h().rt);
      const doc = JSON.parse(JSON.stringify(rec)) as ReturnType<RunRecorder['toJSON']>;
      assert.equal(doc.runs.length, 2);
      assert.deepEqual(doc.runs[0].location, loc(9));
      assert.equal(doc.runs[0].nodes[0].location?.line, 3);
      assert.equal((doc.runs[0].results.create as DfRecord).name, 'x; STATEMENT_BLOCKED table y');
      assert.equal(doc.runs[1].error?.type, 'RuntimeExecutionError');
      assert.equal(doc.runs[1].error?.node, 'del');
      assert.deepEqual(doc.tables, { products: 1, customers: 0, notes: 0 });
      assert.ok(doc.quirks.some((q) => q.code === 'input-sanitiser-rewrote-values'));
      assert.ok(doc.divergences.some((d) => d.code === 'quoted-ddl-identifiers'));
      assert.equal(doc.divergences.filter((d) => d.code === 'quoted-ddl-identifiers').length, 1);
    });

    it('an aborted signal stops the run before the next node', async () => {
      const ac = new AbortController();
      const wf = builder();
      wf.addNode('ProductCreateNode', 'a', { name: 'A', price: 1 });
      wf.addNode('ProductCreateNode', 'b', { name: 'B', price: 1 });
      await assert.rejects(
        exec(wf, { signal: ac.signal, onNodeEnd: () => ac.abort() }),
        (e: unknown) => e instanceof Error && (e as { pythonType?: string }).pythonType === 'WorkflowCancelledError',
      );
      assert.equal(await count('products'), 1);
    });

    it('cycles are a WorkflowValidationError', async () => {
      const wf = builder();
      wf.addNode('ProductCountNode', 'a', {});
      wf.addNode('ProductCountNode', 'b', {});
      wf.addConnection('a', 'count', 'b', 'x');
      wf.addConnection('b', 'count', 'a', 'x');
      await assert.rejects(exec(wf), (e: unknown) => e instanceof WorkflowValidationError && /^Workflow contains unmarked cycles: \[\['a', 'b'\]\]/.test(e.message));
    });
  });
});
