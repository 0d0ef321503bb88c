// DF010 unknown-node-type: an `add_node` type name shaped like a generated node whose model is not
// in scope (or a near miss of one: "OrderCreatNode"), and a `db.express.*("Model")` naming no model.
// The workflow fails at build() ("node type not found") or the express call raises.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { NODE_OPERATIONS, generatedNodeNames, isKnownNonGeneratedNode, parseNodeType } from '../catalogue';
import { finding, importsDataFlow, withFix, type Rule, type RuleContext } from './ruleContext';
import { modelExistsAnywhere, nearest, renameKeyEdit, workspaceClasses } from './nameCheck';

export const SPEC = spec({
  code: 'DF010',
  name: 'unknown-node-type',
  defaultSeverity: 'error',
  summary: 'A DataFlow node type or express model name that names no model in scope',
  fix: 'safe',
});

export const unknownNodeTypeRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const models = ctx.workspace.models();
    if (!models.size) return [];
    const out: Finding[] = [];
    const file = ctx.file;
    // Models this file can see: defined in it, or resolvable from it through imports/package scope.
    const visible = (name: string, offset: number, fn: string | undefined) => {
      const r = ctx.workspace.resolveModel(name, { uri: file.uri, offset, functionName: fn });
      return r.candidates.length > 0;
    };
    const fileDefinesModels = () => [...models.values()].some((list) => list.some((m) => m.uri === file.uri));
    const classes = workspaceClasses(ctx);
    let dfFile: boolean | undefined;
    const explained = (name: string): boolean => {
      // The name is a class somewhere (a model the extractor cannot see as one, or a user node),
      // or imported into the file.
      if (classes.has(name)) return true;
      if (file.facts.imports.some((i) => i.names.some((n) => n.name === name || n.alias === name || n.name === '*'))) return true;
      // Assigned or registered by name in this file (`Invoice = type("Invoice", ...)`, `db.register_model(Invoice)`).
      if (file.facts.assignments.some((a) => a.name === name) || file.facts.registrations.some((r) => r.className === name)) return true;
      return false;
    };
    const modelNames = [...models.keys()];
    // "OrderCreatNode" / "ProductBulk_CreateNode": a known model followed by a near miss of an operation.
    const opTypo = (type: string, visibleModels: string[]): string | undefined => {
      const found = new Set<string>();
      for (const m of visibleModels) {
        if (!type.startsWith(m)) continue;
        const rest = type.slice(m.length, -4);
        const op = nearest(rest, NODE_OPERATIONS, rest.length >= 8 ? 2 : 1);
        if (op) found.add(`${m}${op}Node`);
      }
      return found.size === 1 ? [...found][0] : undefined;
    };
    const candidateTypes = (offset: number, fn: string | undefined) => modelNames.filter((m) => visible(m, offset, fn)).flatMap(generatedNodeNames);
    for (const fact of ctx.facts.nodes) {
      const t = fact.nodeTypeExpr;
      if (!t || t.k !== 'str' || !t.v.endsWith('Node') || isKnownNonGeneratedNode(t.v)) continue;
      const type = t.v;
      const parsed = parseNodeType(type);
      if (parsed && modelExistsAnywhere(ctx, parsed.model)) continue;
      dfFile ??= importsDataFlow(file) || fileDefinesModels();
      if (!dfFile || explained(type)) continue;
      const suggestion = parsed ? nearest(type, candidateTypes(fact.span.start, fact.functionName)) : opTypo(type, modelNames.filter((m) => visible(m, fact.span.start, fact.functionName)));
      let message: string;
      if (parsed) {
        if (!suggestion && (!fileDefinesModels() || explained(parsed.model))) continue;
        message = suggestion
          ? `"${type}" is not a DataFlow node: no model ${parsed.model} is in scope, so the workflow fails at build() (node type not found in the registry). Did you mean "${suggestion}"?`
          : `"${type}" is not a DataFlow node here: no model ${parsed.model} is in scope, so the workflow fails at build() (node type not found in the registry).`;
      } else {
        if (!suggestion) continue;
        message = `"${type}" is not a DataFlow node: DataFlow registers <Model><Operation>Node names only, so the workflow fails at build() (node type not found). Did you mean "${suggestion}"?`;
      }
      const f = finding(SPEC, severity, t.span, message);
      out.push(suggestion
        ? withFix(f, { fix: () => ({ title: `Change to "${suggestion}"`, isPreferred: true, edits: [{ uri: file.uri, edits: [renameKeyEdit(ctx, t.span, suggestion)] }] }) })
        : f);
    }
    for (const ex of ctx.facts.express) {
      const arg = ex.args[0] ?? ex.kwargs.find((k) => k.name === 'model')?.value;
      if (!ex.model || !arg || arg.k !== 'str' || modelExistsAnywhere(ctx, ex.model)) continue;
      dfFile ??= importsDataFlow(file) || fileDefinesModels();
      if (!dfFile || explained(ex.model)) continue;
      const suggestion = nearest(ex.model, modelNames.filter((m) => visible(m, ex.span.start, ex.functionName)));
      if (!suggestion && !fileDefinesModels()) continue;
      const message = `No model "${ex.model}" is in scope: ${ex.instance}.express.${ex.op} raises because DataFlow has no such model.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`;
      const f = finding(SPEC, severity, arg.span, message);
      out.push(suggestion
        ? withFix(f, { fix: () => ({ title: `Change to "${suggestion}"`, isPreferred: true, edits: [{ uri: file.uri, edits: [renameKeyEdit(ctx, arg.span, suggestion)] }] }) })
        : f);
    }
    return out;
  },
};
