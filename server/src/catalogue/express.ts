// The parameters of `db.express.<op>(model, ...)` after the model name, in positional order
// (DF/features/express.py of 2.20, reference §9.10), with the model fields each one names.
import type { FieldShape } from './nodes';

export interface ExpressParam { name: string; fields?: FieldShape; effect: string }

const FILTER: ExpressParam = { name: 'filter', fields: 'filter', effect: 'WHERE; the express path skips the validator, so $like works too.' };
/** The read options of read/list/find_one/count, after their positional parameters. */
const READ_OPTIONS: ExpressParam[] = [
  { name: 'cache_ttl', effect: 'Express cache TTL of this result (None: the instance\'s cache_ttl).' },
  { name: 'use_primary', effect: 'Accepted and ignored: nothing reads it (no read routing in 2.20).' },
  { name: 'include_deleted', effect: 'Soft-delete models: deleted rows count too (part of the cache key).' },
];

export const EXPRESS_PARAMS: Record<string, ExpressParam[]> = {
  create: [{ name: 'data', fields: 'values', effect: 'The row to insert.' }],
  read: [{ name: 'id', effect: 'The row id.' }, ...READ_OPTIONS],
  update: [{ name: 'id', effect: 'The row id.' }, { name: 'fields', fields: 'values', effect: 'The SET values.' }],
  delete: [{ name: 'id', effect: 'The row id.' }],
  list: [
    FILTER,
    { name: 'limit', effect: 'Default 100.' },
    { name: 'offset', effect: 'Default 0.' },
    { name: 'order_by', effect: 'A JSON string; anything else (such as "-price") is silently dropped.' },
    ...READ_OPTIONS,
  ],
  find_one: [FILTER, ...READ_OPTIONS],
  count: [FILTER, ...READ_OPTIONS],
  upsert: [{ name: 'data', fields: 'values', effect: 'The row; inserted, or updated on conflict.' }, { name: 'conflict_on', fields: 'names', effect: 'Conflict target; must be PK/UNIQUE.' }],
  upsert_advanced: [
    { name: 'where', fields: 'values', effect: 'Identity fields.' },
    { name: 'create', fields: 'values', effect: 'Columns inserted.' },
    { name: 'update', fields: 'values', effect: 'Columns set on conflict.' },
    { name: 'conflict_on', fields: 'names', effect: 'Conflict target; must be PK/UNIQUE.' },
  ],
  bulk_create: [{ name: 'records', fields: 'records', effect: 'The rows to insert.' }],
  bulk_update: [{ name: 'records', fields: 'records', effect: 'Rows with the key field and the values to set.' }, { name: 'key_field', effect: 'Default "id".' }],
  bulk_delete: [{ name: 'ids', effect: 'The ids to delete.' }],
  bulk_upsert: [{ name: 'records', fields: 'records', effect: 'The rows.' }, { name: 'conflict_on', fields: 'names', effect: 'Conflict target.' }, { name: 'batch_size', effect: 'Default 1000.' }],
};
