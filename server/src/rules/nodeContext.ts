// Reads what a DataFlow node call means: its model, operation and the config values rules need.
import type { NodeUseFact } from '../model/facts';
import { parseNodeType, type NodeOperation } from '../model/nodeNames';
import { dictGet, type SExpr } from '../model/staticExpr';
import type { ModelInfo, ModelResolution } from '../model/workspaceModel';
import type { RuleContext } from './ruleContext';
import { importsDataFlow } from './ruleContext';

export interface ResolvedNode {
  fact: NodeUseFact;
  model: string;
  op: NodeOperation;
  info?: ModelInfo;
  /** The config with names resolved when it is held in a variable. */
  config?: SExpr;
  /** What the model name means here; `info` is undefined when it is ambiguous (candidates > 0). */
  resolution: ModelResolution;
}

/** The DataFlow node calls of the file whose model is known (or that live in a DataFlow file). */
const memo = new WeakMap<RuleContext, ResolvedNode[]>();

export function dataflowNodes(ctx: RuleContext): ResolvedNode[] {
  const cached = memo.get(ctx);
  if (cached) return cached;
  const out: ResolvedNode[] = [];
  memo.set(ctx, out);
  let dfFile: boolean | undefined;
  for (const fact of ctx.facts.nodes) {
    if (!fact.nodeType) continue;
    const parsed = parseNodeType(fact.nodeType);
    if (!parsed) continue;
    const resolution = ctx.workspace.resolveModel(parsed.model, { uri: ctx.file.uri, offset: fact.span.start, functionName: fact.functionName });
    const info = resolution.model;
    if (!info && !resolution.candidates.length) {
      if (dfFile === undefined) dfFile = importsDataFlow(ctx.file);
      if (!dfFile) continue;
    }
    const config = ctx.file.resolver.value(fact.config, fact.span.start, fact.functionName);
    out.push({ fact, model: parsed.model, op: parsed.op, info, config, resolution });
  }
  return out;
}

/**
 * The id a Read/Update/Delete targets, with DataFlow's precedence (reference §3.3):
 * `conditions.id` (and for Update/Delete `filter.id`) > `record_id` > `id`. ReadNode has no
 * `filter` parameter: `{"filter": {"id": 1}}` makes it fail, so it is not an id here.
 */
export function targetIdExpr(config: SExpr | undefined, op: 'Read' | 'Update' | 'Delete'): SExpr | undefined {
  if (!config || config.k !== 'dict') return undefined;
  const filter = op === 'Read' ? undefined : dictGet(config, 'filter')?.value;
  const conditions = dictGet(config, 'conditions')?.value;
  return dictGet(conditions, 'id')?.value ?? dictGet(filter, 'id')?.value ?? dictGet(config, 'record_id')?.value ?? dictGet(config, 'id')?.value;
}
