import type { ExecutionContext } from '../context';
import { UnsafeOperationBlockedError } from '../errors';
import { MATCHES_EVERY_ROW } from '../filters/compileBulkFilter';
import { pyRepr, type DfRecord } from '../values/dfValues';

export interface EveryRowWrite {
  /** `BulkDelete` / `BulkUpdate`. */
  node: string;
  model: string;
  table: string;
  /** What the statement does to each row it matches ("delete", "update", "soft-delete"). */
  verb: string;
  /** The filter as the node received it. */
  filter: DfRecord;
  /**
   * The conditions compiled from that filter alone, before anything the runtime adds (a soft-delete
   * model's `deleted_at IS NULL` narrows to the live rows, which is still every row the user sees).
   */
  conditions: readonly string[];
}

/** True when the compiled conditions select every row: none at all, or only constant-true ones (`$nin: []`, `$nin: [None]`). */
export function matchesEveryRow(conditions: readonly string[]): boolean {
  return conditions.every((c) => c === MATCHES_EVERY_ROW);
}

/**
 * Our own safety rule (not DataFlow's): against a database that is not the embedded one, an UPDATE
 * or DELETE whose WHERE selects every row stops the run before the statement is sent, unless the
 * run allows it (`dataflow-run --allow-destructive`, or "Run all statements" in the editor). The
 * compiled WHERE decides, not the filter dict: `{"id": {"$nin": []}}` is as unfiltered as `{}`.
 */
export function guardEveryRowWrite(ctx: ExecutionContext, w: EveryRowWrite): void {
  if (ctx.db.embedded || ctx.options.allowUnfilteredWritesOnExternal || !matchesEveryRow(w.conditions)) return;
  const where = w.conditions.length ? `WHERE ${w.conditions.join(' AND ')}` : 'no WHERE clause';
  const filter = Object.keys(w.filter).length ? `its filter ${pyRepr(w.filter)} compiles to ${where}` : 'it has no filter';
  throw new UnsafeOperationBlockedError(
    `Blocked ${w.node} of ${w.model} against ${ctx.db.description}: ${filter} and would ${w.verb} every row of "${w.table}". ` +
      `Nothing was sent. To run it, use dataflow-run --allow-destructive, or answer "Run and allow unfiltered writes" when the editor asks.`,
  );
}
