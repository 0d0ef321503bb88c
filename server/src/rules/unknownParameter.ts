// DF011 unknown-parameter: a config key the generated node does not declare. DataFlow 2.20 reads
// only its declared parameters (and a few aliases), so the key is silently ignored; a misspelt
// filter (`filters`) makes the node run unfiltered.
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { CORE_CONFIG_KEYS, DOCUMENTED_BUT_IGNORED, NODE_OPERATIONS, OPERATIONS, type NodeOperation } from '../catalogue';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { acceptedKeys, checkedNodes, modelExistsAnywhere, workspaceClasses, fieldsComplete, modelColumns, nearest, renameKeyEdit, stringKeyed, type CheckedNode } from './nameCheck';
import type { SeverityName } from '../settings';
import { dictGet, numValue } from '../model/staticExpr';

export const SPEC = spec({
  code: 'DF011',
  name: 'unknown-parameter',
  defaultSeverity: 'warning',
  summary: 'A node config key the DataFlow node does not declare (ignored; a misspelt filter runs unfiltered)',
  fix: 'unsafe',
});

/** Every parameter name of any generated node: on Create these are parameters, not fields. */
export const ANY_PARAM = new Set<string>(NODE_OPERATIONS.flatMap((op) => [...acceptedKeys(op)]));
for (const k of ['records', 'ids', 'filters', 'where', 'return_id', 'validate', 'soft_delete', 'hard_delete']) ANY_PARAM.add(k);
const FILTER_LIKE = new Set(['filters', 'where', 'conditions', 'query', 'criteria', 'filter_by', 'match']);
const HAS_FILTER: ReadonlySet<NodeOperation> = new Set(['List', 'Count', 'Update', 'Delete', 'BulkUpdate', 'BulkDelete']);

function consequence(n: CheckedNode, key: string, isField: boolean): { text: string; dropsFilter: boolean } {
  const op = n.op;
  if ((op === 'Read' || op === 'Delete') && isField) return { text: `${op}Node finds its row by id only ("id", "record_id" or "conditions": {"id": ...}); a field is not a lookup key, and without an id the node raises`, dropsFilter: true };
  if (op === 'Read' && key === 'filter') return { text: 'ReadNode has no filter: DataFlow raises "requires \'id\' or \'record_id\'" unless an id is given. Pass the id as "id" (or "conditions": {"id": ...})', dropsFilter: true };
  if (op === 'Create' && (key === 'data' || key === 'fields')) return { text: `CreateNode takes the model's fields flat, not wrapped in "${key}": the required fields are missing and the run fails ("missing required inputs")`, dropsFilter: true };
  if (HAS_FILTER.has(op) && FILTER_LIKE.has(key) && !acceptedKeys(op).has(key)) {
    switch (op) {
      case 'List': {
        const limit = numValue(dictGet(n.config, 'limit')?.value);
        const page = limit === 1 ? 'with "limit": 1 it returns the newest row of the table, not the matching one' : limit !== undefined ? `it returns the newest ${limit} rows of the whole table` : 'it returns the newest rows of the whole table (10 by default)';
        return { text: `DataFlow 2.20 reads only "filter", so the List runs with no WHERE: ${page}`, dropsFilter: true };
      }
      case 'Count': return { text: 'DataFlow 2.20 reads only "filter", so the Count counts every row of the table', dropsFilter: true };
      case 'BulkUpdate': case 'BulkDelete': return { text: `DataFlow 2.20 reads only "filter", so the filter stays empty: the node refuses to run, or with "confirmed": True ${op === 'BulkDelete' ? 'deletes' : 'updates'} every row`, dropsFilter: true };
      default: return { text: `DataFlow 2.20 reads the target id only from "filter", "record_id" or "id", so without one the ${op} raises`, dropsFilter: true };
    }
  }
  const documented = DOCUMENTED_BUT_IGNORED[op]?.[key];
  if (documented) return { text: `DataFlow 2.20 ignores it (${documented})`, dropsFilter: false };
  return { text: 'DataFlow 2.20 ignores it', dropsFilter: false };
}

export const unknownParameterRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, setting: SeverityName): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const customNodes = customNodeClasses(ctx);
    for (const n of checkedNodes(ctx)) {
      if (customNodes.has(n.fact.nodeType!)) continue;
      const entries = stringKeyed(n.config);
      if (!entries.length) continue;
      const spec = OPERATIONS[n.op];
      const accepted = acceptedKeys(n.op);
      for (const k of CORE_CONFIG_KEYS) accepted.add(k);
      let columns: Set<string> | undefined;
      if (spec.modelFieldsFlat !== 'no') {
        if (!n.info || !fieldsComplete(ctx, n.info)) {
          // Flat fields unknown: only keys that are certainly not fields can be judged.
          if (n.op !== 'Create' && !entries.some((e) => e.key === 'filters')) continue;
        } else columns = modelColumns(ctx, n.info);
      }
      const present = new Set(entries.map((e) => e.key));
      // A `<X><Op>Node` with no model X anywhere may be a user's own node: judge only a plural "filters".
      const anyModel = !!n.info || modelExistsAnywhere(ctx, n.model);
      for (const { key, keySpan } of entries) {
        if (accepted.has(key) || columns?.has(key) || key.startsWith('${')) continue;
        if (spec.modelFieldsFlat === 'legacy' && !columns && key !== 'filters') continue;
        if (!anyModel && key !== 'filters') continue;
        // Create: a key that is not a parameter name anywhere is a field name (DF012's business).
        if (n.op === 'Create' && !ANY_PARAM.has(key)) continue;
        if (n.op === 'Create' && !columns && !['data', 'fields', 'filter', 'filters', 'records', 'where'].includes(key)) continue;
        const isField = !!n.info && n.info.fields.some((f) => f.name === key);
        const { text, dropsFilter } = consequence(n, key, isField);
        const candidates = [...accepted].filter((x) => !CORE_CONFIG_KEYS.includes(x as never) && x !== 'database_url');
        if (columns && spec.modelFieldsFlat !== 'no') candidates.push(...[...columns].filter((c) => !['created_at', 'updated_at'].includes(c)));
        let suggestion = n.op === 'Read' && key === 'filter' ? undefined : nearest(key, candidates);
        if (!suggestion && FILTER_LIKE.has(key) && accepted.has('filter') && key !== 'conditions') suggestion = 'filter';
        if (suggestion && present.has(suggestion)) suggestion = undefined;
        const severity: SeverityName = dropsFilter && setting === 'warning' ? 'error' : setting;
        const message = `${n.fact.nodeType} has no parameter "${key}": ${text}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`;
        const id = `${keySpan.start}:${message}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const f = finding(SPEC, severity, keySpan, message);
        out.push(suggestion
          ? withFix(f, { fix: () => ({ title: `Rename "${key}" to "${suggestion}" (changes what the node does)`, isPreferred: true, edits: [{ uri: ctx.file.uri, edits: [renameKeyEdit(ctx, keySpan, suggestion!)] }] }) })
          : f);
      }
    }
    return out;
  },
};

/** Class names defined in the workspace that subclass something ending in `Node`: user nodes, not DataFlow's. */
const customMemo = new WeakMap<object, Set<string>>();
export function customNodeClasses(ctx: RuleContext): Set<string> {
  const classes = workspaceClasses(ctx);
  let out = customMemo.get(classes);
  if (out) return out;
  out = new Set<string>();
  for (const [name, defs] of classes) if (defs.some((c) => c.bases.some((b) => b.endsWith('Node')))) out.add(name);
  customMemo.set(classes, out);
  return out;
}
