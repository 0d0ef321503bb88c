// Which interpreter can run the real DataFlow: the first candidate whose `import dataflow` works.
import { execFile } from 'node:child_process';

export interface DataflowPython {
  /** The interpreter as given (a path or a command on PATH). */
  path: string;
  /** `dataflow.__version__`. */
  version: string;
  /** `kailash.__version__`, when importable. */
  kailashVersion?: string;
  /** The interpreter's own version (sys.version). */
  pythonVersion?: string;
}

export interface FindPythonOptions {
  /** Extra environment for the probe (e.g. PYTHONPATH for an interpreter whose packages are a source tree). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Per-candidate probe timeout (default 90 s: importing DataFlow takes seconds, more on a busy machine). */
  timeoutMs?: number;
}

const PROBE = [
  'import json, sys',
  'import dataflow',
  'try:\n    import kailash; kv = getattr(kailash, "__version__", None)\nexcept Exception:\n    kv = None',
  'print("\\x1eDFPROBE " + json.dumps({"version": getattr(dataflow, "__version__", "unknown"), "kailash": kv, "python": sys.version.split()[0]}))',
].join('\n');

/** Probe one interpreter: its DataFlow version, or the reason it cannot run DataFlow. */
export function probePython(python: string, options: FindPythonOptions = {}): Promise<{ ok: true; python: DataflowPython } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', PROBE],
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 90000, signal: options.signal, windowsHide: true, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const line = String(stdout).split('\n').find((l) => l.startsWith('\x1eDFPROBE '));
        if (line) {
          try {
            const v = JSON.parse(line.slice('\x1eDFPROBE '.length)) as { version: string; kailash?: string | null; python?: string };
            resolve({ ok: true, python: { path: python, version: v.version, kailashVersion: v.kailash ?? undefined, pythonVersion: v.python } });
            return;
          } catch {
            // fall through
          }
        }
        const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        if (e?.code === 'ENOENT') return resolve({ ok: false, reason: `${python}: no such interpreter` });
        if (e?.killed) return resolve({ ok: false, reason: `${python}: the probe timed out` });
        const last = String(stderr).trim().split('\n').pop() ?? '';
        resolve({ ok: false, reason: /ModuleNotFoundError|ImportError/.test(last) ? `${python} cannot import kailash-dataflow (${last})` : `${python}: ${last || e?.message || 'failed'}` });
      },
    );
  });
}

/**
 * The first candidate (in order) whose `import dataflow` works, with its version; undefined when
 * none does. Candidates are paths or commands ('python3').
 */
export async function findDataflowPython(candidates: string[], options: FindPythonOptions = {}): Promise<DataflowPython | undefined> {
  for (const c of candidates) {
    if (!c) continue;
    if (options.signal?.aborted) return undefined;
    const r = await probePython(c, options);
    if (r.ok) return r.python;
  }
  return undefined;
}
