// DF001 bulk-loop: a single-record Create/Update/Delete/Upsert node (or db.express write) inside a
// loop — N nodes, N statements, N commits — where one bulk node does the same work.
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { BULK_OF, SINGLE_WRITE_OPS } from '../model/nodeNames';
import { bulkLoopFix, expressBulkFix } from '../fixes/bulkLoopFix';
import { dataflowNodes } from './nodeContext';
import { executedPerIteration, iterations } from './loopFacts';
import { finding, fmt, withFix, type Rule, type RuleContext } from './ruleContext';

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
  check(ctx: RuleContext): Finding[] {
    const severity = ctx.settings.lint[SPEC.name];
    if (severity === 'ignore') return [];
    const out: Finding[] = [];
    const { file } = ctx;
    for (const node of dataflowNodes(ctx)) {
      const { fact, op, model } = node;
      if (!fact.loops.length || !SINGLE_WRITE_OPS.has(op)) continue;
      const n = iterations(file, fact.loops, fact.functionName);
      const bulk = `${model}${BULK_OF[op]}Node`;
      const perRun = executedPerIteration(file, fact);
      const count = n === undefined ? '' : fmt(n);
      let message: string;
      if (perRun && perRun.nodes === 1) {
        const volume = n === undefined ? `one workflow execution and one ${STATEMENT[op]} statement per iteration` : `${count} workflow executions and ${count} ${STATEMENT[op]} statements`;
        message = `${fact.nodeType} is built into a one-node workflow and executed inside a loop: ${volume}, each committed on its own. Build one workflow with a ${bulk} (one multi-row statement per 1,000 rows) and execute it once.`;
      } else {
        const volume = n === undefined ? `one node and one ${STATEMENT[op]} statement per iteration` : `${fmt(n)} nodes and ${fmt(n)} ${STATEMENT[op]} statement${n === 1 ? '' : 's'}`;
        message = `${fact.nodeType} is added inside a loop: ${volume}, each committed on its own. Use one ${bulk}${op === 'Create' || op === 'Upsert' ? ' (one multi-row statement per 1,000 rows)' : ''}.`;
      }
      const span = fact.nodeTypeExpr?.span ?? fact.span;
      const fix = bulkLoopFix(ctx, node);
      out.push(withFix(finding(SPEC, severity, span, message), fix));
    }
    for (const ex of ctx.facts.express) {
      if (!ex.loops.length || !EXPRESS_BULK[ex.op]) continue;
      const n = iterations(file, ex.loops, ex.functionName);
      const model = ex.model ?? 'the model';
      const call = `${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
      const message = `${call}.${ex.op}("${model}", ...) runs inside a loop: ${n === undefined ? 'one statement per iteration' : `${fmt(n)} statements`}, each its own round trip and commit. Use ${call}.${EXPRESS_BULK[ex.op]}("${model}", [...]) once.`;
      const fix = expressBulkFix(ctx, ex);
      out.push(withFix(finding(SPEC, severity, ex.span, message), fix));
    }
    return out;
  },
};
