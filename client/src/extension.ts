// The VS Code side: starts the DataFlow language server and registers the commands, the status
// bar database picker and the performance report panel. Analysis, fixes and runs live in the
// server (and its runtime worker), so other editors get them too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type MessageSignature, type ServerOptions } from 'vscode-languageclient/node';
import { DatabaseSelection } from './database';
import { runWorkflow, type EntryPoint, type RunResult, type RunTarget } from './runWorkflow';
import { notify, shownNotices, type ShownNotice } from './notices';
import { RESULTS_SCHEME, RunResultsDocuments } from './runResults';
import { profileWithPython, type PythonRunResult } from './profileWithPython';
import { withPythonLenses } from './python/pythonLenses';
import { shownConfirmations, type ShownConfirmation } from './python/confirmation';
import { ANALYZE_WORKSPACE_REQUEST, ENTRY_POINTS_REQUEST, FILE_DATABASE_URL_REQUEST, SERVER_EXEC_ARGV, serverEnvironment, type EngineComparison, type PerformanceReport } from '../../server/src/protocol';
import { exportReportHtml, exportReportJson, ReportPanel, registerReportPanelSerializer, saveReportAs } from './panel';
import { ClosableOutputChannel } from './outputChannel';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
/** Set when deactivate() starts: a provider call the workbench makes while the client stops answers nothing. */
let stopping = false;

/**
 * The language client, answering "nothing" instead of failing for requests in flight once the
 * extension is being deactivated: at a reload or shutdown they failed with "Starting server failed",
 * written to the output channel as "Request textDocument/codeAction failed" and logged by the
 * extension host as "provider FAILED", one each.
 */
class DataFlowLanguageClient extends LanguageClient {
  override handleFailedRequest<T>(type: MessageSignature, token: vscode.CancellationToken | undefined, error: unknown, defaultValue: T, showNotification?: boolean): T {
    if (stopping) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification);
  }
}

/** The diagnostic with its code's target, a rule page on disk, replaced by the command that opens it rendered. */
function withRenderedRuleLink(d: vscode.Diagnostic): vscode.Diagnostic {
  const code = d.code;
  if (typeof code !== 'object' || code === null || code.target.scheme !== 'file' || !code.target.path.endsWith('.md')) return d;
  d.code = { value: code.value, target: vscode.Uri.parse(`command:dataflow.openRuleDocs?${encodeURIComponent(JSON.stringify([code.target.toString()]))}`) };
  return d;
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env: serverEnvironment() } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'], env: serverEnvironment() } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    synchronize: { configurationSection: 'dataflow' },
    outputChannel: output,
    // "Profile with Python" beside "Profile", only in a trusted workspace (the server knows no trust).
    middleware: {
      provideCodeLenses: async (document, token, next) => withPythonLenses(await next(document, token), vscode.workspace.isTrusted),
      // A diagnostic's code links to its rule page: opened rendered (dataflow.openRuleDocs, a Markdown
      // preview) from the Problems panel and the hover, which open command links, rather than as the
      // raw .md inside the extension's folder.
      handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(withRenderedRuleLink)),
    },
    // Hover links to a rule's page run dataflow.openRuleDocs (the rendered Markdown preview), the only command a hover may run.
    // Read at each start of the server, so Restart Server applies settings changed since.
    initializationOptions: () => ({
      settings: vscode.workspace.getConfiguration('dataflow'),
      ruleDocsCommand: 'dataflow.openRuleDocs',
      prepareRuntime: vscode.workspace.getConfiguration('dataflow').get<boolean>('runtime.prepareOnStart', true),
    }),
    markdown: { isTrusted: { enabledCommands: ['dataflow.openRuleDocs'] } },
  };
  return new DataFlowLanguageClient('dataflow', 'DataFlow Performance', serverOptions, clientOptions);
}

/** The last report: in memory, and in the workspace's storage so it survives a reload. */
class LastReport {
  private report: PerformanceReport | undefined;
  constructor(private readonly context: vscode.ExtensionContext) {}
  private get file(): string | undefined {
    const dir = this.context.storageUri?.fsPath ?? this.context.globalStorageUri?.fsPath;
    return dir ? path.join(dir, 'last-report.json') : undefined;
  }
  set(r: PerformanceReport): void {
    this.report = r;
    const f = this.file;
    if (f) {
      try { fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, JSON.stringify(r)); } catch { /* storage unavailable: memory only */ }
    }
  }
  get(): PerformanceReport | undefined {
    if (this.report) return this.report;
    const f = this.file;
    try { if (f && fs.existsSync(f)) this.report = JSON.parse(fs.readFileSync(f, 'utf8')) as PerformanceReport; } catch { /* unreadable */ }
    return this.report;
  }
}

