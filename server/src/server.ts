// The DataFlow language server: wires LSP messages to the workspace model, the analysis engine,
// the diagnostics scheduler and the code actions. Runs over stdio (`--stdio`) or Node IPC.
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, DidChangeWatchedFilesNotification,
  type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { initPython } from './syntax/parser';
import { SourceFile } from './model/sourceFile';
import { WorkspaceModel } from './model/workspaceModel';
import { SettingsStore } from './lsp/settingsStore';
import { IdleCollector } from './lsp/idleCollector';
import { DiagnosticsScheduler } from './lsp/diagnosticsScheduler';
import { codeActionsFor, editFor, FIX_ALL_KIND, type ActionData } from './lsp/codeActions';
import { findingHover } from './lsp/hover';
import { completionItems, COMPLETION_TRIGGERS } from './lsp/completion';
import { LANGUAGE_CAPABILITIES, combineHovers, languageHover, registerLanguageFeatures } from './lsp/languageFeatures';
import { ProfileStore } from './language/profileStore';
import { profileHints } from './language/profileHints';
import { PROJECT_FILE_GLOBS, WorkspaceIndexer, readSourceFile } from './lsp/workspaceIndexer';
import { ProjectRoots } from './workspace/projects';
import { codeLenses } from './lsp/codeLens';
import { registerRunRequests } from './lsp/runRequests';
import { warmUp } from './lsp/warmUp';
import { registerPythonRequests } from './lsp/pythonRequests';
import { WorkerClient } from './run/worker/workerClient';
import { ANALYZE_WORKSPACE_REQUEST } from './protocol';
import { restoreInheritedEnvironment } from './protocol/serverProcess';
import { VERSION } from './version';

// The runtime worker and the project's Python start with the editor's environment, not the server's.
restoreInheritedEnvironment();
const connection = createConnection(ProposedFeatures.all);
const workspace = new WorkspaceModel();
// Model names resolve within a file's own Python project (as in dataflow-lint), so a monorepo
// workspace folder does not mix up the projects' same-named models.
const projects = new ProjectRoots();
// Files without a project marker above them share one project: the workspace folders.
workspace.setProjectOf((uri) => projects.projectOfUri(uri));
const open = new Set<string>();
// The last performance report of each file, kept from the profile runs that pass through the server (hover shows its times).
const profiles = new ProfileStore();
let settings!: SettingsStore;
let scheduler!: DiagnosticsScheduler;
let verbose = false;

const log = (msg: string) => { if (verbose) connection.console.log(msg); };
const warn = (msg: string) => connection.console.warn(msg);
const indexer = new WorkspaceIndexer(workspace, (uri) => open.has(uri), (m) => connection.console.log(m));
let watchRegistration = false;
let folderUris: string[] = [];
// Collects garbage once the server is idle (when started with SERVER_EXEC_ARGV's --expose-gc).
const idle = new IdleCollector({ log: (m) => log(m) });
const worker = new WorkerClient({ log: (m) => connection.console.log(m) });
let foldersSupported = false;
let inlayRefresh = false;
let codeLensRefresh = false;
let codeActionResolve = false;
/** The client command that shows a rule's rendered page (initializationOptions.ruleDocsCommand), for hover links. */
let ruleDocsCommand: string | undefined;
/** initializationOptions.prepareRuntime: open the runtime worker's embedded database once the workspace is known to use DataFlow. */
let prepareRuntime = false;

process.on('uncaughtException', (err) => warn(`dataflow server: uncaught ${err.stack ?? err}`));
process.on('unhandledRejection', (err) => warn(`dataflow server: unhandled rejection ${(err as Error)?.stack ?? err}`));

/**
 * An LSP notification handler that awaits: the connection neither awaits a notification handler
 * nor answers it, so its failure is logged here with the notification's name.
 */
function detached<P>(name: string, handler: (params: P) => Promise<void>): (params: P) => void {
  return (params) => { handler(params).catch((err: unknown) => warn(`${name} failed: ${(err as Error)?.stack ?? err}`)); };
}

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  await initPython();
  settings = new SettingsStore(connection, params.initializationOptions);
  settings.pullSupported = !!params.capabilities.workspace?.configuration;
  watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  foldersSupported = !!params.capabilities.workspace?.workspaceFolders;
  inlayRefresh = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
  codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  codeActionResolve = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit');
  verbose = !!(params.initializationOptions as { verbose?: boolean } | undefined)?.verbose || params.trace === 'verbose';
  const docsCommand = (params.initializationOptions as { ruleDocsCommand?: unknown } | undefined)?.ruleDocsCommand;
  prepareRuntime = (params.initializationOptions as { prepareRuntime?: unknown } | undefined)?.prepareRuntime === true;
  ruleDocsCommand = typeof docsCommand === 'string' && /^[\w.-]+$/.test(docsCommand) ? docsCommand : undefined;
  scheduler = new DiagnosticsScheduler(connection, workspace, settings, log, idle);
  // First-time compilation (WebAssembly, JavaScript, queries) on a small sample, not on the user's first file.
  try { log(`warmed up in ${warmUp().toFixed(0)} ms`); } catch (err) { warn(`warm-up failed: ${(err as Error).stack ?? err}`); }
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folderUris = folders;
  indexer.setRoots(folders);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: true },
      hoverProvider: true,
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      ...LANGUAGE_CAPABILITIES,
      inlayHintProvider: true,
    },
    serverInfo: { name: 'dataflow-performance', version: VERSION },
  };
});

