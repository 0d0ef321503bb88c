// DF002 read-in-loop: a ReadNode (or db.express.read) inside a loop — the N+1 pattern.
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { readInLoopFix, expressReadFix } from '../fixes/readInLoopFix';
import { dataflowNodes } from './nodeContext';
import { iterations } from './loopFacts';
import { finding, fmt, withFix, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF002',
  name: 'read-in-loop',
  defaultSeverity: 'warning',
  summary: 'A ReadNode or express read inside a loop (N+1 reads)',
  fix: 'unsafe',
});

export const readInLoopRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext): Finding[] {
    const severity = ctx.settings.lint[SPEC.name];
    if (severity === 'ignore') return [];
    const out: Finding[] = [];
    const { file } = ctx;
    for (const node of dataflowNodes(ctx)) {
      const { fact, op, model } = node;
      if (op !== 'Read' || !fact.loops.length) continue;
      const n = iterations(file, fact.loops, fact.functionName);
      const message = `${fact.nodeType} is added inside a loop (N+1 reads): ${n === undefined ? 'one SELECT per iteration' : `${fmt(n)} SELECT statements by id`}. Read them with one ${model}ListNode filtered on {"id": {"$in": [...]}}.`;
      const fix = readInLoopFix(ctx, node);
      out.push(withFix(finding(SPEC, severity, fact.nodeTypeExpr?.span ?? fact.span, message), fix));
    }
    for (const ex of ctx.facts.express) {
      if (!ex.loops.length || (ex.op !== 'read' && ex.op !== 'find_one')) continue;
      const n = iterations(file, ex.loops, ex.functionName);
      const call = `${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
      const message = `${call}.${ex.op}("${ex.model ?? 'the model'}", ...) runs inside a loop (N+1 reads): ${n === undefined ? 'one SELECT per iteration' : `${fmt(n)} SELECT statements`}. Use one ${call}.list(...) with {"id": {"$in": [...]}}.`;
      const fix = ex.op === 'read' ? expressReadFix(ctx, ex) : { reason: 'find_one takes a filter, not an id; the fix rewrites only express.read by id' };
      out.push(withFix(finding(SPEC, severity, ex.span, message), fix));
    }
    return out;
  },
};
