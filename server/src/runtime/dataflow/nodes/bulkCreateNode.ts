import { quoteIdent } from '../../db/quoteIdent';
import type { Queryable } from '../../db/types';
import type { BulkBatchAccount, ExecutionContext } from '../context';
import { databaseQueryFailed, dbMessage } from '../errors';
import type { RuntimeModel } from '../schema';
import type { DfRecord } from '../values/dfValues';
import { bulkTenant } from '../tenancy/scopeStatement';
import { invalidateCaches } from './common';
import { allRecords, assertParamBudget, batchRanges, batchSizeOf, batchTexts, bindRows, bulkData, bulkFailure, columnBinders, keysBeyond, recordsWithDatetimes } from './bulkCommon';

/**
 * <Model>BulkCreateNode (dataflow/core/nodes.py:4332; docs/dataflow-2.20.md §5–6): columns = keys of the FIRST record (later-only keys dropped);
 * one multi-row INSERT per batch, no RETURNING, no ON CONFLICT; each batch auto-commits unless a
 * TransactionScope is open. conflict_resolution / return_ids have no effect. What each batch did
 * is recorded in ctx.bulkAccounts (committed / failed / not-run).
 */
export async function executeBulkCreate(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const batchSize = batchSizeOf(inputs);
  const data = bulkData(inputs);
  const account: BulkBatchAccount = { node: ctx.currentNodeId, model: model.name, operation: 'bulk_create', batchSize, batches: [], committedRows: 0 };
  const fail = (error: string): DfRecord => ({ processed: account.committedRows, inserted: account.committedRows, batch_size: batchSize, operation: 'bulk_create', success: false, error });
  if (data.length === 0) return { processed: 0, inserted: 0, batch_size: batchSize, operation: 'bulk_create', success: true };
  if (!allRecords(data)) return fail('bulk_create data must be a list of dicts');
  let tenant: string | null;
  try {
    tenant = bulkTenant(ctx, model);
  } catch (e) {
    return fail(dbMessage(e));
  }
  // Every record is stamped with the bound tenant (`record["tenant_id"] = bound_tenant`).
  const stamped = tenant === null ? (data as DfRecord[]) : (data as DfRecord[]).map((r) => ({ ...r, tenant_id: tenant }));
  const records = recordsWithDatetimes(model, stamped);
  const columns = Object.keys(records[0]);
  const dropped = keysBeyond(records, columns);
  if (dropped.length) {
    ctx.quirk('bulk-create-first-record-columns', `BulkCreate takes its columns from the first record; keys only in later records were dropped: ${dropped.join(', ')}`, { model: model.name });
  }
  if (inputs.return_ids === true) ctx.quirk('bulk-create-return-ids-ignored', 'BulkCreate ignores return_ids: no ids are returned.', { model: model.name });
  const batches = batchRanges(records.length, batchSize);
  account.batches = batches.map(([from, to], i) => ({ index: i, rows: to - from, status: 'not-run' as const }));
  ctx.bulkAccounts.push(account);
  const inTx = ctx.inTransaction;
  const binders = columnBinders(ctx, model, columns);
  const textOf = batchTexts(`INSERT INTO ${quoteIdent(model.tableName)} (${columns.map(quoteIdent).join(', ')}) VALUES `, columns.length);
  const runBatches = async (q: Queryable): Promise<void> => {
    for (let i = 0; i < batches.length; i++) {
      const [from, to] = batches[i];
      const params = bindRows(binders, columns, records, from, to);
      assertParamBudget(params);
      const sql = textOf(to - from);
      try {
        await q.query(ctx.wireSql(sql, params), params, { tag: ctx.currentNodeId, signal: ctx.options.signal });
      } catch (e) {
        account.batches[i].status = 'failed';
        account.batches[i].error = dbMessage(e);
        throw databaseQueryFailed(e);
      }
      account.batches[i].status = inTx ? 'in-transaction' : 'committed';
      if (!inTx) account.committedRows += to - from;
    }
  };
  try {
    if (columns.length === 0) throw new Error('bulk_create: the first record has no fields');
    if (inTx) await runBatches(ctx.queryable);
    else await ctx.db.withConnection((conn) => runBatches(conn));
  } catch (e) {
    if (account.committedRows > 0) invalidateCaches(ctx, model);
    // BulkOperations.bulk_create's own catch (dataflow/features/bulk.py:608).
    return fail(bulkFailure('create', e));
  }
  invalidateCaches(ctx, model);
  return { processed: records.length, inserted: records.length, batch_size: batchSize, operation: 'bulk_create', success: true };
}
