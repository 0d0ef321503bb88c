# A Decimal written into a Decimal field: DataFlow creates a TEXT column for it and asyncpg refuses
# to bind a Decimal there, so the workflow fails in DataFlow (issue 10 §2.1).
from decimal import Decimal
from typing import Optional

from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/conformance")


@db.model
class Invoice:
    number: str
    amount: Optional[Decimal] = None


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("InvoiceCreateNode", "inv", {"number": "A-1", "amount": Decimal("12.50")})
    results, _ = runtime.execute(wf.build())
    return results
