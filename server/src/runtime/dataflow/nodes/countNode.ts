import { quoteIdent } from '../../db/quoteIdent';
import type { ExecutionContext } from '../context';
import { compileFilter, whereClause } from '../filters/compileFilter';
import { ParamList } from '../filters/sqlParams';
import type { RuntimeModel } from '../schema';
import type { DfRecord } from '../values/dfValues';
import { scopeStatement } from '../tenancy/scopeStatement';
import { runSql } from './common';
import { effectiveFilter, noteFilterQuirks } from './listNode';
import { deferredBindChecks } from '../values/asyncpgBindCheck';

/** <Model>CountNode (dataflow/core/nodes.py:4106; docs/dataflow-2.20.md §4, §6): `SELECT COUNT(*)` with List's builder and operators; not cached. */
export async function executeCount(ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord): Promise<DfRecord> {
  const t = quoteIdent(model.tableName);
  const params = new ParamList();
  let sql = `SELECT COUNT(*) FROM ${t}`;
  if ('filter' in inputs || model.softDelete) {
    const filter = effectiveFilter(model, inputs);
    noteFilterQuirks(ctx, model, filter);
    const deferred = deferredBindChecks(ctx, model);
    // QueryBuilder.build_count: f"SELECT COUNT(*) FROM {table} {where_clause}", a trailing space
    // when there is no condition (dataflow/database/query_builder.py:435; recorded: bulk_ops.sql.json).
    const conds = compileFilter(filter, params, deferred.add);
    sql += conds.length ? whereClause(conds) : ' ';
    deferred.run();
  }
  const scoped = scopeStatement(ctx, model, sql, params.values);
  const r = await runSql(ctx, scoped.sql, scoped.params);
  const row = r.rows[0] ?? {};
  const v = row.count ?? 0;
  return { count: typeof v === 'number' ? v : Number(v) };
}
