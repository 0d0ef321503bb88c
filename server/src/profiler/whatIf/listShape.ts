/**
 * The WHERE / ORDER BY structure of the SQL DataFlow's List and Count nodes generate (§3.3):
 *   SELECT * FROM "t" WHERE "a" = $1 AND "b" > $2 ORDER BY "c" DESC LIMIT $3 OFFSET $4
 *   SELECT COUNT(*) FROM "t" WHERE "a" IN ($1, $2)
 * Conditions are classified for an index: equality (=, IN, IS NULL), range (<, <=, >, >=) and
 * other (!=, NOT IN, LIKE, ~, IS NOT NULL, dotted paths) which a btree index does not serve.
 */
export interface ListShape {
  table: string;
  count: boolean;
  equality: string[];
  range: string[];
  other: string[];
  sort: { column: string; desc: boolean }[];
}

// A quoted identifier, or an unquoted one (the multi-tenant filter is written `tenant_id = $1`):
// two capture groups, read with identAt.
const IDENT = '(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))';
const COND = new RegExp(`^${IDENT}\\s+(=|!=|<>|>=|<=|>|<|IN|NOT IN|LIKE|~|IS NULL|IS NOT NULL)(?:\\s|$)`, 'i');
const unq = (s: string): string => s.replace(/""/g, '"');
/** The identifier IDENT captured at groups i, i + 1: a quoted one as written, an unquoted one folded to lower case as PostgreSQL does. */
const identAt = (m: RegExpExecArray, i: number): string => (m[i] !== undefined ? unq(m[i]) : m[i + 1].toLowerCase());

export function parseListSql(sql: string): ListShape | undefined {
  const head = new RegExp(`^\\s*SELECT\\s+(\\*|COUNT\\(\\*\\))\\s+FROM\\s+${IDENT}`, 'i').exec(sql);
  if (!head) return undefined;
  let rest = sql.slice(head[0].length);
  const shape: ListShape = { table: identAt(head, 2), count: head[1] !== '*', equality: [], range: [], other: [], sort: [] };
  // kailash sends LIMIT and OFFSET with its integer casts (`LIMIT $2::integer OFFSET $3::integer`).
  const limit = rest.search(/\s+LIMIT\s+\$\d+(?:::\w+)?(\s+OFFSET\s+\$\d+(?:::\w+)?)?\s*$/i);
  if (limit >= 0) rest = rest.slice(0, limit);
  const orderAt = rest.toUpperCase().lastIndexOf(' ORDER BY ');
  let order = '';
  if (orderAt >= 0) {
    order = rest.slice(orderAt + ' ORDER BY '.length);
    rest = rest.slice(0, orderAt);
  }
  rest = rest.trim();
  if (rest) {
    if (!/^WHERE\s/i.test(rest)) return undefined;
    for (const cond of rest.slice(5).trim().split(/\s+AND\s+/i)) {
      const m = COND.exec(cond.trim());
      if (!m) {
        shape.other.push(cond.trim());
        continue;
      }
      const col = identAt(m, 1);
      const op = m[3].toUpperCase();
      if (op === '=' || op === 'IN' || op === 'IS NULL') shape.equality.push(col);
      else if (op === '>' || op === '<' || op === '>=' || op === '<=') shape.range.push(col);
      else shape.other.push(col);
    }
  }
  if (order) {
    for (const part of order.split(',')) {
      const m = new RegExp(`^\\s*${IDENT}\\s*(ASC|DESC)?\\s*$`, 'i').exec(part);
      if (!m) return shape; // a dotted or odd sort: not used for the index
      shape.sort.push({ column: identAt(m, 1), desc: (m[3] ?? '').toUpperCase() === 'DESC' });
    }
  }
  return shape;
}

/**
 * The candidate index: equality columns first, then the first range column, then the sort
 * columns (only when there is no range column, or the sort starts with it). DataFlow's implicit
 * `"id" DESC` is dropped from the end (the primary key covers id). Duplicates removed.
 */
export function candidateColumns(shape: ListShape): string[] {
  const cols: string[] = [];
  const add = (c: string): void => {
    if (!cols.includes(c)) cols.push(c);
  };
  shape.equality.forEach(add);
  const range = shape.range[0];
  if (range !== undefined) add(range);
  const sort = shape.sort.map((s) => s.column);
  while (sort.length && sort[sort.length - 1] === 'id') sort.pop();
  if (range === undefined || sort[0] === range) sort.forEach(add);
  return cols;
}

export interface ExistingIndex {
  name: string;
  method: string;
  unique: boolean;
  columns: string[];
  partial: boolean;
}

/**
 * An existing btree index covers the candidate when the candidate's columns are its leftmost
 * columns, or when a unique index's columns are all equality columns of the candidate's prefix
 * (the primary key on id with `"id" = $1`).
 */
export function coveringIndex(candidate: string[], existing: ExistingIndex[]): ExistingIndex | undefined {
  return existing.find((ix) => {
    if (ix.method !== 'btree' || ix.partial || ix.columns.length === 0) return false;
    if (candidate.every((c, i) => ix.columns[i] === c)) return true;
    return ix.unique && ix.columns.every((c, i) => candidate[i] === c);
  });
}
