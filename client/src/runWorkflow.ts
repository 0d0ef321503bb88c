// "Run Workflow" / "Profile Workflow": pick the entry point, ask for parameter values, confirm
// anything that touches a real database, run it in the language server's runtime worker with
// cancellable progress, stream print() output to the Output channel, and show the result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DatabaseSelection, DatabaseSpec } from './database';
import { ENTRY_POINTS_REQUEST, PARSE_ARGUMENTS_REQUEST, RUN_LOG_NOTIFICATION, RUN_MODELS_REQUEST, RUN_REQUEST, dataflowHint, type ArgValue, type EntryParam, type EntryPoint, type PerformanceReport, type RunFileResult, type RunParams } from '../../server/src/protocol';
import { argumentText, lastArguments, recentFirst, rememberArguments, type ArgumentMemento } from './runArguments';
import { askModal, notify, progressShown } from './notices';

/** The (password-masked) databases this workspace has run on: the first run on one says what it creates there. */
const SHOW_RESULTS = 'Show Results';
const RAN_ON_KEY = 'dataflow.ranOnDatabases';

export type { EntryParam, EntryPoint };
/** What a code lens (or a script) passes: the file, the entry point and, optionally, the answers to the prompts. */
export interface RunTarget { uri?: string; entry?: string; params?: EntryParam[]; args?: Record<string, unknown>; seedRows?: number }

/** What the server returns for a run. */
export type RunResult = RunFileResult;

