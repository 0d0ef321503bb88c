// DF014 value-type-mismatch: a literal whose type cannot fit the model field it is given to.
// DataFlow 2.20 does no type validation of filters, records or SET values (reference §3.2): the
// value reaches asyncpg, which rejects it; declared-str parameters reject dicts and lists.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { FieldFact } from '../model/facts';
import type { SExpr } from '../model/staticExpr';
import type { ModelInfo } from '../model/workspaceModel';
import { finding, type Rule, type RuleContext } from './ruleContext';
import { checkedNodes, isPlaceholder, modelAt, resolveValue } from './nameCheck';
import { expressFieldRefs, nodeFieldRefs, type FieldRef } from './fieldUses';
import { customNodeClasses } from './unknownParameter';

export const SPEC = spec({
  code: 'DF014',
  name: 'value-type-mismatch',
  defaultSeverity: 'warning',
  summary: 'A literal value whose type cannot fit the model field (or a non-list $in)',
  fix: 'none',
});

const NUMERIC = new Set(['int', 'float']);
const LIST_OPS = new Set(['$in', '$nin']);
const VALUE_OPS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);

function literalKind(v: SExpr): 'str' | 'int' | 'float' | 'bool' | 'dict' | 'list' | undefined {
  switch (v.k) {
    case 'str': return 'str';
    case 'num': return Number.isInteger(v.v) && !/[.eE]/.test(String(v.v)) ? 'int' : 'float';
    case 'bool': return 'bool';
    case 'dict': return 'dict';
    case 'list': case 'tuple': case 'set': return 'list';
    default: return undefined;
  }
}

/** Why the literal cannot be bound to the field, or undefined when it fits (or cannot be judged). */
function mismatch(field: FieldFact, v: SExpr, coerced: boolean): string | undefined {
  const kind = literalKind(v);
  if (!kind) return undefined;
  const t = field.type;
  if (t === 'str') {
    if (kind === 'dict' || kind === 'list') return `a ${kind} for the str field "${field.name}": DataFlow rejects it ("parameter type mismatch")`;
    if ((kind === 'int' || kind === 'float') && !coerced) return `a number for the str field "${field.name}": asyncpg (PostgreSQL) rejects the bind ("expected str, got ${kind}"). Write it as a string`;
    return undefined;
  }
  if (NUMERIC.has(t) || t === 'bool') {
    if (kind === 'str' && v.k === 'str') {
      const numeric = /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v.v);
      if (coerced && numeric && t !== 'bool') return undefined;
      if (coerced && t === 'bool') return `a string for the bool field "${field.name}": the core SDK converts config values with bool(), so every non-empty string ("false" too) is stored as True. Write True or False`;
      if (isPlaceholder(v.v)) return undefined;
      return coerced
        ? `a string for the ${t} field "${field.name}": the core SDK converts config values to the declared type and "${v.v.slice(0, 30)}" is not ${t === 'bool' ? 'a bool' : 'a number'} (NodeConfigurationError)`
        : `a string for the ${t} field "${field.name}": DataFlow passes it unconverted and asyncpg (PostgreSQL) rejects the bind ("invalid input for query argument")${numeric ? `. Write ${v.v.trim()}` : ''}`;
    }
    if ((kind === 'dict' || kind === 'list') && !coerced) return `a ${kind} for the ${t} field "${field.name}": asyncpg (PostgreSQL) rejects the bind`;
  }
  return undefined;
}

export const valueTypeMismatchRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<number>();
    const check = (info: ModelInfo, refs: FieldRef[], subject: string, offset: number, fn: string | undefined) => {
      const fields = new Map(info.fields.map((f) => [f.name, f]));
      const push = (v: SExpr, msg: string) => {
        if (seen.has(v.span.start)) return;
        seen.add(v.span.start);
        out.push(finding(SPEC, severity, v.span, `${subject}: ${msg}.`));
      };
      for (const r of refs) {
        const field = fields.get(r.field);
        if (!r.value || !['filter', 'data', 'fields', 'where', 'update', 'create', 'flat'].includes(r.place)) continue;
        const v = r.value;
        if (r.place === 'filter' && v.k === 'dict') {
          for (const e of v.entries) {
            const op = e.key?.k === 'str' ? e.key.v : undefined;
            if (!op) continue;
            const ov = resolveValue(ctx, e.value, offset, fn) ?? e.value;
            if (LIST_OPS.has(op)) {
              const kind = literalKind(ov);
              if (kind && kind !== 'list') push(ov, `"${op}" needs a list or tuple; DataFlow fails on a ${kind} ("${op}" must be a list)`);
              else if (kind === 'list' && field && (ov.k === 'list' || ov.k === 'tuple')) for (const item of ov.items) { const m = mismatch(field, item, false); if (m) push(item, m); }
            } else if (VALUE_OPS.has(op) && field) {
              const m = mismatch(field, ov, false);
              if (m) push(ov, m);
            }
          }
          continue;
        }
        if (!field) continue;
        const m = mismatch(field, v, r.place === 'flat');
        if (m) push(v, m);
      }
    };
    const custom = customNodeClasses(ctx);
    for (const n of checkedNodes(ctx)) {
      if (!n.info || custom.has(n.fact.nodeType!)) continue;
      const names = new Set(n.info.fields.map((f) => f.name));
      names.delete('id');
      check(n.info, nodeFieldRefs(ctx, n, (k) => names.has(k)), n.fact.nodeType!, n.fact.span.start, n.fact.functionName);
    }
    for (const ex of ctx.facts.express) {
      if (!ex.model) continue;
      const info = modelAt(ctx, ex.model, ex.span.start, ex.functionName);
      if (!info) continue;
      check(info, expressFieldRefs(ctx, ex), `${ex.instance}.express.${ex.op}("${ex.model}")`, ex.span.start, ex.functionName);
    }
    return out;
  },
};
