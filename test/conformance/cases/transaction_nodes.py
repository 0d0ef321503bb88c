# DataFlow's transaction nodes (dataflow/nodes/transaction_nodes.py): they act through the DataFlow
# instance of `parameters={"workflow_context": {"dataflow_instance": db}}`; a write inside the scope
# is undone by a rollback or a rollback to a savepoint; values written in their node config are not
# seen (kailash fills the declared defaults); without a scope, commit fails its node only.
# LocalRuntime pops "workflow_context" out of the parameters dict it is given: a dict reused for a
# second execute has lost it.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Ledger:
    name: str
    amount: int


def listing():
    wf = WorkflowBuilder()
    wf.add_node("LedgerListNode", "rows", {"order_by": ["id"]})
    return wf.build()


def main():
    runtime = LocalRuntime()
    context = {"workflow_context": {"dataflow_instance": db}}

    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "scope", {"isolation_level": "SERIALIZABLE", "timeout": 5})
    wf.add_node("LedgerCreateNode", "kept", {"name": "kept", "amount": 1})
    wf.add_node("TransactionSavepointNode", "mark", {"name": "before_second"})
    wf.add_node("LedgerCreateNode", "undone", {"name": "undone", "amount": 2})
    wf.add_node("TransactionRollbackToSavepointNode", "back", {"savepoint": "before_second"})
    wf.add_node("TransactionCommitNode", "commit", {})
    wf.add_connection("scope", "transaction_id", "kept", "transaction_id")
    wf.add_connection("kept", "id", "mark", "trigger")
    wf.add_connection("mark", "savepoint", "undone", "note")
    wf.add_connection("undone", "id", "back", "trigger")
    wf.add_connection("back", "status", "commit", "trigger")
    runtime.execute(wf.build(), parameters=context)
    runtime.execute(listing())

    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "scope", {})
    wf.add_node("LedgerCreateNode", "gone", {"name": "gone", "amount": 3})
    wf.add_node("TransactionRollbackNode", "rollback", {"reason": "from the config"})
    wf.add_connection("scope", "transaction_id", "gone", "transaction_id")
    wf.add_connection("gone", "id", "rollback", "trigger")
    runtime.execute(wf.build(), parameters={"workflow_context": {"dataflow_instance": db}, "scope": {"timeout": 7}, "rollback": {"reason": "from parameters"}})
    runtime.execute(listing())

    wf = WorkflowBuilder()
    wf.add_node("TransactionCommitNode", "commit", {})
    wf.add_node("LedgerCountNode", "count", {})
    runtime.execute(wf.build(), parameters={"workflow_context": {"dataflow_instance": db}})

    # `context` lost its workflow_context to the first execute: the scope fails, the run raises.

    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "scope", {})
    wf.add_node("LedgerCreateNode", "never", {"name": "never", "amount": 4})
    wf.add_connection("scope", "transaction_id", "never", "transaction_id")
    results, _ = runtime.execute(wf.build(), parameters=context)
    return results
