// "Profile with Python" and "Compare Engines": the file's entry point runs in the project's own
// Python interpreter, with the real DataFlow and the extension's tracer, and the same profiler
// builds the same report (compare: the embedded runtime runs it too, and the report lists every
// node whose result or statements differ). The one command that executes the user's code: gated
// on workspace trust, started only by the user, and confirmed the first time (pythonGate.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatabaseSpec } from './database';
import { chooseEntryAndArguments, report, type RunDeps, type RunTarget } from './runWorkflow';
import { envFromSetting, expandInterpreterPath, interpreterCandidates, pythonGate, trustGate, PYTHON_CONFIRMED_KEY, describeSource, type InterpreterCandidate } from './python/pythonGate';
import { pythonExtensionInterpreter } from './python/pythonExtension';
import { confirmModal } from './python/confirmation';
import { COMPARE_ENGINES_REQUEST, FIND_PYTHON_REQUEST, PROFILE_WITH_PYTHON_REQUEST, RUN_LOG_NOTIFICATION, type DataflowPython, type EngineComparison, type EngineDifference, type PerformanceReport, type PythonRunFileResult, type PythonRunParams } from '../../server/src/protocol';

/** The report a comparison shows: the Python run's (it carries the "Engines compared" section), else the embedded run's with that section. */
export function comparisonReport(cmp: EngineComparison): PerformanceReport | undefined {
  if (cmp.python.report) return cmp.python.report.engines ? cmp.python.report : { ...cmp.python.report, engines: cmp.compared };
  return cmp.embedded.report ? { ...cmp.embedded.report, engines: cmp.compared } : undefined;
}

/** What the server returns for a Python run. */
export type PythonRunResult = PythonRunFileResult;

export interface PythonDeps extends RunDeps {
  globalState: vscode.Memento;
}

/** The interpreters to try for `resource`, in order (Python extension, setting, python3). */
export async function candidatesFor(resource: vscode.Uri | undefined, log?: (m: string) => void): Promise<InterpreterCandidate[]> {
  const config = vscode.workspace.getConfiguration('dataflow', resource);
  const folder = resource ? vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath : undefined;
  return interpreterCandidates({
    extension: await pythonExtensionInterpreter(resource, log),
    setting: expandInterpreterPath(config.get<string>('python.path', ''), folder, os.homedir()),
  });
}

