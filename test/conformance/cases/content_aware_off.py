# LocalRuntime(content_aware_success_detection=False) (issue 10 §2.4): a node returning success: False
# is a result like any other and the run goes on; with the default the same workflow raises.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Note:
    title: str
    stars: int = 0


def build():
    wf = WorkflowBuilder()
    wf.add_node("NoteBulkDeleteNode", "wipe", {"filter": {}})
    wf.add_node("NoteCreateNode", "keep", {"title": "kept"})
    wf.add_node("NoteBulkUpdateNode", "bump", {"filter": {}, "fields": {"stars": 1}})
    return wf.build()


def main():
    out = []
    results, _ = LocalRuntime(content_aware_success_detection=False).execute(build())
    out.append(results)
    try:
        LocalRuntime().execute(build())
        out.append("no error")
    except Exception as e:
        out.append(type(e).__name__)
    wf = WorkflowBuilder()
    wf.add_node("NoteCountNode", "n", {})
    results, _ = LocalRuntime().execute(wf.build())
    out.append(results)
    return out
