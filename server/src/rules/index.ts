// The rule registry: every rule the analysis runs, in report order.
import type { Rule } from './ruleContext';
import { bulkLoopRule } from './bulkLoop';
import { readInLoopRule } from './readInLoop';
import { missingIndexRule } from './missingIndex';
import { smallPoolRule } from './smallPool';
import { ignoredIndexRule } from './ignoredIndex';

export const RULES: readonly Rule[] = [bulkLoopRule, readInLoopRule, missingIndexRule, smallPoolRule, ignoredIndexRule];
