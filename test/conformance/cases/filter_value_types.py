# Filter values of another type than the column (issue 10 §2.1): kailash casts an int parameter to
# $n::integer and a bool to $n::boolean, so a TEXT column compared with them fails in PostgreSQL
# ("operator does not exist: text = integer"); asyncpg refuses a str for an INTEGER column and a
# float for a TEXT column.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")

@db.model
class Gadget:
    name: str
    qty: int = 0

def main():
    runtime = LocalRuntime()
    out = []
    for f in [{"name": 5}, {"name": {"$gt": 5}}, {"qty": "3"}, {"name": 5.5}, {"name": True}]:
        wf = WorkflowBuilder()
        wf.add_node("GadgetListNode", "l", {"filter": f})
        wf.add_node("GadgetCountNode", "c", {"filter": f})
        r, _ = runtime.execute(wf.build())
        out.append({k: (v.get("error", "")[:120] if v.get("failed") else "ok") for k, v in r.items()})
    return out
