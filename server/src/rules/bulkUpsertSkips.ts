// DF023 bulk-upsert-skips: a BulkUpsertNode without `conflict_resolution`. In a workflow the shared
// bulk parameter defaults to "skip": `ON CONFLICT (...) DO NOTHING`, so existing rows are never
// updated (db.express.bulk_upsert does update). Any value but "skip"/"ignore"/"update" makes the
// node fail (reference §0.1 item 9, §3.3 BulkUpsertNode).
import type { SeverityName } from '../settings';
import type { Finding, Fix } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { dataflowNodes, type ResolvedNode } from './nodeContext';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { appendEntryEdit, configIsStatic, connectedInputs, entryOf, raisedFromDefault, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF023',
  name: 'bulk-upsert-skips',
  defaultSeverity: 'warning',
  summary: 'BulkUpsertNode without conflict_resolution: the default "skip" never updates existing rows',
  fix: 'unsafe',
});

const VALID = new Set(['skip', 'ignore', 'update']);

function addUpdateFix(ctx: RuleContext, node: ResolvedNode): { fix?: () => Fix; reason?: string } {
  const cfg = node.fact.config;
  if (!cfg || cfg.k !== 'dict' || cfg !== node.config) return { reason: 'the config is not written in the add_node call' };
  const kw = node.fact.configFromKeywords;
  const last = cfg.entries[cfg.entries.length - 1];
  const edit = kw
    ? { span: { start: last.span.end, end: last.span.end }, newText: ', conflict_resolution="update"' }
    : appendEntryEdit(ctx.file.text, cfg, '"conflict_resolution": "update"');
  return { fix: () => ({ title: 'Update existing rows: "conflict_resolution": "update"', isPreferred: true, edits: [{ uri: ctx.file.uri, edits: [edit] }] }) };
}

export const bulkUpsertSkipsRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'BulkUpsert') continue;
      const at = node.fact;
      const entry = entryOf(node.config, 'conflict_resolution');
      if (entry) {
        const v = valueAt(ctx, entry.value, at);
        if (v?.k !== 'str' || VALID.has(v.v)) continue;
        const message = `conflict_resolution "${v.v}" is not accepted: DataFlow 2.20's bulk upsert takes only "update", "skip" or "ignore" and the node fails ("Invalid conflict_resolution"). Use "update" to update existing rows.`;
        out.push(finding(SPEC, raisedFromDefault(severity, SPEC.defaultSeverity, 'error'), reportAt(entry.value.span, at.span, at.config?.span ?? at.span), message));
        continue;
      }
      if (!configIsStatic(ctx, node)) continue;
      const inputs = connectedInputs(ctx, at);
      if (inputs.has('conflict_resolution') || inputs.has('*')) continue;
      const message = `${at.nodeType} has no conflict_resolution, so it defaults to "skip": ON CONFLICT ... DO NOTHING — rows that already exist are left unchanged, not updated (db.express.bulk_upsert updates). Add "conflict_resolution": "update" to update them, or "skip" to say that skipping is meant.`;
      const span = at.nodeTypeExpr && at.nodeTypeExpr.span.start >= at.span.start ? at.nodeTypeExpr.span : at.span;
      out.push(withFix(finding(SPEC, severity, span, message), node.config ? addUpdateFix(ctx, node) : { reason: 'the node has no config dict' }));
    }
    return out;
  },
};
