import { createHash } from 'node:crypto';
import type { Database, SqlParam } from '../db/types';
import { ExpressCache } from './cache/expressCache';
import { QueryCache } from './cache/queryCache';
import { SchemaCache } from './cache/schemaCache';
import { ExecutionContext, type DivergenceRecord, type ExecutionOptions, type QuirkRecord, type Surface } from './context';
import { DataFlowNodeError } from './errors';
import type { NodeServices } from './nodeServices';
import { ExpressApi } from './express/expressApi';
import { executeBulkCreate } from './nodes/bulkCreateNode';
import { executeBulkDelete } from './nodes/bulkDeleteNode';
import { executeBulkUpdate } from './nodes/bulkUpdateNode';
import { executeBulkUpsert } from './nodes/bulkUpsertNode';
import { executeCount } from './nodes/countNode';
import { executeCreate } from './nodes/createNode';
import { executeDelete } from './nodes/deleteNode';
import { executeList } from './nodes/listNode';
import { applyConfigDefaults, missingRequiredInputs, type CoercionNote } from './nodes/parameters';
import { executeRead } from './nodes/readNode';
import { executeUpdate } from './nodes/updateNode';
import { executeUpsert } from './nodes/upsertNode';
import { validateInputs } from './nodes/validateInputs';
import { ensureTableExists, planDdl, type DdlReport } from './schemaManager';
import { defineModel, resolveSettings, type DataFlowSettings, type ModelDefinition, type ResolvedSettings, type RuntimeModel } from './schema';
import { seedRows, type SeedOptions } from './seed/seedRows';
import { nodeFilter, seedForFilter, type SeededFilter } from './seed/filterSeeding';
import { executeTransactionNode, transactionInputs } from './transactions/transactionNodes';
import type { DfRecord } from './values/dfValues';
import { BULK_OPERATIONS, nodeTypeReadings, TRANSACTION_NODES, type NodeOperation, type TransactionNodeName } from '../../catalogue';

export interface RuntimeOptions {
  db: Database;
  /** Runtime models, or definitions to build them from. */
  models: (RuntimeModel | ModelDefinition)[];
  settings?: DataFlowSettings;
}

export type ResolvedNodeType =
  | { kind: 'model'; typeName: string; model: RuntimeModel; op: NodeOperation }
  | { kind: 'transaction'; typeName: TransactionNodeName };

/** A node after build-time processing: its config with DataFlow's defaults merged in. */
export interface PreparedNode {
  nodeId: string;
  type: ResolvedNodeType;
  config: DfRecord;
  coerced: CoercionNote[];
}

/** One executor per generated node (the catalogue's operations, server/src/catalogue/nodes.ts). */
export const EXECUTORS: Record<NodeOperation, (ctx: ExecutionContext, model: RuntimeModel, inputs: DfRecord) => Promise<DfRecord>> = {
  Create: executeCreate,
  Read: executeRead,
  Update: executeUpdate,
  Delete: executeDelete,
  List: executeList,
  Count: executeCount,
  Upsert: executeUpsert,
  BulkCreate: executeBulkCreate,
  BulkUpdate: executeBulkUpdate,
  BulkDelete: executeBulkDelete,
  BulkUpsert: executeBulkUpsert,
};

/** Operations an append-only model refuses. */
const MUTATIONS: NodeOperation[] = ['Update', 'Delete', 'Upsert', 'BulkUpdate', 'BulkDelete', 'BulkUpsert'];

/**
 * One DataFlow instance: its models, its database, and its caches (query cache, express cache,
 * schema cache), which live across workflow executions as they do in a Python process.
 */
export class DataFlowRuntime implements NodeServices {
  readonly db: Database;
  readonly settings: ResolvedSettings;
  readonly models = new Map<string, RuntimeModel>();
  readonly queryCache: QueryCache;
  readonly expressCache: ExpressCache;
  readonly schemaCache: SchemaCache;
  readonly uniqueIndexCache = new Map<string, string[][]>();
  readonly startupDivergences: DivergenceRecord[] = [];
  readonly startupQuirks: QuirkRecord[] = [];
  /** Identity of the target database used in query-cache keys. */
  readonly dbIdentity: string;
  lastDdl?: DdlReport;

