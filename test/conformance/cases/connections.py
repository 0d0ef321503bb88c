# Fan-out from one node to three, fan-in into one, dotted output paths, and parameters= at execute.
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Author:
    name: str
    country: str = "uk"


@db.model
class Book:
    title: str
    author_id: int = 0


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("AuthorCreateNode", "author", {"name": "Le Guin", "country": "us"})
    wf.add_node("BookCreateNode", "b2", {"title": "The Dispossessed"})
    wf.add_node("BookCreateNode", "b10", {"title": "Earthsea"})
    wf.add_node("BookCreateNode", "b1", {"title": "Lathe"})
    for b in ("b2", "b10", "b1"):
        wf.add_connection("author", "id", b, "author_id")
    wf.add_node("BookListNode", "books", {"order_by": ["id"]})
    wf.add_connection("b1", "id", "books", "after_b1")
    wf.add_connection("b10", "id", "books", "after_b10")
    wf.add_node("AuthorListNode", "authors", {})
    wf.add_connection("books", "records.0.author_id", "authors", "marker")
    results, _ = runtime.execute(wf.build(), parameters={"authors": {"filter": {"country": "us"}}})
    return results
