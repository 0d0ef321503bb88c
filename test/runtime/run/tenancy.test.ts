// DataFlow(multi_tenant=True) and db.tenant_context, run by the embedded runtime and compared with
// what DataFlow 2.20 returned and raised for the same files (recordings made with ../shared/oracle:
// oracle.sh tenancy.py FUNC), on PGlite and on PostgreSQL: writes stamped with the bound tenant,
// reads / counts / updates / deletes / bulk writes scoped to it, DataFlow's errors with no tenant
// bound, the tenant_context API itself, and the upserts that stay unsupported (exit 2).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend } from '../backends';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'runtime', 'tenancy');
const TENANCY = path.join(FIXTURES, 'tenancy.py');
const SINGLE = path.join(FIXTURES, 'single_tenant.py');
const SQLITE = path.join(FIXTURES, 'sqlite_tenants.py');

interface Recording {
  runs: Array<{ results?: Record<string, unknown>; error?: { type: string; message: string } }>;
  return?: unknown;
  raised?: { type: string; message: string };
}

function recording(func: string): Recording {
  const rec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'recordings', `${func}.json`), 'utf8')) as Recording;
  // The oracle's express calls before any workflow record an internal registry-table run (no psycopg v3 there).
  rec.runs = rec.runs.filter((r) => !(r.error?.message.includes('create_registry_table') || (r.results && 'create_table' in r.results)));
  return rec;
}

/**
 * Timestamps and the query cache's key and time out (the runtime's key hash is its own), the
 * kailash wrapper text of a failed node's error ("Node 'x' execution failed: RuntimeError: ") and
 * DataFlow's decorated error banner reduced to the DataFlow message they carry; keys sorted.
 */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      const x = o[k];
      if (k === '_exception') continue;
      if (k === 'created_at' || k === 'updated_at') out[k] = typeof x === 'string' ? '<ts>' : x;
      else if (k === '_cache' && x && typeof x === 'object') out[k] = { hit: (x as Record<string, unknown>).hit, source: (x as Record<string, unknown>).source };
      else if (k === 'error' && o.failed === true && typeof x === 'string') out[k] = x.replace(/\x1b\[\d+m/g, '').split('\n')[0]; // DataFlow's enhanced text without its ANSI colours: the header line
      else out[k] = normalise(x);
    }
    return out;
  }
  return v;
}

/** Records as the fields this feature decides (express read/update add keys of their own, not tenancy's). */
function rows(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rows);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    if (!('id' in o)) {
      for (const k of Object.keys(o).sort()) out[k] = rows(o[k]);
      return out;
    }
    for (const k of ['id', 'number', 'total', 'tenant_id']) if (k in o) out[k] = o[k];
    return out;
  }
  return v;
}

/** The value the fixture function printed as JSON (its return value). */
function printed(log: string[]): unknown {
  assert.ok(log.length > 0, 'the function printed its result');
  return JSON.parse(log[log.length - 1]);
}

const WORKFLOW_RECORDINGS = [
  'writes_under_two_tenants', 'read_other_tenant', 'update_delete_scoped', 'list_filters_scoped', 'bulk_under_tenant',
  'explicit_tenant_id', 'unbound_read_count', 'unbound_read', 'unbound_update', 'unbound_delete', 'bulk_data_mode_and_counts',
];

/** Functions whose workflow raised in DataFlow: the same exception, the same text. */
const RAISING_RECORDINGS = ['explicit_same_tenant_id', 'unbound_workflow', 'unbound_bulk_create', 'unbound_bulk_update', 'unbound_bulk_delete', 'unbound_express', 'unbound_express_list'];

