// "Run Workflow" / "Profile Workflow": pick the entry point, ask for parameter values, confirm
// anything that touches a real database, run it in the language server's runtime worker with
// cancellable progress, stream print() output to the Output channel, and show the result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DatabaseSelection, DatabaseSpec } from './database';
import type { PerformanceReport } from '../../server/src/report/reportTypes';

export interface EntryParam { name: string; hasDefault: boolean; kind: string }
export interface EntryPoint { name: string; line: number; character: number; params: EntryParam[] }
/** What a code lens (or a script) passes: the file, the entry point and, optionally, the answers to the prompts. */
export interface RunTarget { uri?: string; entry?: string; params?: EntryParam[]; args?: Record<string, unknown>; seedRows?: number }

/** What the server returns (RunFileResult), as far as the client reads it. */
export interface RunResult {
  ok: boolean;
  exitCode: number;
  error?: { type: string; message: string; file?: string; line?: number; column?: number; traceback?: string };
  entry?: string;
  database: string;
  runs: Array<{ nodes: Array<{ id: string; type: string; ms: number; statements: number }>; error?: { type: string; message: string } }>;
  tables: Record<string, number>;
  notes: string[];
  log: string[];
  elapsedMs: number;
  report?: PerformanceReport;
}

function parseValue(v: string): unknown {
  try { return JSON.parse(v); } catch { return v; }
}

export async function chooseEntry(client: LanguageClient, uri: string, editor: vscode.TextEditor | undefined): Promise<EntryPoint | undefined> {
  const eps = await client.sendRequest<EntryPoint[]>('dataflow/entryPoints', { uri });
  if (!eps.length) {
    void vscode.window.showWarningMessage('DataFlow: this file has no function that executes a workflow, and no `if __name__ == "__main__":` block.');
    return undefined;
  }
  if (editor && editor.document.uri.toString() === uri) {
    // The function under the cursor: the last entry point starting at or above it.
    const line = editor.selection.active.line;
    const above = eps.filter((e) => e.line <= line).pop();
    if (above && eps.length === 1) return above;
    if (above && above.name !== '__main__') return above;
  }
  if (eps.length === 1) return eps[0];
  const pick = await vscode.window.showQuickPick(eps.map((e) => ({ label: e.name === '__main__' ? 'if __name__ == "__main__":' : `${e.name}(${e.params.map((p) => p.name).join(', ')})`, description: `line ${e.line + 1}`, ep: e })), { title: 'DataFlow: which entry point?' });
  return pick?.ep;
}

export async function askArguments(params: EntryParam[]): Promise<Record<string, unknown> | undefined> {
  const args: Record<string, unknown> = {};
  for (const p of params.filter((x) => !x.hasDefault && (x.kind === 'positional' || x.kind === 'keyword'))) {
    const v = await vscode.window.showInputBox({ title: `Value for ${p.name}`, prompt: 'A JSON value (10, "text", [1, 2], {"a": 1}); anything else is taken as a string.', ignoreFocusOut: true });
    if (v === undefined) return undefined;
    args[p.name] = parseValue(v);
  }
  return args;
}

/** The entry point and its argument values: the target's, else the one under the cursor (or picked), asking for arguments. */
export async function chooseEntryAndArguments(client: LanguageClient, uri: string, editor: vscode.TextEditor | undefined, target: RunTarget | undefined): Promise<{ entry: string; args: Record<string, unknown> } | undefined> {
  let entry = target?.entry;
  let params = target?.params;
  if (!entry) {
    const ep = await chooseEntry(client, uri, editor);
    if (!ep) return undefined;
    entry = ep.name;
    params = ep.params;
  }
  const args = target?.args ?? (await askArguments(params ?? []));
  return args ? { entry, args } : undefined;
}

export interface RunDeps {
  client: LanguageClient;
  output: vscode.OutputChannel;
  database: DatabaseSelection;
  onReport: (report: PerformanceReport) => void;
}

