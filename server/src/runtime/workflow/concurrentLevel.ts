// What AsyncLocalRuntime needs to run one level's nodes at the same time
// (kailash/runtime/async_local.py:1296 _execute_fully_async_workflow: asyncio.gather of the level's
// tasks, each holding `self.execution_semaphore`, an asyncio.Semaphore(max_concurrent_nodes),
// async_local.py:592 and :1650).
import type { ExecutionContext } from '../dataflow/context';
import type { DataFlowRuntime } from '../dataflow/runtime';
import type { NodeExecutionEnv } from './types';

/** AsyncLocalRuntime's max_concurrent_nodes default (async_local.py:521). */
export const DEFAULT_MAX_CONCURRENT_NODES = 10;

/** asyncio.Semaphore: FIFO waiters, a free slot is taken without waiting. */
export class Semaphore {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(slots: number) {
    this.free = Math.max(1, Math.floor(slots));
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/**
 * One node's view of a shared execution context: its own `currentNodeId` (the statement tag,
 * which concurrent nodes would otherwise overwrite for each other), everything else — the open
 * transaction, savepoints, quirks, divergences, bulk accounts — the shared context's.
 */
export function laneOf(ctx: ExecutionContext): ExecutionContext {
  const lane = Object.create(ctx) as ExecutionContext;
  for (const key of ['transaction', 'transactionId', 'savepoints'] as const) {
    Object.defineProperty(lane, key, {
      get: () => ctx[key],
      set: (v: never) => {
        (ctx as unknown as Record<string, unknown>)[key] = v;
      },
      enumerable: true,
      configurable: true,
    });
  }
  Object.defineProperty(lane, 'currentNodeId', { value: undefined, writable: true, enumerable: true, configurable: true });
  return lane;
}

/** The run's environment for one concurrently running node: every context it asks for is a lane of the shared one. */
export function laneEnv(env: NodeExecutionEnv): NodeExecutionEnv {
  const lanes = new Map<ExecutionContext, ExecutionContext>();
  const lane = (ctx: ExecutionContext): ExecutionContext => {
    let l = lanes.get(ctx);
    if (!l) {
      l = laneOf(ctx);
      lanes.set(ctx, l);
    }
    return l;
  };
  return {
    ...env,
    primary: lane(env.primary),
    context: (rt: DataFlowRuntime) => lane(env.context(rt)),
    openTransaction: env.openTransaction ? () => {
      const c = env.openTransaction!();
      return c && lane(c);
    } : undefined,
  };
}
