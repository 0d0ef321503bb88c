# A 30-node workflow built in a loop (ids sort as strings: create_10 before create_2).
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Reading:
    sensor: str
    value: float = 0.0


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    for i in range(30):
        wf.add_node("ReadingCreateNode", f"create_{i}", {"sensor": f"s{i % 3}", "value": i / 4})
    results, _ = runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("ReadingListNode", "s1", {"filter": {"sensor": "s1"}, "order_by": ["id"]})
    results2, _ = runtime.execute(wf.build())
    return [list(results.keys()), results2]
