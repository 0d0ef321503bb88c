// DF012 unknown-field: a field name in a node config (filter, records, SET fields, order_by/sort,
// conflict target, upsert parts, Create's flat keys) that the model does not have.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { CORE_CONFIG_KEYS } from '../catalogue';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { acceptedKeys, checkedNodes, fieldsComplete, modelAt, modelColumns, nearest, renameKeyEdit } from './nameCheck';
import { expressFieldRefs, nodeFieldRefs, type FieldRef } from './fieldUses';
import { ANY_PARAM, customNodeClasses } from './unknownParameter';
import type { ModelInfo } from '../model/workspaceModel';

export const SPEC = spec({
  code: 'DF012',
  name: 'unknown-field',
  defaultSeverity: 'warning',
  summary: 'A field name in a filter, records, fields, sort or conflict target that the model does not have',
  fix: 'unsafe',
});

const NOT_FIELDS = new Set(['data', 'fields', 'filter', 'filters', 'records', 'where', 'return_id', 'validate', 'conditions', 'updates', 'limit', 'offset']);

function consequence(r: FieldRef, subject: string): string {
  switch (r.place) {
    case 'filter': return /[^k](Update|Delete)Node$/.test(subject)
      ? 'DataFlow reads only "id" from this filter, so the condition is ignored'
      : 'the WHERE names a column the table does not have, so PostgreSQL fails the query ("column does not exist")';
    case 'data': return r.record === 0 || r.record === undefined
      ? 'the INSERT names a column the table does not have, so the statement fails'
      : 'BulkCreate takes its columns from the first record only, so the value is dropped (and the column does not exist)';
    case 'fields': return 'the UPDATE sets a column the table does not have, so the statement fails';
    case 'order_by': case 'sort': return 'the ORDER BY names a column the table does not have, so the query fails';
    case 'conflict_on': return 'the conflict target is not a column backed by a PK/UNIQUE index, so the upsert raises';
    case 'where': case 'update': case 'create': return 'the upsert names a column the table does not have, so the statement fails';
    case 'flat': return 'DataFlow builds the statement from the model\'s fields only, so the value is not stored';
  }
}

export const unknownFieldRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<number>();
    const report = (info: ModelInfo, refs: FieldRef[], subject: string) => {
      const columns = modelColumns(ctx, info);
      for (const r of refs) {
        if (columns.has(r.field) || seen.has(r.span.start) || !r.field || r.field.startsWith('${') || /[^\w]/.test(r.field)) continue;
        seen.add(r.span.start);
        const suggestion = nearest(r.field, [...columns].filter((c) => r.place !== 'flat' || !['created_at', 'updated_at'].includes(c)));
        const where = r.place === 'flat' ? 'key' : `"${r.param}"${r.place === 'data' ? ' record' : ''} field`;
        const message = `${info.name} has no field "${r.field}" (${subject} ${where}): ${consequence(r, subject)}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`;
        const f = finding(SPEC, severity, r.span, message);
        const field = r.field;
        const isOrderByString = r.place === 'order_by' && ctx.file.text.slice(r.span.start, r.span.end).replace(/^[rRuU]?['"]/, '').startsWith('-');
        out.push(suggestion
          ? withFix(f, { fix: () => {
            const edit = renameKeyEdit(ctx, r.span, (isOrderByString ? '-' : '') + suggestion);
            return { title: `Change "${field}" to "${suggestion}"`, isPreferred: true, edits: [{ uri: ctx.file.uri, edits: [edit] }] };
          } })
          : f);
      }
    };
    const custom = customNodeClasses(ctx);
    for (const n of checkedNodes(ctx)) {
      if (!n.info || custom.has(n.fact.nodeType!) || !fieldsComplete(ctx, n.info)) continue;
      const accepted = acceptedKeys(n.op);
      for (const k of CORE_CONFIG_KEYS) accepted.add(k);
      // Create: every key that is not a parameter is a field; Update's legacy flat keys are DF011's (they may be mistyped parameters).
      const flat = (k: string) => n.op === 'Create' && !accepted.has(k) && !NOT_FIELDS.has(k) && !ANY_PARAM.has(k);
      report(n.info, nodeFieldRefs(ctx, n, flat), n.fact.nodeType!);
    }
    for (const ex of ctx.facts.express) {
      if (!ex.model) continue;
      const info = modelAt(ctx, ex.model, ex.span.start, ex.functionName);
      if (!info || !fieldsComplete(ctx, info)) continue;
      report(info, expressFieldRefs(ctx, ex), `${ex.instance}.${ex.sync ? 'express_sync' : 'express'}.${ex.op}`);
    }
    return out;
  },
};
