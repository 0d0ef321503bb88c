// DF026 asyncpg-type: values asyncpg refuses on PostgreSQL (it checks every parameter's Python type
// against the column). Probed on DataFlow 2.20 + PostgreSQL 15:
// - an ISO string compared with a TIMESTAMP column in a List/Count/BulkUpdate/BulkDelete filter
//   ("expected a datetime.date or datetime.datetime instance, got 'str'"); writes convert ISO
//   strings for datetime fields, filters do not;
// - List `records` piped into BulkCreate / BulkUpdate `data`: their created_at/updated_at are ISO
//   strings, bound as-is (reference addendum);
// - a `Decimal` or `date` model field: both map to TEXT (§2.2); CreateNode coerces the value to
//   Decimal (even "1.50") and asyncpg refuses it for TEXT; a date value is refused the same way and
//   a str is refused by the node's config type check.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { ConnectionFact } from '../model/facts';
import { dottedName, type SExpr, type Span } from '../model/staticExpr';
import { parseNodeType } from '../catalogue';
import type { ModelInfo } from '../model/workspaceModel';
import { dataflowNodes } from './nodeContext';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { dialectOf, entryOf, fieldOf, modelAt, nodeById, reportAt, valueAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF026',
  name: 'asyncpg-type',
  defaultSeverity: 'error',
  summary: 'A value asyncpg refuses on PostgreSQL (ISO string in a timestamp filter, piped List records, Decimal/date fields)',
  fix: 'none',
});

const TIMESTAMP_COLUMNS = new Set(['created_at', 'updated_at', 'deleted_at']);
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);
const DATE_CALLS = /(^|\.)(now|utcnow|today|fromisoformat|fromtimestamp|datetime|date)$/;

/** How a value is a date/time string: 'an ISO string literal', '.isoformat()', ... */
function dateString(e: SExpr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'str') return ISO.test(e.v.trim()) ? `the string "${e.v}"` : undefined;
  if (e.k === 'call' && e.fn.k === 'attr' && (e.fn.attr === 'isoformat' || e.fn.attr === 'strftime')) return `.${e.fn.attr}()`;
  if (e.k === 'call' && dottedName(e.fn) === 'str' && e.args.length === 1) {
    const a = e.args[0];
    const isDateCall = (x: SExpr): boolean => x.k === 'call' && DATE_CALLS.test(dottedName(x.fn) ?? '');
    if (isDateCall(a) || (a.k === 'binop' && (isDateCall(a.l) || isDateCall(a.r)))) return 'str() of a datetime';
  }
  if (e.k === 'fstr') {
    for (const p of e.parts) {
      if (typeof p === 'string') continue;
      if (dateString(p) || (p.k === 'call' && DATE_CALLS.test(dottedName(p.fn) ?? ''))) return 'an f-string of a date';
    }
  }
  return undefined;
}

function isTimestamp(model: ModelInfo | undefined, field: string): boolean {
  if (TIMESTAMP_COLUMNS.has(field)) return true;
  return fieldOf(model, field)?.type === 'datetime';
}

