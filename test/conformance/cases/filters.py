# Filter operators on List and Count, one execute each, and the sort/limit/offset parameters.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Product:
    name: str
    category: str = "misc"
    price: float = 0.0
    stock: int = 0


FILTERS = [
    {"price": {"$gt": 5.0}},
    {"price": {"$gte": 5.0, "$lt": 9.0}},
    {"category": {"$in": ["toys", "books"]}},
    {"category": {"$nin": ["toys"]}},
    {"category": {"$ne": "misc"}},
    {"name": {"$like": "b%"}},
    {"stock": 0},
    {"category": "books", "stock": {"$gt": 1}},
]


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    rows = [
        {"name": "ball", "category": "toys", "price": 4.5, "stock": 3},
        {"name": "book", "category": "books", "price": 9.0, "stock": 2},
        {"name": "bike", "category": "toys", "price": 120.0, "stock": 0},
        {"name": "cup", "category": "misc", "price": 5.0, "stock": 10},
        {"name": "atlas", "category": "books", "price": 30.0, "stock": 1},
    ]
    wf.add_node("ProductBulkCreateNode", "seed", {"data": rows})
    runtime.execute(wf.build())
    out = []
    for i, f in enumerate(FILTERS):
        wf = WorkflowBuilder()
        wf.add_node("ProductListNode", f"list_{i}", {"filter": f, "order_by": ["name"]})
        wf.add_node("ProductCountNode", f"count_{i}", {"filter": f})
        results, _ = runtime.execute(wf.build())
        out.append(results)
    wf = WorkflowBuilder()
    wf.add_node("ProductListNode", "page", {"order_by": ["-price"], "limit": 2, "offset": 1})
    wf.add_node("ProductListNode", "sorted", {"sort": [{"field": "stock", "direction": "desc"}], "limit": 3})
    results, _ = runtime.execute(wf.build())
    out.append(results)
    return out
