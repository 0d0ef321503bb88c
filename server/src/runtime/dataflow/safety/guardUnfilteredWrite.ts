import type { ExecutionContext } from '../context';
import { UnsafeOperationBlockedError } from '../errors';

/**
 * Our own safety rule (not DataFlow's): against a database that is not the embedded one, an
 * UPDATE or DELETE with no filter stops before the statement unless the execution options allow it.
 */
export function guardUnfilteredWrite(ctx: ExecutionContext, description: string): void {
  if (ctx.db.embedded || ctx.options.allowUnfilteredWritesOnExternal) return;
  throw new UnsafeOperationBlockedError(
    `Blocked ${description} against ${ctx.db.description}: it has no filter and would touch every row. ` +
      `Set allowUnfilteredWritesOnExternal in the execution options to run it.`,
  );
}
