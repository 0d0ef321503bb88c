// The screenshots of docs/images, taken in the real VS Code by test/integration/screenshots.mjs:
// the extension's page in the Extensions view (its README), the report's summary after profiling
// jobs.py:nightly on 5,000 seeded rows per table, and the report's "Seeded data" section (the
// filter's seeded rows and selectivity; where a build has none, the row of the filter's statement
// in its Statements, with the rows it returned).
// Only commands and views every build since the report panel has: the same steps take the
// "before" pictures from an older commit. A run() module for the extension host, not a test.
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'dataflow-performance.dataflow-performance';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Bridge = { uiCheck: (name: string, args?: unknown) => Promise<unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bridge = (): Bridge => require(path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'runner', 'ui-bridge.cjs'));

async function clean(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
}

export async function run(): Promise<void> {
  const out = process.env.DATAFLOW_SCREENS_DIR;
  if (!out) throw new Error('DATAFLOW_SCREENS_DIR is not set');
  const shot = (name: string) => bridge().uiCheck('screenshot', { path: path.join(out, name) });
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();

  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await clean();
  await vscode.commands.executeCommand('extension.open', EXTENSION_ID);
  await wait(5000);
  await shot('extension-page.png');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');

  const folder = vscode.workspace.workspaceFolders![0].uri;
  const jobs = vscode.Uri.joinPath(folder, 'jobs.py');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(jobs));
  const result = await vscode.commands.executeCommand<{ ok: boolean; error?: unknown }>('dataflow.profileWorkflow', { uri: jobs.toString(), entry: 'nightly', args: {}, seedRows: 5000 });
  if (!result?.ok) throw new Error(`the profile failed: ${JSON.stringify(result?.error)}`);
  // The report alone in the window: its editor group maximised, nothing over it.
  await vscode.commands.executeCommand('workbench.action.joinAllGroups');
  await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  await clean();
  await bridge().uiCheck('reportWebview');
  await vscode.commands.executeCommand('workbench.action.maximizeEditor').then(undefined, () => undefined);
  await wait(1500);
  await shot('report-summary.png');
  const at = (await bridge().uiCheck('scrollReportTo', { ids: ['seeding'], rowText: 'FROM "products"' })) as string;
  console.log(`report scrolled to #${at}`);
  await wait(800);
  await shot('report-seeded.png');
}
