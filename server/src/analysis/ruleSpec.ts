// What a rule is, as data: every list of rules (settings, the package.json manifest, SARIF, the
// README and docs tables) derives from these specs. Lives below rules/ and fixes/ so both can use
// it without importing each other.
import type { SeverityName } from '../settings';

/**
 * What a rule's quick-fix does to the program:
 * - `safe`: the same result, faster or with the intended effect (applied by source.fixAll.dataflow);
 * - `unsafe`: changes what the program does (different SQL, different outputs); offered, never applied in bulk;
 * - `none`: the rule never offers an edit.
 */
export type FixApplicability = 'safe' | 'unsafe' | 'none';

export interface RuleSpec {
  /** `DF001` */
  code: string;
  /** kebab-case, the setting key (`dataflow.lint.<name>`) and the suppression name. */
  name: string;
  defaultSeverity: SeverityName;
  /** One line: what the rule reports. */
  summary: string;
  /** Repository-relative path of the rule's page. */
  docs: string;
  fix: FixApplicability;
  /**
   * Its messages name positions of other definitions ("models.py:12"): a statement with such a
   * finding is checked again when an edit moves it (analysis/engine.ts), never just shifted.
   */
  positionsInMessage?: boolean;
}

export function spec(s: Omit<RuleSpec, 'docs'> & { docs?: string }): RuleSpec {
  return { ...s, docs: s.docs ?? `docs/rules/${s.code}.md` };
}
