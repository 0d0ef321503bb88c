// DF020 order-by-string: `"order_by": "-created_at"` in a ListNode config. The core SDK coerces
// config values to the declared type with `list(value)`, so the string becomes a list of its
// characters (`ORDER BY "" DESC, "c" ASC, ...`) — a PostgreSQL error; in db.express.list a string
// order_by is silently dropped (reference §0.1 item 5, §4.4, addendum).
import type { SeverityName } from '../settings';
import type { Finding, Fix } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { SExpr } from '../model/staticExpr';
import { dataflowNodes } from './nodeContext';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { atMost, quoteOf, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF020',
  name: 'order-by-string',
  defaultSeverity: 'error',
  summary: 'order_by given as a string (split into characters in a ListNode config, ignored by express)',
  fix: 'safe',
});

/** `ORDER BY "" DESC, "c" ASC, "r" ASC, ...` for the characters of `s`. */
function charSql(s: string): string {
  const parts = [...s].slice(0, 3).map((ch) => (ch === '-' ? '"" DESC' : `"${ch}" ASC`));
  return `ORDER BY ${parts.join(', ')}${s.length > 3 ? ', ...' : ''}`;
}

/** The list the user meant: `["-x"]` for "-x", the parsed list for a JSON list string. */
function intended(v: string): string[] | undefined {
  const t = v.trim();
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string' && /^-?[A-Za-z_][\w.]*$/.test(x))) return parsed as string[];
    } catch { /* not JSON */ }
    return undefined;
  }
  return /^-?[A-Za-z_][\w.]*$/.test(t) ? [t] : undefined;
}

function fixFor(ctx: RuleContext, lit: SExpr): { fix?: () => Fix; reason?: string } {
  if (lit.k !== 'str') return { reason: 'order_by is not a string literal' };
  const fields = intended(lit.v);
  if (!fields) return { reason: 'the string is not one field name (or a JSON list of names)' };
  const text = ctx.file.text.slice(lit.span.start, lit.span.end);
  const q = quoteOf(text);
  const newText = lit.v.trim().startsWith('[') ? `[${fields.map((f) => `${q}${f}${q}`).join(', ')}]` : `[${text}]`;
  return {
    fix: () => ({ title: `Pass order_by as a list: ${newText}`, isPreferred: true, edits: [{ uri: ctx.file.uri, edits: [{ span: lit.span, newText }] }] }),
  };
}

export const orderByStringRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'List' || node.config?.k !== 'dict') continue;
      const entry = node.config.entries.find((e) => e.key?.k === 'str' && e.key.v === 'order_by');
      if (!entry) continue;
      const v = valueAt(ctx, entry.value, node.fact);
      if (!v || (v.k !== 'str' && v.k !== 'fstr') || (v.k === 'str' && v.v.trim() === '')) continue;
      const span = reportAt(entry.value.span, node.fact.span, node.fact.config?.span ?? node.fact.span);
      const json = v.k === 'str' && v.v.trim().startsWith('[');
      const what = json
        ? 'a JSON list string is still a string: DataFlow\'s config coercion splits it into characters, and the ORDER BY it builds'
        : `DataFlow's config coercion splits the string into characters (${v.k === 'str' ? charSql(v.v) : 'ORDER BY "" DESC, ...'}), which`;
      const message = `order_by must be a list: ${what} PostgreSQL rejects: the List fails (with no dependent node, execute returns an error entry in place of its records); on SQLite it mis-sorts silently. Write ${v.k === 'str' && intended(v.v) ? `[${intended(v.v)!.map((f) => JSON.stringify(f)).join(', ')}]` : 'a list of field names'}.`;
      // Fix only a literal written as the entry's value (a shared constant may be used elsewhere as a string).
      out.push(withFix(finding(SPEC, severity, span, message), fixFor(ctx, entry.value)));
    }
    for (const ex of ctx.facts.express) {
      if (ex.op !== 'list') continue;
      const arg = ex.kwargs.find((k) => k.name === 'order_by')?.value ?? ex.args[4];
      const v = valueAt(ctx, arg, ex);
      if (!arg || !v || (v.k !== 'str' && v.k !== 'fstr') || (v.k === 'str' && (v.v.trim() === '' || v.v.trim().startsWith('[')))) continue;
      const fields = v.k === 'str' ? intended(v.v) : undefined;
      const message = `${ex.instance}.express.list ignores this order_by: the node tries json.loads on the string, fails, and drops the ordering silently (results come back in the default "id" DESC order). Pass a list${fields ? `: order_by=[${fields.map((f) => JSON.stringify(f)).join(', ')}]` : ''}.`;
      out.push(finding(SPEC, atMost(severity, 'warning'), reportAt(arg.span, ex.span, ex.span), message));
    }
    return out;
  },
};
