// DF016 missing-output-key: `results["node"]["output"]` (or .get) on the result of
// runtime.execute(...) where the node's DataFlow output never has that key: a KeyError (or None).
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { ExecuteFact } from '../model/facts';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { nearest } from './nameCheck';
import { nodeOf, workflowNodesAt } from './workflowNodes';
import { connectedInputs, describeOutputs, likelyKey, outputShape } from './outputKeys';

export const SPEC = spec({
  code: 'DF016',
  name: 'missing-output-key',
  defaultSeverity: 'error',
  summary: 'Reading a key from a DataFlow node\'s result that its output never contains',
  fix: 'none',
});

export const missingOutputKeyRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext): Finding[] {
    const severity = ctx.settings.lint[SPEC.name];
    if (severity === 'ignore') return [];
    const out: Finding[] = [];
    const executes = ctx.file.facts.executes;
    for (const r of ctx.facts.resultReads) {
      // The latest `results, _ = runtime.execute(wf.build())` before the read, in the same function.
      let ex: ExecuteFact | undefined;
      for (const e of executes) {
        if (e.resultName === r.variable && e.functionName === r.functionName && e.span.start < r.span.start && (!ex || e.span.start > ex.span.start)) ex = e;
      }
      if (!ex || !ex.workflow) continue;
      const rebound = ctx.file.facts.assignments.some((a) => a.name === r.variable && a.functionName === r.functionName && a.statementSpan.start > ex!.span.end && a.statementSpan.start < r.span.start);
      if (rebound) continue;
      const passesInputs = /\b(parameters|inputs)\s*=|,\s*\{/.test(ctx.file.text.slice(ex.span.start, ex.span.end));
      const w = workflowNodesAt(ctx, ex.workflow, ex.span.start, ex.functionName);
      if (!w) continue;
      const node = nodeOf(w, r.nodeId);
      if (!node) continue;
      const shape = outputShape(ctx, node, connectedInputs(ctx, ex.workflow, r.nodeId));
      if (!shape) continue;
      if ((shape.op === 'Create' || shape.op === 'Update') && passesInputs) continue;
      if (shape.keys.has(r.key)) continue;
      const s = likelyKey(r.key, shape, nearest);
      const wrapper = ['output', 'result', 'data'].includes(r.key) ? ' DataFlow node outputs are flat dicts with no wrapper.' : '';
      out.push(finding(SPEC, severity, r.keySpan, `${r.variable}["${r.nodeId}"] is the output of ${shape.nodeType}, which never has a "${r.key}" key: KeyError at run time (None with .get).${wrapper} ${describeOutputs(shape)}.${s ? ` Did you mean "${s}"?` : ''}`));
    }
    return out;
  },
};
