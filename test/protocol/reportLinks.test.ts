// Protocol: a profile run through the language server (dataflow/run, the runtime worker, the
// embedded database) links its measured recommendations to the diagnostics the server shows — the
// findings of the unsaved buffer the run used, with the user's severities — not to an analysis of
// the file on disk with default settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, findDiagnostic } from '../helpers/lspClient';
import { tempDir, removeDir, writeFiles } from './fixtures';

interface Rec { rule: string; line: number; diagnostic?: { code: string; line: number; column: number; fixTitle?: string } }
interface RunResult { ok: boolean; error?: unknown; report?: { recommendations: Rec[] } }

const MODELS = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/shop")


@db.model
class Product:
    name: str
    price: int
`;

/** The editor's buffer: a loop of creates (DF001, measured as bulk-loop). */
const BUFFER = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from models import db, Product


def import_products(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return len(results)
`;
/** What is on disk: the same module under a header the buffer no longer has (every line 3 further down). */
const ON_DISK = `# Product import jobs.\n# Run nightly.\n\n${BUFFER}`;

const ROWS = Array.from({ length: 30 }, (_, i) => ({ name: `p${i}`, price: i + 1 }));

describe('protocol: profile recommendations link to the diagnostics the server shows', function () {
  this.timeout(180000);
  let dir: string;
  let client: LspClient;
  let uri: string;

  before(async () => {
    dir = tempDir('dfp-links-');
    writeFiles(dir, { 'models.py': MODELS, 'workflows.py': ON_DISK });
    uri = fileUri(path.join(dir, 'workflows.py'));
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  after(async () => { await client?.dispose(); removeDir(dir); });

  const profileImport = async (): Promise<Rec> => {
    const run = await client.request('dataflow/run', client.conn.sendRequest<RunResult>('dataflow/run', { uri, entry: 'import_products', args: { rows: ROWS }, database: { kind: 'embedded' }, profile: true }), 150000);
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const rec = run.report?.recommendations.find((r) => r.rule === 'bulk-loop');
    assert.ok(rec, `a bulk-loop recommendation: ${JSON.stringify(run.report?.recommendations)}`);
    return rec!;
  };

  it('an unsaved buffer whose lines differ from disk: the link is the buffer\'s DF001 line, with its quick-fix title', async () => {
    const shown: PublishDiagnosticsParams = await client.openAndWait(uri, BUFFER, { predicate: (p) => p.diagnostics.some((d) => d.code === 'DF001'), description: 'DF001' });
    const df001 = findDiagnostic(shown, 'DF001');
    const rec = await profileImport();
    assert.ok(rec.diagnostic, `the recommendation is linked: ${JSON.stringify(rec)}`);
    assert.equal(rec.diagnostic!.code, 'DF001');
    assert.equal(rec.diagnostic!.line, df001.range.start.line + 1, 'the line of the diagnostic shown for the buffer');
    assert.equal(rec.diagnostic!.column, df001.range.start.character + 1);
    assert.notEqual(rec.diagnostic!.line, df001.range.start.line + 4, 'not the line the loop has on disk');
    assert.match(rec.diagnostic!.fixTitle ?? '', /ProductBulkCreateNode/);
  });

  it("the user's severity 'ignore' for the rule: no diagnostic shown, so no link (the file saved: on disk the finding is there)", async () => {
    fs.writeFileSync(path.join(dir, 'workflows.py'), BUFFER);
    await client.save(uri);
    const cleared = client.nextDiagnostics(uri, { predicate: (p) => !p.diagnostics.some((d) => d.code === 'DF001'), description: 'DF001 gone' });
    await client.setSettings({ lint: { 'bulk-loop': 'ignore' } });
    await cleared;
    const rec = await profileImport();
    assert.equal(rec.diagnostic, undefined, JSON.stringify(rec.diagnostic));
  });
});
