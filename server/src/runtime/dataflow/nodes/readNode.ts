import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError } from '../errors';
import type { RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import { pyRepr, truthy, type PyDict } from '../values/pyValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { deserializeJsonFields, rowToOutput, runSql, selectColumns } from './common';
import { targetId } from './idTarget';

/** <Model>ReadNode (§3.3): by id only; `{**row, "found": True}`; no `filter` parameter. */
export async function executeRead(ctx: ExecutionContext, model: RuntimeModel, inputs: PyDict): Promise<PyDict> {
  const id = targetId(model, inputs.conditions, inputs, 'read');
  if (id === null) {
    throw new DataFlowNodeError(
      `${model.name}ReadNode requires 'id' or 'record_id' parameter. Example: workflow.add_node('${model.name}ReadNode', 'read', {'id': record_id})`,
    );
  }
  const cols = selectColumns(model, true);
  const sql = `SELECT ${cols.map(quoteIdent).join(', ')} FROM ${quoteIdent(model.tableName)} WHERE ${quoteIdent('id')} = $1`;
  const scoped = scopeStatement(ctx, model, sql, [bindValue(id)]);
  const r = await runSql(ctx, scoped.sql, scoped.params);
  let row: PyDict | null = r.rows[0] ? deserializeJsonFields(model, rowToOutput(r, r.rows[0])) : null;
  if (row && model.softDelete && !truthy(inputs.include_deleted) && row.deleted_at !== null && row.deleted_at !== undefined) row = null;
  if (row) return { ...row, found: true };
  const raise = 'raise_on_not_found' in inputs ? truthy(inputs.raise_on_not_found) : true;
  if (raise) throw new DataFlowNodeError(`Record with id=${typeof id === 'string' ? id : pyRepr(id)} not found in ${model.name} table`);
  return { id, found: false };
}
