import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { UnsafeOperationBlockedError } from '../errors';
import { compileBulkFilter } from '../filters/compileBulkFilter';
import { whereClause } from '../filters/compileFilter';
import { ParamList } from '../filters/sqlParams';
import { fieldOf, type PyTypeName, type RuntimeField, type RuntimeModel } from '../schema';
import { guardEveryRowWrite } from '../safety/guardEveryRowWrite';
import { bindValue } from '../values/bindValue';
import { isDfRecord, truthy, type DfRecord } from '../values/dfValues';
import { bulkTenant, bulkTenantCondition } from '../tenancy/scopeStatement';
import { invalidateCaches, runSql } from './common';
import { batchSizeOf, bulkData, bulkFilter, convertRecordDatetimes, recordWithDatetimes } from './bulkCommon';
import { asyncpgCodecRefusal, checkAsyncpgBind, columnType, deferredBindChecks } from '../values/asyncpgBindCheck';
import type { SqlParam } from '../../db/types';
import { bulkFailure } from './bulkCommon';

/** A data-mode UPDATE for one set of columns: its text and each column's type and field, looked up once. */
interface RecordUpdate {
  names: string[];
  sql: string;
  types: (PyTypeName | undefined)[];
  fields: (RuntimeField | undefined)[];
}

function recordUpdate(model: RuntimeModel, names: string[], tenant: boolean): RecordUpdate {
  const tenantCond = tenant ? ` AND "tenant_id" = $${names.length + 2}` : '';
  return {
    names,
    sql: `UPDATE ${quoteIdent(model.tableName)} SET ${names.map((n, i) => `${quoteIdent(n)} = $${i + 1}`).join(', ')} WHERE ${quoteIdent('id')} = $${names.length + 1}${tenantCond}`,
    types: names.map((n) => columnType(model, n)),
    fields: names.map((n) => fieldOf(model, n)),
  };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
    // The statement of a record, made for its set of columns and kept while the next records have the same.
    let shape: RecordUpdate | undefined;
    for (const rec of data) {
      if (!isDfRecord(rec) || !('id' in rec)) {
        ctx.quirk('bulk-update-record-without-id', 'BulkUpdate data mode skips records without an id.', { model: model.name });
        continue;
      }
      const fields = recordWithDatetimes(model, rec);
      const id = fields.id;
      const names = Object.keys(fields);
      const idAt = names.indexOf('id');
      if (idAt >= 0) names.splice(idAt, 1);
      if (names.length === 0) {
        done++;
        continue;
      }
      if (!shape || !sameNames(shape.names, names)) shape = recordUpdate(model, names, tenant !== null);
      // asyncpg's checks of every value first, then the binding, as DataFlow's statement does
      for (let i = 0; i < names.length; i++) {
        if (asyncpgCodecRefusal(fields[names[i]], shape.types[i]) !== undefined) checkAsyncpgBind(ctx, model, names[i], fields[names[i]], i + 1);
      }
      const params: SqlParam[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) params[i] = bindValue(fields[names[i]], shape.fields[i], model.useNativeArrays);
      params.push(bindValue(id));
      if (tenant !== null) params.push(tenant);
      const r = await runSql(ctx, shape.sql, params);
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
