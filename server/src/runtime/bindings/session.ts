// One evaluation of a user's file: the database every DataFlow instance runs on, the DataFlow
// instances in construction order (their runtimes are created lazily, on first use, as DataFlow
// connects lazily), the node registry the workflow builders resolve types in, the run recorder,
// and the options the caller chose (seeding, destructive-statement guard, cancellation).
import { TenantBinding } from '../dataflow/tenancy/tenantContext';
import type { Database } from '../db/types';
import { ScopedDatabase } from '../db/scopedDatabase';
import { DataFlowRuntime } from '../dataflow/runtime';
import type { ModelDefinition, RuntimeModel } from '../dataflow/schema';
import { NodeRegistry } from '../workflow/registry';
import { RunRecorder } from '../workflow/runRecorder';
import type { ExecutionContext } from '../dataflow/context';
import type { ExecuteOptions, WorkflowRunResult } from '../workflow/localRuntime';
import type { BuiltWorkflow } from '../workflow/workflowBuilder';
import type { SourceLocation } from '../workflow/types';
import { registerCoreNodes } from '../kailash/coreNodes';
import type { Interp } from '../python/runtime';
import { fromDataFlow, toDataFlow } from './values';
import type { HostContext } from '../python/host';
import type { LibraryFileLocator } from '../libraryFrames/recordedFrames';
import type { LibraryCall } from './errors';

export interface SessionOptions {
  db: Database;
  /** Rows of synthetic data per model table, inserted when a DataFlow instance first connects. */
  seedRows?: number;
  /** Seed a database that is not the embedded one (its description). */
  seedAllowDatabase?: string;
  /** Let UPDATE/DELETE without a filter run on a database that is not the embedded one. */
  allowDestructive?: boolean;
  signal?: AbortSignal;
  /** The run's time limit (epoch ms), checked before each workflow node. */
  deadline?: number;
  /** Called after every workflow execution. */
  onRun?: (run: WorkflowRunResult, location: SourceLocation | undefined, rt: DataFlowRuntime) => void;
  /** Called once per DataFlow instance after it connected (tables created, rows seeded). */
  onConnect?: (rt: DataFlowRuntime) => void;
  /** Wraps the options of every workflow execution (the profiler's attribution hooks). */
  instrument?: (built: BuiltWorkflow, options: ExecuteOptions) => ExecuteOptions;
  /** The real files of kailash / DataFlow found on this machine (recorded traceback frames name them). */
  locateLibraryFile?: LibraryFileLocator;
}

export interface PendingInstance {
  /** Settings from the DataFlow(...) call. */
  settings: ConstructorParameters<typeof DataFlowRuntime>[0]['settings'];
  models: Array<ModelDefinition | RuntimeModel>;
  runtime?: DataFlowRuntime;
  connecting?: Promise<DataFlowRuntime>;
  location?: SourceLocation;
}

export class Session {
  readonly registry = new NodeRegistry();
  readonly recorder = new RunRecorder();
  readonly instances: PendingInstance[] = [];
  readonly notes: string[] = [];
  readonly seeded: Record<string, number> = {};
  readonly floatFields = new Set<string>();
  readonly log: string[] = [];
  /** The tenant bound by db.tenant_context.switch (DataFlow's process-wide `_current_tenant`). */
  readonly tenantBinding = new TenantBinding();
  /** Private schemas of the in-memory instances after the first (each its own database). */
  private readonly privateDatabases: ScopedDatabase[] = [];
  /** DataFlow's `slow_query_threshold` (seconds) of the first instance that sets it. */
  slowQueryThreshold: number | undefined;

  /** The interpreter evaluating the file (PythonCodeNode runs its code in it); set by the first WorkflowBuilder(). */
  evaluator: Interp | undefined;

  constructor(readonly options: SessionOptions) {
    registerCoreNodes(this.registry, { interp: () => this.evaluator, toPython: (v) => fromDataFlow(v, this.floatFields), fromPython: (v) => toDataFlow(v) });
  }

  get db(): Database { return this.options.db; }

  /** The library call `entry` being made at `ctx` (for the recorded frames of what it raises). */
  libraryCall(entry: string, ctx: HostContext): LibraryCall {
    return { entry, inRunningLoop: ctx.site.stack.some((f) => f.async), locate: this.options.locateLibraryFile };
  }

