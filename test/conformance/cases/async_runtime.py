# AsyncLocalRuntime: a chain and an independent node, execute_workflow_async.
from dataflow import DataFlow
from kailash.runtime import AsyncLocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Order:
    customer: str
    total: float = 0.0


async def main():
    runtime = AsyncLocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("OrderCreateNode", "first", {"customer": "ada", "total": 10.0})
    wf.add_node("OrderReadNode", "again", {})
    wf.add_connection("first", "id", "again", "id")
    wf.add_node("OrderCountNode", "count", {})
    results, run_id = await runtime.execute_workflow_async(wf.build(), inputs={})
    return results
