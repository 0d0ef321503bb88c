// DF021 empty-in-list: `{"$in": []}` / `{"$nin": []}` in a filter. The List/Count query builder
// renders it as `IN ()`, a PostgreSQL syntax error (reference §0.1 item 6, §4.1); the bulk path
// (BulkUpdate/BulkDelete, §4.2) turns `$in: []` into `1 = 0` (nothing) and `$nin: []` into
// `1 = 1` — every row of the table.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { SExpr, Span } from '../model/staticExpr';
import { dataflowNodes } from './nodeContext';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { entryOf, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF021',
  name: 'empty-in-list',
  defaultSeverity: 'error',
  summary: 'An empty $in/$nin list in a filter (IN () syntax error; $nin: [] in a bulk filter matches every row)',
  fix: 'none',
});

const ESC = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Is `e` an empty list where the node uses it: a literal `[]`/`()`/`list()`, or a local name whose
 * last assignment before the node (same function, not in a loop) is one and that nothing appends
 * to, extends or rebinds by augmented assignment in between.
 */
function emptyList(ctx: RuleContext, e: SExpr | undefined, at: { span: Span; functionName?: string }, hops = 0): boolean {
  if (!e || hops > 4) return false;
  if (e.k === 'list' || e.k === 'tuple') return e.items.length === 0 && !e.truncated;
  if (e.k === 'call') return e.fn.k === 'name' && (e.fn.id === 'list' || e.fn.id === 'tuple') && !e.args.length && !e.kwargs.length;
  if (e.k !== 'name') return false;
  const a = ctx.file.resolver.assignmentFor(e.id, at.span.start, at.functionName);
  if (!a || a.loops.length || a.functionName !== at.functionName) return false;
  const between = ctx.file.text.slice(a.statementSpan.end, at.span.start);
  const name = ESC(e.id);
  if (new RegExp(`\\b${name}\\s*(\\.\\s*(append|extend|insert|add|update|__iadd__)\\s*\\(|\\+=|\\|=|\\[[^\\]]*\\]\\s*=[^=])|\\bglobal\\s+${name}\\b|\\bnonlocal\\s+${name}\\b|\\bfor\\s+${name}\\b|\\b${name}\\s*:?=\\s*`).test(between)) return false;
  return emptyList(ctx, a.value, { span: a.statementSpan, functionName: a.functionName }, hops + 1);
}

interface EmptyOp { op: '$in' | '$nin'; field: string; span: Span; viaName: boolean }

/** The `$in`/`$nin` operators of a filter whose list is empty. */
function emptyOps(ctx: RuleContext, filter: SExpr | undefined, at: { span: Span; functionName?: string }): EmptyOp[] {
  const out: EmptyOp[] = [];
  const f = valueAt(ctx, filter, at);
  if (!f || f.k !== 'dict') return out;
  for (const entry of f.entries) {
    if (!entry.key || entry.key.k !== 'str' || entry.key.v.startsWith('$')) continue;
    const cond = valueAt(ctx, entry.value, at);
    if (!cond || cond.k !== 'dict') continue;
    for (const c of cond.entries) {
      if (c.key?.k !== 'str' || (c.key.v !== '$in' && c.key.v !== '$nin')) continue;
      if (!emptyList(ctx, c.value, at)) continue;
      out.push({ op: c.key.v, field: entry.key.v, span: c.span, viaName: c.value.k === 'name' });
    }
  }
  return out;
}

export const emptyInListRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const fallbackOf = (call: Span, cfg?: { span: Span }) => cfg?.span ?? call;
    for (const node of dataflowNodes(ctx)) {
      const at = node.fact;
      if (node.op === 'List' || node.op === 'Count') {
        for (const o of emptyOps(ctx, entryOf(node.config, 'filter')?.value, at)) {
          const held = o.viaName ? ' (the list is empty here)' : '';
          const message = `{"${o.op}": []} on "${o.field}"${held}: ${node.fact.nodeType} renders it as ${o.op === '$in' ? 'IN ()' : 'NOT IN ()'}, a PostgreSQL syntax error: the node fails (with no dependent node, execute returns an error entry in place of its records). Skip the node when the list is empty${o.op === '$in' ? ' (there is nothing to match)' : ', or drop the condition'}.`;
          out.push(finding(SPEC, severity, reportAt(o.span, at.span, fallbackOf(at.span, at.config)), message));
        }
      } else if (node.op === 'BulkUpdate' || node.op === 'BulkDelete') {
        for (const o of emptyOps(ctx, entryOf(node.config, 'filter', 'conditions')?.value, at)) {
          if (o.op !== '$nin') continue;
          const verb = node.op === 'BulkDelete' ? 'deletes' : 'updates';
          const filter = valueAt(ctx, entryOf(node.config, 'filter', 'conditions')?.value, at);
          const alone = filter?.k === 'dict' && filter.entries.length === 1;
          const message = `{"$nin": []} on "${o.field}"${o.viaName ? ' (the list is empty here)' : ''}: the bulk filter turns it into 1 = 1, which restricts nothing${alone ? ` — ${node.fact.nodeType} ${verb} every row of the table` : ''}. Check the list before building the node.`;
          out.push(finding(SPEC, severity, reportAt(o.span, at.span, fallbackOf(at.span, at.config)), message));
        }
      }
    }
    for (const ex of ctx.facts.express) {
      if (ex.op !== 'list' && ex.op !== 'count') continue;
      const filter = ex.kwargs.find((k) => k.name === 'filter')?.value ?? ex.args[1];
      for (const o of emptyOps(ctx, filter, ex)) {
        const message = `{"${o.op}": []} on "${o.field}"${o.viaName ? ' (the list is empty here)' : ''}: ${ex.instance}.express.${ex.op} renders it as ${o.op === '$in' ? 'IN ()' : 'NOT IN ()'}, a PostgreSQL syntax error, and raises. Skip the call when the list is empty.`;
        out.push(finding(SPEC, severity, reportAt(o.span, ex.span, ex.span), message));
      }
    }
    return out;
  },
};
