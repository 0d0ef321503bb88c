// The language server's handle on the runtime worker: started on first use, kept warm between
// runs, killed and restarted when it crashes, hangs after a cancel, or exceeds its time budget.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { CancellationTokenSource, createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection, type CancellationToken, type RequestType } from 'vscode-jsonrpc/node';
import type { RunFileResult } from '../runFile';
import type { EngineComparison, PythonRunFileResult } from '../../pythonProfile';
import { CompareEnginesRequest, LogNotification, PrepareNotification, PythonProfileRequest, RunRequest, type PythonRunRequestParams, type RunRequestParams } from './protocol';

export interface WorkerClientOptions {
  /** dist/runtime-worker.js */
  workerPath?: string;
  log: (msg: string) => void;
  /** Memory cap of the worker (MB). PGlite needs 300–700 MB. */
  maxOldSpaceMb?: number;
}

function defaultWorkerPath(): string {
  // Beside the bundled server (dist/), or the compiled tree (out/) in tests.
  const bundled = path.join(__dirname, 'runtime-worker.js');
  if (fs.existsSync(bundled)) return bundled;
  return path.join(__dirname, 'workerMain.js');
}

export class WorkerClient {
  private child: ChildProcess | undefined;
  private connection: MessageConnection | undefined;
  private busy = false;

  constructor(private readonly options: WorkerClientOptions) {}

  get running(): boolean { return !!this.child && this.child.exitCode === null; }

  private start(): MessageConnection {
    if (this.connection && this.running) return this.connection;
    const workerPath = this.options.workerPath ?? defaultWorkerPath();
    const child = fork(workerPath, [], {
      execArgv: [`--max-old-space-size=${this.options.maxOldSpaceMb ?? 2048}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => this.options.log(`[runtime worker] ${d.trimEnd()}`));
    child.on('exit', (code, signal) => {
      this.options.log(`runtime worker exited (${signal ?? code})`);
      if (this.child === child) { this.child = undefined; this.connection?.dispose(); this.connection = undefined; }
    });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    this.child = child;
    this.connection = connection;
    this.options.log(`runtime worker started (pid ${child.pid})`);
    return connection;
  }

  /** Starts the worker if needed and has it open the embedded database in the background. */
  prepare(): void {
    if (this.busy) return;
    void this.start().sendNotification(PrepareNotification).catch(() => undefined);
  }

  /**
   * Runs a file in the worker. Cancellation asks the worker to stop (statements are cancelled);
   * if it has not answered 3 s later the worker is killed. `hardTimeoutMs` kills it outright.
   */
  run(params: RunRequestParams, token: CancellationToken | undefined, onLog: (line: string) => void, hardTimeoutMs = 15 * 60_000): Promise<RunFileResult> {
    return this.request(RunRequest, params, token, onLog, hardTimeoutMs);
  }

  /** "Profile with Python" in the worker (it serves the embedded database to the interpreter). Same cancellation and budget as run(). */
  profileWithPython(params: PythonRunRequestParams, token: CancellationToken | undefined, onLog: (line: string) => void, hardTimeoutMs = 15 * 60_000): Promise<PythonRunFileResult> {
    return this.request(PythonProfileRequest, params, token, onLog, hardTimeoutMs);
  }

  /** One entry point with both engines, and where they differ. */
  compareEngines(params: PythonRunRequestParams, token: CancellationToken | undefined, onLog: (line: string) => void, hardTimeoutMs = 20 * 60_000): Promise<EngineComparison> {
    return this.request(CompareEnginesRequest, params, token, onLog, hardTimeoutMs);
  }

  private async request<P, R>(type: RequestType<P, R, void>, params: P, token: CancellationToken | undefined, onLog: (line: string) => void, hardTimeoutMs: number): Promise<R> {
    if (this.busy) throw new Error('a workflow is already running: wait for it or cancel it');
    this.busy = true;
    const connection = this.start();
    const child = this.child!;
    const sub = connection.onNotification(LogNotification, (p) => onLog(p.line));
    const source = new CancellationTokenSource();
    let killTimer: NodeJS.Timeout | undefined;
    const killSoon = (why: string, ms: number) => {
      killTimer ??= setTimeout(() => { this.options.log(`killing the runtime worker: ${why}`); child.kill('SIGKILL'); }, ms);
    };
    const cancelSub = token?.onCancellationRequested(() => { source.cancel(); killSoon('it did not stop after a cancel', 3000); });
    const hard = setTimeout(() => { source.cancel(); killSoon('the run exceeded its time budget', 1000); }, hardTimeoutMs);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(token?.isCancellationRequested ? 'the run was cancelled' : `the runtime worker stopped (${signal ?? code}) during the run`))));
    try {
      return await Promise.race([connection.sendRequest(type, params, source.token), exited]);
    } finally {
      clearTimeout(hard);
      if (killTimer) clearTimeout(killTimer);
      cancelSub?.dispose();
      sub.dispose();
      source.dispose();
      this.busy = false;
    }
  }

  dispose(): void {
    this.connection?.dispose();
    this.child?.kill();
    this.child = undefined;
    this.connection = undefined;
  }
}
