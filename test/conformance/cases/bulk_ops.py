# The bulk nodes: create, update by filter, delete by filter, upsert; then the rows that are left.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Item:
    sku: str
    qty: int = 0
    price: float = 0.0


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("ItemBulkCreateNode", "load", {"data": [{"sku": f"s{i}", "qty": i, "price": i * 1.5} for i in range(6)], "batch_size": 4})
    runtime.execute(wf.build())

    wf = WorkflowBuilder()
    wf.add_node("ItemBulkUpdateNode", "restock", {"filter": {"qty": {"$lt": 3}}, "fields": {"qty": 10}})
    runtime.execute(wf.build())

    wf = WorkflowBuilder()
    wf.add_node("ItemBulkDeleteNode", "prune", {"filter": {"sku": {"$in": ["s4", "s5"]}}})
    runtime.execute(wf.build())

    wf = WorkflowBuilder()
    wf.add_node("ItemBulkUpsertNode", "upsert", {"data": [{"id": 1, "sku": "s0", "qty": 99, "price": 0.0}, {"id": 40, "sku": "new", "qty": 1, "price": 2.0}], "conflict_resolution": "update"})
    runtime.execute(wf.build())

    wf = WorkflowBuilder()
    wf.add_node("ItemListNode", "rows", {"order_by": ["sku"], "limit": 20})
    wf.add_node("ItemCountNode", "n", {})
    results, _ = runtime.execute(wf.build())
    return results
