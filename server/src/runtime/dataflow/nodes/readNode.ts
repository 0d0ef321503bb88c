import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { dataflowError } from '../errors';
import type { RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import { pyRepr, truthy, type DfRecord } from '../values/dfValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { deserializeJsonFields, rowToOutput, runSql, selectColumns } from './common';
import { targetId } from './idTarget';

/** <Model>ReadNode (dataflow/core/nodes.py:2393; docs/dataflow-2.20.md §4): by id only; `{**row, "found": True}`; no `filter` parameter. */
export async function executeRead(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const id = targetId(model, inputs.conditions, inputs, 'read');
  if (id === null) {
    // ErrorEnhancer.enhance_read_node_missing_id (core/nodes.py:2430, DF-702).
    throw dataflowError({
      code: 'DF-702',
      errorCode: 'NODE_GENERATION_FAILED',
      message: `${model.name}ReadNode requires 'id' or 'record_id' parameter (node: ${model.name}ReadNode)`,
      context: [['model_name', model.name], ['node_id', `${model.name}ReadNode`]],
      original: { type: 'NodeValidationError', message: `${model.name}ReadNode requires 'id' or 'record_id' parameter. Example: workflow.add_node('${model.name}ReadNode', 'read', {'id': record_id})` },
    });
  }
  const cols = selectColumns(model, true);
  const sql = `SELECT ${cols.map(quoteIdent).join(', ')} FROM ${quoteIdent(model.tableName)} WHERE ${quoteIdent('id')} = $1`;
  const scoped = scopeStatement(ctx, model, sql, [bindValue(id)]);
  const r = await runSql(ctx, scoped.sql, scoped.params);
  let row: DfRecord | null = r.rows[0] ? deserializeJsonFields(model, rowToOutput(r, r.rows[0])) : null;
  if (row && model.softDelete && !truthy(inputs.include_deleted) && row.deleted_at !== null && row.deleted_at !== undefined) row = null;
  if (row) return { ...row, found: true };
  const raise = 'raise_on_not_found' in inputs ? truthy(inputs.raise_on_not_found) : true;
  if (raise) {
    // ErrorEnhancer.enhance_read_node_not_found (core/nodes.py:2542, DF-703).
    const shown = typeof id === 'string' ? id : pyRepr(id);
    throw dataflowError({
      code: 'DF-703',
      errorCode: 'INVALID_NODE_CONFIGURATION',
      message: `${model.name} record '${shown}' not found (node: ${model.name}ReadNode)`,
      context: [['model_name', model.name], ['record_id', shown], ['node_id', `${model.name}ReadNode`]],
      original: { type: 'NodeExecutionError', message: `Record with id=${shown} not found in ${model.name} table` },
    });
  }
  return { id, found: false };
}
