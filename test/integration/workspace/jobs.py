from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

from models import db


def nightly():
    workflow = WorkflowBuilder()
    for i in range(40):
        workflow.add_node("CustomerCreateNode", f"customer_{i}", {"email": f"c{i}@example.com", "name": f"Customer {i}"})
    workflow.add_node("ProductListNode", "toys", {"filter": {"category": "toys"}, "order_by": ["price"], "limit": 5})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    print("nodes", len(results))
    return results