export interface DataFlowExtensionApi {
  client: () => LanguageClient | undefined;
  reportPanel: () => ReportPanel | undefined;
  lastRun: () => RunResult | undefined;
  /** The last "Profile with Python" result, or the last "Compare Engines" comparison. */
  lastPythonRun: () => PythonRunResult | EngineComparison | undefined;
  /** The "Profile with Python" confirmations asked so far (read-only copies). */
  pythonConfirmations: () => ShownConfirmation[];
  /** The notifications shown so far (message and the actions offered), newest last. */
  notices: () => ShownNotice[];
}

/** The editor's Run / Profile title actions and the database status item: only for files with an entry point that runs a workflow. */
const RUNNABLE_CONTEXT = 'dataflow.runnableFile';

export async function activate(context: vscode.ExtensionContext): Promise<DataFlowExtensionApi> {
  // Not in context.subscriptions: VS Code disposes those right after calling deactivate() without
  // waiting for it, so the language client stopping there wrote to a closed channel on every reload
  // and shutdown ("Channel has been closed", then "provider FAILED"). deactivate() closes it once
  // the client has stopped, and the client's writes after that (the server process's exit) are dropped.
  output = new ClosableOutputChannel(vscode.window.createOutputChannel('DataFlow Performance'));
  const lastReport = new LastReport(context);
  const panelOptions = { exportReport: async (r: PerformanceReport) => confirmExport(await saveReportAs(r)) };
  // Before the client starts, so a report panel open at the last reload is restored.
  context.subscriptions.push(registerReportPanelSerializer(context, panelOptions));
  const database = new DatabaseSelection(context);
  context.subscriptions.push(database);
  client = createClient(context);
  let lastRun: RunResult | undefined;
  let lastPythonRun: PythonRunResult | EngineComparison | undefined;
  const results = new RunResultsDocuments();
  context.subscriptions.push(results, vscode.workspace.registerFileSystemProvider(RESULTS_SCHEME, results, { isReadonly: true, isCaseSensitive: true }));
  const deps = () => ({
    client: client!,
    output: output!,
    database,
    state: context.workspaceState,
    onReport: (r: PerformanceReport) => { lastReport.set(r); ReportPanel.createOrShow(context, r, panelOptions); },
    onResults: (r: RunResult) => results.set(r),
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('dataflow.restartServer', async () => {
      if (client) await client.restart();
    }),
    vscode.commands.registerCommand('dataflow.showLogs', () => output?.show(true)),
    vscode.commands.registerCommand('dataflow.analyzeWorkspace', async () => {
      const result = await client?.sendRequest<{ files: number; findings: number }>(ANALYZE_WORKSPACE_REQUEST);
      if (result) void vscode.window.showInformationMessage(`DataFlow: ${result.findings} finding(s) in ${result.files} Python file(s).`);
      return result;
    }),
    vscode.commands.registerCommand('dataflow.openRuleDocs', async (uri: string) => {
      const target = vscode.Uri.parse(uri);
      if (target.scheme === 'file') await vscode.commands.executeCommand('markdown.showPreview', target);
      else await vscode.env.openExternal(target);
    }),
    vscode.commands.registerCommand('dataflow.runWorkflow', async (target?: RunTarget) => (lastRun = (await runWorkflow(deps(), target, false)) ?? lastRun)),
    vscode.commands.registerCommand('dataflow.profileWorkflow', async (target?: RunTarget) => (lastRun = (await runWorkflow(deps(), target, true)) ?? lastRun)),
    // The only commands that execute the user's code: trust, an explicit start and a first-time confirmation (python/pythonGate.ts).
    vscode.commands.registerCommand('dataflow.profileWithPython', async (target?: RunTarget) =>
      (lastPythonRun = (await profileWithPython({ ...deps(), globalState: context.globalState }, target, false)) ?? lastPythonRun)),
    vscode.commands.registerCommand('dataflow.compareEngines', async (target?: RunTarget) =>
      (lastPythonRun = (await profileWithPython({ ...deps(), globalState: context.globalState }, target, true)) ?? lastPythonRun)),
    // The order lens above an execute call (server/src/lsp/codeLens.ts): the runtime's node order and the written one.
    vscode.commands.registerCommand('dataflow.showExecutionOrder', (arg?: { order: string[]; written: string[]; runtime: string; levels?: string[][] }) => {
      if (!arg) return undefined;
      const levels = arg.levels ? ` Levels run concurrently: ${arg.levels.map((l) => `[${l.join(', ')}]`).join(' then ')}.` : '';
      const text = `DataFlow: ${arg.runtime} runs these nodes in the order ${arg.order.join(' → ')}; the add_node calls are written ${arg.written.join(' → ')}.${levels}`;
      void vscode.window.showInformationMessage(text);
      return text;
    }),
    // "Show Results" of a run's notification: what the workflow returned, as a read-only JSON document.
    vscode.commands.registerCommand('dataflow.showResults', async () => {
      const uri = results.uri();
      if (!uri) { void notify('info', 'DataFlow: no results yet. Run a workflow first ("DataFlow: Run Workflow").'); return undefined; }
      const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
      await vscode.window.showTextDocument(doc, { preview: true });
      return doc;
    }),
    vscode.commands.registerCommand('dataflow.showLastReport', () => {
      const r = lastReport.get();
      if (!r) { void vscode.window.showInformationMessage('DataFlow: no report yet. Run "DataFlow: Profile Workflow" first.'); return undefined; }
      return ReportPanel.createOrShow(context, r, panelOptions);
    }),
    vscode.commands.registerCommand('dataflow.exportReport', async (format?: 'html' | 'json', targetPath?: string) => {
      const r = ReportPanel.current?.report ?? lastReport.get();
      if (!r) { void vscode.window.showInformationMessage('DataFlow: no report to export yet.'); return undefined; }
      if (targetPath) {
        // Scripted export (tasks, tests): no dialog.
        fs.writeFileSync(targetPath, format === 'json' ? exportReportJson(r) : exportReportHtml(r));
        return confirmExport(vscode.Uri.file(targetPath));
      }
      return confirmExport(await saveReportAs(r, format ?? 'html'));
    }),
    vscode.commands.registerCommand('dataflow.selectDatabase', async (scripted?: { url?: string; embedded?: boolean }) => {
      if (scripted && typeof scripted === 'object' && (scripted.url || scripted.embedded)) return database.select(undefined, scripted);
      const uri = vscode.window.activeTextEditor?.document.uri;
      // The URL a file's DataFlow(...) names comes from the repository: offered only in a trusted workspace.
      const fileUrl = vscode.workspace.isTrusted && uri && uri.scheme === 'file' ? await client?.sendRequest<string | null>(FILE_DATABASE_URL_REQUEST, { uri: uri.toString() }) : undefined;
      return database.select(fileUrl ?? undefined);
    }),
  );
  // Run / Profile in the editor title and the database item only where there is a workflow to run.
  const runnable = new Map<string, boolean>();
  const updateRunnable = async (editor: vscode.TextEditor | undefined) => {
    const doc = editor?.document;
    let yes = false;
    if (doc && doc.languageId === 'python' && client?.isRunning()) {
      const key = `${doc.uri.toString()}@${doc.version}`;
      if (!runnable.has(key)) {
        try { runnable.set(key, (await client.sendRequest<EntryPoint[]>(ENTRY_POINTS_REQUEST, { uri: doc.uri.toString() })).length > 0); } catch { runnable.set(key, false); }
        if (runnable.size > 200) runnable.delete(runnable.keys().next().value!);
      }
      yes = runnable.get(key)!;
    }
    if (vscode.window.activeTextEditor?.document !== doc) return;
    await vscode.commands.executeCommand('setContext', RUNNABLE_CONTEXT, yes);
    database.setVisible(yes);
  };
  let saveTimer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((e) => void updateRunnable(e)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== vscode.window.activeTextEditor?.document) return;
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void updateRunnable(vscode.window.activeTextEditor), 500);
    }),
    { dispose: () => clearTimeout(saveTimer) },
  );
  await client.start();
  void updateRunnable(vscode.window.activeTextEditor);
  return { client: () => client, reportPanel: () => ReportPanel.current, lastRun: () => lastRun, lastPythonRun: () => lastPythonRun, pythonConfirmations: () => shownConfirmations.map((c) => ({ ...c })), notices: shownNotices };
}

/** Says where an exported report was written, with "Open" and "Reveal". */
function confirmExport(target: vscode.Uri | undefined): vscode.Uri | undefined {
  if (!target) return undefined;
  void notify('info', `DataFlow: report written to ${target.fsPath}`, 'Open', 'Reveal').then(async (a) => {
    if (a === 'Open') {
      if (target.fsPath.toLowerCase().endsWith('.json')) await vscode.window.showTextDocument(target);
      else await vscode.env.openExternal(target);
    } else if (a === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', target);
  });
  return target;
}

export async function deactivate(): Promise<void> {
  stopping = true;
  const running = client;
  client = undefined;
  try {
    if (running?.needsStop()) await running.stop();
  } catch {
    // The server is gone already (its process ended with the window): nothing left to stop.
  } finally {
    output?.dispose();
    output = undefined;
  }
}
