// DF006 ambiguous-model: a node type ("UserListNode") or express model name ("User") that can mean
// several different model definitions at its use site (same scope, different fields, indexes or
// table). The analysis cannot tell which one DataFlow registered, so the checks that need the
// model (missing-index) are skipped there; this hint says so instead of checking the wrong one.
// Only when the competing definitions are near the use (function, file, imports, package): with
// no definition near it, the model is simply not known there (as when none exists), and the
// project-wide list would depend on which folders are linted when there is no project marker.
import type { SeverityName } from '../settings';
import * as path from 'node:path';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { distinctModels, pathOfUri } from '../model/modelResolution';
import type { Span } from '../model/staticExpr';
import type { ModelResolution, WorkspaceModel } from '../model/workspaceModel';
import { dataflowNodes } from './nodeContext';
import { finding, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF006',
  name: 'ambiguous-model',
  defaultSeverity: 'hint',
  summary: 'A model name that matches several different model definitions (model checks skipped)',
  fix: 'none',
  positionsInMessage: true,
});

const SHOWN = 3;

function where(workspace: WorkspaceModel, fromUri: string, r: ModelResolution): string {
  const distinct = distinctModels(r.candidates);
  const fromDir = path.posix.dirname(pathOfUri(fromUri));
  const shown = distinct.slice(0, SHOWN).map((m) => {
    const file = workspace.get(m.uri);
    const line = file ? file.doc.lines.positionAt(m.cls.nameSpan.start).line + 1 : 0;
    const p = pathOfUri(m.uri);
    const rel = p.startsWith('/') && fromDir.startsWith('/') ? path.posix.relative(fromDir, p) : p;
    return `${rel}:${line}`;
  });
  const more = distinct.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`;
}

function message(workspace: WorkspaceModel, fromUri: string, name: string, r: ModelResolution): string {
  const n = distinctModels(r.candidates).length;
  const scope = r.via === 'function' ? 'in this function' : r.via === 'file' ? 'in this file' : r.via === 'import' ? 'through the imports of this file' : 'in this package';
  return `"${name}" can mean ${n} different models defined ${scope} (${where(workspace, fromUri, r)}), with different fields, indexes or table; checks that need the model (missing-index) are skipped here. Import the model this code uses, or give the models distinct names.`;
}

function reportable(r: ModelResolution): boolean {
  return !r.model && r.candidates.length > 0 && r.via !== 'workspace';
}

export const ambiguousModelRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const inside = (s: Span | undefined, outer: Span): s is Span => !!s && s.start >= outer.start && s.end <= outer.end;
    for (const node of dataflowNodes(ctx)) {
      const r = node.resolution;
      if (!reportable(r)) continue;
      const at = inside(node.fact.nodeTypeExpr?.span, node.fact.span) ? node.fact.nodeTypeExpr!.span : node.fact.span;
      out.push(finding(SPEC, severity, at, message(ctx.workspace, ctx.file.uri, node.model, r)));
    }
    for (const ex of ctx.facts.express) {
      if (!ex.model) continue;
      const r = ctx.workspace.resolveModel(ex.model, { uri: ctx.file.uri, offset: ex.span.start, functionName: ex.functionName });
      if (!reportable(r)) continue;
      const arg = ex.args[0] && ex.args[0].k === 'str' ? ex.args[0] : ex.kwargs.find((k) => k.name === 'model')?.value;
      const at = inside(arg?.span, ex.span) ? arg!.span : ex.span;
      out.push(finding(SPEC, severity, at, message(ctx.workspace, ctx.file.uri, ex.model, r)));
    }
    return out;
  },
};
