// Reads what a DataFlow node call means: its model, operation and the config values rules need.
import type { SourceFile } from '../model/sourceFile';
import type { NodeUseFact } from '../model/facts';
import { parseNodeType } from '../catalogue';
import { strValue } from '../model/staticExpr';
import type { ResolvedNode, RuleContext } from '../analysis/context';
import { importsDataFlow } from './ruleContext';

export type { ResolvedNode } from '../analysis/context';
export { targetIdExpr } from '../analysis/context';

/** The DataFlow node calls of the statement whose model is known (or that live in a DataFlow file). */
const memo = new WeakMap<RuleContext, ResolvedNode[]>();

export function dataflowNodes(ctx: RuleContext): ResolvedNode[] {
  const cached = memo.get(ctx);
  if (cached) return cached;
  const out: ResolvedNode[] = [];
  memo.set(ctx, out);
  for (const fact of ctx.facts.nodes) {
    const r = resolveNode(ctx, fact);
    if (r) out.push(r);
  }
  return out;
}

/** Receivers that read as a workflow builder: `wf`, `workflow`, `self.workflow`, `order_builder`. */
const WORKFLOW_NAME = /(?:^|[._])(?:wf|workflow|builder)\w*$/i;

/**
 * Whether a node call outside a DataFlow file (no import, no known model) is still evidence of
 * DataFlow: a literal `<Model><Op>Node` type added to a WorkflowBuilder (bound in the file, or a
 * receiver named like one), or DataFlow's own `db.add_node(workflow, "Model", "Op", ...)`.
 * Documentation snippets are written this way, without imports.
 */
function snippetEvidence(ctx: RuleContext, fact: NodeUseFact): boolean {
  if (fact.viaInstance) return true;
  if (!fact.workflow) return false;
  if (fact.nodeTypeExpr?.k !== 'str' && fact.nodeTypeExpr?.k !== 'name') return false;
  if (ctx.file.facts.workflows.some((w) => w.name === fact.workflow)) return true;
  return WORKFLOW_NAME.test(fact.workflow);
}

const fileEvidence = new WeakMap<object, boolean>();
function isDataFlowFile(ctx: RuleContext): boolean {
  const key = ctx.file.facts;
  let v = fileEvidence.get(key);
  if (v === undefined) fileEvidence.set(key, (v = importsDataFlow(ctx.file)));
  return v;
}

/** The node type a node call names: a literal, or a name that holds one (`CREATE = "OrderCreateNode"`). */
export function nodeTypeOf(ctx: RuleContext, fact: NodeUseFact): string | undefined {
  return nodeTypeIn(ctx.file, fact);
}

/** nodeTypeOf for a file outside a rule (inlay hints, hovers). */
export function nodeTypeIn(file: SourceFile, fact: NodeUseFact): string | undefined {
  const e = fact.nodeTypeExpr;
  if (e && (e.k === 'name' || e.k === 'attr') && !fact.viaInstance) {
    const v = file.resolver.value(e, fact.span.start, fact.functionName);
    const s = strValue(v);
    if (s !== undefined) return s;
  }
  return fact.nodeType;
}

/** One node call read as a DataFlow node, or undefined when it is not one (any statement of the file). */
export function resolveNode(ctx: RuleContext, fact: NodeUseFact): ResolvedNode | undefined {
  const type = nodeTypeOf(ctx, fact);
  if (!type) return undefined;
  const parsed = parseNodeType(type);
  if (!parsed) return undefined;
  const resolution = ctx.workspace.resolveModel(parsed.model, { uri: ctx.file.uri, offset: fact.span.start, functionName: fact.functionName });
  const info = resolution.model;
  if (!info && !resolution.candidates.length && !isDataFlowFile(ctx) && !snippetEvidence(ctx, fact)) return undefined;
  const config = ctx.file.resolver.value(fact.config, fact.span.start, fact.functionName);
  return { fact, model: parsed.model, op: parsed.op, info, config, type, resolution };
}
