// A small typed LSP client for protocol tests and benchmarks: spawns the BUILT language server
// (`node dist/server.js --stdio`) as a separate process, speaks JSON-RPC with vscode-jsonrpc,
// answers the server's requests (workspace/configuration, client/registerCapability,
// workspace/workspaceFolders, window/workDoneProgress/create), keeps in-memory document texts,
// and waits for publishDiagnostics with promises that time out with a clear message.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_EXEC_ARGV, serverEnvironment } from '../../server/src/protocol/serverProcess';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidSaveTextDocumentNotification, DidChangeWatchedFilesNotification, DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  PublishDiagnosticsNotification, LogMessageNotification, ShowMessageNotification,
  ConfigurationRequest, RegistrationRequest, UnregistrationRequest, WorkspaceFoldersRequest,
  WorkDoneProgressCreateRequest, ShowMessageRequest, CodeActionRequest, CodeActionResolveRequest, ExecuteCommandRequest, HoverRequest,
  type ProtocolConnection, type InitializeResult, type InitializeParams, type PublishDiagnosticsParams,
  type Diagnostic, type CodeAction, type Command, type Range, type Position, type TextEdit,
  type WorkspaceEdit, type FileEvent, type Hover, type Registration, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/** The repository root (this file runs from out/test/helpers/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
export const LINT_JS = path.join(REPO_ROOT, 'dist', 'dataflow-lint.js');

export interface ClientOptions {
  /** Workspace folders as file-system paths (converted to file: URIs). */
  workspaceFolders?: string[];
  /** Advertise workspace.configuration (default true). When false, settings go in initializationOptions. */
  configuration?: boolean;
  /** Advertise workspace.didChangeWatchedFiles.dynamicRegistration (default true). */
  watchedFilesDynamicRegistration?: boolean;
  /** Advertise window.workDoneProgress (default true). */
  workDoneProgress?: boolean;
  /** The `dataflow` settings section; debounceMs defaults to 0. */
  settings?: Record<string, unknown>;
  /** Extra initializationOptions (merged; `settings` is filled in when configuration is false). */
  initializationOptions?: Record<string, unknown>;
  /** Delay before answering workspace/configuration (simulates a slow client; default 0). */
  configurationDelayMs?: number;
  /** Server script (default dist/server.js). */
  serverPath?: string;
  /** Node options of the server process (default SERVER_EXEC_ARGV: as the extension starts it). */
  execArgv?: readonly string[];
  /** How long initialize may take (default 20 s). */
  initializeTimeoutMs?: number;
  /** Advertise codeAction resolveSupport for `edit` and disabledSupport (VS Code does both; default false). */
  codeActionResolve?: boolean;
}

export interface DocState { uri: string; languageId: string; version: number; text: string }

export interface DiagnosticsWait {
  /** Only resolve for a publish satisfying this (default: any publish). */
  predicate?: (p: PublishDiagnosticsParams) => boolean;
  /** What the predicate means, for the timeout message. */
  description?: string;
  timeoutMs?: number;
}

interface Waiter {
  uri: string;
  predicate: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_TIMEOUT_MS = 15000;

export function fileUri(p: string): string { return pathToFileURL(p).toString(); }

// ---------------------------------------------------------------------------------------------
// Text helpers (UTF-16 offsets; `\n`, `\r\n` and `\r` end lines, as in LSP).

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}

export function offsetAt(text: string, pos: Position): number {
  const starts = lineStarts(text);
  if (pos.line >= starts.length) return text.length;
  if (pos.line < 0) return 0;
  const start = starts[pos.line];
  const next = pos.line + 1 < starts.length ? starts[pos.line + 1] : text.length;
  return Math.min(start + Math.max(0, pos.character), next);
}

export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  offset = Math.max(0, Math.min(offset, text.length));
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

