// Go to definition and find references for DataFlow names: a node type or model name leads to the
// model class, a field key to the field's annotation, a node id in a connection to its add_node
// call; references of a model are its node type strings, express calls, register_model uses,
// Python references and the connections of its nodes, across the workspace.
import type { ConnectionFact, FieldFact, NodeUseFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import type { Span } from '../model/staticExpr';
import { strValue } from '../model/staticExpr';
import type { ModelInfo, ModelResolution, WorkspaceModel } from '../model/workspaceModel';
import { modelUses, type ModelUse } from './modelUses';
import type { Site } from './siteAt';

export interface SpanLocation { uri: string; span: Span }

function modelLocations(r: ModelResolution): SpanLocation[] {
  const list = r.model ? [r.model] : r.candidates;
  return list.map((m) => ({ uri: m.uri, span: m.cls.nameSpan }));
}

/** The file and fact that declare a field of a model (its own class or a base class). */
export function fieldDeclaration(workspace: WorkspaceModel, model: ModelInfo, field: string): { uri: string; fact: FieldFact } | undefined {
  const fact = model.fields.find((f) => f.name === field);
  if (!fact) return undefined;
  if (model.cls.fields.includes(fact)) return { uri: model.uri, fact };
  for (const file of workspace.allFiles()) for (const c of file.facts.classes) if (c.fields.includes(fact)) return { uri: file.uri, fact };
  return undefined;
}

/** The add_node call that gives a connection's node id: same workflow and function first. */
export function addNodeFor(file: SourceFile, c: ConnectionFact, id: string): NodeUseFact | undefined {
  const withId = file.facts.nodes.filter((n) => strValue(n.nodeId) === id);
  return withId.find((n) => n.workflow === c.workflow && n.functionName === c.functionName)
    ?? withId.find((n) => n.functionName === c.functionName)
    ?? withId.find((n) => n.workflow === c.workflow)
    ?? withId[0];
}

export function definition(workspace: WorkspaceModel, file: SourceFile, site: Site): SpanLocation[] {
  switch (site.kind) {
    case 'nodeType': case 'model': return modelLocations(site.resolution);
    case 'field': {
      if (!site.model) return [];
      const d = fieldDeclaration(workspace, site.model, site.field);
      return d ? [{ uri: d.uri, span: d.fact.statementSpan }] : [];
    }
    case 'nodeId': {
      const n = addNodeFor(file, site.connection, site.id);
      return n ? [{ uri: file.uri, span: n.span }] : [];
    }
    default: return [];
  }
}

/** The model a site names, when it names exactly one. */
export function siteModel(site: Site | undefined): ModelInfo | undefined {
  if (!site) return undefined;
  if (site.kind === 'nodeType' || site.kind === 'model') return site.resolution.model;
  return undefined;
}

export function references(workspace: WorkspaceModel, site: Site, includeDeclaration: boolean): ModelUse[] {
  const model = siteModel(site);
  if (!model) return [];
  const { uses } = modelUses(workspace, model, { connections: true });
  return includeDeclaration ? uses : uses.filter((u) => u.kind !== 'declaration');
}
