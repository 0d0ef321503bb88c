// DF002 read-in-loop: a ReadNode (or db.express.read) inside a loop — the N+1 pattern.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { readInLoopFix, expressReadFix } from '../fixes/readInLoopFix';
import { dataflowNodes } from './nodeContext';
import { article, assignedIn, via, executedPerItem, helperEffects, perItemLoops, plural, usedNames } from './loopFacts';
import { expressModel } from './bulkLoop';
import { SINGLE_WRITE_OPS } from '../catalogue';
import type { LoopInfo } from '../model/facts';
import { dictGet, namesIn, strValue, type SExpr } from '../model/staticExpr';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF002',
  name: 'read-in-loop',
  defaultSeverity: 'warning',
  summary: 'A ReadNode or express read inside a loop (N+1 reads)',
  fix: 'unsafe',
});

const READ_OPS = new Set(['Read', 'List', 'Count']);
const WRITE_EXPRESS = new Set(['create', 'update', 'delete', 'upsert']);

/** Filter fields whose value comes from the loop (the loop variable, or a name set in the loop body). */
function perItemFilterFields(ctx: RuleContext, filter: SExpr | undefined, loops: LoopInfo[]): string[] {
  if (!filter || filter.k !== 'dict') return [];
  const perItem = new Set<string>();
  for (const l of loops) {
    for (const t of l.targetNames) perItem.add(t);
    for (const a of assignedIn(ctx.file, l)) perItem.add(a);
  }
  const out: string[] = [];
  for (const e of filter.entries) {
    const key = strValue(e.key ?? undefined);
    if (!key || key.startsWith('$')) continue;
    // Equality on a per-item value: `{"category": cat}` or `{"category": {"$eq": cat}}`.
    const v = e.value.k === 'dict' ? dictGet(e.value, '$eq')?.value : e.value;
    if (!v || v.k === 'dict' || v.k === 'list' || v.k === 'tuple') continue;
    if ([...namesIn(v)].some((n) => perItem.has(n))) out.push(key);
  }
  return out;
}

