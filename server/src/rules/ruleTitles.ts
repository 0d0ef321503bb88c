// One-line titles of the rules (SARIF, docs, settings descriptions).
import type { RuleName } from '../settings';

export const RULE_TITLES: Record<RuleName, string> = {
  'bulk-loop': 'Single-record Create/Update/Delete/Upsert nodes (or executions) inside a loop',
  'read-in-loop': 'A ReadNode or express read inside a loop (N+1 reads)',
  'missing-index': 'A filter or sort on fields that no index covers',
  'small-pool': 'Connection pool too small, without overflow, or above max_connections',
  'ignored-index': 'An index DataFlow 2.20 never creates (__indexes__, or a default-name collision)',
};
