// The transaction nodes every `DataFlow()` registers (dataflow/nodes/transaction_nodes.py, reference
// §10; recorded in test/conformance/cases/transaction_nodes.py): parameters, outputs, SQL.
import { TRANSACTION_NODES, type ParamSpec } from './nodes';

export type TransactionNodeName = (typeof TRANSACTION_NODES)[number];

export interface TransactionNodeSpec {
  summary: string;
  /**
   * Those with a default take their value from the run's inputs (connections, `parameters=`) or the
   * default: kailash fills the declared default into the validated inputs and `async_run` reads
   * `kwargs.get(name, self.<attr>)`, so a value in the node's config is never seen (recorded:
   * `{"isolation_level": "SERIALIZABLE"}` in the config reports READ_COMMITTED). The required ones
   * (a savepoint's name) are read from the config too.
   */
  params: ParamSpec[];
  outputs: string[];
  /** The statements it sends on the scope's connection. */
  sql: string[];
}

const T = (name: string, type: ParamSpec['type'], dflt: unknown, effect: string): ParamSpec => ({ name, type, default: dflt, required: dflt === undefined, effect });

export const TRANSACTION_NODE_SPECS: Record<TransactionNodeName, TransactionNodeSpec> = {
  TransactionScopeNode: {
    summary: 'Opens a transaction on one connection of the DataFlow instance named in workflow_context; every generated node run afterwards joins it.',
    params: [
      T('isolation_level', 'str', 'READ_COMMITTED', 'Only reported: the adapter opens a plain transaction.'),
      T('timeout', 'int', 30, 'Only reported.'),
      T('rollback_on_error', 'bool', true, 'Only reported.'),
    ],
    outputs: ['status', 'transaction_id', 'isolation_level', 'timeout', 'rollback_on_error'],
    sql: ['BEGIN'],
  },
  TransactionCommitNode: { summary: 'Commits the open transaction.', params: [], outputs: ['status', 'transaction_id', 'result'], sql: ['COMMIT'] },
  TransactionRollbackNode: {
    summary: 'Rolls back the open transaction.',
    params: [T('reason', 'str', 'Manual rollback', 'Echoed in the output.')],
    outputs: ['status', 'transaction_id', 'reason', 'result'],
    sql: ['ROLLBACK'],
  },
  TransactionSavepointNode: {
    summary: 'Creates a savepoint (name: letters, digits, underscores, 1-63 characters).',
    params: [T('name', 'str', undefined, 'The savepoint name.')],
    outputs: ['status', 'savepoint', 'result'],
    sql: ['SAVEPOINT "<name>"'],
  },
  TransactionRollbackToSavepointNode: {
    summary: 'Rolls back to a savepoint made in this transaction; it and later savepoints are forgotten.',
    params: [T('savepoint', 'str', undefined, 'The savepoint name.')],
    outputs: ['status', 'savepoint', 'result'],
    sql: ['ROLLBACK TO SAVEPOINT "<name>"'],
  },
};
