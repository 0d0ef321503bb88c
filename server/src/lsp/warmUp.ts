// Runs the whole open → analyse → publish path once on a small built-in DataFlow module while the
// server initialises, so the first document the editor opens does not pay for first-time work:
// V8 compiles tree-sitter's WebAssembly functions and the extractor's and rules' JavaScript
// lazily on first call, and the tree-sitter queries are compiled on first use. A cold server
// spent about as long on that as on the document itself. The sample is analysed in a throwaway
// workspace model; nothing of it is kept or published.
import { analyzeFile } from '../analysis/engine';
import { SourceFile } from '../model/sourceFile';
import { WorkspaceModel } from '../model/workspaceModel';
import { defaultSettings } from '../settings';
import { resolveFix } from '../analysis/fixResolution';
import { toDiagnostic } from './positions';
import { completionItems } from './completion';

const SAMPLE = `import os
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow(os.getenv("DATABASE_URL", "postgresql://localhost/warmup"), pool_size=5)


@db.model
class WarmItem:
    name: str
    region: str = ""
    quantity: int = 0
    __dataflow__ = {"indexes": [{"name": "idx_warm_item_region", "fields": ["region"]}]}


def import_items(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("WarmItemCreateNode", f"create_{i}", {"name": row["name"], "region": row.get("region")})
    results, run_id = LocalRuntime().execute(workflow.build())
    return results


def list_items(region, limit=10):
    workflow = WorkflowBuilder()
    workflow.add_node("WarmItemListNode", "list", {"filter": {"region": region}, "order_by": ["-quantity"], "limit": limit})
    workflow.add_node("PythonCodeNode", "count", {"code": "result = {'n': len(records)}"})
    workflow.add_connection("list", "records", "count", "records")
    results, run_id = LocalRuntime().execute(workflow.build())
    return results["count"]["result"], results["list"].get("records")


async def touch_items(payloads):
    for payload in payloads:
        await db.express.update("WarmItem", {"id": payload["id"]}, {"quantity": payload["quantity"]})
    return len(payloads)
`;

/** Analyses the sample once (and once more after a one-character edit); returns the time taken in ms. */
export function warmUp(): number {
  const started = performance.now();
  const workspace = new WorkspaceModel();
  const settings = defaultSettings();
  const file = SourceFile.create('untitled:dataflow-warm-up.py', SAMPLE, 1);
  try {
    workspace.set(file);
    for (const f of analyzeFile(file, workspace, settings)) { toDiagnostic(file, f); resolveFix(f, workspace); }
    const at = SAMPLE.indexOf('"name": row');
    const pos = file.doc.lines.positionAt(at + 2);
    file.applyChanges([{ range: { start: pos, end: pos }, text: 'x' }], 2);
    workspace.changed(file);
    for (const f of analyzeFile(file, workspace, settings)) { toDiagnostic(file, f); resolveFix(f, workspace); }
    // Completion: node types, then a filter's fields.
    completionItems(workspace, file, file.text.indexOf('"WarmItemListNode"') + 1);
    completionItems(workspace, file, file.text.indexOf('"filter": {"') + 12);
  } finally {
    workspace.delete(file.uri);
  }
  return performance.now() - started;
}
