# UpsertNode writes its identifiers unquoted (issue 10 §2.7): a lower-case name works, a mixed-case
# column is folded to lower case by PostgreSQL and not found, and a reserved word is a syntax error,
# while the other nodes (which quote) handle the same models.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")

@db.model
class Badge:
    code: str
    ownerName: str = ""
    __dataflow__ = {"indexes": [{"name": "badge_code_uq", "fields": ["code"], "unique": True}]}

@db.model
class Slot:
    code: str
    order: int = 0
    __dataflow__ = {"indexes": [{"name": "slot_code_uq", "fields": ["code"], "unique": True}]}

def attempt(rt, node, p):
    wf = WorkflowBuilder()
    wf.add_node(node, "n", p)
    try:
        r, _ = rt.execute(wf.build())
        return r
    except Exception as e:
        return [type(e).__name__, str(e)[:300]]

def main():
    rt = LocalRuntime()
    return [
        attempt(rt, "BadgeCreateNode", {"code": "a", "ownerName": "Ada"}),
        attempt(rt, "BadgeUpsertNode", {"where": {"code": "b"}, "create": {"code": "b"}, "update": {}}),
        attempt(rt, "BadgeUpsertNode", {"where": {"code": "a"}, "create": {"code": "a", "ownerName": "Bo"}, "update": {"ownerName": "Bo"}}),
        attempt(rt, "SlotCreateNode", {"code": "x", "order": 1}),
        attempt(rt, "SlotUpsertNode", {"where": {"code": "x"}, "create": {"code": "x"}, "update": {"order": 2}}),
        attempt(rt, "SlotUpsertNode", {"where": {"code": "y"}, "create": {"code": "y"}, "update": {"code": "y"}}),
        attempt(rt, "BadgeListNode", {"filter": {}, "order_by": ["code"]}),
    ]
