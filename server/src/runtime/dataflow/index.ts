/**
 * The DataFlow 2.20 semantics layer. Typical use by the evaluator glue:
 *
 *   const db = await PgliteDatabase.open({ dataDir });               // or PostgresDatabase.open({ url })
 *   const rt = await DataFlowRuntime.create({ db, models: [modelDef], settings });
 *   const ctx = rt.newExecution({ allowUnfilteredWritesOnExternal: false });
 *   const node = rt.prepareNode('ProductListNode', { filter: {...} }, 'list_products'); // build time
 *   const out = await rt.executePrepared(ctx, node, runtimeInputs);                   // run time
 *   ctx.quirks / ctx.divergences / ctx.bulkAccounts → report
 */
export { DataFlowRuntime, type PreparedNode, type ResolvedNodeType, type RuntimeOptions } from './runtime';
export { ExecutionContext, type BulkBatchAccount, type DivergenceRecord, type ExecutionOptions, type QuirkRecord, type Surface } from './context';
export {
  defineModel,
  resolveSettings,
  dataFields,
  tableColumns,
  type DataFlowSettings,
  type FieldDefault,
  type IndexSpec,
  type ModelDefinition,
  type PyTypeName,
  type ResolvedSettings,
  type RuntimeField,
  type RuntimeModel,
} from './schema';
export { classNameToTableName, pluralize } from './naming/tableName';
export { camelToSnake } from '../../catalogue/naming';
export { createTableSql, createIndexStatements, pgColumnType } from './ddl/generateDdl';
export { planDdl, type DdlReport } from './schemaManager';
export { DataFlowNodeError, UnsafeOperationBlockedError, isContentAwareFailure, type DataFlowErrorType } from './errors';
export { ExpressApi } from './express/expressApi';
export { QueryCache, type CacheMarker } from './cache/queryCache';
export { SchemaCache, type SchemaCacheMetrics } from './cache/schemaCache';
export { ExpressCache } from './cache/expressCache';
export { declaredParameters, applyConfigDefaults, missingRequiredInputs, type ParamDecl } from './nodes/parameters';
export { seedRows, type SeedOptions } from './seed/seedRows';
export { CallableDefault, pyRepr, type DfRecord, type DfValue } from './values/dfValues';
export { PyDate, PyDateTime, PyDecimal } from '../shared/hostValues';
