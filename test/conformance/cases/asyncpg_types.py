# asyncpg's parameter type checks (issue 10 §2.1): DataFlow binds through asyncpg, whose codecs refuse
# a Python value of another type than the column's before the statement is sent. An ISO string in a
# timestamp filter, a Decimal into the TEXT column of a Decimal field, List records (timestamps as
# strings) piped into BulkCreate, a str for a BOOLEAN filter: each fails in DataFlow on PostgreSQL.
# A datetime filter, and an ISO string for a declared datetime field on Create (DataFlow parses it), pass.
from datetime import datetime
from decimal import Decimal

from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Shipment:
    ref: str
    placed: datetime = None
    total: Decimal = None
    urgent: bool = False


def attempt(runtime, wf):
    try:
        results, _ = runtime.execute(wf.build())
        return results
    except Exception as e:
        return type(e).__name__


def main():
    runtime = LocalRuntime()
    out = []
    wf = WorkflowBuilder()
    wf.add_node("ShipmentCreateNode", "iso", {"ref": "a", "placed": "2025-03-14T09:30:00"})
    wf.add_node("ShipmentCreateNode", "plain", {"ref": "b"})
    out.append(attempt(runtime, wf))

    wf = WorkflowBuilder()
    wf.add_node("ShipmentListNode", "since_str", {"filter": {"placed": {"$gte": "2025-03-14T00:00:00"}}})
    wf.add_node("ShipmentListNode", "since_dt", {"filter": {"placed": {"$gte": datetime(2025, 3, 14)}}})
    wf.add_node("ShipmentCountNode", "urgent_str", {"filter": {"urgent": "yes"}})
    wf.add_node("ShipmentCountNode", "total_dec", {"filter": {"total": Decimal("1.50")}})
    out.append(attempt(runtime, wf))

    wf = WorkflowBuilder()
    wf.add_node("ShipmentUpdateNode", "dec", {"filter": {"id": 1}, "fields": {"total": Decimal("9.99")}})
    wf.add_node("ShipmentUpdateNode", "txt", {"filter": {"id": 1}, "fields": {"total": "9.99"}})
    out.append(attempt(runtime, wf))

    wf = WorkflowBuilder()
    wf.add_node("ShipmentCreateNode", "dec_create", {"ref": "c", "total": Decimal("1.50")})
    out.append(attempt(runtime, wf))

    wf = WorkflowBuilder()
    wf.add_node("ShipmentListNode", "src", {"order_by": ["id"]})
    wf.add_node("ShipmentBulkCreateNode", "copy", {})
    wf.add_connection("src", "records", "copy", "data")
    out.append(attempt(runtime, wf))

    wf = WorkflowBuilder()
    wf.add_node("ShipmentListNode", "left", {"order_by": ["id"]})
    out.append(attempt(runtime, wf))
    return out
