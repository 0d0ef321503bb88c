# Run by "DataFlow: Profile with Python" in the real-VS-Code suite: the project's own interpreter
# (the oracle venv) imports this file and runs triage() with the real DataFlow.
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost:5432/helpdesk")


@db.model
class Ticket:
    title: str
    status: str = "open"


def triage():
    workflow = WorkflowBuilder()
    for i in range(3):
        workflow.add_node("TicketCreateNode", f"ticket_{i}", {"title": f"Ticket {i}"})
    workflow.add_node("TicketListNode", "open_tickets", {"filter": {"status": "open"}, "limit": 10})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    print("nodes", len(results))
    return results
