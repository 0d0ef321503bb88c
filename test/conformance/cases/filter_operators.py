# The filter operators of List and Count not covered by filters.py: $eq, $lte, $regex, $exists,
# $null, $not, $contains, a None value, several operators on one field, and a dotted order_by.
from typing import Optional

from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Book:
    title: str
    pages: int = 0
    series: Optional[str] = None


FILTERS = [
    {"pages": {"$eq": 120}},
    {"pages": {"$lte": 200}},
    {"title": {"$regex": "^The"}},
    {"series": {"$exists": True}},
    {"series": {"$null": True}},
    {"series": None},
    {"pages": {"$gte": 100, "$lt": 400}},
    {"title": {"$not": "Dune"}},
    {"title": {"$contains": "Ring"}},
    {"pages": {"$in": []}},
]


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("BookBulkCreateNode", "seed", {"data": [
        {"title": "The Hobbit", "pages": 310, "series": "Middle-earth"},
        {"title": "Dune", "pages": 412},
        {"title": "The Fellowship of the Ring", "pages": 423, "series": "Middle-earth"},
        {"title": "Novella", "pages": 120},
    ]})
    runtime.execute(wf.build())
    out = []
    for f in FILTERS:
        wf = WorkflowBuilder()
        wf.add_node("BookListNode", "l", {"filter": f, "order_by": ["id"]})
        wf.add_node("BookCountNode", "c", {"filter": f})
        try:
            results, _ = runtime.execute(wf.build())
            out.append({k: (v.get("count") if isinstance(v, dict) else v) for k, v in results.items()} if all(isinstance(v, dict) and not v.get("failed") for v in results.values()) else results)
        except Exception as e:
            out.append(type(e).__name__)
    return out
