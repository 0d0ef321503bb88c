import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { UnsafeOperationBlockedError } from '../errors';
import { compileBulkFilter } from '../filters/compileBulkFilter';
import { whereClause } from '../filters/compileFilter';
import { ParamList } from '../filters/sqlParams';
import { fieldOf, type RuntimeModel } from '../schema';
import { guardEveryRowWrite } from '../safety/guardEveryRowWrite';
import { bindValue } from '../values/bindValue';
import { isDfRecord, truthy, type DfRecord } from '../values/dfValues';
import { bulkTenant, bulkTenantCondition } from '../tenancy/scopeStatement';
import { invalidateCaches, runSql } from './common';
import { batchSizeOf, bulkData, bulkFilter, convertRecordDatetimes } from './bulkCommon';
import { checkAsyncpgBind, deferredBindChecks } from '../values/asyncpgBindCheck';
import { bulkFailure } from './bulkCommon';

/**
 * <Model>BulkUpdateNode (dataflow/core/nodes.py:4400; docs/dataflow-2.20.md §5): filter mode (non-empty `fields`/`update`) is ONE
 * `UPDATE ... WHERE <bulk filter>`; data mode is one UPDATE per record that has an id. Neither
 * touches updated_at. An empty filter needs confirmed=True while safe_mode is on.
 */
export async function executeBulkUpdate(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const batchSize = batchSizeOf(inputs);
  const filter = bulkFilter(inputs, 'filter', 'conditions');
  const values = bulkFilter(inputs, 'fields', 'update');
  const out = (processed: number, extra: DfRecord = {}): DfRecord => ({ processed, updated: processed, batch_size: batchSize, operation: 'bulk_update', success: true, ...extra });
  const safeMode = 'safe_mode' in inputs ? truthy(inputs.safe_mode) : true;
  const confirmed = truthy(inputs.confirmed);
  let done = 0;
  let statements = 0;
  try {
    const filterMode = Object.keys(values).length > 0;
    const empty = Object.keys(filter).length === 0;
    if (filterMode && empty && safeMode && !confirmed) {
      return out(0, {
        success: false,
        error:
          'Bulk update with empty filter requires confirmed=True. Empty filter will update ALL records in the table. Set confirmed=True to proceed or provide a specific filter.',
      });
    }
    // After the confirmation check, before any statement; its RuntimeError is the node's failure.
    const tenant = bulkTenant(ctx, model);
    if (filterMode) {
      const params = new ParamList();
      const sets = Object.entries(convertRecordDatetimes(model, values)).map(([k, v]) => {
        checkAsyncpgBind(ctx, model, k, v, params.next);
        return `${quoteIdent(k)} = ${params.add(bindValue(v, fieldOf(model, k), model.useNativeArrays))}`;
      });
      const deferred = deferredBindChecks(ctx, model);
      const conds = compileBulkFilter(filter, params, deferred.add);
      deferred.run();
      guardEveryRowWrite(ctx, { node: 'BulkUpdate', model: model.name, table: model.tableName, verb: 'update', filter, conditions: [...conds] });
      if (tenant !== null) conds.push(bulkTenantCondition(tenant, params));
      if (model.softDelete && !truthy(inputs.include_deleted)) conds.push(`${quoteIdent('deleted_at')} IS NULL`);
      const r = await runSql(ctx, `UPDATE ${quoteIdent(model.tableName)} SET ${sets.join(', ')}${whereClause(conds)}`, params.values);
      invalidateCaches(ctx, model);
      return out(r.rowCount);
    }
    const data = bulkData(inputs);
    for (const rec of data) {
      if (!isDfRecord(rec) || !('id' in rec)) {
        ctx.quirk('bulk-update-record-without-id', 'BulkUpdate data mode skips records without an id.', { model: model.name });
        continue;
      }
      const fields = convertRecordDatetimes(model, rec);
      const id = fields.id;
      delete fields.id;
      const names = Object.keys(fields);
      if (names.length === 0) {
        done++;
        continue;
      }
      names.forEach((n, i) => checkAsyncpgBind(ctx, model, n, fields[n], i + 1));
      const params = names.map((n) => bindValue(fields[n], fieldOf(model, n), model.useNativeArrays));
      params.push(bindValue(id));
      const tenantCond = tenant === null ? '' : ` AND "tenant_id" = $${params.push(tenant)}`;
      const r = await runSql(
        ctx,
        `UPDATE ${quoteIdent(model.tableName)} SET ${names.map((n, i) => `${quoteIdent(n)} = $${i + 1}`).join(', ')} WHERE ${quoteIdent('id')} = $${names.length + 1}${tenantCond}`,
        params,
      );
      // DataFlow adds each statement's rows_affected: a record whose row is not there (or is another tenant's) counts 0.
      statements++;
      done += r.rowCount;
    }
    if (data.length > 1) ctx.quirk('bulk-update-data-mode-per-row', `BulkUpdate data mode ran one UPDATE per record (${statements} statements).`, { model: model.name });
    if (done > 0) invalidateCaches(ctx, model);
    return out(done);
  } catch (e) {
    if (e instanceof UnsafeOperationBlockedError) throw e;
    if (done > 0) invalidateCaches(ctx, model);
    // BulkOperations.bulk_update's own catch (dataflow/features/bulk.py:881, :1104).
    return out(done, { success: false, error: bulkFailure('update', e) });
  }
}
