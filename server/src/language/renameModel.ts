// Rename a DataFlow model: the class, every generated node type string (`ProductCreateNode` →
// `ItemCreateNode`), express and db.add_node model arguments, register_model calls and the Python
// references to the class, across the workspace, as one edit. Refused, with the reason, when
// some code builds the model's node type or name at run time (the rename could not follow it).
import type { Span } from '../model/staticExpr';
import type { ModelInfo, WorkspaceModel } from '../model/workspaceModel';
import { pathOfUri } from '../model/modelResolution';
import { classNameToTableName } from '../runtime/dataflow/naming/tableName';
import { modelUses, type ModelUse } from './modelUses';
import { siteModel } from './navigation';
import type { Site } from './siteAt';

export class RenameRefused extends Error {}

export interface RenameTarget { model: ModelInfo; /** The characters of the model name under the cursor. */ span: Span; placeholder: string }

/** Where a rename starts: the model name part of the site. Throws RenameRefused with the reason. */
export function renameTarget(workspace: WorkspaceModel, site: Site | undefined): RenameTarget | undefined {
  if (!site || (site.kind !== 'nodeType' && site.kind !== 'model')) return undefined;
  const model = siteModel(site);
  const name = site.kind === 'nodeType' ? site.model : site.name;
  if (!model) {
    if (site.resolution.candidates.length) throw new RenameRefused(`${name} is ambiguous here (${site.resolution.candidates.length} models of that name); rename it from its class statement.`);
    return undefined;
  }
  const span = site.kind === 'nodeType' ? { start: site.span.start, end: site.span.start + name.length }
    : site.via === 'decorator' ? model.cls.nameSpan : site.span;
  const { dynamic } = modelUses(workspace, model);
  if (dynamic.length) {
    const where = dynamic.slice(0, 3).map((d) => `${pathOfUri(d.uri).split('/').pop()}: ${d.text}`).join('; ');
    throw new RenameRefused(`Cannot rename ${model.name}: its name is built at run time (${where}${dynamic.length > 3 ? `; ${dynamic.length - 3} more` : ''}), which a rename cannot follow. Write the node type or model name literally first.`);
  }
  return { model, span, placeholder: model.name };
}

export interface RenameEdits {
  byUri: Map<string, Array<{ span: Span; newText: string }>>;
  uses: ModelUse[];
  /** Set when the table name is derived from the class name and changes with it (no `__tablename__`). */
  tableChange?: { from: string; to: string; warning: string };
}

export function renameModel(workspace: WorkspaceModel, target: RenameTarget, newName: string): RenameEdits {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) throw new RenameRefused(`"${newName}" is not a Python class name.`);
  if (newName === target.model.name) return { byUri: new Map(), uses: [] };
  const clash = workspace.models().get(newName);
  if (clash?.length) throw new RenameRefused(`A model named ${newName} already exists (${pathOfUri(clash[0].uri).split('/').pop()}): its generated nodes would clash.`);
  const { uses, dynamic } = modelUses(workspace, target.model);
  if (dynamic.length) throw new RenameRefused(`Cannot rename ${target.model.name}: its name is built at run time (${dynamic[0].text}).`);
  const byUri = new Map<string, Array<{ span: Span; newText: string }>>();
  for (const u of uses) {
    if (!u.nameSpan) continue;
    let list = byUri.get(u.uri);
    if (!list) byUri.set(u.uri, (list = []));
    list.push({ span: u.nameSpan, newText: newName });
  }
  let tableChange: RenameEdits['tableChange'];
  const from = classNameToTableName(target.model.name), to = classNameToTableName(newName);
  if (target.model.cls.tableName === undefined && from !== to) {
    tableChange = {
      from, to,
      warning: `Renaming ${target.model.name} to ${newName} also renames its table: DataFlow 2.20 will create an empty "${to}" table, and the rows stay in "${from}". To keep them, add __tablename__ = "${from}" to ${newName}.`,
    };
  }
  return { byUri, uses, tableChange };
}
