# AsyncLocalRuntime: a failing node with and without dependents (the first one raises
# WorkflowExecutionError as it is), then what was written.
import asyncio

from dataflow import DataFlow
from kailash.runtime.async_local import AsyncLocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Job:
    name: str
    tries: int = 0


async def main():
    runtime = AsyncLocalRuntime()
    out = []
    wf = WorkflowBuilder()
    wf.add_node("JobCreateNode", "ok", {"name": "first"})
    wf.add_node("JobReadNode", "missing", {"id": 42})
    try:
        results, _ = await runtime.execute_workflow_async(wf.build(), {})
        out.append(results)
    except Exception as e:
        out.append([type(e).__name__, str(e).split(":")[0]])

    wf = WorkflowBuilder()
    wf.add_node("JobListNode", "all", {"order_by": ["id"]})
    wf.add_node("JobCountNode", "n", {})
    results, _ = await runtime.execute_workflow_async(wf.build(), {})
    out.append(results)
    return out
