// DataFlow / Kailash classes the runtime does not run but that test conftests import and patch
// (`cls.__init__ = tracking_wrapper(cls.__init__)`): the classes exist, so their `__init__` can be read
// and replaced; what the runtime does not model stays unsupported (exit 2) when used.
// - ModelRegistry: real DataFlow makes one in every DataFlow(...) (`self._model_registry =
//   ModelRegistry(self)`), so the runtime's DataFlow makes one too, through the class (a replaced
//   __init__ runs as it would). Its state here is what its __init__ sets without a runtime argument;
//   close() clears the explicit runtime (None already). Every other attribute is not modelled.
// - ConnectionManager: real DataFlow keeps one (`self._connection_manager`), a reachability check of
//   its URL that holds no pool; test harnesses probe it (`hasattr(cm, "cleanup")`, which it lacks).
//   Its `dataflow` is modelled; its checks and stats are not (the run's database is not its URL).
// - PipelineExecutor, AsyncRedisCacheAdapter, Nexus: nothing the runtime runs makes one; calling
//   them is not modelled.
import { NOT_HANDLED, argOf, hostClass, twoStepHostClass, type HostContext, type HostObject } from '../python/host';
import { PyClass, UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import { RealClassObject } from './realClassObject';

const REGISTRY_METHODS: ReadonlySet<string> = new Set(['close']);

export class ModelRegistryObject extends RealClassObject {
  protected readonly realClass = 'ModelRegistry';
  protected readonly methodNames = REGISTRY_METHODS;
  /** ModelRegistry.close is a plain `def`. */
  protected override readonly coroutineMethods: ReadonlySet<string> = new Set();
  private dataflow?: PyValue;

  override get typeName(): string { return 'ModelRegistry'; }

  /** ModelRegistry.__init__(self, dataflow_instance, runtime=None, migration_system=None). */
  runInit(args: PyValue[], kwargs: Kwargs, ctx: HostContext): void {
    const df = argOf(args, kwargs, 0, 'dataflow_instance');
    if (df === undefined) throw new UnsupportedPythonError('ModelRegistry() without its dataflow_instance', ctx.loc);
    const runtime = argOf(args, kwargs, 1, 'runtime', null);
    const migrations = argOf(args, kwargs, 2, 'migration_system', null);
    if (runtime !== null || migrations !== null) throw new UnsupportedPythonError('ModelRegistry(runtime=..., migration_system=...)', ctx.loc, 'the runtime models a registry that follows its DataFlow');
    this.dataflow = df;
  }

  protected override modelledAttr(name: string): PyValue | undefined {
    if (this.dataflow === undefined) return undefined;
    if (name === 'dataflow' || name === '_dataflow') return this.dataflow;
    if (name === '_explicit_runtime') return null;
    if (name === '_owns_runtime') return false;
    return undefined;
  }

  override callMethod(name: string): PyValue | typeof NOT_HANDLED {
    if (name === 'close') return null;
    return NOT_HANDLED;
  }

  override repr(): string { return '<dataflow.core.model_registry.ModelRegistry object>'; }
}

export class ConnectionManagerObject extends RealClassObject {
  protected readonly realClass = 'ConnectionManager';
  protected readonly methodNames: ReadonlySet<string> = new Set();
  constructor(private readonly dataflow: PyValue) {
    super();
  }
  override get typeName(): string { return 'ConnectionManager'; }
  protected override modelledAttr(name: string): PyValue | undefined {
    return name === 'dataflow' ? this.dataflow : undefined;
  }
  override repr(): string { return '<dataflow.utils.connection.ConnectionManager object>'; }
}

export function modelRegistryClass(): PyClass {
  return twoStepHostClass('ModelRegistry', {
    allocate: () => new ModelRegistryObject(),
    initialize: (self: HostObject, args, kwargs, ctx) => (self as ModelRegistryObject).runInit(args, kwargs, ctx),
  }, { module: 'dataflow.core.model_registry', methods: REGISTRY_METHODS });
}

/** A real class the runtime has (to import, isinstance and patch) but never makes: calling it is not modelled. */
export function notModelledClass(name: string, module: string, why: string): PyClass {
  return hostClass(name, (_a, _k, ctx) => {
    throw new UnsupportedPythonError(`${name}(...) (${module}.${name})`, ctx.loc, why);
  }, { module });
}
