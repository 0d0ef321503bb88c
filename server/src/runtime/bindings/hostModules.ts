// The Python modules a DataFlow file imports, bound to the TypeScript runtime for one session.
import { hostClass, hostExceptionClass, type HostModule } from '../python/host';
import type { PyValue } from '../python/values';
import type { Interp } from '../python/runtime';
import { DataFlowObject } from './dataflowObject';
import type { Session } from './session';
import { RuntimeObject, WorkflowBuilderObject } from './workflowObjects';
import { asyncpgModules } from './asyncpg/module';
import { kailashExceptionClasses } from './kailashExceptions';

export function hostModulesFor(session: Session): Record<string, HostModule> {
  let builders = 0;
  const DataFlow = hostClass('DataFlow', (args, kwargs, ctx) => new DataFlowObject(session, args, kwargs, ctx), { module: 'dataflow' });
  const WorkflowBuilder = hostClass('WorkflowBuilder', (_a, _k, ctx) => { session.evaluator ??= ctx.evaluator as Interp; return new WorkflowBuilderObject(session, `builder-${builders++}`); }, { module: 'kailash.workflow.builder' });
  const conditional = (kwargs: Map<string, PyValue>) => { const v = kwargs.get('conditional_execution'); return typeof v === 'string' ? v : undefined; };
  const LocalRuntime = hostClass('LocalRuntime', (_a, kwargs) => new RuntimeObject(session, 'LocalRuntime', conditional(kwargs)), { module: 'kailash.runtime.local' });
  const AsyncLocalRuntime = hostClass('AsyncLocalRuntime', (_a, kwargs) => new RuntimeObject(session, 'AsyncLocalRuntime', conditional(kwargs)), { module: 'kailash.runtime.async_local' });
  const exceptions: Record<string, PyValue> = Object.fromEntries(kailashExceptionClasses());
  exceptions.ContentAwareExecutionError = hostExceptionClass('ContentAwareExecutionError', undefined, 'kailash.sdk_exceptions');
  return {
    dataflow: { DataFlow },
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
