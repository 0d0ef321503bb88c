// The Python modules a DataFlow file imports, bound to the TypeScript runtime for one session.
import { hostClass, hostExceptionClass, type HostModule } from '../python/host';
import { UnsupportedPythonError, type PyValue } from '../python/values';
import type { Interp } from '../python/runtime';
import { DataFlowObject } from './dataflowObject';
import type { Session } from './session';
import { RuntimeObject, WorkflowBuilderObject } from './workflowObjects';
import { asyncpgModules } from './asyncpg/module';
import { kailashExceptionClasses } from './kailashExceptions';
import { TenantContextObject, TenantInfoObject } from './tenantContextObject';
import { hostFunction } from '../python/host';

export function hostModulesFor(session: Session): Record<string, HostModule> {
  let builders = 0;
  const DataFlow = hostClass('DataFlow', (args, kwargs, ctx) => new DataFlowObject(session, args, kwargs, ctx), { module: 'dataflow' });
  const WorkflowBuilder = hostClass('WorkflowBuilder', (_a, _k, ctx) => { session.evaluator ??= ctx.evaluator as Interp; return new WorkflowBuilderObject(session, `builder-${builders++}`); }, { module: 'kailash.workflow.builder' });
  const conditional = (kwargs: Map<string, PyValue>) => { const v = kwargs.get('conditional_execution'); return typeof v === 'string' ? v : undefined; };
  const LocalRuntime = hostClass('LocalRuntime', (_a, kwargs) => new RuntimeObject(session, 'LocalRuntime', conditional(kwargs)), { module: 'kailash.runtime.local' });
  const AsyncLocalRuntime = hostClass('AsyncLocalRuntime', (_a, kwargs) => new RuntimeObject(session, 'AsyncLocalRuntime', conditional(kwargs)), { module: 'kailash.runtime.async_local' });
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
    dataflow: { DataFlow },
    'dataflow.core.tenant_context': tenantContext,
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
