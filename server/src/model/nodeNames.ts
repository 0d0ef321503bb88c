// Node names now live in the DataFlow catalogue (server/src/catalogue); re-exported here for the
// existing imports.
export {
  NODE_OPERATIONS, TRANSACTION_NODES, generatedNodeNames, parseNodeType, SINGLE_WRITE_OPS, BULK_OF, EXPRESS_OPS,
  type NodeOperation,
} from '../catalogue';