export async function profileWithPython(deps: PythonDeps, target: RunTarget | undefined, compare: false): Promise<PythonRunResult | undefined>;
export async function profileWithPython(deps: PythonDeps, target: RunTarget | undefined, compare: true): Promise<EngineComparison | undefined>;
export async function profileWithPython(deps: PythonDeps, target: RunTarget | undefined, compare: boolean): Promise<PythonRunResult | EngineComparison | undefined> {
  const { client, output, database } = deps;
  const title = compare ? 'Compare Engines' : 'Profile with Python';
  // Trust first, before anything else happens (no prompt, no interpreter lookup).
  const refused = trustGate(vscode.workspace.isTrusted);
  if (refused?.kind === 'refuse') { void vscode.window.showErrorMessage(refused.message); return undefined; }
  const editor = vscode.window.activeTextEditor;
  const uri = target?.uri ?? editor?.document.uri.toString();
  if (!uri) { void vscode.window.showWarningMessage(`DataFlow: open a Python file to ${compare ? 'compare' : 'profile'}.`); return undefined; }
  const resource = vscode.Uri.parse(uri);
  if (resource.scheme !== 'file') { void vscode.window.showWarningMessage('DataFlow: save the file first (Python runs the file on disk).'); return undefined; }
  // Python reads the file from disk: unsaved edits would not run.
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (doc?.isDirty && !(await doc.save())) { void vscode.window.showWarningMessage('DataFlow: the file could not be saved; Python runs the file on disk.'); return undefined; }

  const chosen = await chooseEntryAndArguments(client, deps.state, uri, editor, target);
  if (!chosen) return undefined;
  const { entry, args } = chosen;

  const config = vscode.workspace.getConfiguration('dataflow', resource);
  const candidates = await candidatesFor(resource, (m) => output.appendLine(m));
  const step = pythonGate({
    trusted: vscode.workspace.isTrusted,
    confirmed: deps.globalState.get<boolean>(PYTHON_CONFIRMED_KEY) === true,
    file: resource.fsPath,
    first: candidates[0],
    action: compare ? 'compare' : 'profile',
  });
  if (step.kind === 'refuse') { void vscode.window.showErrorMessage(step.message); return undefined; }
  if (step.kind === 'confirm') {
    if (!(await confirmModal(step.message, step.detail, step.button))) return undefined;
    await deps.globalState.update(PYTHON_CONFIRMED_KEY, true);
  }

  const env = envFromSetting(config.get('python.env'));
  const python = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'DataFlow: looking for a Python with kailash-dataflow' }, () =>
    client.sendRequest<DataflowPython | null>(FIND_PYTHON_REQUEST, { candidates: candidates.map((c) => c.python), env }));
  if (!python) {
    const tried = candidates.map((c) => `${c.python} (${describeSource(c.source)})`).join('; ');
    output.appendLine(`${title}: no interpreter can \`import dataflow\`; tried ${tried}`);
    void vscode.window.showErrorMessage(
      `DataFlow: no Python interpreter with kailash-dataflow found (tried ${tried}). Select one in the Python extension, or set dataflow.python.path (and dataflow.python.env for PYTHONPATH).`,
      'Open Settings').then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', 'dataflow.python'));
    return undefined;
  }
  const source = candidates.find((c) => c.python === python.path)?.source;
  output.appendLine(`Python: ${python.path}${source ? ` (${describeSource(source)})` : ''}, kailash-dataflow ${python.version}${python.kailashVersion ? `, kailash ${python.kailashVersion}` : ''}`);

  if (!database.isEmbedded) {
    const go = 'Run';
    const answer = await vscode.window.showWarningMessage(
      `Run ${entry === '__main__' ? 'the __main__ block' : `${entry}()`} with Python against ${database.label}? The real DataFlow creates its tables there and its writes go to that database (nothing blocks unfiltered UPDATE/DELETE).`,
      { modal: true }, go);
    if (answer !== go) return undefined;
  }

  // Only now, after every prompt: a chosen URL is written to a private file for the worker.
  const db: DatabaseSpec | undefined = await database.current();
  if (!db) return undefined;
  const file = resource.fsPath;
  const what = `${path.basename(file)}${entry === '__main__' ? '' : `:${entry}`}`;
  output.appendLine(`\n── ${title} ${what} on ${database.label} with ${python.path}`);
  const logSub = client.onNotification(RUN_LOG_NOTIFICATION, (p: { line: string }) => output.appendLine(p.line));
  try {
    const request: PythonRunParams = {
      uri, entry, args, python: python.path, env, database: db,
      explainAnalyze: config.get<boolean>('profile.explainAnalyze', false),
      slowQueryMs: config.get<number | null>('profile.slowQueryMs', null) ?? undefined,
      nPlusOneMin: config.get<number>('profile.nPlusOneThreshold', 5),
    };
    const progressTitle = `DataFlow: ${compare ? 'comparing the engines on' : 'profiling with Python'} ${what}`;
    if (compare) {
      const cmp = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: progressTitle, cancellable: true }, (_p, token) =>
        client.sendRequest<EngineComparison>(COMPARE_ENGINES_REQUEST, request, token));
      output.appendLine('embedded runtime:');
      report(output, cmp.embedded);
      output.appendLine('Python:');
      report(output, cmp.python);
      const c = cmp.compared;
      output.appendLine(`engines: ${c.nodesAgreeing} of ${c.nodesCompared} node(s) agree, ${c.differences.length} difference(s)`);
      for (const d of c.differences) output.appendLine(`  ${describeDifference(d)}`);
      const r = comparisonReport(cmp);
      if (r) deps.onReport(r);
      const msg = `DataFlow: ${c.nodesAgreeing} of ${c.nodesCompared} node(s) agree between the embedded runtime and Python; ${c.differences.length} difference(s).`;
      if (c.differences.length) void vscode.window.showWarningMessage(msg); else void vscode.window.showInformationMessage(msg);
      return cmp;
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: progressTitle, cancellable: true }, (_p, token) =>
      client.sendRequest<PythonRunResult>(PROFILE_WITH_PYTHON_REQUEST, request, token));
    report(output, result);
    if (result.report) deps.onReport(result.report);
    if (!result.ok && result.error) {
      const go = result.error.file && result.error.line ? 'Go to error' : undefined;
      void vscode.window.showErrorMessage(`DataFlow (Python): ${result.error.type}: ${result.error.message}`, ...(go ? [go] : [])).then(async (a) => {
        if (a && result.error?.file) {
          const d = await vscode.workspace.openTextDocument(result.error.file);
          const pos = new vscode.Position(Math.max(0, (result.error.line ?? 1) - 1), Math.max(0, (result.error.column ?? 1) - 1));
          await vscode.window.showTextDocument(d, { selection: new vscode.Range(pos, pos) });
        }
      });
    }
    return result;
  } catch (err) {
    const msg = (err as Error).message;
    output.appendLine(`failed: ${msg}`);
    if (!/cancel/i.test(msg)) void vscode.window.showErrorMessage(`DataFlow: ${msg}`);
    return undefined;
  } finally {
    logSub.dispose();
    if (db.kind === 'postgresql') fs.rmSync(db.urlFile, { force: true });
  }
}

function describeDifference(d: EngineDifference): string {
  return `run ${d.run + 1}${d.node ? ` node ${d.node}` : ''} [${d.kind}]: ${d.message}`;
}