  addInstance(inst: PendingInstance): void { this.instances.push(inst); }

  /** DataFlow's _ensure_connected: build the runtime, create the tables, seed them. */
  connect(inst: PendingInstance): Promise<DataFlowRuntime> {
    if (inst.runtime) return Promise.resolve(inst.runtime);
    if (!inst.connecting) {
      inst.connecting = (async () => {
        const rt = await DataFlowRuntime.create({ db: await this.databaseFor(inst), models: inst.models, settings: inst.settings });
        for (const m of rt.models.values()) for (const f of m.fields) if (f.type === 'float') this.floatFields.add(f.name);
        if (this.options.seedRows && rt.models.size) {
          const counts = await rt.seedRows(undefined, this.options.seedRows, { allowDatabase: this.options.seedAllowDatabase });
          Object.assign(this.seeded, counts);
        }
        inst.runtime = rt;
        // Registered in construction order: a later DataFlow instance wins a node name, as in DataFlow.
        this.registry.addDataFlow(rt);
        this.options.onConnect?.(rt);
        return rt;
      })();
    }
    return inst.connecting;
  }

  /**
   * The database an instance runs on. DataFlow(":memory:") / DataFlow() without a URL is a new
   * in-memory SQLite database per instance: the first instance of the file runs on the working
   * schema; every later in-memory instance gets a fresh schema of its own, so no two share rows.
   * Instances with a file or server URL share the working schema.
   */
  private async databaseFor(inst: PendingInstance): Promise<Database> {
    if (inst === this.instances[0] || !isInMemoryUrl(inst.settings?.url)) return this.db;
    const scoped = await ScopedDatabase.create(this.db, `${this.db.schema}_memory_${this.instances.indexOf(inst) + 1}`);
    this.privateDatabases.push(scoped);
    if (this.privateDatabases.length === 1) {
      this.notes.push('Each DataFlow(":memory:") / DataFlow() is its own database: the later ones run in schemas of their own on the same embedded/selected PostgreSQL.');
    }
    return scoped;
  }

  /** Drops the in-memory instances' private schemas (after the run's tables were counted). */
  async dropPrivateDatabases(): Promise<void> {
    for (const d of this.privateDatabases.splice(0)) await d.drop().catch(() => undefined);
  }

  /** Every DataFlow instance connected, in construction order (before a workflow is built). */
  async connectAll(): Promise<DataFlowRuntime[]> {
    const out: DataFlowRuntime[] = [];
    for (const inst of this.instances) out.push(await this.connect(inst));
    return out;
  }

  /**
   * The runtime whose models include `model`, or the last one. Before any DataFlow(...) exists, a
   * workflow is Kailash-only (AsyncSQLDatabaseNode, PythonCodeNode, SwitchNode...): kailash runs it
   * without DataFlow, and here it runs on the run's database through a runtime without models
   * (AsyncSQLDatabaseNode's own connection_string is not opened, as with a DataFlow instance).
   */
  async runtimeFor(model?: string): Promise<DataFlowRuntime> {
    const rts = await this.connectAll();
    if (!rts.length) return this.kailashOnlyRuntime();
    if (model) for (let i = rts.length - 1; i >= 0; i--) if (rts[i].models.has(model)) return rts[i];
    return rts[rts.length - 1];
  }

  private kailashOnly?: Promise<DataFlowRuntime>;

  private kailashOnlyRuntime(): Promise<DataFlowRuntime> {
    this.kailashOnly ??= (async () => {
      this.notes.push(`A workflow ran before any DataFlow(...) was created: its Kailash nodes run on this run's database (${this.db.description}).`);
      return DataFlowRuntime.create({ db: this.db, models: [], settings: {} });
    })();
    return this.kailashOnly;
  }

  recordContexts(contexts: ExecutionContext[]): void {
    for (const c of contexts) this.recorder.addContext(c);
  }

  runtimes(): DataFlowRuntime[] {
    return this.instances.map((i) => i.runtime).filter((r): r is DataFlowRuntime => !!r);
  }
}

/** DataFlow's in-memory SQLite: no URL, ':memory:', or a sqlite URL naming :memory:. */
export function isInMemoryUrl(url: string | null | undefined): boolean {
  if (url === null || url === undefined || url === '' || url === ':memory:') return true;
  return /^sqlite(\+\w+)?:\/\/\/?:memory:/i.test(url);
}
