// The Python modules a DataFlow file imports, bound to the TypeScript runtime for one session.
import { hostClass, hostExceptionClass, twoStepHostClass, type HostModule } from '../python/host';
import { UnsupportedPythonError, type PyValue } from '../python/values';
import type { Interp } from '../python/runtime';
import { DATAFLOW_METHODS, DataFlowObject } from './dataflowObject';
import type { Session } from './session';
import { BUILDER_METHODS, RUNTIME_METHODS, RuntimeObject, WorkflowBuilderObject } from './workflowObjects';
import { asyncpgModules } from './asyncpg/module';
import { kailashExceptionClasses } from './kailashExceptions';
import { TenantContextObject, TenantInfoObject } from './tenantContextObject';
import { hostFunction } from '../python/host';
import { tddSupportModule } from './tddSupport';
import { kailashAsyncSqlModule } from './kailashAsyncSql';
import { modelRegistryClass, notModelledClass } from './frameworkClasses';

/** `env` is the run's environment (the one os.environ shows). */
export function hostModulesFor(session: Session, env: Record<string, string> = {}): Record<string, HostModule> {
  let builders = 0;
  const ModelRegistry = modelRegistryClass();
  const DataFlow = twoStepHostClass('DataFlow', {
    allocate: () => new DataFlowObject(session, ModelRegistry),
    initialize: (self, args, kwargs, ctx) => (self as DataFlowObject).runInit(args, kwargs, ctx),
  }, { module: 'dataflow.core.engine', methods: DATAFLOW_METHODS });
  const WorkflowBuilder = hostClass('WorkflowBuilder', (_a, _k, ctx) => { session.evaluator ??= ctx.evaluator as Interp; return new WorkflowBuilderObject(session, `builder-${builders++}`); }, { module: 'kailash.workflow.builder', methods: BUILDER_METHODS });
  const conditional = (kwargs: Map<string, PyValue>) => { const v = kwargs.get('conditional_execution'); return typeof v === 'string' ? v : undefined; };
  // content_aware_success_detection= (default True; kailash/runtime/local.py:442): False lets a `success: False` output stand.
  const contentAware = (kwargs: Map<string, PyValue>) => { const v = kwargs.get('content_aware_success_detection'); return v === undefined || !(v === false || v === null || v === 0); };
  const LocalRuntime = hostClass('LocalRuntime', (_a, kwargs) => new RuntimeObject(session, 'LocalRuntime', conditional(kwargs), contentAware(kwargs)), { module: 'kailash.runtime.local', methods: RUNTIME_METHODS });
  const maxConcurrent = (kwargs: Map<string, PyValue>) => { const v = kwargs.get('max_concurrent_nodes'); const n = typeof v === 'bigint' ? Number(v) : v; return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined; };
  const AsyncLocalRuntime = hostClass('AsyncLocalRuntime', (_a, kwargs) => new RuntimeObject(session, 'AsyncLocalRuntime', conditional(kwargs), contentAware(kwargs), maxConcurrent(kwargs)), { module: 'kailash.runtime.async_local', methods: RUNTIME_METHODS });
  const exceptions: Record<string, PyValue> = Object.fromEntries(kailashExceptionClasses());
  exceptions.ContentAwareExecutionError = hostExceptionClass('ContentAwareExecutionError', undefined, 'kailash.sdk_exceptions');
  // dataflow.core.tenant_context: a TenantContextSwitch of one's own (its own registry, the shared binding).
  const TenantContextSwitch = hostClass('TenantContextSwitch', (args, kwargs) => new TenantContextObject(session.tenantBinding, args[0] ?? kwargs.get('dataflow_instance') ?? null), {
    module: 'dataflow.core.tenant_context',
    isInstance: (v) => v instanceof TenantContextObject,
  });
  const TenantInfo = hostClass('TenantInfo', (_a, _k, ctx) => {
    throw new UnsupportedPythonError('constructing `TenantInfo(...)` directly (register_tenant() makes them)', ctx.loc);
  }, { module: 'dataflow.core.tenant_context', isInstance: (v) => v instanceof TenantInfoObject });
  const tenantContext = { TenantContextSwitch, TenantInfo, get_current_tenant_id: hostFunction('get_current_tenant_id', () => session.tenantBinding.current()) };
  return {
    dataflow: { DataFlow, ModelRegistry },
    'dataflow.core.tenant_context': tenantContext,
    'dataflow.core.model_registry': { ModelRegistry },
    'dataflow.fabric.pipeline': { PipelineExecutor: notModelledClass('PipelineExecutor', 'dataflow.fabric.pipeline', 'DataFlow Fabric pipelines are not modelled') },
    'dataflow.cache.async_redis_adapter': { AsyncRedisCacheAdapter: notModelledClass('AsyncRedisCacheAdapter', 'dataflow.cache.async_redis_adapter', 'the runtime does not model a Redis cache') },
    nexus: { Nexus: notModelledClass('Nexus', 'nexus', 'Kailash Nexus is not modelled') },
    'dataflow.testing.tdd_support': tddSupportModule(env) as unknown as HostModule,
    'kailash.nodes.data.async_sql': kailashAsyncSqlModule(session) as unknown as HostModule,
    'dataflow.core.engine': { DataFlow },
    kailash: {},
    'kailash.workflow': { WorkflowBuilder },
    'kailash.workflow.builder': { WorkflowBuilder },
    'kailash.runtime': { LocalRuntime, AsyncLocalRuntime },
    'kailash.runtime.local': { LocalRuntime },
    'kailash.runtime.async_local': { AsyncLocalRuntime },
    'kailash.sdk_exceptions': exceptions,
    ...asyncpgModules(session),
  };
}