  constructor(options: RuntimeOptions) {
    this.db = options.db;
    this.settings = resolveSettings(options.settings);
    for (const m of options.models) {
      const model = 'tableName' in m ? m : defineModel(m, this.settings);
      if (this.models.has(model.name)) throw new DataFlowNodeError(`Model '${model.name}' is already registered`);
      this.models.set(model.name, model);
    }
    this.queryCache = new QueryCache(this.settings.cacheTtl, this.settings.cacheMaxSize);
    this.expressCache = new ExpressCache(this.settings.cacheEnabled && this.settings.cacheTtl > 0, this.settings.cacheTtl, this.settings.cacheMaxSize);
    this.schemaCache = new SchemaCache(this.settings.schemaCacheEnabled, this.settings.schemaCacheMaxSize, this.settings.schemaCacheTtl);
    this.dbIdentity = createHash('sha256').update(this.db.description + '|' + this.db.schema).digest('hex');
    this.collectStartupNotes();
  }

  /** Build the runtime and create every table and index (DataFlow's eager DDL at first connect). */
  static async create(options: RuntimeOptions): Promise<DataFlowRuntime> {
    const rt = new DataFlowRuntime(options);
    await rt.initialize();
    return rt;
  }

  async initialize(): Promise<DdlReport> {
    const models = [...this.models.values()];
    const plan = planDdl(models);
    this.lastDdl = plan;
    if (this.settings.autoMigrate && !this.settings.existingSchemaMode) {
      for (const sql of plan.statements) await this.db.query(sql, [], { tag: 'dataflow:ddl' });
    }
    for (const m of models) this.schemaCache.markTableEnsured(this.settings.url, m.name);
    for (const s of plan.shadowedIndexes) {
      this.startupQuirks.push({
        code: 'index-name-collision',
        model: s.model,
        message: `Index ${s.index}${s.unique ? ' (UNIQUE)' : ''} of ${s.model} has the same name as ${s.shadowedBy}; CREATE INDEX IF NOT EXISTS skipped it, as in DataFlow.`,
      });
    }
    return plan;
  }

  /**
   * db.create_tables() / db.create_tables_async(): every model's DDL whatever auto_migrate and
   * existing_schema_mode say (DataFlow 2.20 runs generate_complete_schema_sql unconditionally there).
   */
  async createTables(): Promise<void> {
    const plan = planDdl([...this.models.values()]);
    for (const sql of plan.statements) await this.db.query(sql, [], { tag: 'dataflow:ddl' });
    for (const m of this.models.values()) this.schemaCache.markTableEnsured(this.settings.url, m.name);
  }

  /**
   * `@db.model` after the first connection: DataFlow creates the table at once (reference §2.6).
   * Before it, models are only queued (they are created by initialize()).
   */
  async registerModel(def: ModelDefinition | RuntimeModel, connected: boolean): Promise<RuntimeModel> {
    const model = 'tableName' in def ? def : defineModel(def, this.settings);
    if (this.models.has(model.name)) throw new DataFlowNodeError(`Model '${model.name}' is already registered`);
    this.models.set(model.name, model);
    if (connected) {
      const plan = planDdl([model]);
      if (this.settings.autoMigrate && !this.settings.existingSchemaMode) {
        for (const sql of plan.statements) await this.db.query(sql, [], { tag: 'dataflow:ddl' });
      }
      this.schemaCache.markTableEnsured(this.settings.url, model.name);
    }
    return model;
  }

  /** Drop every table (the working schema), clear all caches, recreate the tables. */
  async resetSchema(): Promise<void> {
    await this.db.resetSchema();
    this.queryCache.clear();
    this.expressCache.clear();
    this.schemaCache.clear();
    this.uniqueIndexCache.clear();
    this.startupQuirks.length = 0;
    await this.initialize();
  }

  /** A context for one workflow execution (quirks, divergences, transaction, options). */
  newExecution(options: ExecutionOptions = {}): ExecutionContext {
    return new ExecutionContext(this, options, { divergences: this.startupDivergences, quirks: this.startupQuirks });
  }

  /** Roll back a transaction a workflow left open. Returns true if there was one. */
  async endExecution(ctx: ExecutionContext): Promise<boolean> {
    const tx = ctx.transaction;
    ctx.transaction = undefined;
    if (tx?.active) {
      await tx.rollback();
      return true;
    }
    return false;
  }

