# The query cache (a repeated List is a hit; a write to the model invalidates it) and parameters=
# (node-specific entries, workflow-level values injected into the nodes that accept them, a
# parameter beating a connection's value).
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Ticket:
    subject: str
    priority: int = 1


def main():
    runtime = LocalRuntime()
    out = []
    wf = WorkflowBuilder()
    wf.add_node("TicketCreateNode", "a", {"subject": "printer", "priority": 2})
    wf.add_node("TicketCreateNode", "b", {"subject": "vpn"})
    results, _ = runtime.execute(wf.build())
    out.append(results)

    for _ in range(2):
        wf = WorkflowBuilder()
        wf.add_node("TicketListNode", "high", {"filter": {"priority": {"$gte": 2}}, "order_by": ["id"]})
        results, _ = runtime.execute(wf.build())
        out.append(results)

    wf = WorkflowBuilder()
    wf.add_node("TicketUpdateNode", "bump", {"filter": {"id": 2}, "fields": {"priority": 3}})
    wf.add_node("TicketListNode", "after", {"filter": {"priority": {"$gte": 2}}, "order_by": ["id"]})
    wf.add_connection("bump", "id", "after", "marker")
    results, _ = runtime.execute(wf.build())
    out.append(results)

    wf = WorkflowBuilder()
    wf.add_node("TicketCreateNode", "made", {"subject": "placeholder"})
    wf.add_node("TicketReadNode", "read", {})
    wf.add_connection("made", "id", "read", "id")
    results, _ = runtime.execute(wf.build(), parameters={"made": {"subject": "from parameters", "priority": 5}, "read": {"id": 1}})
    out.append(results)

    wf = WorkflowBuilder()
    wf.add_node("TicketListNode", "all", {"order_by": ["id"]})
    wf.add_node("TicketCountNode", "n", {})
    results, _ = runtime.execute(wf.build(), parameters={"limit": 2})
    out.append(results)
    return out
