// The placeholder text of a multi-row INSERT ... VALUES, and the limit that splits it into batches.
// The one builder for the bulk nodes (BulkCreate, BulkUpsert) and the synthetic-row seeding.

/** PostgreSQL's wire limit on bind parameters per statement. */
export const MAX_BIND_PARAMS = 65535;

/**
 * The rows of a multi-row INSERT's VALUES: `($1, $2), ($3, $4)` for 2 rows of 2 columns,
 * numbered row by row. The values are always bound parameters, never text in the SQL.
 */
export function valuesPlaceholders(rows: number, columns: number): string {
  const parts: string[] = new Array(rows);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    let t = '(';
    for (let c = 0; c < columns; c++) t += c ? `, $${++n}` : `$${++n}`;
    parts[r] = t + ')';
  }
  return parts.join(', ');
}
