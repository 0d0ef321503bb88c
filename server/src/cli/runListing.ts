/**
 * The order dataflow-run lists a run's nodes in, and the one line that says why when it surprises.
 *
 * A listing follows the execution order wherever there is one: LocalRuntime runs one node at a
 * time, and DataFlow 2.20 starts the nodes no connection orders by their ids sorted as text
 * (customer_10 before customer_2; later nodes see earlier writes), so its nodes are shown as they
 * ran, never re-sorted. AsyncLocalRuntime runs each level's nodes at the same time: the levels are
 * an order, the nodes inside one are not, so they are shown by id in natural order
 * (customer_2 before customer_10). Lists that are no execution order (tables) use natural order too.
 */
import type { NodeRun } from '../runtime/workflow/types';

const collator = new Intl.Collator('en', { numeric: true });

/** Natural order: digit runs compare as numbers (customer_2 before customer_10). */
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** A run's nodes as listed: execution order; level by level, by id in natural order inside a level. */
export function listingOrder<N extends Pick<NodeRun, 'id' | 'level'>>(nodes: readonly N[]): N[] {
  if (!nodes.some((n) => n.level !== undefined)) return [...nodes];
  const level = (n: N): number => n.level ?? Number.MAX_SAFE_INTEGER;
  return [...nodes].sort((a, b) => level(a) - level(b) || naturalCompare(a.id, b.id));
}

/**
 * Two neighbouring ids of a sequential run that ran in text order against natural order
 * (customer_19 then customer_2), for the note that says so; undefined when the listing reads naturally.
 */
export function textOrderExample(nodes: readonly Pick<NodeRun, 'id' | 'level'>[]): [string, string] | undefined {
  if (nodes.some((n) => n.level !== undefined)) return undefined;
  for (let i = 1; i < nodes.length; i++) {
    const a = nodes[i - 1].id;
    const b = nodes[i].id;
    if (a < b && naturalCompare(a, b) > 0) return [a, b];
  }
  return undefined;
}

/** The note said once, above the first run it concerns. */
export function orderNote(nodes: readonly Pick<NodeRun, 'id' | 'level'>[]): string | undefined {
  if (nodes.some((n) => n.level !== undefined)) {
    return 'AsyncLocalRuntime ran each level\'s nodes at the same time: they are listed level by level (L1, L2, …), by id inside a level';
  }
  const ex = textOrderExample(nodes);
  return ex ? `listed in the order they ran: DataFlow starts the nodes no connection orders by id sorted as text, ${ex[0]} before ${ex[1]}` : undefined;
}