export function rangeOf(text: string, start: number, end: number): Range {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

/** The text a range covers. */
export function textIn(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/**
 * Applies TextEdits that all refer to the ORIGINAL text (LSP semantics): sorted by start and
 * applied from the end so earlier offsets stay valid; inserts at the same position keep their
 * array order. Overlapping edits are an error.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const resolved = edits.map((e, i) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText, i }));
  resolved.sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  for (let k = 1; k < resolved.length; k++) {
    if (resolved[k].start < resolved[k - 1].end) throw new Error(`overlapping TextEdits at offsets ${resolved[k - 1].start}-${resolved[k - 1].end} and ${resolved[k].start}-${resolved[k].end}`);
  }
  let out = text;
  for (let k = resolved.length - 1; k >= 0; k--) {
    const e = resolved[k];
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}

/**
 * The contentChanges VS Code sends for a set of TextEdits on the same document: one range change
 * per edit, last edit first, so each range is still valid when the changes are applied in order.
 */
export function editsToContentChanges(text: string, edits: readonly TextEdit[]): TextDocumentContentChangeEvent[] {
  const withOffsets = edits.map((e, i) => ({ e, start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), i }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  return withOffsets.map(({ e }) => ({ range: e.range, text: e.newText }));
}

/** Applies range-based (or full) content changes in order, as the server must. */
export function applyContentChanges(text: string, changes: readonly TextDocumentContentChangeEvent[]): string {
  for (const c of changes) {
    if ('range' in c && c.range) {
      const s = offsetAt(text, c.range.start), e = offsetAt(text, c.range.end);
      text = text.slice(0, s) + c.text + text.slice(e);
    } else text = c.text;
  }
  return text;
}

/** The TextEdits of a WorkspaceEdit, by uri (`changes` and `documentChanges` TextDocumentEdits). */
export function editsByUri(edit: WorkspaceEdit): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  const add = (uri: string, edits: TextEdit[]) => { out.set(uri, [...(out.get(uri) ?? []), ...edits]); };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) add(uri, edits);
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc && 'edits' in dc) add(dc.textDocument.uri, dc.edits as TextEdit[]);
    else throw new Error(`unsupported resource operation in WorkspaceEdit: ${JSON.stringify(dc)}`);
  }
  return out;
}

/** Applies a WorkspaceEdit to in-memory texts (uri -> text); returns the new texts of the touched uris. */
export function applyWorkspaceEdit(texts: ReadonlyMap<string, string>, edit: WorkspaceEdit): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uri, edits] of editsByUri(edit)) {
    const text = texts.get(uri);
    if (text === undefined) throw new Error(`WorkspaceEdit touches ${uri}, whose text is not known`);
    out.set(uri, applyTextEdits(text, edits));
  }
  return out;
}

export function codesOf(p: PublishDiagnosticsParams | Diagnostic[] | undefined): string[] {
  const list = Array.isArray(p) ? p : p?.diagnostics ?? [];
  return list.map((d) => String(d.code));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms); }),
  ]);
}

// ---------------------------------------------------------------------------------------------

export class LspClient {
  readonly conn: ProtocolConnection;
  readonly docs = new Map<string, DocState>();
  /** The latest diagnostics published for each uri. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in arrival order. */
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly registrations: Registration[] = [];
  readonly configurationRequests: Array<{ scopeUri?: string; section?: string }> = [];
  initializeResult: InitializeResult | undefined;
  settings: Record<string, unknown>;
  private waiters: Waiter[] = [];
  private configurationHold: Promise<void> | undefined;
  private logWaiters: Array<{ re: RegExp; resolve: (s: string) => void }> = [];
  private stderr = '';
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exitPromise: Promise<void>;
  private disposed = false;