  /** The node `typeName` names on this instance (a Transaction* node or a model's node), if any. */
  tryResolveNodeType(typeName: string): ResolvedNodeType | undefined {
    if ((TRANSACTION_NODES as readonly string[]).includes(typeName)) return { kind: 'transaction', typeName: typeName as TransactionNodeName };
    for (const { model: name, op } of nodeTypeReadings(typeName)) {
      const model = this.models.get(name);
      if (model) return { kind: 'model', typeName, model, op };
    }
    return undefined;
  }

  /** tryResolveNodeType, failing as DataFlow's registry does for a name it does not know. */
  resolveNodeType(typeName: string): ResolvedNodeType {
    const t = this.tryResolveNodeType(typeName);
    if (!t) throw new DataFlowNodeError(`Node '${typeName}' not found in registry`, { errorType: 'WorkflowValidationError' });
    return t;
  }

  /**
   * Build time (`WorkflowBuilder.build()`): resolve the type, coerce config values to the declared
   * parameter types (string order_by → list of characters) and merge every non-None default.
   */
  prepareNode(typeName: string, config: DfRecord = {}, nodeId = typeName): PreparedNode {
    const type = this.resolveNodeType(typeName);
    if (type.kind === 'transaction') return { nodeId, type, config: { ...config }, coerced: [] };
    if (type.model.appendOnly && MUTATIONS.includes(type.op)) {
      throw new DataFlowNodeError(`AppendOnlyViolationError: model '${type.model.name}' is append-only; ${typeName} is not allowed`);
    }
    const { config: merged, coerced } = applyConfigDefaults(type.model, type.op, config);
    return { nodeId, type, config: merged, coerced };
  }

  /** Required inputs that neither the config nor connections/parameters supply. */
  missingRequiredInputs(prepared: PreparedNode, runtimeInputKeys: Iterable<string> = []): string[] {
    if (prepared.type.kind !== 'model') return [];
    return missingRequiredInputs(prepared.type.model, prepared.type.op, [...Object.keys(prepared.config), ...runtimeInputKeys]);
  }

  /**
   * Run a prepared node with its runtime inputs (connections, then parameters) merged over its
   * config — `{**config, **runtime_inputs}`. Returns DataFlow's output dict; throws
   * DataFlowNodeError where DataFlow raises.
   */
  async executePrepared(ctx: ExecutionContext, prepared: PreparedNode, runtimeInputs: DfRecord = {}): Promise<DfRecord> {
    if (prepared.type.kind === 'transaction') {
      return this.executeNode(ctx, prepared.type, transactionInputs(prepared.type.typeName, prepared.config, runtimeInputs), { surface: 'workflow', nodeId: prepared.nodeId });
    }
    for (const c of prepared.coerced) {
      if (c.param === 'order_by' && c.from === 'str') {
        ctx.currentNodeId = prepared.nodeId;
        ctx.quirk('order-by-string-split', `order_by given as a string in the node config was split into characters by the core SDK's type coercion.`);
      }
    }
    return this.executeNode(ctx, prepared.type, { ...prepared.config, ...runtimeInputs }, { surface: 'workflow', nodeId: prepared.nodeId });
  }

  /** prepareNode + executePrepared in one call. */
  async runNode(ctx: ExecutionContext, typeName: string, config: DfRecord = {}, runtimeInputs: DfRecord = {}, nodeId = typeName): Promise<DfRecord> {
    return this.executePrepared(ctx, this.prepareNode(typeName, config, nodeId), runtimeInputs);
  }