filesOnEachBackend('DataFlow(multi_tenant=True) against DataFlow 2.20 recordings', (run) => {
  for (const func of WORKFLOW_RECORDINGS) {
    it(`${func}: every workflow returns what DataFlow returned (rows scoped to the bound tenant)`, async () => {
      const rec = recording(func);
      const r = await run({ file: TENANCY, entry: func });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      assert.equal(r.runs.length, rec.runs.length);
      rec.runs.forEach((expected, i) => {
        if (expected.error) {
          assert.equal(r.runs[i].error?.message, expected.error.message);
          return;
        }
        const got = normalise(r.runs[i].results) as Record<string, unknown>;
        const want = normalise(expected.results) as Record<string, unknown>;
        assert.deepEqual(got, want, `run ${i}`);
      });
    });
  }

  for (const func of RAISING_RECORDINGS) {
    it(`${func}: raises DataFlow's exception with DataFlow's text (exit 1), nothing written unscoped`, async () => {
      const rec = recording(func);
      const r = await run({ file: TENANCY, entry: func });
      assert.equal(r.exitCode, 1, JSON.stringify(r.error));
      assert.equal(r.error?.type, rec.raised!.type);
      assert.equal(r.error?.message, rec.raised!.message);
      assert.equal(r.tables.invoices ?? 0, 0);
    });
  }

  it('unbound_express_each: each express method fails as DataFlow does with no tenant bound (TenantRequiredError from the cache, RuntimeError from the node)', async () => {
    const rec = recording('unbound_express_each');
    const r = await run({ file: TENANCY, entry: 'unbound_express_each' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(printed(r.log), rec.return);
  });

  for (const func of ['express_two_tenants', 'express_bulk_under_tenant', 'express_cache_per_tenant']) {
    it(`${func}: express writes carry the bound tenant, reads see only its rows, the cache is per tenant`, async () => {
      const rec = recording(func);
      const r = await run({ file: TENANCY, entry: func });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      const got = printed(r.log) as Record<string, unknown>;
      const want = rec.return as Record<string, unknown>;
      // get_cache_stats names the backend "in_memory" in DataFlow, "memory" here (not this feature).
      if (func === 'express_cache_per_tenant') {
        assert.deepEqual({ ...(got.stats as object), backend: 'x' }, { ...(want.stats as object), backend: 'x' });
        delete got.stats;
        delete want.stats;
      }
      assert.deepEqual(rows(got), rows(want));
    });
  }

  it("context_api: register_tenant / switch (nested, on exceptions) / require_tenant / (de)activation / get_stats as DataFlow's TenantContextSwitch", async () => {
    const rec = recording('context_api');
    const r = await run({ file: TENANCY, entry: 'context_api' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(printed(r.log), rec.return);
  });

  it('async_context_api: aswitch binds the tenant for AsyncLocalRuntime, and unbinds it on leaving', async () => {
    const rec = recording('async_context_api');
    const r = await run({ file: TENANCY, entry: 'async_context_api' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(printed(r.log), rec.return);
    assert.deepEqual(normalise(r.runs[0].results), normalise(rec.runs[0].results));
  });

  it('a single-tenant DataFlow scopes the node statements of a model with its own tenant_id field once a tenant is bound, but not its bulk writes; the model flag adds no column', async () => {
    const rec = recording('flag_and_own_column');
    const r = await run({ file: SINGLE, entry: 'flag_and_own_column' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.runs.length, rec.runs.length);
    rec.runs.forEach((expected, i) => assert.deepEqual(normalise(r.runs[i].results), normalise(expected.results), `run ${i}`));
  });

  it('get_tenant_tables(): the tables of models with a tenant_id field, declared or added by multi_tenant', async () => {
    for (const [file, func, rec] of [[TENANCY, 'tenant_tables', 'tenant_tables'], [SINGLE, 'tenant_tables', 'single_tenant_tables']]) {
      const r = await run({ file, entry: func });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      assert.deepEqual(printed(r.log), recording(rec).return);
    }
  });

  it('a multi_tenant DataFlow on a SQLite URL, made inside a coroutine: express rows per tenant', async () => {
    const rec = recording('demo');
    const r = await run({ file: SQLITE, entry: 'demo' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(printed(r.log), rec.return);
  });

  it('an upsert under a tenant stops as unsupported (exit 2) naming it, before any statement', async () => {
    const r = await run({ file: TENANCY, entry: 'upsert_under_tenant' });
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /`InvoiceUpsertNode` of the tenant-isolated model 'Invoice' is not modelled/);
    assert.equal(r.error!.file, TENANCY);
    assert.equal(r.tables.invoices ?? 0, 0);
  });
});
