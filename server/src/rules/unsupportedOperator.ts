// DF013 unsupported-operator: a filter operator the node kind does not run in DataFlow 2.20
// (reference §4): `$like` in a workflow List/Count, top-level `$or`/`$and`, `$ilike`, `$options`,
// `$text`, `$not`/`$contains`, `$exists: False`, bulk filters with other than one supported operator.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { BULK_OPERATORS, TOP_LEVEL_LOGICAL, operatorSupported, type FilterSurface } from '../catalogue';
import { dictGet, strValue, type SExpr } from '../model/staticExpr';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { checkedNodes, resolveValue } from './nameCheck';
import { customNodeClasses } from './unknownParameter';

export const SPEC = spec({
  code: 'DF013',
  name: 'unsupported-operator',
  defaultSeverity: 'error',
  summary: 'A filter operator the node kind does not support in DataFlow 2.20',
  fix: 'none',
});

const SURFACE_OF: Record<string, FilterSurface> = { List: 'workflow', Count: 'workflow', BulkUpdate: 'bulk', BulkDelete: 'bulk' };

function advice(op: string, surface: FilterSurface, value: SExpr): string | undefined {
  if (surface === 'bulk') return undefined;
  switch (op) {
    case '$like': return surface === 'workflow'
      ? 'the workflow List/Count validator rejects it ("Unsafe filter operator \'$like\'") and the node fails. Use "$regex" (case-sensitive, e.g. "^abc") or db.express.list, which accepts $like'
      : undefined;
    case '$ilike': return 'there is no $ilike: the node fails with "Unsafe filter operator" (express: "Unsupported operator"). Use "$regex" (case-sensitive)';
    case '$options': return '$regex takes no options: the node fails with "Unsafe filter operator"; $regex is always case-sensitive';
    case '$text': return 'there is no full-text operator: the node fails with "Unsafe filter operator"';
    case '$not': case '$contains': case '$mul': return `${op} passes the input validator, then the query builder raises "Unsupported operator: ${op}"`;
    case '$exists': return value.k === 'bool' && !value.v ? 'DataFlow ignores the value: {"$exists": False} still means IS NOT NULL. Use {"$eq": None} for IS NULL' : undefined;
    case '$null': return value.k === 'bool' && !value.v ? 'DataFlow ignores the value: {"$null": False} still means IS NULL. Use {"$ne": None} for IS NOT NULL' : undefined;
    default: return operatorSupported(surface, op) ? undefined : `DataFlow 2.20 has no ${op} operator: the node fails ("Unsafe filter operator" / "Unsupported operator")`;
  }
}

export const unsupportedOperatorRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<number>();
    const checkFilter = (filter: SExpr | undefined, surface: FilterSurface, subject: string, offset: number, fn: string | undefined) => {
      const f = resolveValue(ctx, filter, offset, fn);
      if (!f || f.k !== 'dict') return;
      for (const e of f.entries) {
        const key = strValue(e.key ?? undefined);
        if (key === undefined || !e.key) continue;
        const push = (span: { start: number; end: number }, msg: string) => {
          if (seen.has(span.start)) return;
          seen.add(span.start);
          out.push(finding(SPEC, severity, span, `${subject}: ${msg}.`));
        };
        if ((TOP_LEVEL_LOGICAL as readonly string[]).includes(key)) {
          push(e.key.span, `a top-level "${key}" is not an operator in DataFlow 2.20: it is read as a column name ("${key}" = $1) and the query fails. Run one query per branch${key === '$and' ? ', or put the conditions side by side in one filter dict (they are ANDed)' : ' (or "$in" on one field)'}`);
          continue;
        }
        const v = resolveValue(ctx, e.value, offset, fn);
        if (!v || v.k !== 'dict') continue;
        const ops = v.entries.map((x) => ({ op: strValue(x.key ?? undefined), x })).filter((o) => o.op?.startsWith('$'));
        if (!ops.length) continue;
        if (surface === 'bulk') {
          if (v.entries.length > 1) {
            push(ops[0].x.key!.span, `a bulk filter handles a field dict only with exactly one operator; {${ops.map((o) => o.op).join(', ')}} is compared as "${key}" = <the whole dict>, a bind error or a wrong match. Use one of ${BULK_OPERATORS.join(' ')} per field`);
            continue;
          }
          const op = ops[0].op!;
          if (!operatorSupported('bulk', op)) {
            push(ops[0].x.key!.span, `bulk filters run only ${BULK_OPERATORS.join(' ')}; {"${op}": ...} is compared as "${key}" = <the whole dict>, a bind error or a wrong match${op === '$eq' ? '. Write the value directly ("' + key + '": value)' : ''}`);
          }
          continue;
        }
        for (const { op, x } of ops) {
          const a = advice(op!, surface, x.value);
          if (a) push(x.key!.span, a);
        }
      }
    };
    const custom = customNodeClasses(ctx);
    for (const n of checkedNodes(ctx)) {
      const surface = SURFACE_OF[n.op];
      if (!surface || custom.has(n.fact.nodeType!)) continue;
      const at = n.fact.span.start, fn = n.fact.functionName;
      const filter = dictGet(n.config, 'filter') ?? (surface === 'bulk' ? dictGet(n.config, 'conditions') : undefined);
      if (filter) checkFilter(filter.value, surface, n.fact.nodeType!, at, fn);
    }
    for (const ex of ctx.facts.express) {
      if (!['list', 'count', 'find_one'].includes(ex.op)) continue;
      const filter = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'filter')?.value;
      checkFilter(filter, 'express', `${ex.instance}.express.${ex.op}`, ex.span.start, ex.functionName);
    }
    return out;
  },
};
