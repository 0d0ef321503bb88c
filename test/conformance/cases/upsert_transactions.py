# UpsertNode (insert, then update of the same natural key), BulkUpsert, and the Transaction nodes
# run by a plain LocalRuntime: DataFlow's TransactionScopeNode needs the DataFlow instance in the
# workflow context, which LocalRuntime().execute does not give it, so the run fails.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Member:
    email: str
    name: str
    visits: int = 0
    __dataflow__ = {"indexes": [{"name": "member_email_uq", "fields": ["email"], "unique": True}]}


def attempt(runtime, wf):
    try:
        results, _ = runtime.execute(wf.build())
        return results
    except Exception as e:
        return [type(e).__name__, str(e)]


def attempt_with(runtime, wf, parameters):
    try:
        results, _ = runtime.execute(wf.build(), parameters=parameters)
        return sorted(results)
    except Exception as e:
        return [type(e).__name__, str(e)]


def main():
    runtime = LocalRuntime()
    out = []
    wf = WorkflowBuilder()
    wf.add_node("MemberUpsertNode", "first", {"where": {"email": "ada@x.io"}, "create": {"email": "ada@x.io", "name": "Ada"}, "update": {"visits": 1}})
    results, _ = runtime.execute(wf.build())
    out.append(results)
    wf = WorkflowBuilder()
    wf.add_node("MemberUpsertNode", "again", {"where": {"email": "ada@x.io"}, "create": {"email": "ada@x.io", "name": "Ada"}, "update": {"visits": 2}})
    wf.add_node("MemberBulkUpsertNode", "many", {"data": [{"email": "bob@x.io", "name": "Bob"}, {"email": "ada@x.io", "name": "Ada L"}], "conflict_on": ["email"]})
    wf.add_connection("again", "id", "many", "marker")
    results, _ = runtime.execute(wf.build())
    out.append(results)

    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "tx", {})
    wf.add_node("MemberCreateNode", "in_tx", {"email": "cy@x.io", "name": "Cy"})
    wf.add_node("TransactionCommitNode", "commit", {})
    wf.add_connection("tx", "transaction_id", "in_tx", "marker")
    wf.add_connection("in_tx", "id", "commit", "marker")
    out.append(attempt(runtime, wf))

    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "tx", {})
    wf.add_node("MemberCreateNode", "dropped", {"email": "dee@x.io", "name": "Dee"})
    wf.add_node("TransactionRollbackNode", "rollback", {})
    wf.add_connection("tx", "transaction_id", "dropped", "marker")
    wf.add_connection("dropped", "id", "rollback", "marker")
    out.append(attempt(runtime, wf))

    # With the instance in the workflow context: the commit keeps its write, the rollback drops its.
    # LocalRuntime pops "workflow_context" from the dict it is given: a dict reused is empty the second time.
    reused = {"workflow_context": {"dataflow_instance": db}}
    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "tx", {})
    wf.add_node("TransactionCommitNode", "commit", {})
    wf.add_connection("tx", "transaction_id", "commit", "marker")
    out.append(sorted(runtime.execute(wf.build(), parameters=reused)[0]))
    out.append(attempt_with(runtime, wf, reused))
    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "tx", {})
    wf.add_node("MemberCreateNode", "kept", {"email": "eve@x.io", "name": "Eve"})
    wf.add_node("TransactionCommitNode", "commit", {})
    wf.add_connection("tx", "transaction_id", "kept", "marker")
    wf.add_connection("kept", "id", "commit", "marker")
    try:
        results, _ = runtime.execute(wf.build(), parameters={"workflow_context": {"dataflow_instance": db}})
        out.append({k: sorted(v) for k, v in results.items()})
    except Exception as e:
        out.append([type(e).__name__, str(e)])

    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "tx", {})
    wf.add_node("MemberCreateNode", "gone", {"email": "fay@x.io", "name": "Fay"})
    wf.add_node("TransactionRollbackNode", "rollback", {})
    wf.add_connection("tx", "transaction_id", "gone", "marker")
    wf.add_connection("gone", "id", "rollback", "marker")
    try:
        results, _ = runtime.execute(wf.build(), parameters={"workflow_context": {"dataflow_instance": db}})
        out.append({k: sorted(v) for k, v in results.items()})
    except Exception as e:
        out.append([type(e).__name__, str(e)])

    wf = WorkflowBuilder()
    wf.add_node("MemberListNode", "all", {"order_by": ["id"]})
    results, _ = runtime.execute(wf.build())
    out.append(results)
    return out
