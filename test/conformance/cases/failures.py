# A node that fails without dependents (a failed entry, the run goes on), one that fails with a
# dependent (the run raises), and a read of a missing id.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Account:
    owner: str
    balance: float = 0.0


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("AccountCreateNode", "ok", {"owner": "ada", "balance": 5.0})
    wf.add_node("AccountReadNode", "missing", {"id": 999})
    try:
        runtime.execute(wf.build())
    except Exception as e:
        pass

    wf = WorkflowBuilder()
    wf.add_node("AccountUpdateNode", "bad", {"filter": {"id": 1}, "fields": {"balance": "not a number"}})
    wf.add_node("AccountListNode", "after", {})
    wf.add_connection("bad", "id", "after", "marker")
    try:
        runtime.execute(wf.build())
    except Exception:
        pass

    wf = WorkflowBuilder()
    wf.add_node("AccountCreateNode", "dup_free", {"owner": "bob"})
    wf.add_node("AccountListNode", "all", {"order_by": ["id"]})
    results, _ = runtime.execute(wf.build())
    return results
