// Normalises a field annotation to the type DataFlow maps to a column (reference §2.2).
import type { FieldType } from './facts';

export interface NormalisedType { type: FieldType; optional: boolean }

function stripModule(s: string): string {
  return s.replace(/^(typing|t|datetime|decimal|dt)\./, '');
}

export function normaliseAnnotation(annotation: string): NormalisedType {
  let s = annotation.replace(/\s+/g, '');
  let optional = false;
  // X | None  /  None | X
  const bar = splitTopLevel(s, '|');
  if (bar.length === 2 && bar.some((p) => p === 'None')) {
    optional = true;
    s = bar.find((p) => p !== 'None')!;
  }
  const m = /^([A-Za-z_][\w.]*)\[(.*)\]$/.exec(s);
  if (m) {
    const head = stripModule(m[1]);
    const inner = splitTopLevel(m[2], ',');
    if (head === 'Optional' && inner.length === 1) {
      return { type: normaliseAnnotation(inner[0]).type, optional: true };
    }
    if (head === 'Union' && inner.length === 2 && inner.includes('None')) {
      return { type: normaliseAnnotation(inner.find((p) => p !== 'None')!).type, optional: true };
    }
    if (['List', 'list', 'Set', 'set', 'FrozenSet', 'frozenset', 'Tuple', 'tuple', 'Sequence'].includes(head)) return { type: 'list', optional };
    if (['Dict', 'dict', 'Mapping'].includes(head)) return { type: 'dict', optional };
    return { type: 'other', optional };
  }
  const base = stripModule(s.replace(/^['"]|['"]$/g, ''));
  switch (base) {
    case 'str': return { type: 'str', optional };
    case 'int': return { type: 'int', optional };
    case 'float': return { type: 'float', optional };
    case 'bool': return { type: 'bool', optional };
    case 'datetime': return { type: 'datetime', optional };
    case 'date': return { type: 'date', optional };
    case 'Decimal': return { type: 'Decimal', optional };
    case 'dict': case 'Dict': return { type: 'dict', optional };
    case 'list': case 'List': case 'set': case 'tuple': case 'frozenset': return { type: 'list', optional };
    case 'bytes': return { type: 'bytes', optional };
    default: return { type: 'other', optional };
  }
}

function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    if (ch === sep && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}
