// The node types DataFlow generates per model (reference §3.1) and how to read a type name.
export const NODE_OPERATIONS = [
  'Create', 'Read', 'Update', 'Delete', 'List', 'Count', 'Upsert',
  'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert',
] as const;
export type NodeOperation = (typeof NODE_OPERATIONS)[number];

export const TRANSACTION_NODES = [
  'TransactionScopeNode', 'TransactionCommitNode', 'TransactionRollbackNode',
  'TransactionSavepointNode', 'TransactionRollbackToSavepointNode',
] as const;

/** The 11 generated node names of a model, in reference order. */
export function generatedNodeNames(model: string): string[] {
  return NODE_OPERATIONS.map((op) => `${model}${op}Node`);
}

// Longest operations first so `ProductBulkCreateNode` is not read as model `ProductBulk` + `Create`.
const OPS_BY_LENGTH = [...NODE_OPERATIONS].sort((a, b) => b.length - a.length);

/** Splits `ProductBulkCreateNode` into model `Product` and operation `BulkCreate`. */
export function parseNodeType(type: string): { model: string; op: NodeOperation } | undefined {
  if (!type.endsWith('Node')) return undefined;
  const stem = type.slice(0, -4);
  for (const op of OPS_BY_LENGTH) {
    if (stem.endsWith(op) && stem.length > op.length) {
      const model = stem.slice(0, -op.length);
      if (/^[A-Za-z_]\w*$/.test(model)) return { model, op };
    }
  }
  return undefined;
}

export const SINGLE_WRITE_OPS: ReadonlySet<NodeOperation> = new Set(['Create', 'Update', 'Delete', 'Upsert']);
export const BULK_OF: Record<string, NodeOperation> = { Create: 'BulkCreate', Update: 'BulkUpdate', Delete: 'BulkDelete', Upsert: 'BulkUpsert' };

export const EXPRESS_OPS = new Set([
  'create', 'read', 'update', 'delete', 'list', 'find_one', 'count', 'upsert', 'upsert_advanced',
  'bulk_create', 'bulk_update', 'bulk_delete', 'bulk_upsert', 'import_file',
]);
