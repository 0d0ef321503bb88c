# Every field type DataFlow maps: written, read back and listed (a Decimal value: decimal_binding.py).
from datetime import datetime
from decimal import Decimal
from typing import Dict, List, Optional

from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Event:
    title: str
    count: int = 0
    ratio: float = 0.0
    done: bool = False
    happened_at: Optional[datetime] = None
    amount: Optional[Decimal] = None
    tags: Optional[List[str]] = None
    meta: Optional[Dict[str, str]] = None
    note: Optional[str] = None


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("EventCreateNode", "full", {
        "title": "launch", "count": 3, "ratio": 0.25, "done": True,
        "happened_at": datetime(2026, 3, 14, 15, 9, 26),
        "tags": ["a", "b"], "meta": {"k": "v"}, "note": "first",
    })
    wf.add_node("EventCreateNode", "empty", {"title": "blank"})
    results, _ = runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("EventReadNode", "read", {"id": 1})
    wf.add_node("EventListNode", "all", {"order_by": ["id"]})
    results2, _ = runtime.execute(wf.build())
    return [results, results2]