export async function chooseEntry(client: LanguageClient, state: ArgumentMemento, uri: string, editor: vscode.TextEditor | undefined): Promise<EntryPoint | undefined> {
  const eps = await client.sendRequest<EntryPoint[]>(ENTRY_POINTS_REQUEST, { uri });
  if (!eps.length) {
    void notify('warning', 'DataFlow: this file has no function that executes a workflow, and no `if __name__ == "__main__":` block.');
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
  // The entry points run last come first.
  const ordered = recentFirst(state, uri, eps);
  const pick = await vscode.window.showQuickPick(ordered.map((e) => {
    const last = lastArguments(state, uri, e.name);
    const shown = Object.entries(last).map(([k, v]) => `${k}=${v}`).join(', ');
    return { label: e.name === '__main__' ? 'if __name__ == "__main__":' : `${e.name}(${e.params.map((p) => p.name).join(', ')})`, description: `line ${e.line + 1}`, detail: shown ? `last run with ${shown}` : undefined, ep: e };
  }), { title: 'DataFlow: which entry point?' });
  return pick?.ep;
}

/** The parameters a run must be given a value for (no default, not *args / **kwargs). */
function promptedParams(params: EntryParam[]): EntryParam[] {
  return params.filter((x) => !x.hasDefault && (x.kind === 'positional' || x.kind === 'keyword'));
}

const READ_AS: Record<ArgValue['as'], string> = { python: 'a Python literal', json: 'JSON', string: 'not a literal: passed as the string' };

/**
 * Asks for each parameter without a default, offering the text typed at the last run of this entry
 * point; the texts are read by the server as Python literals (else JSON, else a string).
 */
export async function askArguments(client: LanguageClient, state: ArgumentMemento, uri: string, entry: string, params: EntryParam[]): Promise<{ args: Record<string, unknown>; texts: Record<string, string> } | undefined> {
  const last = lastArguments(state, uri, entry);
  const texts: Record<string, string> = {};
  for (const p of promptedParams(params)) {
    const v = await vscode.window.showInputBox({
      title: `DataFlow: value for ${p.name}${entry === '__main__' ? '' : ` (${entry})`}`,
      prompt: "A Python literal: 10, 'toys', [1, 2], {'a': None}, True (or JSON); anything else is taken as a string.",
      value: last[p.name],
      ignoreFocusOut: true,
      validateInput: async (text) => {
        if (!text.trim()) return undefined;
        const read = (await client.sendRequest<Record<string, ArgValue>>(PARSE_ARGUMENTS_REQUEST, { texts: { [p.name]: text } }))[p.name];
        return read ? { message: `${READ_AS[read.as]}${read.as === 'string' ? ` ${JSON.stringify(text)}` : ''}`, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
      },
    });
    if (v === undefined) return undefined;
    texts[p.name] = v;
  }
  const read = await client.sendRequest<Record<string, ArgValue>>(PARSE_ARGUMENTS_REQUEST, { texts });
  return { args: Object.fromEntries(Object.entries(read).map(([k, r]) => [k, r.value])), texts };
}

/** The entry point and its argument values: the target's, else the one under the cursor (or picked), asking for arguments; remembered for the next run. */
export async function chooseEntryAndArguments(client: LanguageClient, state: ArgumentMemento, uri: string, editor: vscode.TextEditor | undefined, target: RunTarget | undefined): Promise<{ entry: string; args: Record<string, unknown> } | undefined> {
  let entry = target?.entry;
  let params = target?.params;
  if (!entry) {
    const ep = await chooseEntry(client, state, uri, editor);
    if (!ep) return undefined;
    entry = ep.name;
    params = ep.params;
  } else if (!params && !target?.args) {
    params = (await client.sendRequest<EntryPoint[]>(ENTRY_POINTS_REQUEST, { uri })).find((e) => e.name === entry)?.params;
  }
  if (target?.args) {
    await rememberArguments(state, uri, entry, Object.fromEntries(Object.entries(target.args).map(([k, v]) => [k, argumentText(v)])));
    return { entry, args: target.args };
  }
  const asked = await askArguments(client, state, uri, entry, params ?? []);
  if (!asked) return undefined;
  await rememberArguments(state, uri, entry, asked.texts);
  return { entry, args: asked.args };
}

export interface RunDeps {
  client: LanguageClient;
  output: vscode.OutputChannel;
  database: DatabaseSelection;
  /** The workspace's state: run arguments remembered per entry point. */
  state: ArgumentMemento;
  onReport: (report: PerformanceReport) => void;
  /** Keeps the run's results for "Show results" (a read-only JSON document). */
  onResults: (result: RunResult) => void;
}

export async function runWorkflow(deps: RunDeps, target: RunTarget | undefined, profile: boolean): Promise<RunResult | undefined> {
  const { client, output, database } = deps;
  const editor = vscode.window.activeTextEditor;
  const uri = target?.uri ?? editor?.document.uri.toString();
  if (!uri) { void vscode.window.showWarningMessage('DataFlow: open a Python file to run.'); return undefined; }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (doc?.isUntitled) { void vscode.window.showWarningMessage('DataFlow: save the file first (local imports resolve from its folder).'); return undefined; }
  const chosen = await chooseEntryAndArguments(client, deps.state, uri, editor, target);
  if (!chosen) return undefined;
  const { entry, args } = chosen;

  const config = vscode.workspace.getConfiguration('dataflow', vscode.Uri.parse(uri));
  let allowDestructive = false;
  let seedRows: number | undefined;
  if (!database.isEmbedded) {
    const runSafe = 'Run (block unfiltered UPDATE/DELETE)';
    const runAll = 'Run and allow unfiltered writes';
    // Before the first run on this database from this workspace: say what DataFlow will create there.
    const ranOn = deps.state.get<string[]>(RAN_ON_KEY) ?? [];
    let creates = '';
    if (!ranOn.includes(database.label)) {
      const models = await client.sendRequest<string[]>(RUN_MODELS_REQUEST, { uri });
      if (models.length) creates = ` This creates the tables and indexes of ${models.length} model${models.length === 1 ? '' : 's'} (${models.slice(0, 8).join(', ')}${models.length > 8 ? ', …' : ''}) in ${database.label} if they are missing.`;
    }
    const answer = await askModal('warning',
      `Run ${entry === '__main__' ? 'the __main__ block' : `${entry}()`} against ${database.label}? The workflow's writes go to that database.${creates}`,
      runSafe, runAll);
    if (!answer) return undefined;
    allowDestructive = answer === runAll;
    if (!ranOn.includes(database.label)) await deps.state.update(RAN_ON_KEY, [...ranOn, database.label].slice(-20));
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
  const logSub = client.onNotification(RUN_LOG_NOTIFICATION, (p: { line: string }) => output.appendLine(p.line));
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DataFlow: ${profile ? 'profiling' : 'running'} ${what}`, cancellable: true }, (progress, token) => {
      // The embedded database's one-time set-up is said while it happens (it is not the run's time).
      const stage = client.onNotification(RUN_LOG_NOTIFICATION, (p: { line: string }) => { if (p.line.startsWith('Preparing the embedded PostgreSQL')) progressShown(progress, p.line); });
      return client.sendRequest<RunResult>(RUN_REQUEST, {
        uri, entry, args, database: db, seedRows, allowDestructive, profile,
        // Where DataFlow's own source may be read from (its debug tools are evaluated from it), never run.
        pythonPath: config.get<string>('python.path') || undefined,
        explainAnalyze: config.get<boolean>('profile.explainAnalyze', false),
        slowQueryMs: config.get<number | null>('profile.slowQueryMs', null) ?? undefined,
        nPlusOneMin: config.get<number>('profile.nPlusOneThreshold', 5),
      } satisfies RunParams, token).finally(() => stage.dispose());
    });
    report(output, result);
    deps.onResults(result);
    if (result.report) deps.onReport(result.report);
    if (!result.ok && result.error) {
      const go = result.error.file && result.error.line ? 'Go to error' : undefined;
      const hint = dataflowHint({ error: result.error, runs: result.runs });
      const firstLine = result.error.message.split('\n')[0];
      void notify('error', `DataFlow: ${result.error.type}: ${firstLine}${hint ? ` — hint: ${hint}` : ''}`, ...(go ? [go] : []), 'Show Output').then(async (a) => {
        if (a === 'Show Output') output.show(true);
        else if (a && result.error?.file) {
          const d = await vscode.workspace.openTextDocument(result.error.file);
          const pos = new vscode.Position(Math.max(0, (result.error.line ?? 1) - 1), Math.max(0, (result.error.column ?? 1) - 1));
          await vscode.window.showTextDocument(d, { selection: new vscode.Range(pos, pos) });
        }
      });
    } else if (!profile) {
      const nodes = result.runs.reduce((s, r) => s + r.nodes.length, 0);
      void notify('info', `DataFlow: ${what} ran ${result.runs.length} workflow(s), ${nodes} node(s) in ${result.elapsedMs} ms.`, SHOW_RESULTS, 'Show Output').then((a) => {
        if (a === SHOW_RESULTS) void vscode.commands.executeCommand('dataflow.showResults');
        else if (a) output.show(true);
      });
    }
    return result;
  } catch (err) {
    const msg = (err as Error).message;
    output.appendLine(`failed: ${msg}`);
    if (!/cancel/i.test(msg)) void notify('error', `DataFlow: ${msg}`);
    return undefined;
  } finally {
    logSub.dispose();
    // The worker deletes the URL file when it reads it; make sure it is gone in any case.
    if (db.kind === 'postgresql') fs.rmSync(db.urlFile, { force: true });
  }
}

const RESULT_CHARS = 160;

/** A value as one line of JSON, cut at `max` characters (the cut said). */
export function trimmed(value: unknown, max: number): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export function report(output: vscode.OutputChannel, r: RunResult): void {
  for (const n of r.notes) output.appendLine(`note: ${n}`);
  r.runs.forEach((run, i) => {
    output.appendLine(`run ${i + 1}: ${run.nodes.length} node(s)${run.error ? ` — FAILED ${run.error.type}: ${run.error.message}` : ''}`);
    for (const n of run.nodes) {
      // What the node returned (the execute's results[id]), trimmed to one line; "Show Results" has it all.
      const value = run.results?.[n.id] ?? run.partialResults?.[n.id];
      output.appendLine(`  ${n.id.padEnd(24)} ${n.type.padEnd(28)} ${n.ms.toFixed(1).padStart(8)} ms ${String(n.statements).padStart(4)} stmt${value === undefined ? '' : `  → ${trimmed(value, RESULT_CHARS)}`}`);
    }
  });
  if (r.returned !== undefined) output.appendLine(`returned: ${trimmed(r.returned, RESULT_CHARS * 2)}`);
  if (Object.keys(r.tables).length) output.appendLine(`tables: ${Object.entries(r.tables).map(([t, n]) => `${t}=${n}`).join(', ')}`);
  if (r.error) {
    output.appendLine(`error: ${r.error.traceback ?? `${r.error.type}: ${r.error.message}`}`);
    const hint = dataflowHint({ error: r.error, runs: r.runs });
    if (hint) output.appendLine(`hint: ${hint}`);
  }
  output.appendLine(`${r.ok ? 'ok' : 'failed'} in ${r.elapsedMs} ms`);
}
