# db.express: create, read, list, count, update, delete, find_one.
from dataflow import DataFlow

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Task:
    title: str
    done: bool = False
    priority: int = 1


async def main():
    a = await db.express.create("Task", {"title": "write", "priority": 2})
    b = await db.express.create("Task", {"title": "test"})
    one = await db.express.read("Task", a["id"])
    listed = await db.express.list("Task", {"done": False}, limit=10)
    n = await db.express.count("Task", {"priority": {"$gte": 1}})
    up = await db.express.update("Task", b["id"], {"done": True})
    found = await db.express.find_one("Task", {"title": "test"})
    gone = await db.express.delete("Task", a["id"])
    left = await db.express.count("Task")
    return {"a": a, "b": b, "one": one, "listed": listed, "n": n, "up": up, "found": found, "gone": gone, "left": left}