export async function runWorkflow(deps: RunDeps, target: RunTarget | undefined, profile: boolean): Promise<RunResult | undefined> {
  const { client, output, database } = deps;
  const editor = vscode.window.activeTextEditor;
  const uri = target?.uri ?? editor?.document.uri.toString();
  if (!uri) { void vscode.window.showWarningMessage('DataFlow: open a Python file to run.'); return undefined; }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (doc?.isUntitled) { void vscode.window.showWarningMessage('DataFlow: save the file first (local imports resolve from its folder).'); return undefined; }
  const chosen = await chooseEntryAndArguments(client, uri, editor, target);
  if (!chosen) return undefined;
  const { entry, args } = chosen;

  const config = vscode.workspace.getConfiguration('dataflow', vscode.Uri.parse(uri));
  let allowDestructive = false;
  let seedRows: number | undefined;
  if (!database.isEmbedded) {
    const runSafe = 'Run (block unfiltered UPDATE/DELETE)';
    const runAll = 'Run and allow unfiltered writes';
    const answer = await vscode.window.showWarningMessage(
      `Run ${entry === '__main__' ? 'the __main__ block' : `${entry}()`} against ${database.label}? The workflow's writes go to that database.`,
      { modal: true }, runSafe, runAll);
    if (!answer) return undefined;
    allowDestructive = answer === runAll;
  } else if (profile && target?.seedRows !== undefined) {
    seedRows = target.seedRows;
  } else if (profile) {
    const dflt = config.get<number>('profile.seedRows', 10000);
    const v = await vscode.window.showInputBox({ title: 'Synthetic rows per model table', prompt: 'Filled into the embedded database before the run so plans and timings are realistic (0 for none).', value: String(dflt), validateInput: (x) => (/^\d+$/.test(x.trim()) ? undefined : 'A whole number') });
    if (v === undefined) return undefined;
    seedRows = Number(v);
  }

  // Only now, after every prompt: a chosen URL is written to a private file for the worker.
  const db: DatabaseSpec | undefined = await database.current();
  if (!db) return undefined;
  const file = vscode.Uri.parse(uri).fsPath;
  const what = `${path.basename(file)}${entry === '__main__' ? '' : `:${entry}`}`;
  output.appendLine(`\n── ${profile ? 'Profile' : 'Run'} ${what} on ${database.label}${seedRows ? ` (${seedRows} rows seeded per table)` : ''}`);
  const logSub = client.onNotification('dataflow/runLog', (p: { line: string }) => output.appendLine(p.line));
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DataFlow: ${profile ? 'profiling' : 'running'} ${what}`, cancellable: true }, (progress, token) => {
      // The embedded database's one-time set-up is said while it happens (it is not the run's time).
      const stage = client.onNotification('dataflow/runLog', (p: { line: string }) => { if (p.line.startsWith('Preparing the embedded PostgreSQL')) progress.report({ message: p.line }); });
      return client.sendRequest<RunResult>('dataflow/run', {
        uri, entry, args, database: db, seedRows, allowDestructive, profile,
        // Where DataFlow's own source may be read from (its debug tools are evaluated from it), never run.
        pythonPath: config.get<string>('python.path') || undefined,
        explainAnalyze: config.get<boolean>('profile.explainAnalyze', false),
        slowQueryMs: config.get<number | null>('profile.slowQueryMs', null) ?? undefined,
        nPlusOneMin: config.get<number>('profile.nPlusOneThreshold', 5),
      }, token).finally(() => stage.dispose());
    });
    report(output, result);
    if (result.report) deps.onReport(result.report);
    if (!result.ok && result.error) {
      const go = result.error.file && result.error.line ? 'Go to error' : undefined;
      void vscode.window.showErrorMessage(`DataFlow: ${result.error.type}: ${result.error.message}`, ...(go ? [go] : [])).then(async (a) => {
        if (a && result.error?.file) {
          const d = await vscode.workspace.openTextDocument(result.error.file);
          const pos = new vscode.Position(Math.max(0, (result.error.line ?? 1) - 1), Math.max(0, (result.error.column ?? 1) - 1));
          await vscode.window.showTextDocument(d, { selection: new vscode.Range(pos, pos) });
        }
      });
    } else if (!profile) {
      const nodes = result.runs.reduce((s, r) => s + r.nodes.length, 0);
      void vscode.window.showInformationMessage(`DataFlow: ${what} ran ${result.runs.length} workflow(s), ${nodes} node(s) in ${result.elapsedMs} ms.`, 'Show Output').then((a) => a && output.show(true));
    }
    return result;
  } catch (err) {
    const msg = (err as Error).message;
    output.appendLine(`failed: ${msg}`);
    if (!/cancel/i.test(msg)) void vscode.window.showErrorMessage(`DataFlow: ${msg}`);
    return undefined;
  } finally {
    logSub.dispose();
    // The worker deletes the URL file when it reads it; make sure it is gone in any case.
    if (db.kind === 'postgresql') fs.rmSync(db.urlFile, { force: true });
  }
}

export function report(output: vscode.OutputChannel, r: RunResult): void {
  for (const n of r.notes) output.appendLine(`note: ${n}`);
  r.runs.forEach((run, i) => {
    output.appendLine(`run ${i + 1}: ${run.nodes.length} node(s)${run.error ? ` — FAILED ${run.error.type}: ${run.error.message}` : ''}`);
    for (const n of run.nodes) output.appendLine(`  ${n.id.padEnd(24)} ${n.type.padEnd(28)} ${n.ms.toFixed(1).padStart(8)} ms ${String(n.statements).padStart(4)} stmt`);
  });
  if (Object.keys(r.tables).length) output.appendLine(`tables: ${Object.entries(r.tables).map(([t, n]) => `${t}=${n}`).join(', ')}`);
  if (r.error) output.appendLine(`error: ${r.error.traceback ?? `${r.error.type}: ${r.error.message}`}`);
  output.appendLine(`${r.ok ? 'ok' : 'failed'} in ${r.elapsedMs} ms`);
}
