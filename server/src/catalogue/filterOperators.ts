// The filter operators of DataFlow 2.20 by surface (reference §4): what each accepts and does.

/** Operators the List/Count workflow path runs (validator allow-list ∩ QueryBuilder), §4.1. */
export const WORKFLOW_LIST_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$regex', '$exists', '$null'] as const;
/** The express path (`db.express.list/count/find_one`) skips the validator: `$like` works too. */
export const EXPRESS_OPERATORS = [...WORKFLOW_LIST_OPERATORS, '$like'] as const;
/** The input validator's allow-list (workflow path): `$not`, `$contains`, `$mul` pass it, then fail in the builder. */
export const VALIDATOR_ALLOW_LIST = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$regex', '$exists', '$null', '$not', '$contains', '$mul'] as const;
/** QueryBuilder.where(): anything else raises "Unsupported operator". */
export const QUERY_BUILDER_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$like', '$regex', '$exists', '$null'] as const;
/** BulkUpdate/BulkDelete filters: a field dict with exactly one of these keys, else `"f" = <the dict>`, §4.2. */
export const BULK_OPERATORS = ['$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$ne'] as const;

export const OPERATOR_EFFECTS: Record<string, string> = {
  '$eq': '"f" = v; with None, "f" IS NULL',
  '$ne': '"f" != v; with None, "f" IS NOT NULL (list path; the bulk path has no NULL case)',
  '$gt': '"f" > v', '$gte': '"f" >= v', '$lt': '"f" < v', '$lte': '"f" <= v',
  '$in': '"f" IN (...); must be a list or tuple; [] is a PostgreSQL syntax error on List/Count, 1 = 0 in bulk filters',
  '$nin': '"f" NOT IN (...); [] as for $in',
  '$like': '"f" LIKE v: express only; the workflow List/Count validator rejects it ("Unsafe filter operator")',
  '$regex': '"f" ~ v (case-sensitive; SQLite LIKE approximation)',
  '$exists': '"f" IS NOT NULL whatever the value: {"$exists": False} still means IS NOT NULL',
  '$null': '"f" IS NULL whatever the value: {"$null": False} still means IS NULL',
  '$not': 'passes the validator, then fails: "Unsupported operator"',
  '$contains': 'passes the validator, then fails: "Unsupported operator"',
  '$mul': 'passes the validator, then fails: "Unsupported operator"',
  '$ilike': 'rejected by the validator (no such operator; use $regex, which is case-sensitive)',
  '$options': 'rejected by the validator ($regex has no options)',
  '$text': 'rejected by the validator (no full-text operator)',
};

/** Top-level keys that look like operators but are read as column names (`"$or" = $1`): a DB error. */
export const TOP_LEVEL_LOGICAL = ['$or', '$and', '$not', '$nor'] as const;

export type FilterSurface = 'workflow' | 'express' | 'bulk';

/** Is `op` run as intended inside a field dict on this surface? (bulk: only as the dict's single key.) */
export function operatorSupported(surface: FilterSurface, op: string): boolean {
  const set: readonly string[] = surface === 'workflow' ? WORKFLOW_LIST_OPERATORS : surface === 'express' ? EXPRESS_OPERATORS : BULK_OPERATORS;
  return set.includes(op);
}
