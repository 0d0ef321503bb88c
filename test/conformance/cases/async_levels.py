# AsyncLocalRuntime gathers each level's nodes (async_local.py:1296 _execute_fully_async_workflow)
# under a semaphore of max_concurrent_nodes=10 (async_local.py:592, :1650). A level of 14 creates;
# a level of 12 where one Read fails after its SELECT (raised; the level's other nodes still run and
# write); a level of 6 where a Read without an id fails before any SQL and a Read of a missing id
# after its SELECT: the first failure in time is raised (kept at 6 nodes, under the semaphore, so
# DataFlow's answer does not depend on which node got a slot first); what was written; last, two
# levels of 11 where the second sees the first's writes. No output holds a timestamp: which of a
# level's concurrent writes came first is not fixed, in DataFlow or here.
import asyncio

from dataflow import DataFlow
from kailash.runtime.async_local import AsyncLocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Ticket:
    id: str
    title: str
    points: int = 0


async def attempt(runtime, wf):
    try:
        results, _ = await runtime.execute_workflow_async(wf.build(), {})
        return sorted(results)
    except Exception as e:
        return [type(e).__name__, str(e).split(":")[0]]


async def main():
    runtime = AsyncLocalRuntime()
    out = []

    wf = WorkflowBuilder()
    for i in range(14):
        wf.add_node("TicketCreateNode", f"t{i:02d}", {"id": f"T-{i:02d}", "title": f"ticket {i}", "points": i})
    out.append(await attempt(runtime, wf))

    wf = WorkflowBuilder()
    for i in range(9):
        wf.add_node("TicketCountNode", f"has{i}", {"filter": {"id": f"T-{i:02d}"}})
    wf.add_node("TicketReadNode", "missing", {"id": "T-99"})
    wf.add_node("TicketCreateNode", "late1", {"id": "L-1", "title": "late one"})
    wf.add_node("TicketCreateNode", "late2", {"id": "L-2", "title": "late two"})
    out.append(await attempt(runtime, wf))
    # nodes still running when the failure was raised finish in the background
    await asyncio.sleep(0.5)

    wf = WorkflowBuilder()
    for i in range(3):
        wf.add_node("TicketCountNode", f"has{i}", {"filter": {"id": f"T-{i:02d}"}})
    wf.add_node("TicketReadNode", "missing", {"id": "T-98"})
    wf.add_node("TicketReadNode", "noid", {})
    wf.add_node("TicketCreateNode", "late3", {"id": "L-3", "title": "late three"})
    out.append(await attempt(runtime, wf))
    await asyncio.sleep(0.5)

    wf = WorkflowBuilder()
    wf.add_node("TicketCountNode", "n", {})
    wf.add_node("TicketCountNode", "late", {"filter": {"id": {"$in": ["L-1", "L-2", "L-3"]}}})
    results, _ = await runtime.execute_workflow_async(wf.build(), {})
    out.append(results)

    wf = WorkflowBuilder()
    for i in range(11):
        wf.add_node("TicketCreateNode", f"make{i:02d}", {"id": f"X-{i:02d}", "title": f"extra {i}", "points": i})
        wf.add_node("TicketCountNode", f"see{i:02d}", {"filter": {"id": f"X-{i:02d}"}})
        wf.add_connection(f"make{i:02d}", "points", f"see{i:02d}", "marker")
    results, _ = await runtime.execute_workflow_async(wf.build(), {})
    out.append({k: v["count"] for k, v in sorted(results.items()) if k.startswith("see")})
    return out
