# A soft-delete model: Delete and BulkDelete mark rows, List hides them unless asked.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Note:
    text: str
    pinned: bool = False
    __dataflow__ = {"soft_delete": True}


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("NoteBulkCreateNode", "seed", {"data": [{"text": f"n{i}", "pinned": i == 0} for i in range(4)]})
    runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("NoteDeleteNode", "one", {"id": 2})
    wf.add_node("NoteBulkDeleteNode", "unpinned", {"filter": {"text": {"$in": ["n3"]}}})
    runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("NoteListNode", "visible", {"order_by": ["id"]})
    wf.add_node("NoteListNode", "everything", {"order_by": ["id"], "include_deleted": True})
    wf.add_node("NoteCountNode", "count", {})
    results, _ = runtime.execute(wf.build())
    return results
