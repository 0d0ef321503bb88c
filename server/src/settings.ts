// The analysis settings (the `dataflow.*` configuration), with their defaults. The rules and their
// default severities come from the rule registry.
import { RULE_SPECS } from './rules';

/** A rule's kebab-case name (`bulk-loop`); the registry's specs list them. */
export type RuleName = string;
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = SeverityName | 'ignore';

export interface AnalysisSettings {
  enable: boolean;
  lint: Record<RuleName, SeveritySetting>;
  pool: { minSize: number; recommendedSize: number; recommendedOverflow: number; maxConnections: number };
}

export const RULE_NAMES: readonly RuleName[] = RULE_SPECS.map((r) => r.name);

export function defaultSettings(): AnalysisSettings {
  return {
    enable: true,
    lint: Object.fromEntries(RULE_SPECS.map((r) => [r.name, r.defaultSeverity])),
    pool: { minSize: 10, recommendedSize: 20, recommendedOverflow: 30, maxConnections: 100 },
  };
}

function positive(v: unknown, fallback: number, min = 0): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
}

/** Builds settings from a (possibly partial, possibly malformed) `dataflow` configuration object. */
export function settingsFrom(config: unknown): AnalysisSettings {
  const s = defaultSettings();
  if (!config || typeof config !== 'object') return s;
  const c = config as Record<string, unknown>;
  if (typeof c.enable === 'boolean') s.enable = c.enable;
  const lint = (c.lint && typeof c.lint === 'object' ? c.lint : {}) as Record<string, unknown>;
  for (const r of RULE_NAMES) {
    const v = lint[r] ?? c[`lint.${r}`];
    if (v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'ignore') s.lint[r] = v;
  }
  const pool = (c.pool && typeof c.pool === 'object' ? c.pool : {}) as Record<string, unknown>;
  s.pool.minSize = positive(pool.minSize, s.pool.minSize, 1);
  s.pool.recommendedSize = positive(pool.recommendedSize, s.pool.recommendedSize, 1);
  s.pool.recommendedOverflow = positive(pool.recommendedOverflow, s.pool.recommendedOverflow, 0);
  s.pool.maxConnections = positive(pool.maxConnections, s.pool.maxConnections, 1);
  return s;
}
