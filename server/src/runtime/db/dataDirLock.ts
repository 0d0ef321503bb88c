// One process per embedded data directory: PGlite aborts when a second process opens a data dir
// another one is using. A lock file in the directory names the owner's pid; a lock whose pid is
// dead is stale and taken over. When the directory is held by a live process, a sibling
// (`pglite-2`, `pglite-3`, …) or a fresh temporary directory is used instead, and a note says so.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const LOCK_FILE = '.dataflow-run.lock';
const MAX_SIBLINGS = 8;

export interface DataDirLease {
  /** The directory this process holds. */
  dir: string;
  /** Set when it is not the directory asked for: why and which one is used. */
  note?: string;
  release(): void;
}

/** Whether a process with this pid is alive (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding `dir`, or undefined when it is free (no lock, or a stale one). */
export function lockHolder(dir: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return alive(pid) ? pid : undefined;
}

/** Takes the lock of `dir` for this process; the holder's pid when a live process has it. */
function tryLock(dir: string): { ok: true } | { ok: false; holder: number } {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { ok: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = lockHolder(dir);
    if (holder !== undefined) return { ok: false, holder };
    // Stale (its process is gone): take it over. Removing and re-creating with 'wx' keeps two
    // processes taking over the same stale lock from both winning.
    try {
      fs.unlinkSync(file);
    } catch {
      /* another process removed it first */
    }
  }
  const holder = lockHolder(dir);
  return holder !== undefined ? { ok: false, holder } : { ok: false, holder: -1 };
}

const held = new Set<string>();
let exitHook = false;

function lease(dir: string, note?: string): DataDirLease {
  held.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of held) releaseSync(d);
    });
  }
  return {
    dir,
    note,
    release: () => {
      held.delete(dir);
      releaseSync(dir);
    },
  };
}

function releaseSync(dir: string): void {
  const file = path.join(dir, LOCK_FILE);
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
  } catch {
    /* already gone */
  }
}

/** Locks `preferred`, or the first free sibling, or a fresh temporary directory. */
export function acquireDataDir(preferred: string): DataDirLease {
  const dir = path.resolve(preferred);
  const first = tryLock(dir);
  if (first.ok) return lease(dir);
  const who = first.holder === process.pid ? 'this process (already open here)' : first.holder > 0 ? `another process (pid ${first.holder})` : 'another process';
  for (let i = 2; i <= MAX_SIBLINGS + 1; i++) {
    const sibling = `${dir}-${i}`;
    if (tryLock(sibling).ok) return lease(sibling, `the embedded database at ${dir} is in use by ${who}; this run uses ${sibling}${PgliteHasData(sibling) ? '' : ' (a fresh one: the first open takes a few seconds)'}`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-pglite-'));
  if (!tryLock(tmp).ok) throw new Error(`cannot lock a temporary data directory ${tmp}`);
  return lease(tmp, `the embedded database at ${dir} and its siblings are in use by other processes; this run uses a fresh temporary one at ${tmp}`);
}

function PgliteHasData(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION'));
}
