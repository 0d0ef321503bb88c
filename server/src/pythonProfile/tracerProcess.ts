// Runs the tracer (server/python/dataflow_tracer.py) in the project's interpreter and delivers its
// events one by one. The events come on fd 3; the file's prints on stdout; logging on stderr.
// A timeout or an abort kills the whole process tree (its own process group on POSIX).
import { parsePythonJson } from '../runtime/floatPaths';
import { spawn, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';

export type TraceEvent = { t: string } & Record<string, unknown>;

export interface TracerRunOptions {
  python: string;
  file: string;
  entry?: string;
  args?: Record<string, unknown>;
  /** The file's sys.argv[1:]. */
  argv?: string[];
  root: string;
  /** Where DataFlow is pointed (passed in the environment, never on the command line). */
  dbUrl: string;
  embedded: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent: (e: TraceEvent) => void;
  onPrint?: (line: string) => void;
  /** Text to hide in anything shown (the database password). */
  secrets?: string[];
  /** Events on stderr (marker-prefixed lines) instead of fd 3. Default: on Windows only. */
  eventsOnStderr?: boolean;
}

export interface TracerRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  stderr: string;
  elapsedMs: number;
}

/** The tracer script: beside the bundle (dist/python) or in the source tree (server/python). */
export function tracerScript(): string {
  const candidates = [
    path.join(__dirname, 'python', 'dataflow_tracer.py'),
    path.resolve(__dirname, '..', '..', 'python', 'dataflow_tracer.py'),
    path.resolve(__dirname, '..', '..', '..', '..', 'server', 'python', 'dataflow_tracer.py'),
  ];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`the Python tracer is missing (looked in ${candidates.join(', ')})`);
}

const MAX_STDERR = 64 * 1024;
const MARKER = '\x1eDFTRACE ';

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

function killTree(pid: number | undefined): void {
  if (!pid) return;
  if (process.platform === 'win32') {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], () => undefined);
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function runTracer(o: TracerRunOptions): Promise<TracerRunResult> {
  const started = Date.now();
  const secrets = o.secrets ?? [];
  const argv = [tracerScript(), '--file', o.file, '--root', o.root, '--args', JSON.stringify(o.args ?? {})];
  if (o.entry) argv.push('--entry', o.entry);
  if (o.argv?.length) argv.push('--argv', JSON.stringify(o.argv));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...o.env,
    DATAFLOW_TRACE_DB_URL: o.dbUrl,
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
  };
  if (o.embedded) env.DATAFLOW_TRACE_EMBEDDED = '1';
  // POSIX: the events have a pipe of their own (fd 3). Windows does not hand extra pipes to Python:
  // there they come on stderr, each line prefixed with the record separator and "DFTRACE ".
  const ownFd = !(o.eventsOnStderr ?? process.platform === 'win32');
  if (ownFd) env.DATAFLOW_TRACE_FD = '3';
  else delete env.DATAFLOW_TRACE_FD;
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new Error('cancelled'));
    const child = spawn(o.python, argv, { cwd: o.root, env, stdio: ownFd ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    const events = readline.createInterface({ input: (ownFd ? child.stdio[3] : child.stderr) as Readable, crlfDelay: Infinity });
    events.on('line', (raw) => {
      if (!ownFd && !raw.startsWith(MARKER)) {
        if (stderr.length < MAX_STDERR) stderr += raw + '\n';
        return;
      }
      const line = ownFd ? raw : raw.slice(MARKER.length);
      if (!line.trim()) return;
      let ev: TraceEvent;
      try {
        const text = secrets.length ? scrub(line, secrets) : line;
        ev = JSON.parse(text) as TraceEvent;
        // An execute's results keep Python's whole floats (8.0) for the run document (runtime/floatPaths.ts).
        if ((ev as { results?: unknown }).results !== undefined) (ev as { results?: unknown }).results = (parsePythonJson(text) as { results?: unknown }).results;
      } catch {
        return;
      }
      try {
        o.onEvent(ev);
      } catch {
        // a consumer bug must not stop the stream
      }
    });
    const out = readline.createInterface({ input: child.stdout!, crlfDelay: Infinity });
    out.on('line', (line) => o.onPrint?.(scrub(line, secrets)));
    if (ownFd) {
      child.stderr!.on('data', (d: Buffer) => {
        if (stderr.length < MAX_STDERR) stderr += d.toString('utf8');
      });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
    }, o.timeoutMs ?? 10 * 60 * 1000);
    const onAbort = () => {
      aborted = true;
      killTree(child.pid);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    let exited: { code: number | null; sig: NodeJS.Signals | null } | undefined;
    let streamsOpen = 2;
    const finish = () => {
      if (!exited || streamsOpen > 0) return;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: exited.code, signal: exited.sig, timedOut, aborted, stderr: scrub(stderr, secrets), elapsedMs: Date.now() - started });
    };
    events.on('close', () => {
      streamsOpen--;
      finish();
    });
    out.on('close', () => {
      streamsOpen--;
      finish();
    });
    child.on('exit', (code, sig) => {
      exited = { code, sig };
      // whatever the file started (subprocesses holding our pipes) ends with it
      if (process.platform !== 'win32') killTree(child.pid);
      finish();
    });
  });
}
