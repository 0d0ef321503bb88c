// Shared texts and temp-workspace helpers for the protocol tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const MODELS_PY = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=20, pool_max_overflow=30)


@db.model
class Product:
    name: str
    price: int
    category: str
    sku: str
`;

/** models.py with the index that covers workflows.py's category filter. */
export const MODELS_PY_INDEXED = MODELS_PY + `    __dataflow__ = {"indexes": [{"name": "idx_product_category", "fields": ["category"]}]}
`;

export const WORKFLOWS_PY = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime


def import_products(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results


def products_in(category):
    workflow = WorkflowBuilder()
    workflow.add_node("ProductListNode", "list", {"filter": {"category": category}, "limit": 50})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results["list"]


def load_each(ids):
    workflow = WorkflowBuilder()
    for pid in ids:
        workflow.add_node("ProductReadNode", f"read_{pid}", {"id": pid})
    runtime = LocalRuntime()
    return runtime.execute(workflow.build())
`;

/** A self-contained DataFlow file (model, pool, loops) for single-file tests. */
export const SINGLE_FILE_PY = `import os
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

POOL = 5
db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=POOL)

@db.model
class Product:
    name: str
    price: int = 0
    category: str
    __dataflow__ = {"indexes": [{"name": "idx_cat", "fields": ["category"]}]}

def load(products):
    workflow = WorkflowBuilder()
    for i, p in enumerate(products):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": p["name"], "price": p["price"]})
    workflow.add_node("ProductListNode", "list", {"filter": {"name": "x"}, "order_by": ["-price"]})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results
`;

export function tempDir(prefix = 'dfp-proto-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** Offset of the n-th (0-based) occurrence of `needle`; throws when absent. */
export function offsetOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (#${nth}) not found`);
  }
  return at;
}