export const readInLoopRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const { file } = ctx;
    for (const node of dataflowNodes(ctx)) {
      const { fact, op, model } = node;
      if (!fact.loops.length) continue;
      if (op === 'Read') {
        const per = perItemLoops(file, fact.loops, usedNames(fact.config, fact.nodeId), fact.functionName);
        if (!per) continue;
        const n = per.n;
        const message = `${node.type} is added inside a loop (N+1 reads): ${n === undefined ? 'one SELECT per iteration' : `${plural(n, 'SELECT statement')} by id`}. Read them with one ${model}ListNode filtered on {"id": {"$in": [...]}}.`;
        const fix = per.loops.length === fact.loops.length ? readInLoopFix(ctx, node) : { reason: 'the node sits in a retry loop' };
        out.push(withFix(finding(SPEC, severity, fact.nodeTypeExpr?.span ?? fact.span, message), fix));
      } else if (op === 'List') {
        // One ListNode per category (filtered on the loop variable): one `$in` query would do.
        const filter = file.resolver.value(dictGet(node.config, 'filter')?.value, fact.span.start, fact.functionName);
        const fields = perItemFilterFields(ctx, filter, fact.loops);
        if (!fields.length) continue;
        const per = perItemLoops(file, fact.loops, usedNames(fact.config, fact.nodeId), fact.functionName);
        if (!per) continue;
        const n = per.n;
        const f = fields[0];
        const limited = dictGet(node.config, 'limit') ? ' (its limit then applies to all values together, not to each)' : ' and a "limit" for all of them (the default 10 applies to the whole result)';
        const message = `${node.type} is added inside a loop with a filter on "${f}" from the loop (N+1 queries): ${n === undefined ? 'one SELECT per iteration' : plural(n, 'SELECT statement')}. List them with one ${model}ListNode filtered on {"${f}": {"$in": [...]}}${limited} and group the rows by "${f}".`;
        out.push(withFix(finding(SPEC, severity, fact.nodeTypeExpr?.span ?? fact.span, message), { reason: 'the rows must be grouped by the caller' }));
      }
    }
    for (const ex of ctx.facts.express) {
      if (!ex.loops.length) continue;
      const call = `${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
      const model = expressModel(ctx, ex) ?? 'the model';
      if (ex.op === 'read' || ex.op === 'find_one') {
        const per = perItemLoops(file, ex.loops, usedNames(...ex.args, ...ex.kwargs.map((k) => k.value)), ex.functionName);
        if (!per) continue;
        const n = per.n;
        const message = `${call}.${ex.op}("${model}", ...) runs inside a loop (N+1 reads): ${n === undefined ? 'one SELECT per iteration' : plural(n, 'SELECT statement')}. Use one ${call}.list(...) with {"id": {"$in": [...]}}.`;
        const fix = per.loops.length !== ex.loops.length ? { reason: 'the call sits in a retry loop' } : ex.op === 'read' ? expressReadFix(ctx, ex) : { reason: 'find_one takes a filter, not an id; the fix rewrites only express.read by id' };
        out.push(withFix(finding(SPEC, severity, ex.span, message), fix));
      } else if (ex.op === 'list') {
        const filterE = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'filter')?.value;
        const fields = perItemFilterFields(ctx, file.resolver.value(filterE, ex.span.start, ex.functionName), ex.loops);
        if (!fields.length) continue;
        const per = perItemLoops(file, ex.loops, usedNames(...ex.args, ...ex.kwargs.map((k) => k.value)), ex.functionName);
        if (!per) continue;
        const n = per.n;
        const f = fields[0];
        const limited = ex.kwargs.some((k) => k.name === 'limit') || ex.args.length > 2 ? ' (its limit then applies to all values together)' : ' (mind its default limit of 100 rows)';
        const message = `${call}.list("${model}", ...) runs inside a loop with a filter on "${f}" from the loop (N+1 queries): ${n === undefined ? 'one SELECT per iteration' : plural(n, 'SELECT statement')}. Use one ${call}.list("${model}", {"${f}": {"$in": [...]}})${limited} and group the rows by "${f}".`;
        out.push(withFix(finding(SPEC, severity, ex.span, message), { reason: 'the rows must be grouped by the caller' }));
      }
    }
    // A same-file helper called per item that reads one record each time.
    for (const call of ctx.facts.calls) {
      if (!call.loops.length) continue;
      const effects = helperEffects(ctx, call);
      // A helper that also writes is DF001's (its read usually reads back what it wrote).
      if (effects.some((e) => (e.node && SINGLE_WRITE_OPS.has(e.node.op)) || (e.express && WRITE_EXPRESS.has(e.express.op)))) continue;
      const eff = effects.find((e) => e.node?.op === 'Read' || e.express?.op === 'read');
      if (!eff) continue;
      const per = perItemLoops(file, call.loops, usedNames(...call.args), call.functionName);
      if (!per) continue;
      const n = per.n;
      const model = eff.node?.model ?? expressModel(ctx, eff.express!);
      const what = eff.node ? `adds ${article(eff.node.type)}` : `runs ${eff.express!.instance}.${eff.express!.sync ? 'express_sync' : 'express'}.read(${model ? `"${model}", ` : ''}...)`;
      const list = model ? `one ${model}ListNode` : 'one list query';
      const message = `${call.callee}() is called inside a loop and ${what}${via(eff.path)} (N+1 reads): ${n === undefined ? 'one SELECT per iteration' : plural(n, 'SELECT statement')}. Read the records with ${list} filtered on {"id": {"$in": [...]}}.`;
      out.push(withFix(finding(SPEC, severity, call.span, message), { reason: 'the read is inside another function' }));
    }
    // A workflow built once and executed per item, that only reads.
    for (const ex of ctx.facts.executes) {
      const per = executedPerItem(ctx, ex);
      if (!per || per.nodes.some((n) => !READ_OPS.has(n.op))) continue;
      const read = per.nodes[0];
      const n = per.n;
      const message = `${ex.runtime}.${ex.method}(...) runs the workflow "${per.workflow}" (with ${read.type}) once per item (N+1 reads): ${n === undefined ? 'one execution per iteration' : plural(n, 'execution')}. Read all items with one ${read.model}ListNode filtered with "$in" and execute once.`;
      out.push(withFix(finding(SPEC, severity, ex.span, message), { reason: 'the workflow is built outside the loop' }));
    }
    return out;
  },
};
