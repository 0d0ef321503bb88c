# A model whose id is a str: create with the id given, read, update and list by it.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Session:
    id: str
    user: str
    hits: int = 0


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("SessionCreateNode", "new", {"id": "sess-abc", "user": "ada"})
    wf.add_node("SessionReadNode", "read", {"id": "sess-abc"})
    wf.add_connection("new", "id", "read", "id")
    wf.add_node("SessionUpdateNode", "hit", {"filter": {"id": "sess-abc"}, "fields": {"hits": 5}})
    wf.add_connection("read", "id", "hit", "marker")
    results, _ = runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("SessionListNode", "all", {})
    results2, _ = runtime.execute(wf.build())
    return [results, results2]
