// DF001 bulk-loop: a single-record Create/Update/Delete/Upsert node (or db.express write) inside a
// loop — N nodes, N statements, N commits — where one bulk node does the same work.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { BULK_OF, SINGLE_WRITE_OPS } from '../catalogue';
import { bulkLoopFix, expressBulkFix } from '../fixes/bulkLoopFix';
import { dataflowNodes } from './nodeContext';
import { article, via, executedPerItem, executedPerIteration, helperEffects, perItemLoops, plural, usedNames } from './loopFacts';
import type { ExpressFact } from '../model/facts';
import { strValue } from '../model/staticExpr';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

const STATEMENT: Record<string, string> = { Create: 'INSERT', Update: 'UPDATE', Delete: 'DELETE', Upsert: 'INSERT … ON CONFLICT' };
const EXPRESS_BULK: Record<string, string> = { create: 'bulk_create', update: 'bulk_update', delete: 'bulk_delete', upsert: 'bulk_upsert' };

export const SPEC = spec({
  code: 'DF001',
  name: 'bulk-loop',
  defaultSeverity: 'warning',
  summary: 'Single-record Create/Update/Delete/Upsert nodes (or executions) inside a loop',
  fix: 'unsafe',
});

export const bulkLoopRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const { file } = ctx;
    for (const node of dataflowNodes(ctx)) {
      const { fact, op, model } = node;
      if (!fact.loops.length || !SINGLE_WRITE_OPS.has(op)) continue;
      const per = perItemLoops(file, fact.loops, usedNames(fact.config, fact.nodeId), fact.functionName);
      if (!per) continue;
      const n = per.n;
      const bulk = `${model}${BULK_OF[op]}Node`;
      const perRun = executedPerIteration(file, fact);
      let message: string;
      if (perRun && perRun.nodes === 1) {
        const volume = n === undefined ? `one workflow execution and one ${STATEMENT[op]} statement per iteration` : `${plural(n, 'workflow execution')} and ${plural(n, `${STATEMENT[op]} statement`)}`;
        message = `${node.type} is built into a one-node workflow and executed inside a loop: ${volume}, each committed on its own. Build one workflow with a ${bulk} (one multi-row statement per 1,000 rows) and execute it once.`;
      } else {
        const volume = n === undefined ? `one node and one ${STATEMENT[op]} statement per iteration` : `${plural(n, 'node')} and ${plural(n, `${STATEMENT[op]} statement`)}`;
        message = `${node.type} is added inside a loop: ${volume}, each committed on its own. Use one ${bulk}${op === 'Create' || op === 'Upsert' ? ' (one multi-row statement per 1,000 rows)' : ''}.`;
      }
      const span = fact.nodeTypeExpr?.span ?? fact.span;
      const fix = per.loops.length === fact.loops.length ? bulkLoopFix(ctx, node) : { reason: 'the node sits in a retry loop' };
      out.push(withFix(finding(SPEC, severity, span, message), fix));
    }
    for (const ex of ctx.facts.express) {
      if (!ex.loops.length || !EXPRESS_BULK[ex.op]) continue;
      const per = perItemLoops(file, ex.loops, usedNames(...ex.args, ...ex.kwargs.map((k) => k.value)), ex.functionName);
      if (!per) continue;
      const n = per.n;
      const model = expressModel(ctx, ex) ?? 'the model';
      const call = `${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
      const message = `${call}.${ex.op}("${model}", ...) runs inside a loop: ${n === undefined ? 'one statement per iteration' : plural(n, 'statement')}, each its own round trip and commit. Use ${call}.${EXPRESS_BULK[ex.op]}("${model}", [...]) once.`;
      const fix = per.loops.length === ex.loops.length ? expressBulkFix(ctx, ex) : { reason: 'the call sits in a retry loop' };
      out.push(withFix(finding(SPEC, severity, ex.span, message), fix));
    }
    // A same-file helper called per item that writes one record each time.
    for (const call of ctx.facts.calls) {
      if (!call.loops.length) continue;
      // Only writes fed by data (a constant record written N times is a repeat, not a batch).
      const effects = helperEffects(ctx, call).filter((e) => (e.node && SINGLE_WRITE_OPS.has(e.node.op) && usedNames(e.node.fact.config, e.node.fact.nodeId).size > 0)
        || (e.express && EXPRESS_BULK[e.express.op] && usedNames(...e.express.args.slice(1), ...e.express.kwargs.map((k) => k.value)).size > 0));
      if (!effects.length) continue;
      const per = perItemLoops(file, call.loops, usedNames(...call.args), call.functionName);
      if (!per) continue;
      const n = per.n;
      const eff = effects[0];
      const times = n === undefined ? 'once per iteration' : `${plural(n, 'time')}`;
      let message: string;
      if (eff.node) {
        const { op, model } = eff.node;
        message = `${call.callee}() is called inside a loop and adds ${article(eff.node.type)}${via(eff.path)}: it runs ${times}, one ${STATEMENT[op]} statement and commit each. Collect the items and write them with one ${model}${BULK_OF[op]}Node.`;
      } else {
        const ex = eff.express!;
        const api = `${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
        const model = expressModel(ctx, ex) ?? 'the model';
        message = `${call.callee}() is called inside a loop and runs ${api}.${ex.op}("${model}", ...)${via(eff.path)}: ${times}, each its own round trip and commit. Collect the items and call ${api}.${EXPRESS_BULK[ex.op]}("${model}", [...]) once.`;
      }
      out.push(withFix(finding(SPEC, severity, call.span, message), { reason: 'the write is inside another function' }));
    }
    // A workflow built once and executed per item with per-item parameters.
    for (const ex of ctx.facts.executes) {
      const per = executedPerItem(ctx, ex);
      const write = per?.nodes.find((n) => SINGLE_WRITE_OPS.has(n.op));
      if (!per || !write) continue;
      const n = per.n;
      const message = `${ex.runtime}.${ex.method}(...) runs the workflow "${per.workflow}" (with ${write.type}) once per item: ${n === undefined ? `one execution and one ${STATEMENT[write.op]} statement per iteration` : `${plural(n, 'execution')} and ${plural(n, `${STATEMENT[write.op]} statement`)}`}, each committed on its own. Pass all items to one ${write.model}${BULK_OF[write.op]}Node and execute once.`;
      out.push(withFix(finding(SPEC, severity, ex.span, message), { reason: 'the workflow is built outside the loop' }));
    }
    return out;
  },
};

/** The model an express call names: a literal, or a name that holds one. */
export function expressModel(ctx: RuleContext, ex: ExpressFact): string | undefined {
  if (ex.model) return ex.model;
  const arg = ex.args[0] ?? ex.kwargs.find((k) => k.name === 'model')?.value;
  return strValue(ctx.file.resolver.value(arg, ex.span.start, ex.functionName));
}
