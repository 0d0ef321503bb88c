// The single description of DataFlow 2.20 that the analysis (and the runtime) use: generated
// nodes and their parameters/outputs, filter operators, constructor keywords, model options.
export * from './nodes';
export * from './filterOperators';
export * from './constructor';
export * from './transactions';

/** Express operations (`db.express.<op>(...)`, reference §9.10). */
export const EXPRESS_OPS = new Set([
  'create', 'read', 'update', 'delete', 'list', 'find_one', 'count', 'upsert', 'upsert_advanced',
  'bulk_create', 'bulk_update', 'bulk_delete', 'bulk_upsert', 'import_file',
]);
export * from './express';
