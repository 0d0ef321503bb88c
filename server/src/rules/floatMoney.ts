// DF027 float-money: a `float` model field whose name says money. DataFlow 2.20 maps float to
// PostgreSQL REAL (float4, 24-bit mantissa): 123456.78 reads back as 123456.78125 (reference §0.1
// item 15, §2.2). Decimal is no way out: it maps to TEXT and its writes fail (DF026).
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { dialectOf, modelAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF027',
  name: 'float-money',
  defaultSeverity: 'warning',
  summary: 'A float field for money (REAL, float4: 123456.78 reads back as 123456.78125)',
  fix: 'none',
});

const MONEY = ['price', 'amount', 'cost', 'total', 'balance', 'fee', 'fees', 'salary', 'tax', 'revenue', 'payment', 'charge', 'discount', 'subtotal', 'refund', 'wage', 'budget', 'credit', 'debit', 'income', 'expense', 'expenses', 'profit', 'money', 'cash', 'usd', 'eur', 'gbp', 'mrr', 'arr', 'ltv', 'invoice'];
const NOT_MONEY = /^(rate|ratio|percent|pct|percentage|score|weight|count|qty|quantity|hours|duration|seconds|ms|latency|size|factor|multiplier|at|date|time|timestamp|ts|id|days|pages|items)$/;

/** True when the snake_case or camelCase name has a money word as one of its parts. */
export function isMoneyName(name: string): boolean {
  const parts = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/_+/).filter(Boolean);
  if (!parts.length || NOT_MONEY.test(parts[parts.length - 1])) return false;
  return parts.some((p) => MONEY.includes(p));
}

export const floatMoneyRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const cls of ctx.facts.classes) {
      if (!cls.fields.some((f) => f.type === 'float')) continue;
      const model = modelAt(ctx, cls.name, { span: cls.span });
      if (!model || model.cls !== cls) continue;
      const dialect = dialectOf(ctx, model);
      // MySQL maps float to DOUBLE and SQLite's REAL is 8 bytes: only PostgreSQL (or unknown) loses digits.
      if (dialect === 'mysql' || dialect === 'sqlite') continue;
      const column = 'REAL (float4)';
      for (const f of cls.fields) {
        if (f.type !== 'float' || !isMoneyName(f.name)) continue;
        const message = `"${f.name}" looks like money, but DataFlow 2.20 maps float to ${column}, about 7 significant digits: 123456.78 reads back as 123456.78125. Store int cents (or str); Decimal is not an alternative — DataFlow maps it to TEXT and writes fail on PostgreSQL.`;
        out.push(finding(SPEC, severity, f.nameSpan, message));
      }
    }
    return out;
  },
};
