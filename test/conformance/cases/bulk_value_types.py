# The bulk nodes with values of another type than the column (issue 10 §2.1, §2.5): asyncpg's
# refusals and kailash's int cast in BulkUpdate/BulkDelete filters and in BulkCreate/BulkUpdate
# values fail the node with "Bulk <op> operation failed: Database query failed: ..."; an ISO
# string for a declared datetime field is parsed first and passes; BulkUpsert's missing conflict column.
from datetime import datetime
from decimal import Decimal
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")

@db.model
class Lot:
    code: str
    qty: int = 0
    seen: datetime = None
    price: Decimal = None

def attempt(rt, t, p):
    wf = WorkflowBuilder()
    wf.add_node(t, "n", p)
    try:
        r, _ = rt.execute(wf.build())
        return r
    except Exception as e:
        return [type(e).__name__, str(e)[:260]]

def main():
    rt = LocalRuntime()
    out = [attempt(rt, "LotBulkCreateNode", {"data": [{"code": "a", "qty": 1}, {"code": "b", "qty": 2}]})]
    for t, p in [("LotBulkUpdateNode", {"filter": {"qty": "1"}, "fields": {"qty": 5}}),
                 ("LotBulkUpdateNode", {"filter": {"code": "a"}, "fields": {"qty": "7"}}),
                 ("LotBulkUpdateNode", {"filter": {"code": "a"}, "fields": {"seen": "2025-01-01T00:00:00"}}),
                 ("LotBulkUpdateNode", {"filter": {"code": "a"}, "fields": {"price": Decimal("1.5")}}),
                 ("LotBulkDeleteNode", {"filter": {"seen": {"$lt": "2025-01-01T00:00:00"}}}),
                 ("LotBulkDeleteNode", {"filter": {"code": 5}}),
                 ("LotBulkCreateNode", {"data": [{"code": "c", "qty": "3"}]}),
                 ("LotBulkCreateNode", {"data": [{"code": "d", "price": Decimal("2")}]}),
                 ("LotBulkUpsertNode", {"data": [{"code": "e", "qty": "x"}], "conflict_on": ["id"]}),
                 ("LotListNode", {"order_by": ["id"]})]:
        out.append(attempt(rt, t, p))
    return out
