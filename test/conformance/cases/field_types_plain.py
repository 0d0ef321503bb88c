# Plain dict / list fields (JSONB, json.loads on read) and an Optional dict: written, read back,
# updated, listed. A bytes value for a BYTEA field (DataFlow binds str(value)) and a date for the
# TEXT column of a date field: asyncpg refuses both, so those Creates fail on PostgreSQL; a date
# field given as text fails at add_node (kailash's config conversion calls date("...")).
from datetime import date
from typing import Optional

from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Asset:
    name: str
    attrs: dict = None
    labels: list = None
    blob: bytes = None
    due: date = None
    extra: Optional[dict] = None


def main():
    runtime = LocalRuntime()
    out = []
    wf = WorkflowBuilder()
    wf.add_node("AssetCreateNode", "full", {"name": "a", "attrs": {"x": 1, "y": [1, 2]}, "labels": ["p", "q"], "extra": {"k": None}})
    wf.add_node("AssetCreateNode", "bare", {"name": "b"})
    results, _ = runtime.execute(wf.build())
    out.append(results)
    for node_id, value in [("binary", {"blob": b"\x00\x01hi"}), ("dated", {"due": date(2026, 1, 31)}), ("dated_text", {"due": "2026-01-31"})]:
        wf = WorkflowBuilder()
        try:
            wf.add_node("AssetCreateNode", node_id, {"name": node_id, **value})
            runtime.execute(wf.build())
            out.append("stored")
        except Exception as e:
            out.append([type(e).__name__, str(e)])
    wf = WorkflowBuilder()
    wf.add_node("AssetReadNode", "one", {"id": 1})
    wf.add_node("AssetListNode", "all", {"order_by": ["id"]})
    wf.add_node("AssetUpdateNode", "upd", {"filter": {"id": 2}, "fields": {"labels": ["z"], "attrs": {"n": 2}}})
    wf.add_connection("one", "id", "upd", "marker")
    results, _ = runtime.execute(wf.build())
    out.append(results)
    wf = WorkflowBuilder()
    wf.add_node("AssetListNode", "due", {"filter": {"due": "2026-01-31"}})
    wf.add_node("AssetListNode", "after", {"order_by": ["id"]})
    results, _ = runtime.execute(wf.build())
    out.append(results)
    return out