export const asyncpgTypeRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    // 1. Date strings in filters on TIMESTAMP columns.
    for (const node of dataflowNodes(ctx)) {
      const filterKeys = node.op === 'List' || node.op === 'Count' ? ['filter'] : node.op === 'BulkUpdate' || node.op === 'BulkDelete' ? ['filter', 'conditions'] : undefined;
      if (!filterKeys) continue;
      const at = node.fact;
      const model = modelAt(ctx, node.model, at);
      if (!model || dialectOf(ctx, model) === 'sqlite' || dialectOf(ctx, model) === 'mysql') continue;
      const filter = valueAt(ctx, entryOf(node.config, ...filterKeys)?.value, at);
      if (filter?.k !== 'dict') continue;
      for (const entry of filter.entries) {
        if (entry.key?.k !== 'str' || !isTimestamp(model, entry.key.v)) continue;
        const field = entry.key.v;
        const cond = valueAt(ctx, entry.value, at);
        const values: SExpr[] = [];
        if (cond?.k === 'dict') {
          for (const c of cond.entries) {
            if (c.key?.k !== 'str' || !COMPARISONS.has(c.key.v)) continue;
            const v = valueAt(ctx, c.value, at);
            if (v && (v.k === 'list' || v.k === 'tuple')) values.push(...v.items); else if (v) values.push(v);
          }
        } else if (cond) values.push(cond);
        for (const v of values) {
          const how = dateString(v) ?? dateString(valueAt(ctx, v, at));
          if (!how) continue;
          const message = `"${field}" is a TIMESTAMP column, but the filter compares it with ${how}: DataFlow passes filter values to asyncpg unconverted, and asyncpg refuses a str for a timestamp ("expected a datetime.date or datetime.datetime instance, got 'str'"), so ${node.fact.nodeType} fails on PostgreSQL. Pass a datetime object.`;
          out.push(finding(SPEC, severity, reportAt(v.span, at.span, at.config?.span ?? at.span), message));
          break;
        }
      }
    }
    // 2. List records piped into bulk data.
    const isListRecords = (from: SExpr | undefined, output: SExpr | undefined, c: { span: Span; functionName?: string; workflow?: string }) => {
      const id = valueAt(ctx, from, c);
      const o = valueAt(ctx, output, c);
      if (id?.k !== 'str' || o?.k !== 'str' || o.v !== 'records') return undefined;
      const src = nodeById(ctx, id.v, c.workflow);
      const parsed = src?.nodeType ? parseNodeType(src.nodeType) : undefined;
      return parsed?.op === 'List' ? { id: id.v, model: parsed.model } : undefined;
    };
    const bulkTarget = (to: SExpr | undefined, c: ConnectionFact) => {
      const id = valueAt(ctx, to, c);
      if (id?.k !== 'str') return undefined;
      const dst = nodeById(ctx, id.v, c.workflow);
      const parsed = dst?.nodeType ? parseNodeType(dst.nodeType) : undefined;
      return parsed && (parsed.op === 'BulkCreate' || parsed.op === 'BulkUpdate') ? { node: dst!, ...parsed } : undefined;
    };
    const pipedMessage = (src: string, dst: string) => `The records of List "${src}" carry created_at/updated_at as ISO strings; ${dst} binds them as they are and asyncpg refuses a str for a timestamp column ("expected a datetime.date or datetime.datetime instance, got 'str'"), so the node fails on PostgreSQL. Build the records with only the model's own fields (drop created_at/updated_at).`;
    for (const c of ctx.facts.connections) {
      const pairs: Array<[SExpr | undefined, SExpr | undefined]> = [];
      if (c.method === 'add_connection') pairs.push([c.fromOutput, c.toInput]);
      else {
        const m = valueAt(ctx, c.mapping, c);
        if (m?.k === 'dict') for (const e of m.entries) if (e.key) pairs.push([e.key, e.value]);
      }
      for (const [output, input] of pairs) {
        const src = isListRecords(c.from, output, c);
        if (!src) continue;
        const inp = valueAt(ctx, input, c);
        if (inp?.k !== 'str' || !['data', 'records', 'rows', 'documents'].includes(inp.v)) continue;
        const dst = bulkTarget(c.to, c);
        if (!dst) continue;
        const model = modelAt(ctx, dst.model, dst.node);
        if (dialectOf(ctx, model) === 'sqlite' || dialectOf(ctx, model) === 'mysql') continue;
        out.push(finding(SPEC, severity, c.span, pipedMessage(src.id, dst.node.nodeType!)));
      }
    }
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'BulkCreate' && node.op !== 'BulkUpdate') continue;
      const data = entryOf(node.config, 'data', 'records', 'rows', 'documents');
      const v = valueAt(ctx, data?.value, node.fact);
      // results["list_id"]["records"]
      if (v?.k !== 'subscript' || v.index.k !== 'str' || v.index.v !== 'records' || v.obj.k !== 'subscript' || v.obj.index.k !== 'str') continue;
      const src = nodeById(ctx, v.obj.index.v, undefined);
      if (!src?.nodeType || parseNodeType(src.nodeType)?.op !== 'List') continue;
      const model = modelAt(ctx, node.model, node.fact);
      if (dialectOf(ctx, model) === 'sqlite' || dialectOf(ctx, model) === 'mysql') continue;
      out.push(finding(SPEC, severity, reportAt(data!.value.span, node.fact.span, node.fact.config?.span ?? node.fact.span), pipedMessage(v.obj.index.v, node.fact.nodeType!)));
    }
    // 3. Decimal and date fields of models.
    for (const cls of ctx.facts.classes) {
      if (!cls.fields.some((f) => f.type === 'Decimal' || f.type === 'date')) continue;
      const model = modelAt(ctx, cls.name, { span: cls.span });
      if (!model || model.cls !== cls) continue;
      const dialect = dialectOf(ctx, model);
      for (const f of cls.fields) {
        let message: string | undefined;
        if (f.type === 'Decimal' && dialect !== 'mysql') message = `DataFlow 2.20 stores Decimal as TEXT, and writes of "${f.name}" fail: CreateNode coerces the value (even the string "1.50") to Decimal, which asyncpg refuses for a TEXT column on PostgreSQL ("expected str, got Decimal") and SQLite cannot bind ("type 'decimal.Decimal' is not supported"). Use int (cents) or str.`;
        else if (f.type === 'date' && dialect !== 'sqlite' && dialect !== 'mysql') message = `DataFlow 2.20 stores date as TEXT, and writes of "${f.name}" fail on PostgreSQL: asyncpg refuses a date object for a TEXT column ("expected str, got date"), and a str in an add_node config is refused by the node's type check ("must be of type date"). Use datetime, or str.`;
        if (message) out.push(finding(SPEC, severity, f.nameSpan, message));
      }
    }
    return out;
  },
};
