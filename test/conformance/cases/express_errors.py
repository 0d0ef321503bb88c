# The express API's failures (issue 10 §2.1, §2.5): a missing id reads None, a str id is accepted,
# asyncpg's type checks and kailash's int cast fail the call with the node's NodeExecutionError, an
# invalid $in is QueryBuilder's ValueError as it is (express does not go through Node.execute).
import asyncio
from datetime import datetime
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")

@db.model
class Pet:
    name: str
    age: int = 0
    born: datetime = None

async def main():
    wf = WorkflowBuilder()
    wf.add_node("PetCreateNode", "c", {"name": "rex", "age": 3})
    LocalRuntime().execute(wf.build())
    out = []
    for call in [lambda: db.express.read("Pet", 99), lambda: db.express.read("Pet", "1"), lambda: db.express.list("Pet", {"age": "3"}),
                 lambda: db.express.list("Pet", {"born": {"$gte": "2025-01-01T00:00:00"}}), lambda: db.express.list("Pet", {"name": 5}),
                 lambda: db.express.update("Pet", {"id": 1}, {"age": "old"}), lambda: db.express.count("Pet", {"age": {"$in": 3}})]:
        try:
            out.append(await call())
        except Exception as e:
            out.append([type(e).__name__, str(e)[:200]])
    return out
