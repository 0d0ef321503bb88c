# Single-record nodes chained by connections, then read back in a second execute.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Customer:
    email: str
    name: str
    score: int = 0
    active: bool = True


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("CustomerCreateNode", "create", {"email": "ada@example.com", "name": "Ada", "score": 3})
    wf.add_node("CustomerReadNode", "read", {})
    wf.add_connection("create", "id", "read", "id")
    wf.add_node("CustomerUpdateNode", "update", {"fields": {"score": 9}})
    wf.add_connection("read", "id", "update", "filter.id")
    results, _ = runtime.execute(wf.build())

    wf2 = WorkflowBuilder()
    wf2.add_node("CustomerCreateNode", "second", {"email": "bob@example.com", "name": "Bob"})
    wf2.add_node("CustomerListNode", "all", {"order_by": ["id"]})
    wf2.add_node("CustomerCountNode", "count", {"filter": {"active": True}})
    wf2.add_connection("second", "id", "all", "offset_marker")
    results2, _ = runtime.execute(wf2.build())

    wf3 = WorkflowBuilder()
    wf3.add_node("CustomerDeleteNode", "delete", {"id": 1})
    wf3.add_node("CustomerListNode", "left", {"filter": {"score": {"$gte": 0}}})
    wf3.add_connection("delete", "id", "left", "after_delete")
    results3, _ = runtime.execute(wf3.build())
    return [results, results2, results3]
