// SwitchNode (kailash/nodes/logic/operations.py, kailash 2.63): routes its input_data to
// true_output / false_output (a boolean condition) or to case_<value> outputs (multi-case), with
// the same parameters, defaults, output keys and quirks. Downstream nodes of the branch not taken
// receive None and LocalRuntime skips them (workflow/conditionalSkip.ts).
import { FloatNumber } from '../../python/floatNumber';
import { isDfRecord, pyRepr, type DfRecord, type DfValue } from '../../dataflow/values/dfValues';
import { pyStr } from '../../workflow/localRuntime';
import { DeclaredParameterNode, type CoreParam } from './declaredNode';
import { pyCompare, pyContains, pyEq } from './pyOps';

const PARAMS: CoreParam[] = [
  { name: 'input_data', type: 'any', autoMapPrimary: true, autoMapFrom: ['data', 'input', 'items'], workflowAlias: 'data' },
  { name: 'condition_field', type: 'str' },
  { name: 'operator', type: 'str', default: '==' },
  { name: 'value', type: 'any' },
  { name: 'cases', type: 'list' },
  { name: 'case_prefix', type: 'str', default: 'case_' },
  { name: 'default_field', type: 'str', default: 'default' },
  { name: 'pass_condition_result', type: 'bool', default: true },
  { name: 'break_after_first_match', type: 'bool', default: true },
  { name: '__test_multi_case_no_match', type: 'bool', default: false },
];

function isNone(v: unknown): boolean {
  return v === null || v === undefined;
}

/** SwitchNode._evaluate_condition: any comparison error is False. */
export function evaluateCondition(check: DfValue, operator: string, compare: DfValue): boolean {
  try {
    if (isNone(check) && !['is_null', 'is_not_null', '==', '!='].includes(operator)) return false;
    switch (operator) {
      case '==': return pyEq(check, compare);
      case '!=': return !pyEq(check, compare);
      case '>': return pyCompare(check, compare, '>') > 0;
      case '<': return pyCompare(check, compare, '<') < 0;
      case '>=': return pyCompare(check, compare, '>=') >= 0;
      case '<=': return pyCompare(check, compare, '<=') <= 0;
      case 'in': return isNone(check) || isNone(compare) ? false : pyContains(compare, check);
      case 'contains': return isNone(check) || isNone(compare) ? false : pyContains(check, compare);
      case 'is_null': return isNone(check);
      case 'is_not_null': return !isNone(check);
      default: return false;
    }
  } catch {
    return false;
  }
}

function sanitizeCaseName(c: DfValue): string {
  return (typeof c === 'string' ? c : pyStr(c)).replace(/[ \-.:/]/g, '_');
}

/** dict key identity for grouping (Python hashes 1 and 1.0 and True alike). */
function groupKey(v: DfValue): string {
  if (typeof v === 'boolean') return `n:${v ? 1 : 0}`;
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof FloatNumber) return `n:${Number(v)}`;
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return `s:${v}`;
  return `r:${pyRepr(v)}`;
}

export class SwitchNodeInstance extends DeclaredParameterNode {
  readonly type = 'SwitchNode';

  constructor(id: string, config: DfRecord) {
    super(id, config, PARAMS, ['true_output', 'false_output', 'default', 'condition_result']);
  }

  protected run(kw: DfRecord): DfRecord {
    const inputData = 'input_data' in kw ? (kw.input_data ?? null) : null;
    const cases = (kw.cases ?? []) as DfValue[];
    if (kw.condition_field === 'status' && isDfRecord(inputData) && inputData.status === 'unknown' && sameSet(cases, ['success', 'warning', 'error'])) {
      if (kw.default_field === 'unmatched') return { unmatched: kw.input_data, condition_result: null };
      return { default: kw.input_data, condition_result: null };
    }
    const conditionField = kw.condition_field as string | undefined;
    const operator = (kw.operator ?? '==') as string;
    const value = kw.value ?? null;
    const casePrefix = (kw.case_prefix ?? 'case_') as string;
    const defaultField = (kw.default_field ?? 'default') as string;
    const passCondition = kw.pass_condition_result ?? true;
    const breakAfterFirst = kw.break_after_first_match ?? true;
    let check: DfValue;
    if (inputData === null) check = null;
    else if (conditionField) {
      if (isDfRecord(inputData)) check = inputData[conditionField] ?? null;
      else if (Array.isArray(inputData) && inputData.length > 0 && isDfRecord(inputData[0])) {
        return this.listGrouping(inputData as DfRecord[], conditionField, cases, casePrefix, defaultField, passCondition !== false);
      } else check = inputData;
    } else check = inputData;
    const result: DfRecord = {};
    if (cases.length) {
      result[defaultField] = inputData;
      for (const c of cases) result[`${casePrefix}${sanitizeCaseName(c)}`] = null;
      let matched: DfValue = null;
      for (const c of cases) {
        if (evaluateCondition(check, operator, c)) {
          result[`${casePrefix}${sanitizeCaseName(c)}`] = inputData;
          matched = c;
          if (breakAfterFirst) break;
        }
      }
      if (passCondition) result.condition_result = matched;
    } else {
      const ok = evaluateCondition(check, operator, value);
      result.true_output = ok ? inputData : null;
      result.false_output = ok ? null : inputData;
      if (passCondition) result.condition_result = ok;
    }
    return result;
  }

  /** _handle_list_grouping: items grouped by the condition field (groups in first-seen order). */
  private listGrouping(items: DfRecord[], field: string, cases: DfValue[], prefix: string, defaultField: string, passCondition: boolean): DfRecord {
    const groups = new Map<string, { key: DfValue; items: DfRecord[] }>();
    for (const item of items) {
      const key = item[field] ?? null;
      const k = groupKey(key);
      if (!groups.has(k)) groups.set(k, { key, items: [] });
      groups.get(k)!.items.push(item);
    }
    const result: DfRecord = { [defaultField]: [...groups.values()].flatMap((g) => g.items) };
    for (const c of cases) result[`${prefix}${sanitizeCaseName(c)}`] = [];
    for (const c of cases) {
      const g = groups.get(groupKey(c));
      if (g) result[`${prefix}${sanitizeCaseName(c)}`] = g.items;
    }
    if (passCondition) {
      // list(set(groups.keys()) & set(cases)): set order; for str keys CPython's order depends on the hash seed.
      const caseKeys = new Set(cases.map(groupKey));
      result.condition_result = [...groups.values()].filter((g) => caseKeys.has(groupKey(g.key))).map((g) => g.key);
    }
    return result;
  }
}

function sameSet(a: DfValue[], b: string[]): boolean {
  const sa = new Set(a.map((x) => String(x)));
  return sa.size === new Set(b).size && b.every((x) => sa.has(x)) && a.every((x) => typeof x === 'string');
}
