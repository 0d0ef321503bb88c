import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { asyncpgInvalidArgument, databaseQueryFailed, DataFlowNodeError, dbMessage } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import { parsePythonIsoDatetime } from '../values/isoDatetime';
import { CallableDefault, pyRepr, type DfRecord, type DfValue } from '../values/dfValues';
import { HostUUID } from '../../shared/hostValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { deserializeJsonFields, invalidateCaches, plainOutput, rowToOutput, runSql, selectColumns, serializeDatetimes } from './common';
import { checkAsyncpgBind } from '../values/asyncpgBindCheck';

/**
 * <Model>CreateNode (dataflow/core/nodes.py:1741; docs/dataflow-2.20.md §5–7). Flat field inputs; `INSERT ... RETURNING id + model fields`;
 * output `{**inputs, **row}` with datetimes as isoformat() strings and REAL values float4-rounded.
 * Every failure is RETURNED as `{"success": False, "error": ...}` (content-aware failure).
 */
export async function executeCreate(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  try {
    if ('data' in inputs && !fieldOf(model, 'data')) {
      throw new DataFlowNodeError(
        `${model.name}CreateNode expects flat fields (top-level), received a data wrapper (nested). ` +
          `Pass the fields directly: workflow.add_node('${model.name}CreateNode', 'create', {'name': ...}).`,
        { code: 'DF-602' },
      );
    }
    const cols: string[] = [];
    const values: DfValue[] = [];
    for (const f of model.fields) {
      if (f.name === 'created_at' || f.name === 'updated_at') continue;
      if (f.name === 'id') {
        if ('id' in inputs) {
          cols.push('id');
          values.push(inputs.id);
          // An `id: UUID` model still gets a SERIAL id column; asyncpg's int4 codec refuses the UUID.
          if (inputs.id instanceof HostUUID && model.idType === 'int') {
            throw databaseQueryFailed(asyncpgInvalidArgument(cols.length, pyRepr(inputs.id), 'value out of int32 range'));
          }
        }
        continue;
      }
      let value: DfValue;
      if (f.name in inputs) {
        value = inputs[f.name];
        if (value instanceof CallableDefault) value = value.produce();
      } else if (f.default && !(f.default.kind === 'value' && f.default.value === null)) {
        value = f.default.kind === 'callable' ? f.default.callable.produce() : f.default.value;
      } else if (f.required) {
        throw new DataFlowNodeError(
          `Missing required field '${f.name}' for CREATE operation on model '${model.name}' (node '${ctx.currentNodeId ?? model.name}')`,
          { code: 'DF-105' },
        );
      } else {
        continue; // optional with no usable default: omitted, the database default applies
      }
      if (f.type === 'datetime' && typeof value === 'string') value = parsePythonIsoDatetime(value) ?? value;
      cols.push(f.name);
      values.push(value);
    }
    const table = quoteIdent(model.tableName);
    const returning = selectColumns(model, false)
      .filter((c) => c !== 'created_at' && c !== 'updated_at')
      .map(quoteIdent)
      .join(', ');
    const sql = cols.length
      ? `INSERT INTO ${table} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${returning}`
      : `INSERT INTO ${table} DEFAULT VALUES RETURNING ${returning}`;
    values.forEach((v, i) => checkAsyncpgBind(ctx, model, cols[i], v, i + 1, true));
    const params = values.map((v, i) => bindValue(v, fieldOf(model, cols[i]), model.useNativeArrays));
    const scoped = scopeStatement(ctx, model, sql, params);
    const r = await runSql(ctx, scoped.sql, scoped.params);
    const row = deserializeJsonFields(model, rowToOutput(r, r.rows[0] ?? {}));
    invalidateCaches(ctx, model);
    return plainOutput(serializeDatetimes({ ...inputs, ...row }));
  } catch (e) {
    return { success: false, error: dbMessage(e) };
  }
}