connection.onInitialized(detached('initialized', async () => {
  if (foldersSupported) {
    connection.workspace.onDidChangeWorkspaceFolders(detached('workspace/didChangeWorkspaceFolders', async () => {
      const s = await settings.get();
      folderUris = (await connection.workspace.getWorkspaceFolders())?.map((f) => f.uri) ?? [];
      indexer.setRoots(folderUris, s.exclude);
      await indexer.scan();
      // Files of a removed folder leave the workspace model (their models no longer count).
      for (const f of [...workspace.allFiles()]) {
        if (open.has(f.uri) || indexer.inScope(f.uri)) continue;
        if (scheduler.shown.has(f.uri)) scheduler.hide(f.uri);
        workspace.delete(f.uri);
      }
      workspace.changed();
      scheduler.scheduleAll(0);
    }));
  }
  if (watchRegistration) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }, ...PROJECT_FILE_GLOBS.map((globPattern) => ({ globPattern }))] });
  }
  if (foldersSupported) {
    const s = await settings.get();
    folderUris = (await connection.workspace.getWorkspaceFolders())?.map((f) => f.uri) ?? folderUris;
    indexer.setRoots(folderUris, s.exclude);
  }
  await indexer.scan();
  idle.touch();
  scheduler.scheduleAll(0);
  // The first Run should not wait for the embedded database's set-up: do it after the scan, once,
  // in the worker process (never in this one), when some file makes a DataFlow instance.
  if (prepareRuntime && workspace.instances().length) setTimeout(() => worker.prepare(), PREPARE_RUNTIME_DELAY_MS).unref();
}));

/** How long after the workspace scan the runtime worker is started (the editor settles first). */
const PREPARE_RUNTIME_DELAY_MS = 2000;

connection.onDidOpenTextDocument((p) => {
  const { uri, text, version } = p.textDocument;
  open.add(uri);
  // Ask for the document's settings first: the client answers while the file is parsed.
  void settings.get(uri);
  const started = performance.now();
  workspace.set(SourceFile.create(uri, text, version));
  if (verbose) log(`opened ${uri} v${version}: parsed and facts extracted in ${(performance.now() - started).toFixed(1)} ms`);
  scheduler.shown.add(uri);
  scheduler.schedule(uri, 0);
  scheduler.scheduleAll(50, uri);
});

connection.onDidChangeTextDocument(detached('textDocument/didChange', async (p) => {
  const file = workspace.get(p.textDocument.uri);
  if (!file) return;
  const started = performance.now();
  try {
    file.applyChanges(p.contentChanges.map((c) => ('range' in c ? { range: c.range, text: c.text } : { text: c.text })), p.textDocument.version);
    if (verbose) log(`changed ${file.uri} v${file.version}: re-parsed and facts updated in ${(performance.now() - started).toFixed(1)} ms`);
  } catch (err) {
    warn(`could not apply a change to ${file.uri}: ${(err as Error).stack ?? err}`);
    return;
  }
  workspace.changed(file);
  const s = await settings.get(file.uri);
  if (s.run === 'onSave') return;
  // At once when the document was idle; bursts of keystrokes coalesce (see scheduleEdit).
  scheduler.scheduleEdit(file.uri, s.debounceMs);
  // Other documents depend on this one only through its models.
  if (file.modelsChanged) scheduler.scheduleAll(s.debounceMs + 100, file.uri);
}));

connection.onDidSaveTextDocument((p) => {
  scheduler.schedule(p.textDocument.uri, 0);
  scheduler.scheduleAll(50, p.textDocument.uri);
});

connection.onDidCloseTextDocument(detached('textDocument/didClose', async (p) => {
  const uri = p.textDocument.uri;
  open.delete(uri);
  scheduler.hide(uri);
  // The editor's unsaved text is gone: the file on disk (if any, and in the workspace) is the truth.
  if (indexer.inScope(uri)) {
    const disk = await readSourceFile(uri);
    if (disk) workspace.set(disk); else workspace.delete(uri);
  } else {
    workspace.delete(uri);
  }
  scheduler.scheduleAll(50);
}));

