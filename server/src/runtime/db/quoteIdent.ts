/**
 * The single identifier-quoting helper. PostgreSQL rules: wrap in double quotes,
 * double any embedded quote. An empty name is quoted as `""` on purpose: PostgreSQL then
 * rejects it with "zero-length delimited identifier", which is exactly what DataFlow's
 * string-order_by quirk produces.
 */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) {
    throw new Error('identifier contains a NUL character');
  }
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quote a dotted path part by part: `user.email` → `"user"."email"` (DataFlow's QueryBuilder). */
export function quoteDotted(path: string): string {
  return path.split('.').map(quoteIdent).join('.');
}
