# db.express beyond create/read/update/delete: upsert, bulk_create, bulk_update, bulk_delete,
# bulk_upsert, after a workflow has run (DataFlow's model registry is then ready), and DataFlow /
# LocalRuntime used as context managers.
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Account:
    email: str
    plan: str = "free"
    seats: int = 1
    __dataflow__ = {"indexes": [{"name": "idx_account_email", "fields": ["email"], "unique": True}]}


async def main():
    with LocalRuntime() as runtime:
        wf = WorkflowBuilder()
        wf.add_node("AccountCreateNode", "first", {"email": "first@example.com"})
        results, _ = runtime.execute(wf.build())
    made = await db.express.bulk_create("Account", [{"email": f"u{i}@example.com", "seats": i} for i in range(1, 5)])
    up = await db.express.upsert("Account", {"email": "u2@example.com", "plan": "team", "seats": 9}, conflict_on=["email"])
    new = await db.express.upsert("Account", {"email": "new@example.com", "plan": "pro"}, conflict_on=["email"])
    ids = [r["id"] for r in await db.express.list("Account", {"plan": "free"}, limit=10)]
    changed = await db.express.bulk_update("Account", [{"id": ids[0], "plan": "team"}, {"id": ids[1], "seats": 7}])
    merged = await db.express.bulk_upsert("Account", [{"email": "u3@example.com", "plan": "pro"}, {"email": "u9@example.com"}], conflict_on=["email"])
    removed = await db.express.bulk_delete("Account", [ids[-1]])
    left = await db.express.list("Account", {}, limit=20)
    with DataFlow("postgresql://app@localhost:5432/conformance") as other:
        entered = type(other).__name__
    return {
        "first": results["first"],
        "made": made,
        "up": up,
        "new": new,
        "changed": changed,
        "merged": merged,
        "removed": removed,
        "left": sorted([(r["email"], r["plan"], r["seats"]) for r in left]),
        "entered": entered,
    }