connection.onDidChangeWatchedFiles(detached('workspace/didChangeWatchedFiles', async (p) => {
  const changed = await indexer.apply(p.changes);
  if (changed.length) scheduler.scheduleAll(50);
}));

connection.onDidChangeConfiguration((p) => {
  settings.setFallback((p.settings as { dataflow?: unknown } | undefined)?.dataflow);
  settings.clear();
  workspace.changed(); // settings are an input of every finding: make the scheduler re-analyse, not reuse the last run
  scheduler.scheduleAll(0);
});

connection.onCodeAction(async (params) => {
  try {
    const findings = await scheduler.findings(params.textDocument.uri);
    return codeActionsFor(workspace, params, findings, { resolveSupport: codeActionResolve });
  } catch (err) {
    warn(`code actions failed: ${(err as Error).stack ?? err}`);
    return [];
  }
});

connection.onCodeActionResolve(async (action) => {
  const data = action.data as ActionData | undefined;
  if (!data?.uri) return action;
  try {
    const edit = editFor(workspace, data, await scheduler.findings(data.uri));
    if (edit) action.edit = edit;
  } catch (err) {
    warn(`code action resolve failed: ${(err as Error).stack ?? err}`);
  }
  return action;
});

connection.onHover(async (p) => {
  const file = workspace.get(p.textDocument.uri);
  if (!file) return null;
  try {
    const offset = file.doc.lines.offsetAt(p.position);
    return combineHovers(findingHover(workspace, file.uri, offset, await scheduler.findings(file.uri), ruleDocsCommand), languageHover(workspace, file, offset, profiles));
  } catch (err) {
    warn(`hover failed: ${(err as Error).stack ?? err}`);
    return null;
  }
});

connection.onCompletion((p) => {
  const file = workspace.get(p.textDocument.uri);
  if (!file) return [];
  try {
    return completionItems(workspace, file, file.doc.lines.offsetAt(p.position));
  } catch (err) {
    warn(`completion failed: ${(err as Error).stack ?? err}`);
    return [];
  }
});

// Custom request (not workspace/executeCommand: the VS Code client would register a command of
// that name itself and clash with the extension's own "DataFlow: Analyze Workspace").
connection.onRequest(ANALYZE_WORKSPACE_REQUEST, async () => {
  {
    await indexer.ready;
    let count = 0;
    for (const f of workspace.allFiles()) {
      if (!f.relevant) continue;
      scheduler.shown.add(f.uri);
      count += (await scheduler.run(f.uri)).length;
    }
    return { files: workspace.size, findings: count };
  }
});

connection.onCodeLens(async (p) => {
  const f = workspace.get(p.textDocument.uri);
  if (!f) return [];
  try {
    return codeLenses(f, { file: f, facts: f.facts, workspace, settings: await settings.get(f.uri) }, profiles);
  } catch (err) { warn(`code lenses failed: ${(err as Error).stack ?? err}`); return []; }
});

// A new profile changes the measured-time hints and the execute lenses: ask the client to fetch them again.
const recordProfile = (r: Parameters<ProfileStore['record']>[0]): void => {
  profiles.record(r);
  if (inlayRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
};
// A profile's recommendations link to the diagnostics shown (the scheduler's findings: open buffers, the user's settings).
const shownFindings = (uri: string) => scheduler.findings(uri);
registerRunRequests(connection, workspace, worker, () => folderUris, shownFindings, recordProfile);
registerPythonRequests(connection, workspace, worker, () => folderUris, shownFindings, recordProfile);

connection.languages.inlayHint.on(async (p) => {
  const file = workspace.get(p.textDocument.uri);
  if (!file) return [];
  try {
    if (!(await settings.get(file.uri)).profileHints) return [];
    const lines = file.doc.lines;
    const start = lines.offsetAt(p.range.start);
    const end = lines.offsetAt(p.range.end);
    return profileHints(file, profiles)
      .filter((h) => h.offset >= start && h.offset <= end)
      .map((h) => ({ position: lines.positionAt(h.offset), label: h.label, tooltip: h.tooltip, paddingLeft: true }));
  } catch (err) {
    warn(`inlay hints failed: ${(err as Error).stack ?? err}`);
    return [];
  }
});
registerLanguageFeatures(connection, workspace, warn);

connection.onShutdown(() => { scheduler?.dispose(); idle.dispose(); worker.dispose(); });
connection.onExit(() => worker.dispose());
connection.listen();
