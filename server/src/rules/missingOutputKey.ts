// DF016 missing-output-key: `results["node"]["output"]` (or .get) on the result of
// runtime.execute(...) where the node's DataFlow output never has that key: a KeyError (or None).
import type { SeverityName } from '../settings';
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

/** Per file version: executes by `resultName|function`, assignments by `name|function`, each sorted by position. */
interface Index { executes: Map<string, ExecuteFact[]>; assigned: Map<string, number[]> }
const indexes = new WeakMap<object, Index>();
/**
 * Inside a function, the statement's own facts (a function lies in one top-level statement, and
 * an edit elsewhere keeps them and their index); at module level the file's.
 */
function indexOf(ctx: RuleContext, functionName: string | undefined): Index {
  const facts: Pick<RuleContext['facts'], 'executes' | 'assignments'> = functionName !== undefined ? ctx.facts : ctx.file.facts;
  let ix = indexes.get(facts);
  if (ix) return ix;
  ix = { executes: new Map(), assigned: new Map() };
  for (const e of facts.executes) {
    if (!e.resultName) continue;
    const k = `${e.resultName}|${e.functionName ?? ''}`;
    const list = ix.executes.get(k) ?? [];
    list.push(e);
    ix.executes.set(k, list);
  }
  for (const a of facts.assignments) {
    const k = `${a.name}|${a.functionName ?? ''}`;
    const list = ix.assigned.get(k) ?? [];
    list.push(a.statementSpan.start);
    ix.assigned.set(k, list);
  }
  indexes.set(facts, ix);
  return ix;
}

export const missingOutputKeyRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    if (!ctx.facts.resultReads.length) return out;
    for (const r of ctx.facts.resultReads) {
      const ix = indexOf(ctx, r.functionName);
      // The latest `results, _ = runtime.execute(wf.build())` before the read, in the same function.
      const k = `${r.variable}|${r.functionName ?? ''}`;
      let ex: ExecuteFact | undefined;
      for (const e of ix.executes.get(k) ?? []) {
        if (e.span.start < r.span.start && (!ex || e.span.start > ex.span.start)) ex = e;
      }
      if (!ex || !ex.workflow) continue;
      const rebound = (ix.assigned.get(k) ?? []).some((at) => at > ex!.span.end && at < r.span.start);
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
