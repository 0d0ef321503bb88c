// The rule registry: every rule the analysis runs, in report order. Everything that lists rules
// (settings and their defaults, the CLI's --rule, SARIF metadata, the manifest's settings, the
// docs index) reads RULE_SPECS; test/rules/ruleRegistry.test.ts checks they all agree.
import type { RuleSpec } from '../analysis/ruleSpec';
import type { Rule } from './ruleContext';
import { bulkLoopRule } from './bulkLoop';
import { readInLoopRule } from './readInLoop';
import { missingIndexRule } from './missingIndex';
import { smallPoolRule } from './smallPool';
import { ignoredIndexRule } from './ignoredIndex';
import { ambiguousModelRule } from './ambiguousModel';

export const RULES: readonly Rule[] = [bulkLoopRule, readInLoopRule, missingIndexRule, smallPoolRule, ignoredIndexRule, ambiguousModelRule];

export const RULE_SPECS: readonly RuleSpec[] = RULES.map((r) => r.spec);

const byName = new Map(RULE_SPECS.map((s) => [s.name, s]));
const byCode = new Map(RULE_SPECS.map((s) => [s.code, s]));

export function ruleSpecByName(name: string): RuleSpec | undefined { return byName.get(name); }
export function ruleSpecByCode(code: string): RuleSpec | undefined { return byCode.get(code); }
