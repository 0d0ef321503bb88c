import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError } from '../errors';
import type { PyDict } from '../values/pyValues';

export const TRANSACTION_NODE_TYPES = ['TransactionScopeNode', 'TransactionCommitNode', 'TransactionRollbackNode'] as const;
export type TransactionNodeType = (typeof TRANSACTION_NODE_TYPES)[number];

const ISOLATION: Record<string, string> = {
  READ_UNCOMMITTED: 'READ UNCOMMITTED',
  READ_COMMITTED: 'READ COMMITTED',
  REPEATABLE_READ: 'REPEATABLE READ',
  SERIALIZABLE: 'SERIALIZABLE',
};

/**
 * TransactionScopeNode / TransactionCommitNode / TransactionRollbackNode (dataflow/nodes/transaction_nodes.py; docs/dataflow-2.20.md §10): the scope opens
 * a transaction on one connection; every generated node run afterwards in the same execution
 * joins it until a commit or rollback node ends it.
 */
export async function executeTransactionNode(ctx: ExecutionContext, type: TransactionNodeType, inputs: PyDict): Promise<PyDict> {
  switch (type) {
    case 'TransactionScopeNode': {
      if (ctx.inTransaction) throw new DataFlowNodeError('A transaction is already active in this workflow');
      const level = String(inputs.isolation_level ?? 'READ_COMMITTED').toUpperCase().replace(/ /g, '_');
      const sqlLevel = ISOLATION[level];
      if (!sqlLevel) throw new DataFlowNodeError(`Invalid isolation_level '${String(inputs.isolation_level)}'`);
      ctx.transaction = await ctx.db.begin({ tag: ctx.currentNodeId, signal: ctx.options.signal });
      ctx.transactionId = `tx_${randomUUID().replace(/-/g, '').slice(0, 12)}`; // transaction_nodes.py:136
      if (level !== 'READ_COMMITTED') await ctx.transaction.query(`SET TRANSACTION ISOLATION LEVEL ${sqlLevel}`, [], { tag: ctx.currentNodeId });
      // TransactionScopeNode.async_run's output (dataflow/nodes/transaction_nodes.py:164): the parameters as given.
      return {
        status: 'started',
        transaction_id: ctx.transactionId,
        isolation_level: inputs.isolation_level ?? 'READ_COMMITTED',
        timeout: inputs.timeout ?? 30,
        rollback_on_error: inputs.rollback_on_error ?? true,
      };
    }
    case 'TransactionCommitNode': {
      const tx = ctx.transaction;
      if (!tx?.active) throw new DataFlowNodeError('No active transaction found in workflow context'); // transaction_nodes.py:203
      ctx.transaction = undefined;
      await tx.commit();
      return { status: 'committed', transaction_id: ctx.transactionId ?? 'unknown', result: 'Transaction committed successfully' }; // :224
    }
    case 'TransactionRollbackNode': {
      const tx = ctx.transaction;
      if (!tx?.active) throw new DataFlowNodeError('No active transaction found in workflow context'); // transaction_nodes.py:287
      ctx.transaction = undefined;
      await tx.rollback();
      return { status: 'rolled_back', transaction_id: ctx.transactionId ?? 'unknown', reason: inputs.reason ?? 'Manual rollback', result: 'Transaction rolled back successfully' }; // :307
    }
  }
}
