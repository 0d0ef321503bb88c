// `DataFlow(...)` as Python code sees it: settings from the constructor, `@db.model` /
// `db.register_model`, `db.express` / `db.express_sync`, `db.add_node`, lifecycle calls.
// The runtime behind it is created on first use, as DataFlow connects lazily (reference §1.2).
import { HostObject, NOT_HANDLED, argOf, hostFunction, type HostContext } from '../python/host';
import { redactUrl } from '../db/redactUrl';
import { generatedNodeName, GET_GENERATED_NODES_OPS, INSTANCE_NODE_MODULES, INSTANCE_NODES, NODE_REGISTRATION_ORDER, OPERATIONS } from '../../catalogue';
import { PyClass, PyCoroutine, PyDict, PyException, PyList, UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import { assignedHostClassAttr } from '../python/hostClassMembers';
import { classNameToTableName } from '../dataflow/naming/tableName';
import type { DataFlowSettings } from '../dataflow/schema';
import { modelFromClass } from './modelFromClass';
import type { PendingInstance, Session } from './session';
import type { DataFlowRuntime } from '../dataflow/runtime';
import { TenantContextObject } from './tenantContextObject';
import { ExpressObject } from './expressObject';
import { pyError, pythonErrors } from './errors';
import { siteLocation } from './location';
import { fromDataFlow, toDataFlowDict } from './values';
import type { WorkflowBuilderObject } from './workflowObjects';
import { RealClassObject, attributeText } from './realClassObject';
import { ConnectionManagerObject } from './frameworkClasses';
import { claimForDataFlow } from '../python/sqliteFileClaims';
import { QueryBuilderObject, queryDialectOf } from './queryBuilderObject';
import { ModelInfoObject, NodeClassObject } from './modelInfo';
import { DataFlowConfigObject } from './dataflowConfigObject';
import { TypeProcessorObject } from './typeProcessorObject';
import { cleanupReachesDatabase, dropTestTables } from './cleanupTestTables';

/** The node classes DataFlow.__init__ stores in `_nodes` before any model (_register_specialized_nodes), with their modules. */
const SPECIALIZED_NODES: [string, string][] = INSTANCE_NODES.map((n) => [n, INSTANCE_NODE_MODULES[n]]);

function num(v: PyValue | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const f = (v as { v?: number }).v;
  return typeof f === 'number' ? f : undefined;
}

function tableNameOf(m: PendingInstance['models'][number]): string {
  return 'tableName' in m ? m.tableName : (m.tablename ?? classNameToTableName(m.name));
}

/** Reads DataFlow's constructor arguments (reference §1.1). Unknown keywords are accepted and ignored, as DataFlow does (with DF-CFG-001). */
export function settingsFromArgs(args: PyValue[], kwargs: Kwargs, session: Session): DataFlowSettings {
  const url = argOf(args, kwargs, 0, 'database_url');
  const s: DataFlowSettings = {};
  if (typeof url === 'string') s.url = url;
  else if (url === null || url === undefined) s.url = null;
  const poolSize = num(kwargs.get('pool_size'));
  if (poolSize !== undefined) s.poolSize = poolSize;
  const overflow = num(kwargs.get('pool_max_overflow'));
  if (overflow !== undefined) s.poolMaxOverflow = overflow;
  const cache = kwargs.get('cache_enabled') ?? kwargs.get('enable_caching');
  if (typeof cache === 'boolean') s.cacheEnabled = cache;
  const ttl = num(kwargs.get('cache_ttl'));
  if (typeof ttl === 'number') s.cacheTtl = ttl;
  const maxSize = num(kwargs.get('cache_max_size'));
  if (typeof maxSize === 'number') s.cacheMaxSize = maxSize;
  const mt = kwargs.get('multi_tenant');
  if (typeof mt === 'boolean') s.multiTenant = mt;
  const am = kwargs.get('auto_migrate');
  if (typeof am === 'boolean') s.autoMigrate = am;
  if (am === 'warn') s.autoMigrate = true;
  const esm = kwargs.get('existing_schema_mode');
  if (typeof esm === 'boolean') s.existingSchemaMode = esm;
  const sce = kwargs.get('schema_cache_enabled');
  if (typeof sce === 'boolean') s.schemaCacheEnabled = sce;
  const slow = num(kwargs.get('slow_query_threshold'));
  if (typeof slow === 'number' && session.slowQueryThreshold === undefined) session.slowQueryThreshold = slow;
  if (typeof s.url === 'string' && /^sqlite/i.test(s.url)) {
    session.notes.push(`DataFlow("${redactUrl(s.url)}") is SQLite: it runs on the embedded PostgreSQL here (SQL shapes are PostgreSQL's).`);
  } else if (s.url === null || s.url === undefined) {
    session.notes.push('DataFlow() without a URL is DataFlow\'s in-memory SQLite: it runs on the embedded PostgreSQL here.');
  }
  return s;
}

export const DATAFLOW_METHODS: ReadonlySet<string> = new Set(['model', 'register_model', 'add_node', 'initialize', 'create_tables', 'create_tables_async', 'close', 'close_async', 'get_schema_cache_metrics', 'clear_schema_cache', 'create_workflow',
  'get_models', 'list_models', 'get_node', 'get_generated_nodes', 'cleanup_test_tables', 'get_type_processor',
  'discover_schema', 'register_schema_as_models', 'get_tenant_tables']);

/** DataFlow.discover_schema's refusal inside a running event loop (it would block the loop). */
const DISCOVER_IN_LOOP = "discover_schema() cannot be called from a running async context. Use 'await discover_schema_async()' instead, or call from a sync context. This prevents deadlocks with session-scoped pytest event loops. See: DATAFLOW-SESSION-LOOP-DEADLOCK-001";

/** DataFlow attributes that stay unmodelled, with what they depend on that the runtime does not have. */
const UNMODELLED_SUBSYSTEMS: Record<string, string> = {
  auto_migrate: 'it runs DataFlow\'s migration system (schema inspection and diff, the dataflow_migration_locks table, migration history, each step a workflow of its own), which the runtime does not model',
  discover_schema_async: 'it inspects the live database schema (information_schema) into DataFlow\'s schema dicts, which the runtime does not model',
  reconstruct_models_from_registry: 'it rebuilds models from the dataflow_model_registry table, which the runtime does not model',
};

export class DataFlowObject extends RealClassObject {
  protected readonly realClass = 'DataFlow';
  protected readonly methodNames = DATAFLOW_METHODS;
  /** DataFlow 2.20's `async def` methods among them (inspect.iscoroutinefunction on the real instance). */
  protected override readonly coroutineMethods: ReadonlySet<string> = new Set(['initialize', 'create_tables_async', 'close_async']);
  /** Set by DataFlow.__init__ (initialize); undefined on an instance allocated for a replaced __init__ that has not run the original yet. */
  private settings?: PendingInstance;
  /** DataFlow's `_closed`: set by close() / close_async(). */
  private closed = false;
  /** Registered model classes by name, in registration order (DataFlow's `_models`). */
  private readonly modelClasses = new Map<string, PyClass>();
  private expressObj?: ExpressObject;
  private connectionManager?: ConnectionManagerObject;
  private expressSyncObj?: ExpressObject;
  private configObj?: DataFlowConfigObject;
  /** DataFlow's `_nodes`: node name → node class, the specialized nodes first, then each model's generated ones. */
  private readonly nodes: PyDict = PyDict.fromEntries(SPECIALIZED_NODES.map(([n, mod]) => [n, new NodeClassObject(n, mod)] as [PyValue, PyValue]));
  /** The constructor's URL argument and keywords, as DataFlow's config is derived from them (set by __init__). */
  private url: PyValue | undefined;
  private kwargs: Kwargs = new Map();
  private tenantContextObj?: TenantContextObject;

  /** The ModelRegistry DataFlow.__init__ makes (`self._model_registry = ModelRegistry(self)`). */
  private registry?: PyValue;

  /** An uninitialised DataFlow: DataFlow.__init__ (runInit) sets it up. */
  constructor(private readonly session: Session, private readonly registryClass: PyClass) {
    super();
  }

  /** DataFlow.__init__(self, database_url=None, ...). */
  runInit(args: PyValue[], kwargs: Kwargs, ctx: HostContext): void | Promise<void> {
    if (this.settings) throw new UnsupportedPythonError('DataFlow.__init__ run again on an initialised DataFlow', ctx.loc);
    this.settings = { settings: settingsFromArgs(args, kwargs, this.session), models: [], location: siteLocation(ctx) };
    this.url = argOf(args, kwargs, 0, 'database_url');
    if (typeof this.url === 'string') claimForDataFlow(ctx.evaluator, this.url, ctx.loc);
    this.kwargs = kwargs;
    this.session.addInstance(this.settings);
    // Made through the class, so a ModelRegistry.__init__ user code replaced runs here as in DataFlow.
    const reg = ctx.evaluator.call(this.registryClass, [this]);
    if (reg instanceof Promise) return reg.then((r) => { this.registry = r; });
    this.registry = reg;
  }

  /** This instance's runtime (connected on first use); undefined before DataFlow.__init__ ran. */
  connectedRuntime(): Promise<DataFlowRuntime> | undefined {
    return this.settings ? this.session.connect(this.settings) : undefined;
  }

  /** DataFlow.close(): `self._model_registry.close()` (a failure is logged and ignored, as DataFlow does). */
  private closeRegistry(ctx: HostContext): PyValue | Promise<PyValue> {
    const reg = this.registry;
    if (!(reg instanceof HostObject)) return null;
    const patched = assignedHostClassAttr(reg, 'close');
    if (patched === undefined) return null;
    const ignore = (e: unknown) => { if (e instanceof PyException) return null; throw e; };
    try {
      const r = ctx.evaluator.call(patched, [reg]);
      return r instanceof Promise ? r.then(() => null, ignore) : null;
    } catch (e) {
      return ignore(e);
    }
  }

  /** The instance's settings and models; an instance whose __init__ has not run has none, as in Python. */
  get pending(): PendingInstance {
    if (!this.settings) throw new UnsupportedPythonError('a DataFlow instance whose __init__ has not run', undefined, 'a replaced DataFlow.__init__ did not call the original');
    return this.settings;
  }

  override get typeName(): string { return 'DataFlow'; }

  private async addModel(cls: PyClass, ctx: HostContext, appendOnly: boolean): Promise<PyClass> {
    const def = modelFromClass(cls, ctx.evaluator, appendOnly);
    if (this.pending.models.some((m) => m.name === def.name)) throw pyError('DataFlowConfigurationError', `Model '${def.name}' is already registered`);
    for (const f of def.fields) if (f.type === 'float') this.session.floatFields.add(f.name);
    if (this.pending.runtime) {
      await pythonErrors(() => this.pending.runtime!.registerModel(def, true));
    }
    this.pending.models.push(def);
    this.modelClasses.set(def.name, cls);
    for (const op of NODE_REGISTRATION_ORDER) this.nodes.set(generatedNodeName(def.name, op), new NodeClassObject(generatedNodeName(def.name, op)));
    // @db.model binds `query_builder` as a classmethod building SQL for the model's table.
    const table = tableNameOf(def);
    cls.ns.set('query_builder', hostFunction('query_builder', () => new QueryBuilderObject(table, queryDialectOf(this.pending.settings?.url))));
    return cls;
  }

  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    switch (name) {
      case 'model': {
        // @db.model  or  @db.model(append_only=True)
        if (args[0] instanceof PyClass) return this.addModel(args[0], ctx, false);
        const appendOnly = kwargs.get('append_only') === true;
        return hostFunction('model', (a, _k, c) => {
          if (!(a[0] instanceof PyClass)) throw pyError('TypeError', '@db.model(...) decorates a class');
          return this.addModel(a[0], c, appendOnly);
        });
      }
      case 'register_model': {
        const cls = argOf(args, kwargs, 0, 'model_class');
        if (!(cls instanceof PyClass)) throw pyError('TypeError', 'register_model() takes a class');
        return this.addModel(cls, ctx, false);
      }
      case 'add_node': {
        // db.add_node(workflow, "User", "Create", "node_id", params)
        const wf = argOf(args, kwargs, 0, 'workflow') as unknown as WorkflowBuilderObject;
        const model = String(argOf(args, kwargs, 1, 'model'));
        const op = String(argOf(args, kwargs, 2, 'operation'));
        const id = argOf(args, kwargs, 3, 'node_id');
        const params = argOf(args, kwargs, 4, 'params', null) ?? null;
        if (!wf || typeof (wf as { addNodeFromHost?: unknown }).addNodeFromHost !== 'function') throw pyError('TypeError', 'db.add_node() needs a WorkflowBuilder');
        if (!this.pending.models.some((m) => m.name === model)) throw pyError('ValueError', `Model '${model}' is not registered with this DataFlow instance`);
        return wf.addNodeFromHost(`${model}${op}Node`, typeof id === 'string' ? id : undefined, toDataFlowDict(params), ctx);
      }
      case 'initialize':
        return this.session.connect(this.pending).then(() => true);
      case 'create_tables': case 'create_tables_async':
        // DataFlow creates the tables here even with existing_schema_mode=True or auto_migrate=False.
        return this.session.connect(this.pending).then(async (rt) => { await pythonErrors(() => rt.createTables()); return null; });
      case 'close': case 'close_async':
        if (this.closed) return null;
        this.closed = true;
        return this.closeRegistry(ctx);
      case 'get_schema_cache_metrics':
        return this.session.connect(this.pending).then((rt) => fromDataFlow(rt.getSchemaCacheMetrics(), new Set(['hit_rate_percent'])));
      case 'clear_schema_cache':
        return this.session.connect(this.pending).then((rt) => { rt.schemaCache.clear(); return null; });
      case 'get_models':
        return PyDict.fromEntries([...this.modelClasses].map(([n, c]) => [n, c] as [PyValue, PyValue]));
      case 'list_models':
        return new PyList([...this.modelClasses.keys()]);
      case 'get_node': {
        // The class stored in `_nodes`, or None (DataFlow logs a warning) when there is none.
        const nodeName = argOf(args, kwargs, 0, 'node_name');
        if (typeof nodeName !== 'string') return null;
        return this.nodes.get(nodeName) ?? null;
      }
      case 'discover_schema':
        return this.discoverSchema(argOf(args, kwargs, 0, 'use_real_inspection', true) ?? true, 'db.discover_schema()', ctx);
      case 'register_schema_as_models':
        // It starts with discover_schema(use_real_inspection=...); what it does with the schema is not modelled.
        return this.discoverSchema(argOf(args, kwargs, 1, 'use_real_inspection', true) ?? true, 'db.register_schema_as_models()', ctx);
      case 'cleanup_test_tables':
        return new PyCoroutine('cleanup_test_tables', () => this.cleanupTestTables(ctx));
      case 'get_type_processor': {
        const model = argOf(args, kwargs, 0, 'model_name');
        return new TypeProcessorObject(model ?? null, this.annotatedFields(typeof model === 'string' ? model : undefined));
      }
      case 'get_generated_nodes': {
        const model = argOf(args, kwargs, 0, 'model_name');
        if (typeof model !== 'string' || !this.modelClasses.has(model)) return null;
        return PyDict.fromEntries(GET_GENERATED_NODES_OPS.map((op) => [OPERATIONS[op].operation, generatedNodeName(model, op)] as [PyValue, PyValue]));
      }
      case 'get_tenant_tables': {
        // Tables of the models with a tenant_id field (declared, or added by multi_tenant=True), in registration order.
        const mt = this.pending.settings?.multiTenant === true;
        return new PyList(this.pending.models.filter((d) => mt || d.fields.some((f) => f.name === 'tenant_id')).map((d) => tableNameOf(d)));
      }
      case 'create_workflow':
        // Real DataFlow returns a WorkflowBuilder bound to the instance (its workflow binder): not a
        // failure of the user's code, so not a Python exception (exit 1) but unsupported (exit 2).
        throw new UnsupportedPythonError('`db.create_workflow()` (DataFlow\'s workflow binder; WorkflowBuilder() is modelled)', ctx.loc);
      default:
        return NOT_HANDLED;
    }
  }

  /** DataFlow's `_model_fields[model]` as the type processor reads it: each field's evaluated annotation; none for an unknown model. */
  private annotatedFields(model: string | undefined): Map<string, { value?: PyValue; source: string }> {
    const out = new Map<string, { value?: PyValue; source: string }>();
    const cls = model === undefined ? undefined : this.modelClasses.get(model);
    if (!cls) return out;
    for (const a of cls.allAnnotations()) if (!a.name.startsWith('_')) out.set(a.name, { value: a.value, source: a.source });
    return out;
  }

  /**
   * DataFlow.discover_schema: with real inspection inside a running event loop (any `async def` on the
   * Python stack: coroutines only run on a loop) it raises its RuntimeError before touching the
   * database; the inspection itself and the mock schema are not modelled.
   */
  private discoverSchema(useReal: PyValue, shown: string, ctx: HostContext): never {
    if (ctx.evaluator.truthy(useReal)) {
      if (ctx.site.stack.some((f) => f.async)) throw pyError('RuntimeError', DISCOVER_IN_LOOP);
      throw new UnsupportedPythonError(`\`${shown}\``, ctx.loc, 'it inspects the live database schema (information_schema) into DataFlow\'s schema dicts, and registering models from it persists them in dataflow_model_registry, which the runtime does not model');
    }
    throw new UnsupportedPythonError(`\`${shown}\` with use_real_inspection=False`, ctx.loc, 'DataFlow then returns its mock schema (_generate_mock_schema_data), which the runtime does not model');
  }

  private async cleanupTestTables(ctx: HostContext): Promise<PyValue> {
    const url = this.url;
    if (this.kwargs.has('config') || url === undefined || url === null || url === '') {
      throw new UnsupportedPythonError('`db.cleanup_test_tables()`', ctx.loc, 'without a database URL (or with config=) DataFlow takes the URL from its config / the environment, which is not modelled');
    }
    if (typeof url !== 'string' || !cleanupReachesDatabase(url)) return null;
    const db = this.session.db;
    if (!db.embedded && !this.session.options.allowDestructive) {
      throw new UnsupportedPythonError('`db.cleanup_test_tables()`', ctx.loc, `it drops every table named like test_% / %_test_% / article%... in ${db.description}, which is not the embedded database: allow destructive statements to run it`);
    }
    await dropTestTables(db);
    return null;
  }

  protected override modelledAttr(name: string, ctx: HostContext): PyValue | undefined {
    const subsystem = UNMODELLED_SUBSYSTEMS[name];
    if (subsystem) throw new UnsupportedPythonError(`\`${attributeText(ctx, 'DataFlow', name)}\` (a DataFlow method)`, ctx.loc, subsystem);
    if (name === 'config') return (this.configObj ??= new DataFlowConfigObject({ url: this.url, kwargs: this.kwargs }));
    if (name === '_nodes') return this.nodes;
    if (name === '_closed') return this.closed;
    if (name === '_model_registry' && this.registry !== undefined) return this.registry;
    if (name === '_connection_manager') return (this.connectionManager ??= new ConnectionManagerObject(this));
    if (name === 'express') return (this.expressObj ??= new ExpressObject(this.session, this.pending, false));
    if (name === 'express_sync') return (this.expressSyncObj ??= new ExpressObject(this.session, this.pending, true));
    if (name === 'tenant_context') return (this.tenantContextObj ??= new TenantContextObject(this.session.tenantBinding, this));
    if (name === '_models') {
      return PyDict.fromEntries(this.pending.models.map((d) => [d.name, new ModelInfoObject(d.name, this.modelClasses.get(d.name)!, tableNameOf(d), d.appendOnly === true, this.pending.settings?.multiTenant === true)] as [PyValue, PyValue]));
    }
    return undefined;
  }

  override enter(): PyValue { return this; }
  override exit(): boolean { return false; }
  override repr(): string { return '<DataFlow>'; }
}
