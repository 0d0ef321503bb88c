// The DataFlow 2.20 catalogue: the one description of what DataFlow declares and does that the
// analysis (rules, completion, hover, SQL shapes) and the embedded runtime both read. Plain data and
// small pure functions, no imports from the rest of the server.
//   nodes.ts           the 11 generated operations (NODE_OPERATIONS, OPERATIONS[op]: DataFlow's own
//                      operation name, parameters with type/default/required/effect, aliases and
//                      undeclared keys it reads, keys it ignores or refuses, outputs, the SQL it sends),
//                      node names (generatedNodeName, nodeTypeReadings, parseNodeType), registration
//                      order, instance/library/core node names
//   transactions.ts    the Transaction* nodes every DataFlow() registers: parameters, outputs, SQL
//   filterOperators.ts the filter operators per surface (List/Count validator and query builder,
//                      express, bulk filters) and what each does, quirks included
//   constructor.ts     DataFlow(...) keywords and their real effect (effective, limited, no-op, alias,
//                      warned DF-CFG-001), the __dataflow__ keys and index-entry keys
//   express.ts         db.express.<op>(...) parameters
// The runtime executes OPERATIONS[op] through runtime/dataflow (declaredParameters, EXECUTORS);
// test/unit/catalogue.test.ts checks that the input keys the executors read are exactly the
// catalogue's (parameters DataFlow reads that the runtime does not model: UNMODELLED_PARAMETERS in
// runtime/dataflow/nodes/parameters.ts).
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
export * from './naming';
