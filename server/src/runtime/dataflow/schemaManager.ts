import type { ExecutionContext } from './context';
import { createIndexStatements, createTableSql } from './ddl/generateDdl';
import type { NodeServices } from './nodeServices';
import type { RuntimeModel } from './schema';

export interface DdlReport {
  statements: string[];
  /** Index definitions PostgreSQL skipped because an earlier one has the same name (IF NOT EXISTS). */
  shadowedIndexes: { model: string; index: string; shadowedBy: string; unique: boolean }[];
}

/** The DDL for every model: tables first, then indexes, as DataFlow's eager `_create_tables_batch`. */
export function planDdl(models: RuntimeModel[]): DdlReport {
  const statements: string[] = [];
  const shadowed: DdlReport['shadowedIndexes'] = [];
  for (const m of models) statements.push(createTableSql(m));
  const names = new Map<string, string>();
  for (const m of models) {
    for (const ix of createIndexStatements(m, names)) {
      statements.push(ix.sql);
      if (ix.shadowedBy) shadowed.push({ model: m.name, index: ix.name, shadowedBy: ix.shadowedBy, unique: ix.unique });
    }
  }
  return { statements, shadowedIndexes: shadowed };
}

/**
 * ensure_table_exists (§2.6, §5.3): a schema-cache lookup; on a miss, the model's DDL runs and the
 * entry is marked ensured. With auto_migrate=False or existing_schema_mode it is a no-op.
 */
export async function ensureTableExists(ctx: ExecutionContext, model: RuntimeModel): Promise<void> {
  const rt: NodeServices = ctx.services;
  const url = rt.settings.url;
  if (rt.schemaCache.isTableEnsured(url, model.name)) return;
  if (!rt.settings.autoMigrate || rt.settings.existingSchemaMode) {
    rt.schemaCache.markTableEnsured(url, model.name);
    return;
  }
  const plan = planDdl([model]);
  try {
    for (const sql of plan.statements) await ctx.query(sql);
    rt.schemaCache.markTableEnsured(url, model.name);
  } catch (e) {
    rt.schemaCache.markTableFailed(url, model.name, e instanceof Error ? e.message : String(e));
    throw e;
  }
}