  private constructor(readonly proc: ChildProcess, readonly options: ClientOptions) {
    this.settings = { debounceMs: 0, ...(options.settings ?? {}) };
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (d: string) => { this.stderr = (this.stderr + d).slice(-20000); });
    this.exitPromise = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exited = { code, signal };
        const err = new Error(`the server process exited (code ${code}, signal ${signal})${this.stderr ? `; stderr: ${this.stderrTail()}` : ''}`);
        for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(err); }
        resolve();
      });
    });
    // A write to a dead process must fail the test, not crash mocha.
    proc.stdin!.on('error', () => { /* reported through `exited` */ });
    this.conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => this.onPublish(p));
    this.conn.onNotification(LogMessageNotification.type, (p) => this.onLog(p.message));
    this.conn.onNotification(ShowMessageNotification.type, (p) => this.onLog(`[showMessage] ${p.message}`));
    this.conn.onNotification('$/progress', () => { /* progress is accepted and ignored */ });
    this.conn.onNotification('telemetry/event', () => { /* ignored */ });
    this.conn.onRequest(ConfigurationRequest.type, async (p) => {
      const answer = p.items.map((item) => {
        this.configurationRequests.push({ scopeUri: item.scopeUri, section: item.section });
        if (item.section === 'dataflow') return this.settings;
        if (!item.section) return { dataflow: this.settings };
        if (item.section.startsWith('dataflow.')) return this.settings[item.section.slice('dataflow.'.length)] ?? null;
        return null;
      });
      if (options.configurationDelayMs) await new Promise((r) => setTimeout(r, options.configurationDelayMs));
      while (this.configurationHold) await this.configurationHold;
      return answer;
    });
    this.conn.onRequest(RegistrationRequest.type, (p) => { this.registrations.push(...p.registrations); return null; });
    this.conn.onRequest(UnregistrationRequest.type, (p) => {
      for (const u of p.unregisterations) {
        const i = this.registrations.findIndex((r) => r.id === u.id);
        if (i >= 0) this.registrations.splice(i, 1);
      }
      return null;
    });
    this.conn.onRequest(WorkspaceFoldersRequest.type, () => this.folders());
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onRequest(ShowMessageRequest.type, () => null);
    this.conn.onError(() => { /* surfaced through requests timing out and `exited` */ });
    this.conn.listen();
  }

  /** Spawns the server and runs initialize + initialized. */
  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const serverPath = options.serverPath ?? SERVER_JS;
    if (!fs.existsSync(serverPath)) throw new Error(`${serverPath} does not exist: build first (npx tsc -p tsconfig.json && node esbuild.mjs)`);
    const proc = spawn(process.execPath, [...(options.execArgv ?? SERVER_EXEC_ARGV), serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: REPO_ROOT, env: serverEnvironment() });
    const client = new LspClient(proc, options);
    try {
      await client.initialize();
    } catch (err) {
      await client.dispose();
      throw err;
    }
    return client;
  }

  folders(): Array<{ uri: string; name: string }> | null {
    const f = this.options.workspaceFolders;
    if (!f) return null;
    return f.map((p) => ({ uri: fileUri(p), name: path.basename(p) }));
  }

  private async initialize(): Promise<void> {
    const configuration = this.options.configuration ?? true;
    const initializationOptions: Record<string, unknown> = { ...(this.options.initializationOptions ?? {}) };
    if (!configuration && !('settings' in initializationOptions)) initializationOptions.settings = this.settings;
    const folders = this.folders();
    const params: InitializeParams = {
      processId: process.pid,
      clientInfo: { name: 'dataflow-test-client', version: '0.0.0' },
      rootUri: folders?.[0]?.uri ?? null,
      workspaceFolders: folders,
      initializationOptions,
      capabilities: {
        workspace: {
          configuration,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: false },
          didChangeWatchedFiles: { dynamicRegistration: this.options.watchedFilesDynamicRegistration ?? true, relativePatternSupport: true },
          applyEdit: true,
          workspaceEdit: { documentChanges: true },
          executeCommand: { dynamicRegistration: false },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true, willSave: false, willSaveWaitUntil: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: {
            dynamicRegistration: false,
            isPreferredSupport: true,
            dataSupport: true,
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
            ...(this.options.codeActionResolve ? { resolveSupport: { properties: ['edit'] }, disabledSupport: true } : {}),
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
        window: { workDoneProgress: this.options.workDoneProgress ?? true, showMessage: {} },
        general: { positionEncodings: ['utf-16'] },
      },
    };
    this.initializeResult = await withTimeout(
      this.conn.sendRequest(InitializeRequest.type, params),
      this.options.initializeTimeoutMs ?? 20000,
      () => `initialize did not answer; stderr: ${this.stderrTail()}`,
    );
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  // ----- server -> client traffic -----------------------------------------------------------

  private onPublish(p: PublishDiagnosticsParams): void {
    this.diagnostics.set(p.uri, p);
    this.publishes.push(p);
    for (const w of [...this.waiters]) {
      if (w.uri !== p.uri) continue;
      let ok: boolean;
      try { ok = w.predicate(p); } catch { ok = false; }
      if (!ok) continue;
      clearTimeout(w.timer);
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(p);
    }
  }

  private onLog(message: string): void {
    this.logs.push(message);
    for (const w of [...this.logWaiters]) {
      if (w.re.test(message)) { this.logWaiters.splice(this.logWaiters.indexOf(w), 1); w.resolve(message); }
    }
  }

  /** Holds back answers to workspace/configuration until the returned function is called. */
  holdConfiguration(): () => void {
    let release!: () => void;
    const hold = new Promise<void>((r) => { release = r; });
    this.configurationHold = hold;
    return () => { if (this.configurationHold === hold) this.configurationHold = undefined; release(); };
  }

  stderrTail(n = 2000): string { return this.stderr.slice(-n); }
  get hasExited(): boolean { return !!this.exited; }

  /**
   * The NEXT publishDiagnostics for `uri` (arriving after this call) that satisfies the
   * predicate. Call it BEFORE sending the message that causes the publish.
   */
  nextDiagnostics(uri: string, wait: DiagnosticsWait = {}): Promise<PublishDiagnosticsParams> {
    const timeoutMs = wait.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const predicate = wait.predicate ?? (() => true);
    if (this.exited) return Promise.reject(new Error(`the server process has exited (code ${this.exited.code}); stderr: ${this.stderrTail()}`));
    return new Promise((resolve, reject) => {
      const startedAt = this.publishes.length;
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const forUri = this.publishes.slice(startedAt).filter((p) => p.uri === uri);
        const last = this.diagnostics.get(uri);
        reject(new Error(
          `timed out after ${timeoutMs} ms waiting for publishDiagnostics for ${uri}${wait.description ? ` (${wait.description})` : ''}. `
          + `${forUri.length} publish(es) for it arrived meanwhile (none matched); latest: ${last ? `version ${last.version}, codes [${codesOf(last).join(', ')}]` : 'none ever'}. `
          + `Documents with diagnostics: ${[...this.diagnostics.keys()].map((u) => path.basename(u)).join(', ') || 'none'}. `
          + `Server stderr tail: ${this.stderrTail(800) || '(empty)'}`,
        ));
      }, timeoutMs);
      const waiter: Waiter = { uri, predicate, resolve, reject, timer };
      this.waiters.push(waiter);
    });
  }

  /** Next publish for `uri` whose version is at least the document's current version. */
  nextDiagnosticsForCurrentVersion(uri: string, wait: Omit<DiagnosticsWait, 'predicate'> & { predicate?: (p: PublishDiagnosticsParams) => boolean } = {}): Promise<PublishDiagnosticsParams> {
    const version = this.docs.get(uri)?.version;
    const extra = wait.predicate ?? (() => true);
    return this.nextDiagnostics(uri, {
      ...wait,
      predicate: (p) => (version === undefined || p.version === undefined || p.version >= version) && extra(p),
      description: `${wait.description ? `${wait.description}, ` : ''}version >= ${version}`,
    });
  }

  /** Resolves with the first log message matching `re` (already received ones count). */
  waitForLog(re: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const seen = this.logs.find((m) => re.test(m));
    if (seen !== undefined) return Promise.resolve(seen);
    const p = new Promise<string>((resolve) => this.logWaiters.push({ re, resolve }));
    return withTimeout(p, timeoutMs, () => `no log message matching ${re}; logs so far: ${JSON.stringify(this.logs.slice(-10))}`);
  }

  /** Waits until the server's first workspace scan has finished (its "indexed N Python files" log). */
  waitForIndexed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    return this.waitForLog(/^indexed \d+ Python files|^workspace scan failed/, timeoutMs);
  }

  // ----- documents --------------------------------------------------------------------------

  text(uri: string): string {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    return d.text;
  }

  async open(uri: string, text: string, languageId = 'python', version = 1): Promise<void> {
    this.docs.set(uri, { uri, languageId, version, text });
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Opens and resolves with the first diagnostics of that version. */
  async openAndWait(uri: string, text: string, wait: DiagnosticsWait = {}): Promise<PublishDiagnosticsParams> {
    const p = this.nextDiagnostics(uri, { ...wait, predicate: (d) => (d.version === undefined || d.version >= 1) && (wait.predicate?.(d) ?? true) });
    await this.open(uri, text);
    return p;
  }

  /** Sends range-based content changes (applied in order) and updates the in-memory text. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    d.text = applyContentChanges(d.text, changes);
    d.version++;
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: d.version }, contentChanges: changes });
    return d.version;
  }

  /**
   * Sends content changes and resolves with the publish for the resulting version (the waiter is
   * registered before the notification goes out, so a fast answer cannot be missed).
   */
  async changeAndWait(uri: string, changes: TextDocumentContentChangeEvent[], wait: DiagnosticsWait = {}): Promise<PublishDiagnosticsParams> {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    const version = d.version + 1;
    const extra = wait.predicate ?? (() => true);
    const p = this.nextDiagnostics(uri, {
      ...wait,
      predicate: (x) => x.version === version && extra(x),
      description: `${wait.description ? `${wait.description}, ` : ''}version ${version}`,
    });
    await this.change(uri, changes);
    return p;
  }

  /** Replaces [start, end) (offsets into the current text) with `newText` as one range change. */
  changeAt(uri: string, start: number, end: number, newText: string): Promise<number> {
    const text = this.text(uri);
    return this.change(uri, [{ range: rangeOf(text, start, end), text: newText }]);
  }

  /** Sends a full-text change. */
  changeFull(uri: string, text: string): Promise<number> { return this.change(uri, [{ text }]); }

  /** Applies TextEdits to an open document as VS Code does (range changes, last edit first). */
  applyEditsToOpen(uri: string, edits: readonly TextEdit[]): Promise<number> {
    return this.change(uri, editsToContentChanges(this.text(uri), edits));
  }

  async save(uri: string): Promise<void> {
    await this.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** Changes the workspace folders (answers to workspace/workspaceFolders) and notifies the server. */
  async setWorkspaceFolders(paths: string[]): Promise<void> {
    const before = new Set(this.options.workspaceFolders ?? []);
    const after = new Set(paths);
    this.options.workspaceFolders = paths;
    const folder = (p: string) => ({ uri: fileUri(p), name: path.basename(p) });
    await this.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: paths.filter((p) => !before.has(p)).map(folder), removed: [...before].filter((p) => !after.has(p)).map(folder) },
    });
  }

  /** Replaces the settings the client answers workspace/configuration with, and tells the server. */
  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = { debounceMs: 0, ...settings };
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { dataflow: this.settings } });
  }

  // ----- requests ---------------------------------------------------------------------------

  request<R>(what: string, p: Promise<R>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<R> {
    return withTimeout(p, timeoutMs, () => `${what} got no answer; server ${this.exited ? `exited (code ${this.exited.code})` : 'alive'}; stderr: ${this.stderrTail(800)}`);
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<Array<CodeAction | Command>> {
    const res = await this.request('textDocument/codeAction', this.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) },
    }));
    return res ?? [];
  }

  resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    return this.request('codeAction/resolve', this.conn.sendRequest(CodeActionResolveRequest.type, action));
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request('textDocument/hover', this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position }));
  }

  executeCommand<R = unknown>(command: string, args: unknown[] = []): Promise<R> {
    return this.request(`workspace/executeCommand ${command}`, this.conn.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<R>);
  }

  /** The server's custom `dataflow/analyzeWorkspace` request (publishes for every relevant file). */
  analyzeWorkspace(): Promise<{ files: number; findings: number }> {
    return this.request('dataflow/analyzeWorkspace', this.conn.sendRequest<{ files: number; findings: number }>('dataflow/analyzeWorkspace'), 60000);
  }

  /** Applies a WorkspaceEdit: open documents get a didChange (range changes), others are returned. */
  async applyWorkspaceEdit(edit: WorkspaceEdit, closedTexts: ReadonlyMap<string, string> = new Map()): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [uri, edits] of editsByUri(edit)) {
      if (this.docs.has(uri)) {
        await this.applyEditsToOpen(uri, edits);
        out.set(uri, this.text(uri));
      } else {
        const t = closedTexts.get(uri);
        if (t === undefined) throw new Error(`WorkspaceEdit touches ${uri}, which is neither open nor given`);
        out.set(uri, applyTextEdits(t, edits));
      }
    }
    return out;
  }

  // ----- teardown ---------------------------------------------------------------------------

  /** shutdown + exit; kills the process if it does not go within a few seconds. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error('client disposed')); }
    if (!this.exited) {
      try {
        await withTimeout(this.conn.sendRequest(ShutdownRequest.type), 3000, () => 'shutdown');
        await this.conn.sendNotification(ExitNotification.type);
      } catch { /* kill below */ }
      const exited = await Promise.race([this.exitPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref())]);
      if (!exited && !this.exited) {
        this.proc.kill('SIGKILL');
        await Promise.race([this.exitPromise, new Promise((r) => setTimeout(r, 2000).unref())]);
      }
    }
    this.conn.dispose();
  }
}

/** Finds the diagnostic with `code` (and optionally whose range covers `text`) or fails clearly. */
export function findDiagnostic(p: PublishDiagnosticsParams, code: string, docText?: string, covering?: string): Diagnostic {
  const d = p.diagnostics.find((x) => x.code === code && (!covering || !docText || textIn(docText, x.range) === covering));
  if (!d) throw new Error(`no ${code}${covering ? ` on ${JSON.stringify(covering)}` : ''} in ${p.uri} v${p.version}: ${JSON.stringify(p.diagnostics.map((x) => ({ code: x.code, range: x.range })))}`);
  return d;
}
