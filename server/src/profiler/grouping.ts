/**
 * Django Debug Toolbar's grouping over the collected statements:
 * - similar: same fingerprint (SQL without parameters, IN/VALUES lists normalised), count ≥ 2;
 * - duplicate: same fingerprint AND the same parameter values, count ≥ 2;
 * - N+1: k or more similar statements issued by the nodes of ONE loop (same loop line in the
 *   node's location, or in the execute() call's when the whole run sits in a loop) or by one node.
 */
import type { NPlusOne, StatementGroup } from '../report/reportTypes';
import type { GroupAgg, StatementCollector } from './statementCollector';
import { displaySql } from './sqlDisplay';
import { round, toSourceLoc } from './util';

export interface Groups {
  similar: StatementGroup[];
  duplicate: StatementGroup[];
  nPlusOne: NPlusOne[];
  /** fingerprint → similar group id; duplicate key → duplicate group id. */
  similarIdOf: Map<string, number>;
  duplicateIdOf: Map<string, number>;
}

function toGroup(id: number, g: GroupAgg): StatementGroup {
  return {
    id,
    fingerprint: g.fingerprint,
    sql: displaySql(g.firstSql),
    count: g.count,
    totalMs: round(g.totalMs),
    statementIds: [...g.ids],
    nodeIds: [...g.nodeIds],
  };
}

/** Groups by descending total time, then count. */
const byWeight = (a: { totalMs: number; count: number }, b: { totalMs: number; count: number }): number => b.totalMs - a.totalMs || b.count - a.count;

export function buildGroups(c: StatementCollector, k: number): Groups {
  const similarIdOf = new Map<string, number>();
  const duplicateIdOf = new Map<string, number>();
  const similar = [...c.byFingerprint.values()]
    .filter((g) => g.count >= 2 && g.kind !== 'transaction')
    .sort(byWeight)
    .map((g, i) => {
      similarIdOf.set(g.key, i + 1);
      return toGroup(i + 1, g);
    });
  const duplicate = [...c.byDuplicate.values()]
    .filter((g): g is GroupAgg => g.count >= 2)
    .sort(byWeight)
    .map((g, i) => {
      duplicateIdOf.set(g.key, i + 1);
      return toGroup(i + 1, g);
    });
  const nPlusOne: NPlusOne[] = [...c.byOrigin.values()]
    .filter((o) => o.count >= k)
    .sort(byWeight)
    .map((o, i) => ({
      id: i + 1,
      fingerprint: o.fingerprint,
      sql: displaySql(o.firstSql),
      count: o.count,
      totalMs: round(o.totalMs),
      location: toSourceLoc(o.location),
      loop: o.loop,
      nodeIds: [...o.nodeIds],
    }));
  return { similar, duplicate, nPlusOne, similarIdOf, duplicateIdOf };
}
