# Node failures as DataFlow reports them (issue 10 §2.5): Node.execute's "Node 'x' execution failed:
# <Type>: ..." for the DataFlowError / ValueError a node raises, a NodeExecutionError passed as it
# is (asyncpg's refusal of a str for an INTEGER column), _exception in each failed entry, and the
# content-aware failures of bulk nodes that stop the run.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")

@db.model
class Gadget:
    name: str
    qty: int = 0

CASES = [
    ("GadgetListNode", {"filter": {"qty": {"$in": 5}}}),
    ("GadgetListNode", {"filter": {"qty": {"$foo": 5}}}),
    ("GadgetListNode", {"limit": -1}),
    ("GadgetCountNode", {"filter": {"qty": {"$in": "x"}}}),
    ("GadgetReadNode", {}),
    ("GadgetReadNode", {"id": 42}),
    ("GadgetDeleteNode", {}),
    ("GadgetUpdateNode", {"fields": {"qty": 1}}),
    ("GadgetUpdateNode", {"filter": {"id": 1}, "fields": {"qty": "many"}}),
    ("GadgetUpsertNode", {"where": {"name": "a"}}),
    ("GadgetUpsertNode", {"where": {}, "update": {"qty": 1}, "create": {"name": "a"}}),

    ("GadgetBulkUpdateNode", {"filter": {}, "fields": {"qty": 2}}),
    ("GadgetBulkDeleteNode", {"filter": {}}),
    ("GadgetBulkCreateNode", {"data": "nope"}),
    ("GadgetBulkUpsertNode", {"data": [{"name": "a"}], "conflict_resolution": "bogus"}),
]

def main():
    runtime = LocalRuntime()
    out = []
    for i, (t, p) in enumerate(CASES):
        wf = WorkflowBuilder()
        wf.add_node(t, f"n{i:02d}", p)
        try:
            r, _ = runtime.execute(wf.build())
            out.append(r)
        except Exception as e:
            out.append(type(e).__name__)
    return out
