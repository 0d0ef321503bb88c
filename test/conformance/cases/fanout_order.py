# Fan-out order (issue 10 §2.3): the successors a finished node makes ready run with ids sorted as
# strings (a10 before a2 before b), after the other roots; List/Dict fields come back as JSON text
# (§2.2); a float column keeps its 8.0 (§2.6).
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder
from typing import List, Dict

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Item:
    name: str
    price: float = 0.0
    tags: List[str] = None
    meta: Dict[str, int] = None


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("ItemCreateNode", "root", {"name": "root", "price": 8.0})
    for nid in ["z", "b", "a10", "a2", "m"]:
        wf.add_node("ItemCreateNode", nid, {"name": nid})
        wf.add_connection("root", "id", nid, "marker")
    wf.add_node("ItemCreateNode", "tagged", {"name": "t", "tags": ["x", "y"], "meta": {"k": 1}})
    r1, _ = runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("ItemListNode", "all", {"order_by": ["id"]})
    wf.add_node("ItemReadNode", "one", {"id": 7})
    r2, _ = runtime.execute(wf.build())
    return [r1, r2]
