// DF015 bad-connection: add_connection/connect naming a node id no add_node of that workflow
// defines, arguments in the wrong order, or an output key the source node never produces.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { ConnectionFact } from '../model/facts';
import { strValue, type SExpr } from '../model/staticExpr';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { nearest } from './nameCheck';
import { mayDefine, nodeOf, workflowNodesAt, type WorkflowNodes } from './workflowNodes';
import { connectedInputs, describeOutputs, likelyKey, outputShape } from './outputKeys';

export const SPEC = spec({
  code: 'DF015',
  name: 'bad-connection',
  defaultSeverity: 'error',
  summary: 'A connection naming an undefined node, with arguments in the wrong order, or an output the source never produces',
  fix: 'none',
});

export const badConnectionRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const c of ctx.facts.connections) {
      const w = workflowNodesAt(ctx, c.workflow, c.span.start, c.functionName);
      if (!w) continue;
      checkConnection(ctx, c, w, (e, msg) => out.push(finding(SPEC, severity, e.span, msg)));
    }
    return out;
  },
};

function checkConnection(ctx: RuleContext, c: ConnectionFact, w: WorkflowNodes, report: (e: SExpr, msg: string) => void): void {
  const call = `${c.workflow}.${c.method}`;
  const from = strValue(c.from), to = strValue(c.to);
  const known = [...w.byId.keys()];
  const missing = (e: SExpr, id: string, role: string) => {
    const s = nearest(id, known);
    report(e, `${call}: no add_node in this workflow defines the ${role} node "${id}", so the builder raises ("${role === 'target' ? 'Target' : 'Source'} node '${id}' not found").${s ? ` Did you mean "${s}"?` : ''}`);
  };
  if (c.method === 'add_connection' && from !== undefined && !c.to) {
    const fromOut = strValue(c.fromOutput);
    if (fromOut !== undefined && c.fromOutput && w.byId.has(fromOut)) {
      report(c.fromOutput, `${call}(from_node, from_output, to_node, to_input) got the node id "${fromOut}" as from_output and no to_node: the call raises TypeError (all four arguments are required). Write ${call}("${from}", "<output>", "${fromOut}", "<input>")`);
      return;
    }
  }
  if (c.method === 'add_connection' && from !== undefined && to !== undefined) {
    const fromOut = strValue(c.fromOutput);
    // add_connection("a", "b", "records", "data"): the second argument is a node id, the third is not.
    if (!mayDefine(w, to) && fromOut !== undefined && w.byId.has(fromOut) && c.fromOutput && c.to) {
      report(c.to, `${call}(from_node, from_output, to_node, to_input) got a node id as from_output ("${fromOut}") and "${to}" as to_node: the builder raises ("Target node '${to}' not found"). Write ${call}("${from}", "<output>", "${fromOut}", "<input>")`);
      return;
    }
  }
  let bad = false;
  if (from !== undefined && c.from && !mayDefine(w, from)) { missing(c.from, from, 'source'); bad = true; }
  if (to !== undefined && c.to && !mayDefine(w, to)) { missing(c.to, to, 'target'); bad = true; }
  if (bad || from === undefined) return;
  const src = nodeOf(w, from);
  if (!src) return;
  const outputs: Array<{ e: SExpr; key: string }> = [];
  const fo = strValue(c.fromOutput);
  if (fo !== undefined && c.fromOutput) outputs.push({ e: c.fromOutput, key: fo });
  if (c.mapping?.k === 'dict') for (const e of c.mapping.entries) { const k = strValue(e.key ?? undefined); if (k !== undefined && e.key) outputs.push({ e: e.key, key: k }); }
  if (!outputs.length) return;
  const shape = outputShape(ctx, src, connectedInputs(ctx, c.workflow, from));
  if (!shape) return;
  for (const { e, key } of outputs) {
    const first = key.split('.')[0];
    if (!first || shape.keys.has(first)) continue;
    const s = likelyKey(first, shape, nearest);
    report(e, `${call}: "${from}" is a ${shape.nodeType}, whose output has no "${first}" key: the runtime skips the connection (a warning) and the target gets no value. ${describeOutputs(shape)}.${s ? ` Did you mean "${s}"?` : ''}`);
  }
}
