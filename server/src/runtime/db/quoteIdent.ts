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

/**
 * `name` written unquoted, as DataFlow writes some statements (its Upsert), when it lexes as ONE
 * unquoted PostgreSQL identifier: a letter, `_` or non-ASCII character, then those, digits or `$`
 * (scan.l ident_start / ident_cont). Such a name cannot change the statement's structure, and
 * PostgreSQL then treats it exactly as it treats DataFlow's text: folds it to lower case (a
 * mixed-case column is not found) and refuses a reserved word. Any other name: undefined (the
 * caller must not paste it).
 */
export function bareIdent(name: string): string | undefined {
  return /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*$/.test(name) ? name : undefined;
}
