import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { dataflowError } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import { parsePythonIsoDatetime } from '../values/isoDatetime';
import { isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { deserializeJsonFields, invalidateCaches, isEmptyParam, parseJsonParam, plainOutput, rowToOutput, runSql, serializeDatetimes } from './common';
import { targetId } from './idTarget';
import { checkAsyncpgBind } from '../values/asyncpgBindCheck';

const NOT_UPDATES = new Set(['record_id', 'id', 'database_url', 'conditions', 'updates', 'filter', 'fields', 'created_at', 'updated_at']);

/**
 * <Model>UpdateNode (dataflow/core/nodes.py:2555; docs/dataflow-2.20.md §4, §6): one row by id; other filter keys ignored; `fields` (or legacy
 * `updates`, or legacy flat fields); `updated_at = CURRENT_TIMESTAMP`; values never SQL expressions.
 */
export async function executeUpdate(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const conditions = !isEmptyParam(inputs.filter) ? inputs.filter : inputs.conditions ?? {};
  const fieldsParam = !isEmptyParam(inputs.fields) ? inputs.fields : inputs.updates ?? {};
  if (isEmptyParam(inputs.filter) && !isEmptyParam(inputs.conditions)) {
    ctx.quirk('deprecated-conditions', `Parameter 'conditions' is deprecated in UpdateNode; use 'filter'.`, { model: model.name });
  }
  const id = targetId(model, conditions, inputs, 'update');
  if (id === null) {
    // ErrorEnhancer.enhance_update_node_missing_filter_id (core/nodes.py:2678, DF-704).
    throw dataflowError({
      code: 'DF-704',
      errorCode: 'UPDATE_NODE_MISSING_FILTER_ID',
      message: `${model.name}UpdateNode requires 'id' in filter (node: ${model.name}UpdateNode)`,
      context: [['model_name', model.name], ['node_id', `${model.name}UpdateNode`]],
      original: {
        type: 'NodeValidationError',
        message: `${model.name}UpdateNode requires 'id' or 'record_id' in filter parameter. Example: workflow.add_node('${model.name}UpdateNode', 'update', {'filter': {'id': record_id}, 'fields': {'name': 'value'}})`,
      },
    });
  }
  if (isDfRecord(conditions) && Object.keys(conditions).some((k) => k !== 'id')) {
    ctx.quirk('update-filter-keys-ignored', `UpdateNode targets only the id; filter keys ${Object.keys(conditions).filter((k) => k !== 'id').join(', ')} were ignored.`, { model: model.name });
  }
  let updates: DfRecord = {};
  const parsed = parseJsonParam(fieldsParam, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  if (isDfRecord(parsed) && Object.keys(parsed).length) updates = { ...parsed };
  else for (const [k, v] of Object.entries(inputs)) if (!NOT_UPDATES.has(k)) updates[k] = v;

  if (Object.keys(updates).length) {
    for (const [k, v] of Object.entries(updates)) {
      if (fieldOf(model, k)?.type === 'datetime' && typeof v === 'string') updates[k] = parsePythonIsoDatetime(v) ?? v;
    }
    const names = Object.keys(updates);
    const sets = names.map((n, i) => `${quoteIdent(n)} = $${i + 1}`);
    sets.push(`${quoteIdent('updated_at')} = CURRENT_TIMESTAMP`);
    // ["id"] + the model's fields + ["created_at", "updated_at"] (dataflow/core/nodes.py:2819): a
    // declared `id` field is named twice (recorded: string_pk.sql.json).
    const returning = ['id', ...model.fields.map((f) => f.name), 'created_at', 'updated_at'].map(quoteIdent).join(', ');
    const sql = `UPDATE ${quoteIdent(model.tableName)} SET ${sets.join(', ')} WHERE ${quoteIdent('id')} = $${names.length + 1} RETURNING ${returning}`;
    names.forEach((n, i) => checkAsyncpgBind(ctx, model, n, updates[n] as DfValue, i + 1, true));
    const params = names.map((n) => bindValue(updates[n] as DfValue, fieldOf(model, n), model.useNativeArrays));
    params.push(bindValue(id));
    const scoped = scopeStatement(ctx, model, sql, params);
    const r = await runSql(ctx, scoped.sql, scoped.params);
    if (r.rows[0]) {
      invalidateCaches(ctx, model);
      const echo: DfRecord = {};
      for (const [k, v] of Object.entries(inputs)) if (k !== 'record_id') echo[k] = v;
      const row = deserializeJsonFields(model, rowToOutput(r, r.rows[0]));
      return plainOutput(serializeDatetimes({ ...serializeDatetimes(echo), ...row, updated: true, id }));
    }
  }
  return { id, updated: false };
}
