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
import { orderByStringRule } from './orderByString';
import { emptyInListRule } from './emptyInList';
import { bulkDeleteDataRule } from './bulkDeleteData';
import { bulkUpsertSkipsRule } from './bulkUpsertSkips';
import { bulkUpdateDataModeRule } from './bulkUpdateDataMode';
import { heterogeneousBulkCreateRule } from './heterogeneousBulkCreate';
import { asyncpgTypeRule } from './asyncpgType';
import { floatMoneyRule } from './floatMoney';
import { jsonFieldAsStringRule } from './jsonFieldAsString';
import { implicitDatabaseUrlRule } from './implicitDatabaseUrl';
import { noOpSettingRule } from './noOpSetting';
import { staleCacheKeyRule } from './staleCacheKey';
import { missingPostgresDriverRule } from './missingPostgresDriver';
import { poolPerWorkerRule } from './poolPerWorker';
import { runtimePerRequestRule } from './runtimePerRequest';
import { unknownNodeTypeRule } from './unknownNodeType';
import { unknownParameterRule } from './unknownParameter';
import { unknownFieldRule } from './unknownField';
import { unsupportedOperatorRule } from './unsupportedOperator';
import { valueTypeMismatchRule } from './valueTypeMismatch';
import { badConnectionRule } from './badConnection';
import { missingOutputKeyRule } from './missingOutputKey';
import { ambiguousModelRule } from './ambiguousModel';

export const RULES: readonly Rule[] = [bulkLoopRule, readInLoopRule, missingIndexRule, smallPoolRule, ignoredIndexRule, ambiguousModelRule,
  unknownNodeTypeRule, unknownParameterRule, unknownFieldRule, unsupportedOperatorRule, valueTypeMismatchRule,
  badConnectionRule, missingOutputKeyRule,
  orderByStringRule, emptyInListRule, bulkDeleteDataRule, bulkUpsertSkipsRule, bulkUpdateDataModeRule,
  heterogeneousBulkCreateRule, asyncpgTypeRule, floatMoneyRule, jsonFieldAsStringRule,
  implicitDatabaseUrlRule, noOpSettingRule, staleCacheKeyRule, missingPostgresDriverRule, poolPerWorkerRule,
  runtimePerRequestRule,
];

export const RULE_SPECS: readonly RuleSpec[] = RULES.map((r) => r.spec);

const byName = new Map(RULE_SPECS.map((s) => [s.name, s]));
const byCode = new Map(RULE_SPECS.map((s) => [s.code, s]));

export function ruleSpecByName(name: string): RuleSpec | undefined { return byName.get(name); }
export function ruleSpecByCode(code: string): RuleSpec | undefined { return byCode.get(code); }
