import { UnmodelledNodeError } from '../../workflow/errors';
import { bareIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError, databaseQueryFailed, dataflowError } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { bindValue } from '../values/bindValue';
import { parsePythonIsoDatetime } from '../values/isoDatetime';
import { isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { invalidateCaches, parseJsonParam, rowToOutput, runSql } from './common';
import { uniqueKeySets } from './uniqueKeys';
import { checkAsyncpgBind } from '../values/asyncpgBindCheck';

function dictParam(v: DfValue | undefined): DfRecord {
  const p = parseJsonParam(v, {}, (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  return isDfRecord(p) ? { ...p } : {};
}

function convertDatetimes(model: RuntimeModel, d: DfRecord): DfRecord {
  for (const [k, v] of Object.entries(d)) if (fieldOf(model, k)?.type === 'datetime' && typeof v === 'string') d[k] = parsePythonIsoDatetime(v) ?? v;
  return d;
}

/**
 * <Model>UpsertNode (dataflow/core/nodes.py:3488; docs/dataflow-2.20.md §4, §6): INSERT ... ON CONFLICT (conflict_on) DO UPDATE SET
 * <update cols>, updated_at = CURRENT_TIMESTAMP RETURNING *, (xmax = 0) AS _upsert_inserted.
 */
export async function executeUpsert(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  let conflictOn: DfValue | undefined = inputs.conflict_on;
  if (typeof conflictOn === 'string') conflictOn = parseJsonParam(conflictOn, conflictOn, (x) => Array.isArray(x));
  if (Array.isArray(conflictOn) && conflictOn.length === 0) {
    throw new DataFlowNodeError(
      `${model.name}UpsertNode: conflict_on must contain at least one field when specified. To use default conflict detection (based on 'where' fields), omit the conflict_on parameter entirely.`,
    );
  }
  const where = dictParam(inputs.where);
  const update = dictParam(inputs.update);
  const create = dictParam(inputs.create);
  if (Object.keys(where).length === 0) {
    // ErrorEnhancer.enhance_upsert_node_missing_where (core/nodes.py:3565, DF-707).
    throw dataflowError({
      code: 'DF-707',
      errorCode: 'MISSING_PARAMETER',
      message: `${model.name}UpsertNode requires 'where' clause to identify record (node: ${model.name}UpsertNode)`,
      context: [['model_name', model.name], ['node_id', `${model.name}UpsertNode`]],
      original: {
        type: 'NodeValidationError',
        message: `${model.name}UpsertNode requires 'where' parameter. Example: {'where': {'email': 'user@example.com'}, 'update': {'name': 'Updated'}, 'create': {'email': '...', 'name': 'New'}}`,
      },
    });
  }
  if (Object.keys(update).length === 0 && Object.keys(create).length === 0) {
    // ErrorEnhancer.enhance_upsert_node_missing_operations (core/nodes.py:3580, DF-708).
    throw dataflowError({
      code: 'DF-708',
      errorCode: 'MISSING_PARAMETER',
      message: `${model.name}UpsertNode requires 'update' or 'create' operation (node: ${model.name}UpsertNode)`,
      context: [['model_name', model.name], ['node_id', `${model.name}UpsertNode`], ['has_update', 'False'], ['has_create', 'False']],
      original: { type: 'NodeValidationError', message: `${model.name}UpsertNode requires 'update' or 'create' parameter` },
    });
  }
  const insertData = convertDatetimes(model, { ...where, ...create });
  convertDatetimes(model, update);
  const conflictCols = Array.isArray(conflictOn) && conflictOn.length ? conflictOn.map(String) : Object.keys(where);
  const keys = await uniqueKeySets(ctx, model);
  if (!keys.some((k) => sameSet(k, conflictCols))) {
    if (/^sqlite/i.test(ctx.services.settings.url ?? '')) {
      // DataFlow's SQLite upsert pre-checks the row and sends a plain INSERT or UPDATE (no ON CONFLICT,
      // so no unique constraint is needed, #1508); PostgreSQL's needs one. The runtime runs SQLite URLs
      // on PostgreSQL and does not model the SQLite path: unsupported, not PostgreSQL's failure.
      throw new UnmodelledNodeError(
        `${model.name}UpsertNode`,
        undefined,
        `\`${model.name}UpsertNode\` with conflict_on [${conflictCols.join(', ')}] (no unique constraint) on a SQLite URL: DataFlow's SQLite upsert pre-checks the row and sends INSERT or UPDATE without ON CONFLICT, a path the runtime (which runs SQLite URLs on PostgreSQL) does not model`,
      );
    }
    throw new DataFlowNodeError(
      `UpsertConflictTargetError: conflict_on [${conflictCols.join(', ')}] of ${model.name} is not backed by a PRIMARY KEY or UNIQUE constraint on table '${model.tableName}'. Add a unique index in __dataflow__['indexes'].`,
    );
  }
  const cols = Object.keys(insertData);
  // DataFlow writes the Upsert's identifiers unquoted (dataflow/sql/dialects.py:322-373): the
  // runtime sends the same text, so PostgreSQL folds a mixed-case name and refuses a reserved word
  // as it does in production (recorded: upsert_identifiers). A name that would not even lex as one
  // identifier is never pasted: the node fails as PostgreSQL's parser would.
  const bare = (name: string): string => {
    const b = bareIdent(name);
    if (b !== undefined) return b;
    ctx.quirk('upsert-unquoted-identifier', `DataFlow writes ${JSON.stringify(name)} unquoted into ${model.name}UpsertNode's statement, where PostgreSQL cannot read it as one name: the upsert fails in production. Rename it.`, { model: model.name });
    throw databaseQueryFailed(new Error(`syntax error at or near ${JSON.stringify(name)}`));
  };
  // TypeAwareFieldProcessor runs on the insert and update data (dataflow/core/nodes.py:3627), then asyncpg checks each value.
  cols.forEach((c, i) => checkAsyncpgBind(ctx, model, c, insertData[c], i + 1, true));
  const params = cols.map((c) => bindValue(insertData[c], fieldOf(model, c), model.useNativeArrays));
  const sets: string[] = [];
  for (const [k, v] of Object.entries(update)) {
    if (conflictCols.includes(k) || k === 'id') continue;
    checkAsyncpgBind(ctx, model, k, v, params.length + 1, true);
    params.push(bindValue(v, fieldOf(model, k), model.useNativeArrays));
    sets.push(`${bare(k)} = :p${params.length - 1}`);
  }
  sets.push(`${bare('updated_at')} = CURRENT_TIMESTAMP`);
  // PostgreSQLDialect.build_upsert_query's f-string (dataflow/sql/dialects.py:366) as it is sent:
  // stripped, its inner line breaks and indentation kept, `:pN` placeholders (kailash sends them as
  // $n with its casts, ExecutionContext.query) (recorded: upsert_identifiers.sql.json).
  const sql = [
    `INSERT INTO ${bare(model.tableName)} (${cols.map(bare).join(', ')})`,
    `VALUES (${cols.map((_, i) => `:p${i}`).join(', ')})`,
    `ON CONFLICT (${conflictCols.map(bare).join(', ')})`,
    `DO UPDATE SET ${sets.join(', ')}`,
    'RETURNING *, (xmax = 0) AS _upsert_inserted',
  ].join('\n            ');
  const r = await runSql(ctx, sql, params);
  const raw = r.rows[0];
  if (!raw) throw new DataFlowNodeError(`Upsert failed for ${model.name}`);
  const row = rowToOutput(r, raw);
  const created = row._upsert_inserted === true;
  delete row._upsert_inserted;
  invalidateCaches(ctx, model);
  return { created, record: row, action: created ? 'created' : 'updated' };
}

export function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
