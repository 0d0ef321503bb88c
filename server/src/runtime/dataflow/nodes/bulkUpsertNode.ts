import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError } from '../errors';
import type { RuntimeModel } from '../schema';
import { pyRepr, type DfRecord, type DfValue } from '../values/dfValues';
import { invalidateCaches, runSql } from './common';
import { allRecords, assertParamBudget, batchRanges, batchSizeOf, batchTexts, bindRows, bulkData, bulkFailure, columnBinders, recordsWithDatetimes } from './bulkCommon';
import { sameSet } from './upsertNode';
import { uniqueKeySets } from './uniqueKeys';

/** The first record lacking some of `columns`, and which (a plain loop: see keysBeyond in bulkCommon.ts). */
function firstMissingColumns(records: readonly DfRecord[], columns: readonly string[]): { index: number; missing: string[] } | undefined {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const missing = columns.filter((c) => !(c in r));
    if (missing.length) return { index: i, missing };
  }
  return undefined;
}

/**
 * <Model>BulkUpsertNode (dataflow/core/nodes.py:4637; case upsert_transactions): conflict_resolution "skip" (the workflow default) or
 * "ignore" → ON CONFLICT DO NOTHING; "update" → DO UPDATE SET col = EXCLUDED.col. `upserted` and
 * `total` count the records sent; inserted/updated/skipped come from RETURNING (xmax = 0).
 */
export async function executeBulkUpsert(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const batchSize = batchSizeOf(inputs);
  const fail = (error: string): DfRecord => ({ processed: 0, upserted: 0, batch_size: batchSize, operation: 'bulk_upsert', success: false, error });
  const resolution = typeof inputs.conflict_resolution === 'string' ? inputs.conflict_resolution : 'skip';
  const rawConflict: DfValue | undefined = inputs.conflict_on ?? inputs.conflict_columns ?? inputs.conflict_fields;
  const conflictCols = Array.isArray(rawConflict) && rawConflict.length ? rawConflict.map(String) : typeof rawConflict === 'string' ? [rawConflict] : ['id'];
  const data = bulkData(inputs);
  let inserted = 0;
  let updated = 0;
  let skipped = 0;
  try {
    if (!['skip', 'ignore', 'update'].includes(resolution)) {
      return fail(`Invalid conflict_resolution '${resolution}'. Must be 'update', 'skip', or 'ignore'.`); // recorded (node_errors)
    }
    if (data.length === 0) {
      return { processed: 0, upserted: 0, total: 0, batch_size: batchSize, operation: 'bulk_upsert', success: true, inserted: 0, updated: 0, skipped: 0 };
    }
    if (!allRecords(data)) throw new DataFlowNodeError('bulk_upsert data must be a list of dicts');
    const records = recordsWithDatetimes(model, data as DfRecord[]);
    const incomplete = firstMissingColumns(records, conflictCols);
    if (incomplete) {
      const { index, missing } = incomplete;
      return fail(`Record at index ${index} is missing conflict-target column(s) ${pyRepr(missing)}. Every record MUST supply the conflict_on columns ${pyRepr(conflictCols)} for upsert.`); // bulk.py:1472
    }
    const keys = await uniqueKeySets(ctx, model);
    if (!keys.some((k) => sameSet(k, conflictCols))) {
      throw new DataFlowNodeError(
        `BulkUpsertConflictTargetError: conflict columns [${conflictCols.join(', ')}] of ${model.name} are not backed by a PRIMARY KEY or UNIQUE constraint on table '${model.tableName}'.`,
      );
    }
    if (resolution !== 'update') ctx.quirk('bulk-upsert-skips-by-default', `BulkUpsert conflict_resolution='${resolution}': existing rows are left unchanged (ON CONFLICT DO NOTHING).`, { model: model.name });
    const columns = Object.keys(records[0]);
    const updateCols = columns.filter((c) => !conflictCols.includes(c) && c !== 'id');
    const action =
      resolution === 'update' && updateCols.length
        ? `DO UPDATE SET ${updateCols.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}`
        : 'DO NOTHING';
    const binders = columnBinders(ctx, model, columns);
    const textOf = batchTexts(
      `INSERT INTO ${quoteIdent(model.tableName)} (${columns.map(quoteIdent).join(', ')}) VALUES `,
      columns.length,
      // DataFlow's text, id unquoted (dataflow/features/bulk.py:1903)
      ` ON CONFLICT (${conflictCols.map(quoteIdent).join(', ')}) ${action} RETURNING id, (xmax = 0) AS inserted`,
    );
    for (const [from, to] of batchRanges(records.length, batchSize)) {
      const params = bindRows(binders, columns, records, from, to);
      assertParamBudget(params);
      const r = await runSql(ctx, textOf(to - from), params);
      const ins = r.rows.filter((row) => row.inserted === true).length;
      inserted += ins;
      updated += r.rows.length - ins;
      skipped += to - from - r.rows.length;
    }
    invalidateCaches(ctx, model);
    const n = records.length;
    return { processed: n, upserted: n, total: n, batch_size: batchSize, operation: 'bulk_upsert', success: true, inserted, updated, skipped };
  } catch (e) {
    if (inserted + updated > 0) invalidateCaches(ctx, model);
    // BulkOperations.bulk_upsert's own catch (dataflow/features/bulk.py:1803).
    return fail(bulkFailure('upsert', e));
  }
}
