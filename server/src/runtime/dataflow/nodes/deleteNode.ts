import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { dataflowError } from '../errors';
import type { RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import type { DfRecord } from '../values/dfValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { invalidateCaches, isEmptyParam, runSql } from './common';
import { targetId } from './idTarget';

/** <Model>DeleteNode (dataflow/core/nodes.py:2951; docs/dataflow-2.20.md §4, §11): one row by id; soft delete sets deleted_at. */
export async function executeDelete(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const conditions = !isEmptyParam(inputs.filter) ? inputs.filter : inputs.conditions ?? {};
  const id = targetId(model, conditions, inputs, 'delete');
  if (id === null) {
    // ErrorEnhancer.enhance_delete_node_missing_id (core/nodes.py:3020, DF-705).
    throw dataflowError({
      code: 'DF-705',
      errorCode: 'DELETE_NODE_MISSING_ID',
      message: `${model.name}DeleteNode requires 'id' or 'record_id' parameter (node: ${model.name}DeleteNode)`,
      context: [['model_name', model.name], ['node_id', `${model.name}DeleteNode`]],
      original: {
        type: 'ValueError',
        message: `${model.name}DeleteNode requires 'id' or 'record_id' parameter. Cannot delete record without specifying which record to delete. Refusing to proceed to prevent accidental data loss.`,
      },
    });
  }
  const t = quoteIdent(model.tableName);
  const idc = quoteIdent('id');
  const sql = model.softDelete
    ? `UPDATE ${t} SET ${quoteIdent('deleted_at')} = CURRENT_TIMESTAMP WHERE ${idc} = $1 AND ${quoteIdent('deleted_at')} IS NULL RETURNING ${idc}`
    : `DELETE FROM ${t} WHERE ${idc} = $1 RETURNING ${idc}`;
  const scoped = scopeStatement(ctx, model, sql, [bindValue(id)]);
  const r = await runSql(ctx, scoped.sql, scoped.params);
  if (r.rows.length > 0) {
    invalidateCaches(ctx, model);
    return { id, deleted: true };
  }
  return { id, deleted: false };
}
