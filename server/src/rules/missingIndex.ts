// DF003 missing-index: a List/Count/BulkUpdate/BulkDelete filter, or a List sort, on fields that
// no index of the model covers: PostgreSQL scans the whole table every time.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { dictGet, type SExpr, type Span } from '../model/staticExpr';
import type { ModelInfo, UseSite } from '../model/workspaceModel';
import { addIndexFix } from '../fixes/addIndexFix';
import { dataflowNodes } from './nodeContext';
import { coverage, filterUses, sortUses, type FieldUse } from './indexCoverage';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

const FILTERING_OPS = new Set(['List', 'Count', 'BulkUpdate', 'BulkDelete']);
const IMPLICIT_COLUMNS = new Set(['id', 'created_at', 'updated_at', 'deleted_at']);
const NO_BTREE = new Set(['dict', 'list', 'bytes']);

function knownFields(model: ModelInfo, uses: FieldUse[]): FieldUse[] {
  const byName = new Map(model.fields.map((f) => [f.name, f]));
  return uses.filter((u) => {
    if (IMPLICIT_COLUMNS.has(u.field)) return true;
    const f = byName.get(u.field);
    return !!f && !NO_BTREE.has(f.type);
  }).map((u) => (u.role === 'eq' && byName.get(u.field)?.type === 'bool' ? { ...u, lowSelectivity: true } : u));
}

function quoteList(fields: string[]): string { return fields.map((f) => `"${f}"`).join(', '); }

function describe(subject: string, model: ModelInfo, uncovered: FieldUse[], suggestion: string[]): string {
  const filtered = uncovered.filter((u) => u.role !== 'sort' && u.role !== 'none').map((u) => u.field);
  const sorted = uncovered.filter((u) => u.role === 'sort').map((u) => u.field);
  const parts: string[] = [];
  if (filtered.length) parts.push(`filters on ${quoteList(filtered)}`);
  if (sorted.length) parts.push(`sorts by ${quoteList(sorted)}`);
  return `${subject} ${parts.join(' and ')}, which no index of ${model.name} covers: PostgreSQL reads the whole table on every run. Add the ${suggestion.length > 1 ? 'composite ' : ''}index [${quoteList(suggestion)}] to ${model.name}.__dataflow__["indexes"].`;
}

export const SPEC = spec({
  code: 'DF003',
  name: 'missing-index',
  defaultSeverity: 'warning',
  summary: 'A filter or sort on fields that no index covers',
  fix: 'safe',
});

export const missingIndexRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    // Filters held in variables are reported where the node uses them, not where they are defined.
    const at = (span: Span, call: Span, fallback: Span): Span => (span.start >= call.start && span.end <= call.end ? span : fallback);
    const report = (subject: string, model: ModelInfo, uses: FieldUse[], call: Span, fallback: Span, site: UseSite) => {
      const known = knownFields(model, uses);
      if (!known.length) return;
      const { uncovered, suggestion } = coverage(known, model.indexes);
      if (!uncovered.length || !suggestion.length) return;
      const message = describe(subject, model, uncovered, suggestion);
      const fix = addIndexFix(ctx, model, suggestion, site);
      out.push(withFix(finding(SPEC, severity, at(uncovered[0].span, call, fallback), message), fix));
    };
    const resolve = (e: SExpr | undefined, offset: number, fn: string | undefined) => ctx.file.resolver.value(e, offset, fn);
    for (const node of dataflowNodes(ctx)) {
      if (!FILTERING_OPS.has(node.op) || !node.info) continue;
      const offset = node.fact.span.start, fn = node.fact.functionName;
      const filterEntry = dictGet(node.config, 'filter') ?? (node.op.startsWith('Bulk') ? dictGet(node.config, 'conditions') : undefined);
      const uses = filterUses(resolve(filterEntry?.value, offset, fn));
      if (node.op === 'List') uses.push(...sortUses(node.config));
      const written = filterEntry && filterEntry.value.span.start >= node.fact.span.start && filterEntry.value.span.end <= node.fact.span.end ? filterEntry.value.span : node.fact.config?.span ?? node.fact.span;
      report(node.type, node.info, uses, node.fact.span, written, { uri: ctx.file.uri, offset, functionName: fn });
    }
    for (const ex of ctx.facts.express) {
      if (!['list', 'count', 'find_one'].includes(ex.op) || !ex.model) continue;
      const site: UseSite = { uri: ctx.file.uri, offset: ex.span.start, functionName: ex.functionName };
      const model = ctx.workspace.resolveModel(ex.model, site).model;
      if (!model) continue;
      const filter = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'filter')?.value;
      const uses = filterUses(resolve(filter, ex.span.start, ex.functionName));
      report(`${ex.instance}.express.${ex.op}("${ex.model}")`, model, uses, ex.span, filter?.span ?? ex.span, site);
    }
    return out;
  },
};
