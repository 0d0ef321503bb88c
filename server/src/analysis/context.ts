// What rules and quick-fixes share, below both (fixes never import rules): the context a rule
// runs in, and a DataFlow node call read with its model.
import type { AnalysisSettings } from '../settings';
import type { SourceFile } from '../model/sourceFile';
import type { ModelInfo, ModelResolution, WorkspaceModel } from '../model/workspaceModel';
import type { FactKind, NodeUseFact, StatementFacts } from '../model/facts';
import type { NodeOperation } from '../catalogue';
import { dictGet, type SExpr } from '../model/staticExpr';

/** The fact lists a rule reads: one top-level statement's (the engine caches per statement). */
export type FactLists = Pick<StatementFacts, FactKind>;

export interface RuleContext {
  file: SourceFile;
  facts: FactLists;
  workspace: WorkspaceModel;
  settings: AnalysisSettings;
}

/** A node call read as a DataFlow node: its model, operation and config (rules/nodeContext.ts reads them). */
export interface ResolvedNode {
  fact: NodeUseFact;
  model: string;
  op: NodeOperation;
  info?: ModelInfo;
  /** The config with names resolved when it is held in a variable. */
  config?: SExpr;
  /** The node type name, resolved when held in a constant. */
  type: string;
  /** What the model name means here; `info` is undefined when it is ambiguous (candidates > 0). */
  resolution: ModelResolution;
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
