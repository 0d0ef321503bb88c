// DF028 json-field-as-string: a model field annotated `List[...]`, `list[...]`, `Dict[...]` or
// `dict[...]` (also inside Optional / `| None`). DataFlow 2.20 stores it as JSONB but decodes a
// JSON column on read only when the declared type is exactly `list` or `dict`
// (`_deserialize_json_fields`: `field_type in (dict, list)` after unwrapping Optional), so Create,
// Read, List, Update and Upsert outputs carry such a field as a JSON string ('["a"]'). Probed on
// PostgreSQL 15. Reported on the declaration: the reads that go wrong are wherever the output is used.
import type { SeverityName } from '../settings';
import type { Finding, Fix } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import type { ClassFact, FieldFact } from '../model/facts';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';
import { modelAt } from './trapHelpers';

export const SPEC = spec({
  code: 'DF028',
  name: 'json-field-as-string',
  defaultSeverity: 'warning',
  summary: 'A List[...]/Dict[...] field: node outputs return it as a JSON string, not decoded',
  fix: 'unsafe',
});

const GENERIC = /(?:\b(?:typing|t)\.)?\b(List|list|Dict|dict)\s*\[/;

/** Where the generic sits in the annotation text and what it becomes (`list` / `dict`). */
function genericIn(annotation: string): { start: number; end: number; bare: 'list' | 'dict'; text: string } | undefined {
  const m = GENERIC.exec(annotation);
  if (!m) return undefined;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < annotation.length; i++) {
    const ch = annotation[i];
    if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) {
      return { start: m.index, end: i + 1, bare: m[1].toLowerCase() as 'list' | 'dict', text: annotation.slice(m.index, i + 1) };
    }
  }
  return undefined;
}

function fixFor(ctx: RuleContext, f: FieldFact, g: { start: number; end: number; bare: string }): { fix?: () => Fix; reason?: string } {
  const text = ctx.file.text;
  const colon = text.indexOf(':', f.nameSpan.end);
  const at = colon < 0 ? -1 : text.indexOf(f.annotation, colon);
  if (at < 0 || at > f.statementSpan.end) return { reason: 'the annotation is not written on one line' };
  const span = { start: at + g.start, end: at + g.end };
  return { fix: () => ({ title: `Annotate "${f.name}" as ${g.bare} (decoded on read)`, isPreferred: true, edits: [{ uri: ctx.file.uri, edits: [{ span, newText: g.bare }] }] }) };
}

function isModel(ctx: RuleContext, cls: ClassFact): boolean {
  const m = modelAt(ctx, cls.name, { span: cls.span });
  return !!m && m.cls === cls;
}

export const jsonFieldAsStringRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    for (const cls of ctx.facts.classes) {
      if (!cls.fields.some((f) => f.type === 'list' || f.type === 'dict') || !isModel(ctx, cls)) continue;
      for (const f of cls.fields) {
        if (f.type !== 'list' && f.type !== 'dict') continue;
        const g = genericIn(f.annotation);
        if (!g) continue;
        const message = `DataFlow 2.20 decodes a JSON column on read only when the field is annotated exactly ${g.bare} (or Optional[${g.bare}]): "${f.name}: ${f.annotation}" comes back from Create, Read, List, Update and Upsert outputs as a JSON string (e.g. '["a"]'), so indexing or iterating it walks characters. Annotate it ${g.bare} (the column stays JSONB), or json.loads the value.`;
        out.push(withFix(finding(SPEC, severity, f.nameSpan, message), fixFor(ctx, f, g)));
      }
    }
    return out;
  },
};
