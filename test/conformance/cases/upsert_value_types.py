# UpsertNode with values of another type than the column (issue 10 §2.1): DataFlow's type processor
# then asyncpg's checks on the insert and update values (a str for INTEGER, a Decimal for the TEXT
# column of a Decimal field fail; an ISO string for a datetime field and an int for a str field pass).
from datetime import datetime
from decimal import Decimal
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")

@db.model
class Sku:
    code: str
    qty: int = 0
    seen: datetime = None
    price: Decimal = None
    __dataflow__ = {"indexes": [{"name": "sku_code_uq", "fields": ["code"], "unique": True}]}

def attempt(rt, p):
    wf = WorkflowBuilder()
    wf.add_node("SkuUpsertNode", "u", p)
    try:
        r, _ = rt.execute(wf.build())
        return r
    except Exception as e:
        return [type(e).__name__, str(e)[:300]]

def main():
    rt = LocalRuntime()
    out = []
    for p in [{"where": {"code": "a"}, "create": {"code": "a", "qty": 1}, "update": {"qty": 2}},
              {"where": {"code": "a"}, "create": {"code": "a"}, "update": {"qty": "3"}},
              {"where": {"code": "b"}, "create": {"code": "b", "seen": "2025-01-01T10:00:00"}, "update": {}},
              {"where": {"code": "c"}, "create": {"code": "c", "price": Decimal("1.5")}},
              {"where": {"code": 5}, "create": {"code": 5}},
              {"where": {"code": "a"}, "update": {"qty": 9}}]:
        out.append(attempt(rt, p))
    return out
