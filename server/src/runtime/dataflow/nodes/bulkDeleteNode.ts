import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { UnsafeOperationBlockedError } from '../errors';
import { compileBulkFilter } from '../filters/compileBulkFilter';
import { whereClause } from '../filters/compileFilter';
import { ParamList } from '../filters/sqlParams';
import type { RuntimeModel } from '../schema';
import { guardEveryRowWrite } from '../safety/guardEveryRowWrite';
import { truthy, type DfRecord } from '../values/dfValues';
import { bulkTenant, bulkTenantCondition } from '../tenancy/scopeStatement';
import { invalidateCaches, runSql } from './common';
import { batchSizeOf, bulkData, bulkFilter } from './bulkCommon';
import { deferredBindChecks } from '../values/asyncpgBindCheck';
import { bulkFailure } from './bulkCommon';

/**
 * <Model>BulkDeleteNode (dataflow/core/nodes.py:4527; docs/dataflow-2.20.md §5): `data` is never used to delete anything. A non-empty filter runs
 * `SELECT COUNT(*)` then `DELETE` (or the soft-delete UPDATE). An empty filter needs
 * confirmed=True — and then deletes EVERY row of the table, whatever `data` lists.
 */
export async function executeBulkDelete(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const batchSize = batchSizeOf(inputs);
  const filter = bulkFilter(inputs, 'filter', 'conditions');
  const out = (n: number, extra: DfRecord = {}): DfRecord => ({ processed: n, deleted: n, batch_size: batchSize, operation: 'bulk_delete', success: true, ...extra });
  const data = bulkData(inputs);
  const empty = Object.keys(filter).length === 0;
  const safeMode = 'safe_mode' in inputs ? truthy(inputs.safe_mode) : true;
  if (data.length) {
    ctx.quirk('bulk-delete-data-ignored', `BulkDelete ignores its data list (${data.length} records)${empty && truthy(inputs.confirmed) ? ' and, with confirmed=True and no filter, deletes every row' : ''}.`, { model: model.name });
  }
  if (empty && safeMode && !truthy(inputs.confirmed)) {
    return out(0, {
      success: false,
      error: 'Bulk delete with empty filter requires confirmed=True. Empty filter will delete ALL records in the table. Set confirmed=True to proceed or provide a specific filter.',
    });
  }
  try {
    const tenant = bulkTenant(ctx, model);
    const t = quoteIdent(model.tableName);
    const countParams = new ParamList();
    const deferred = deferredBindChecks(ctx, model);
    const countConds = compileBulkFilter(filter, countParams, deferred.add);
    guardEveryRowWrite(ctx, { node: 'BulkDelete', model: model.name, table: model.tableName, verb: model.softDelete ? 'soft-delete' : 'delete', filter, conditions: countConds });
    if (tenant !== null) countConds.push(bulkTenantCondition(tenant, countParams));
    deferred.run();
    await runSql(ctx, `SELECT COUNT(*) as count FROM ${t}${whereClause(countConds)}`, countParams.values);
    const params = new ParamList();
    const conds = compileBulkFilter(filter, params);
    if (tenant !== null) conds.push(bulkTenantCondition(tenant, params));
    let sql: string;
    if (model.softDelete) {
      conds.push(`${quoteIdent('deleted_at')} IS NULL`);
      sql = `UPDATE ${t} SET ${quoteIdent('deleted_at')} = CURRENT_TIMESTAMP${whereClause(conds)}`;
    } else {
      sql = `DELETE FROM ${t}${whereClause(conds)}`;
    }
    const r = await runSql(ctx, sql, params.values);
    invalidateCaches(ctx, model);
    return out(r.rowCount);
  } catch (e) {
    if (e instanceof UnsafeOperationBlockedError) throw e;
    // BulkOperations.bulk_delete's own catch (dataflow/features/bulk.py:1341).
    return out(0, { success: false, error: bulkFailure('delete', e) });
  }
}
