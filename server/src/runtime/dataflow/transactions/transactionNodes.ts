import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError } from '../errors';
import type { DfRecord, DfValue } from '../values/dfValues';
import { TRANSACTION_NODE_SPECS, type TransactionNodeName } from '../../../catalogue';

// DataFlow 2.20's transaction nodes: dataflow/nodes/transaction_nodes.py (kailash-py e5e220aa0),
// behaviour recorded with the real DataFlow in test/conformance/cases/transaction_nodes.py.

/** The inputs a transaction node's `async_run` sees: defaulted parameters from the run's inputs or their default, the others from config then inputs. */
export function transactionInputs(type: TransactionNodeName, config: DfRecord, runtimeInputs: DfRecord): DfRecord {
  const out: DfRecord = { ...runtimeInputs };
  for (const p of TRANSACTION_NODE_SPECS[type].params) {
    if (p.name in runtimeInputs) continue;
    if (p.default !== undefined) out[p.name] = p.default as DfValue;
    else if (p.name in config) out[p.name] = config[p.name];
  }
  return out;
}

/** The message DataFlow's TransactionScopeNode raises when `parameters={"workflow_context": {"dataflow_instance": db}}` was not given. */
export const NO_DATAFLOW_INSTANCE_IN_CONTEXT =
  'DataFlow instance not found in workflow context. Ensure the workflow is executed with a DataFlow instance in context.';

const SAVEPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function nodeError(message: string): DataFlowNodeError {
  return new DataFlowNodeError(message, { errorType: 'NodeExecutionError' });
}

function activeTransaction(ctx: ExecutionContext) {
  const tx = ctx.transaction;
  if (!tx?.active) throw nodeError('No active transaction found in workflow context');
  return tx;
}

/** Clears the workflow context's transaction state (commit, rollback). */
function endScope(ctx: ExecutionContext): string {
  const id = ctx.transactionId ?? 'unknown';
  ctx.transaction = undefined;
  ctx.transactionId = undefined;
  ctx.savepoints = [];
  return id;
}

/**
 * The transaction nodes (docs/dataflow-2.20.md §10) on the execution context that holds the workflow's transaction (the one of
 * the DataFlow instance named in `workflow_context`): the scope opens a transaction on one
 * connection (isolation level, timeout and rollback_on_error are only reported: DataFlow's adapter
 * opens a plain transaction); every generated node run afterwards joins it until a commit or
 * rollback ends it; savepoints are SAVEPOINT / ROLLBACK TO SAVEPOINT on that connection.
 */
export async function executeTransactionNode(ctx: ExecutionContext, type: TransactionNodeName, inputs: DfRecord): Promise<DfRecord> {
  const tag = { tag: ctx.currentNodeId };
  switch (type) {
    case 'TransactionScopeNode': {
      if (ctx.inTransaction) throw nodeError('A transaction is already active in this workflow');
      ctx.transaction = await ctx.db.begin({ tag: ctx.currentNodeId, signal: ctx.options.signal });
      ctx.transactionId = `tx_${randomBytes(6).toString('hex')}`;
      ctx.savepoints = [];
      return {
        status: 'started',
        transaction_id: ctx.transactionId,
        isolation_level: inputs.isolation_level ?? null,
        timeout: inputs.timeout ?? null,
        rollback_on_error: inputs.rollback_on_error ?? null,
      };
    }
    case 'TransactionCommitNode': {
      const tx = activeTransaction(ctx);
      const id = endScope(ctx);
      await tx.commit();
      return { status: 'committed', transaction_id: id, result: 'Transaction committed successfully' };
    }
    case 'TransactionRollbackNode': {
      const tx = activeTransaction(ctx);
      const id = endScope(ctx);
      await tx.rollback();
      return { status: 'rolled_back', transaction_id: id, reason: inputs.reason ?? null, result: 'Transaction rolled back successfully' };
    }
    case 'TransactionSavepointNode': {
      const name = inputs.name;
      if (!name) throw nodeError('Savepoint name is required');
      const tx = activeTransaction(ctx);
      if (typeof name !== 'string' || !SAVEPOINT_NAME.test(name)) {
        throw nodeError(`Invalid savepoint name '${String(name)}': must be alphanumeric/underscores, start with a letter or underscore, and be 1-63 characters`);
      }
      await tx.query(`SAVEPOINT "${name}"`, [], tag);
      if (!ctx.savepoints.includes(name)) ctx.savepoints.push(name);
      return { status: 'created', savepoint: name, result: `Savepoint '${name}' created successfully` };
    }
    case 'TransactionRollbackToSavepointNode': {
      const name = inputs.savepoint;
      if (!name) throw nodeError('Savepoint name is required');
      const tx = activeTransaction(ctx);
      if (typeof name !== 'string' || !ctx.savepoints.includes(name)) throw nodeError(`Savepoint '${String(name)}' not found`);
      await tx.query(`ROLLBACK TO SAVEPOINT "${name}"`, [], tag);
      // The savepoint and those made after it are forgotten (DataFlow keeps the ones before it).
      ctx.savepoints = ctx.savepoints.slice(0, ctx.savepoints.indexOf(name));
      return { status: 'rolled_back_to_savepoint', savepoint: name, result: `Rolled back to savepoint '${name}' successfully` };
    }
  }
}
