// Which filtered or sorted fields an index covers. Covered: the primary key `id`, a field with a
// single-column unique index, or a column of a declared index whose preceding columns are all
// filtered by equality (the leftmost-prefix rule). Both `__dataflow__["indexes"]` and
// `__indexes__` count as declared here (DF003 is about intent; DataFlow ignoring `__indexes__`
// is reported by the runtime as a divergence).
import type { IndexFact } from '../model/facts';
import { dictGet, strValue, type SExpr, type Span } from '../model/staticExpr';

// Roles: 'eq' and 'range' can use a btree index; 'none' is a condition a btree index cannot
// serve: `$ne`, `$nin` (PostgreSQL scans anyway), `$regex` (`~`) and `$like`. A prefix pattern
// (`LIKE 'abc%'`, `~ '^abc'`) uses a btree only with the C collation or a `text_pattern_ops`
// index, and DataFlow creates plain indexes (reference §2.5), so no pattern counts.
export type FieldRole = 'eq' | 'range' | 'sort' | 'none';
export interface FieldUse {
  field: string;
  role: FieldRole;
  span: Span;
  /** Equality on a boolean (`{"active": True}`): half the table matches, an index alone rarely helps. */
  lowSelectivity?: boolean;
}

const EQ_OPS = new Set(['$eq', '$in', '$null', '$exists']);
const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** Fields a filter dict uses, with equality or range roles. Unknown shapes are skipped. */
export function filterUses(filter: SExpr | undefined): FieldUse[] {
  if (!filter || filter.k !== 'dict') return [];
  const out: FieldUse[] = [];
  for (const e of filter.entries) {
    const key = strValue(e.key ?? undefined);
    if (!key || key.startsWith('$') || !e.key) continue;
    let role: FieldRole = 'eq';
    let low = e.value.k === 'bool';
    if (e.value.k === 'dict') {
      const ops = e.value.entries.map((x) => strValue(x.key ?? undefined)).filter((x): x is string => !!x && x.startsWith('$'));
      if (ops.some((o) => RANGE_OPS.has(o))) role = 'range';
      else if (ops.length && !ops.some((o) => EQ_OPS.has(o))) role = 'none';
      else if (ops.length && ops.some((o) => !EQ_OPS.has(o))) role = 'range';
      low = e.value.entries.length === 1 && dictGet(e.value, '$eq')?.value.k === 'bool';
    }
    out.push({ field: key, role, span: e.key.span, ...(low ? { lowSelectivity: true } : {}) });
  }
  return out;
}

/** Fields a ListNode sorts by: `order_by` (["-price"], [{"price": -1}]) or `sort` ([{"field", "order"}]). */
export function sortUses(config: SExpr | undefined): FieldUse[] {
  const out: FieldUse[] = [];
  const orderBy = dictGet(config, 'order_by')?.value;
  if (orderBy && (orderBy.k === 'list' || orderBy.k === 'tuple')) {
    for (const item of orderBy.items) {
      const s = strValue(item);
      if (s) out.push({ field: s.replace(/^[-+]/, ''), role: 'sort', span: item.span });
      else if (item.k === 'dict') for (const e of item.entries) { const k = strValue(e.key ?? undefined); if (k && e.key) out.push({ field: k, role: 'sort', span: e.key.span }); }
    }
  }
  if (!out.length) {
    const sort = dictGet(config, 'sort')?.value;
    if (sort && (sort.k === 'list' || sort.k === 'tuple')) {
      for (const item of sort.items) {
        const field = dictGet(item, 'field')?.value;
        const s = strValue(field);
        if (s && field) out.push({ field: s, role: 'sort', span: field.span });
      }
    }
  }
  return out;
}

export interface Coverage { uncovered: FieldUse[]; suggestion: string[] }

/** Checks a set of used fields against the model's indexes. */
export function coverage(uses: FieldUse[], indexes: IndexFact[]): Coverage {
  const eqFields = new Set(uses.filter((u) => u.role === 'eq').map((u) => u.field));
  const uniqueSingles = new Set(indexes.filter((i) => i.unique && i.fields.length === 1).map((i) => i.fields[0]));
  // An equality lookup on the primary key or a unique field finds at most one row: nothing to add.
  if (eqFields.has('id') || [...eqFields].some((f) => uniqueSingles.has(f))) return { uncovered: [], suggestion: [] };
  const covered = (u: FieldUse): boolean => {
    if (u.field === 'id') return true;
    return indexes.some((ix) => {
      const pos = ix.fields.indexOf(u.field);
      if (pos < 0) return false;
      return ix.fields.slice(0, pos).every((f) => eqFields.has(f));
    });
  };
  // Conditions no btree serves, and boolean equalities, never make a finding on their own.
  const uncovered = uses.filter((u) => u.role !== 'none' && !u.lowSelectivity && !covered(u));
  if (!uncovered.length) return { uncovered, suggestion: [] };
  const order: FieldRole[] = ['eq', 'range', 'sort'];
  const suggestion: string[] = [];
  for (const role of order) for (const u of uses) if (u.role === role && !u.lowSelectivity && u.field !== 'id' && !suggestion.includes(u.field)) suggestion.push(u.field);
  return { uncovered, suggestion };
}