  /** Execute with exactly these inputs (no default merging). `surface` decides validate_inputs. */
  async executeNode(ctx: ExecutionContext, type: ResolvedNodeType | string, inputs: DfRecord, opts: { surface?: Surface; nodeId?: string } = {}): Promise<DfRecord> {
    const t = typeof type === 'string' ? this.resolveNodeType(type) : type;
    const previous = ctx.currentNodeId;
    ctx.currentNodeId = opts.nodeId ?? t.typeName;
    try {
      if (t.kind === 'transaction') return await executeTransactionNode(ctx, t.typeName, inputs);
      const surface = opts.surface ?? 'workflow';
      try {
        await ensureTableExists(ctx, t.model);
      } catch (e) {
        throw new DataFlowNodeError(`DDLFailedError: table creation for model '${t.model.name}' failed: ${e instanceof Error ? e.message : String(e)}`, {
          errorType: 'DDLFailedError',
          cause: e,
        });
      }
      const validated = surface === 'workflow' || BULK_OPERATIONS.has(t.op) ? validateInputs(ctx, t.model, t.op, inputs) : inputs;
      if (this.db.kind === 'postgres' && (this.settings.poolSize !== null || this.settings.poolMaxOverflow !== null)) {
        ctx.diverge('pool-size-honoured', 'DataFlow 2.20 ignores pool_size / pool_max_overflow for the pool its nodes use (asyncpg max 20); this runtime sizes its pool from them.');
      }
      return await EXECUTORS[t.op](ctx, t.model, validated);
    } finally {
      ctx.currentNodeId = previous;
    }
  }

  /** `db.express` bound to an execution context. */
  express(ctx: ExecutionContext = this.newExecution()): ExpressApi {
    return new ExpressApi(this, ctx);
  }

  /** db.get_schema_cache_metrics() */
  getSchemaCacheMetrics(): ReturnType<SchemaCache['getMetrics']> {
    return this.schemaCache.getMetrics();
  }

  /** Fill tables with synthetic rows (embedded database only unless allowed). */
  seedRows(modelNames: string[] | undefined, n: number, options: SeedOptions = {}): Promise<Record<string, number>> {
    const models = (modelNames ?? [...this.models.keys()]).map((name) => {
      const m = this.models.get(name);
      if (!m) throw new Error(`unknown model '${name}'`);
      return m;
    });
    return seedRows(this.db, models, n, options).then(({ counts, ids }) => {
      for (const m of models) {
        this.queryCache.invalidateModel(m.name);
        this.expressCache.invalidateModel(m.name);
        this.seededIds.set(m.name, [...(this.seededIds.get(m.name) ?? []), ...(ids[m.name] ?? [])]);
      }
      return counts;
    });
  }

  /** Seeded rows' ids per model (seedForFilters picks among them). */
  private readonly seededIds = new Map<string, SqlParam[]>();
  private readonly seededConditions = new Set<string>();
  /** What seedForFilters did this run, in order. */
  readonly seededFilters: SeededFilter[] = [];

  /**
   * Before a workflow of this instance runs on seeded tables: a share of the seeded rows takes the
   * values its nodes' filters select (seed/filterSeeding.ts). `config` is the node's config with its
   * `parameters=` entry merged over it. Does nothing when nothing was seeded.
   */
  async seedForFilters(typeName: string, config: DfRecord): Promise<void> {
    if (!this.seededIds.size) return;
    const t = this.tryResolveNodeType(typeName);
    if (!t || t.kind === 'transaction') return;
    const filter = nodeFilter(t.op, config);
    const ids = this.seededIds.get(t.model.name);
    if (!filter || !ids) return;
    const seeded = await seedForFilter(this.db, t.model, ids, filter, this.seededConditions);
    if (!seeded.length) return;
    this.seededFilters.push(...seeded);
    this.queryCache.invalidateModel(t.model.name);
    this.expressCache.invalidateModel(t.model.name);
  }

  private collectStartupNotes(): void {
    for (const m of this.models.values()) {
      const honoured = m.indexes.filter((i) => i.source === '__indexes__');
      if (honoured.length) {
        this.startupDivergences.push({
          code: 'dunder-indexes-honoured',
          model: m.name,
          message: `${m.name}.__indexes__ is ignored by DataFlow 2.20; this runtime creates ${honoured.map((i) => i.name).join(', ')} anyway.`,
        });
      }
      if (m.unknownConfigKeys.length) {
        this.startupQuirks.push({
          code: 'unknown-dataflow-config-key',
          model: m.name,
          message: `Model '${m.name}' declares unknown __dataflow__ key(s) [${m.unknownConfigKeys.join(', ')}]; they have no effect.`,
        });
      }
    }
    this.startupDivergences.push({
      code: 'quoted-ddl-identifiers',
      message: 'Index DDL quotes identifiers (DataFlow leaves them unquoted); DDL DEFAULT strings are escaped (DataFlow pastes them raw).',
    });
  }
}
