from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

from models import db


def import_products(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "category": row["category"]})
    workflow.add_node("ProductListNode", "tools", {"filter": {"category": "tools"}, "limit": 20})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results


def load_customers(ids):
    workflow = WorkflowBuilder()
    for i, cid in enumerate(ids):
        workflow.add_node("CustomerReadNode", f"customer_{i}", {"id": cid})
    return workflow
