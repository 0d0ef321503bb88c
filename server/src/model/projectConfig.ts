// Reads what the configuration rules need from non-Python project files, by line patterns (no
// TOML/YAML parser; the patterns are deliberately narrow so unusual layouts give no answer rather
// than a wrong one):
// - where `kailash-dataflow` is declared as a dependency, with which extras, and whether psycopg2
//   is declared anywhere in the same file;
// - how many worker processes a deployment starts (gunicorn `workers = N`, `--workers N` / `-w N`
//   on a gunicorn/uvicorn/hypercorn command line, WEB_CONCURRENCY & co. set to a number).
import type { Span } from './staticExpr';

export interface DependencyDecl {
  /** The requirement text as written (`kailash-dataflow[api]>=2.20`). */
  text: string;
  /** The package name. */
  nameSpan: Span;
  extras: string[];
  /** The `[...]` including brackets, when present. */
  extrasSpan?: Span;
}

export interface DependencyInfo {
  dataflow: DependencyDecl[];
  /** psycopg2 or psycopg2-binary is declared in this file. */
  psycopg2: boolean;
  /** The file is kailash-dataflow's own pyproject/setup (its self-references are extras, not dependencies). */
  isDataflowItself: boolean;
}

/** Text with `#` comments blanked out (same length, so offsets stay valid). */
function withoutComments(text: string): string {
  return text.replace(/(^|[ \t])#[^\n]*/gm, (m, lead: string) => lead + ' '.repeat(m.length - lead.length));
}

const DATAFLOW_RE = /(^|["'\s=(,])(kailash[-_.]dataflow)(\s*\[([^\]\n]*)\])?(?=\s*(?:[<>=!~;,"')\s]|$))/gim;

export function parseDependencies(fileName: string, text: string): DependencyInfo {
  const clean = withoutComments(text);
  const info: DependencyInfo = { dataflow: [], psycopg2: /(^|["'\s=,])psycopg2(-binary)?\b/im.test(clean), isDataflowItself: false };
  if (/^\s*name\s*=\s*["']kailash[-_.]dataflow["']/m.test(clean) || /\bname\s*=\s*["']kailash[-_.]dataflow["']/.test(clean) && fileName === 'setup.py') info.isDataflowItself = true;
  let m: RegExpExecArray | null;
  DATAFLOW_RE.lastIndex = 0;
  while ((m = DATAFLOW_RE.exec(clean))) {
    const nameStart = m.index + m[1].length;
    const lineStart = clean.lastIndexOf('\n', nameStart) + 1;
    let lineEnd = clean.indexOf('\n', nameStart);
    if (lineEnd < 0) lineEnd = clean.length;
    const line = clean.slice(lineStart, lineEnd);
    // `name = "kailash-dataflow"`, path/git sources (`{ path = ... }`), `-e ./kailash-dataflow`.
    if (/^\s*name\s*=/.test(line) || /\b(path|git|url)\s*=/.test(line) || /^\s*-e\s/.test(line)) continue;
    const nameSpan = { start: nameStart, end: nameStart + m[2].length };
    let extras = m[4] !== undefined ? m[4].split(',').map((s) => s.trim()).filter(Boolean) : [];
    let extrasSpan: Span | undefined = m[3] ? { start: nameSpan.end + m[3].indexOf('['), end: nameSpan.end + m[3].length } : undefined;
    // Poetry / Pipfile: kailash-dataflow = { version = "...", extras = ["postgres-sync"] }
    if (!m[3]) {
      const ex = /\bextras\s*=\s*\[([^\]]*)\]/.exec(line);
      if (ex) { extras = ex[1].split(',').map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean); extrasSpan = undefined; }
    }
    const req = /^[^"'\n]*/.exec(clean.slice(nameStart, lineEnd))![0].trim().replace(/[,\s]+$/, '');
    info.dataflow.push({ text: req, nameSpan, extras, extrasSpan });
  }
  return info;
}

export interface WorkerSetting { workers: number; span: Span; what: string }

const WORKER_VARS = ['WEB_CONCURRENCY', 'GUNICORN_WORKERS', 'UVICORN_WORKERS', 'DATAFLOW_WORKER_COUNT', 'KAILASH_WORKERS'];

/** Worker counts a deployment file sets explicitly. */
export function parseWorkers(fileName: string, text: string): WorkerSetting[] {
  const clean = withoutComments(text);
  const out: WorkerSetting[] = [];
  const lower = fileName.toLowerCase();
  const push = (n: number, start: number, len: number, what: string) => {
    if (Number.isInteger(n) && n > 0 && n < 10000) out.push({ workers: n, span: { start, end: start + len }, what });
  };
  let m: RegExpExecArray | null;
  if (lower === 'gunicorn.conf.py' || lower === 'gunicorn_conf.py') {
    const re = /^workers\s*=\s*(?:(\d+)|int\(\s*os\.(?:getenv|environ\.get)\(\s*["'](\w+)["']\s*,\s*["']?(\d+)["']?\s*\)\s*\))\s*$/gm;
    while ((m = re.exec(clean))) {
      const n = Number(m[1] ?? m[3]);
      push(n, m.index, m[0].length, m[1] ? `workers = ${n}` : `workers defaults to ${n} (${m[2]})`);
    }
    return out;
  }
  // Command lines: gunicorn/uvicorn/hypercorn with --workers N / -w N (shell or JSON-array form).
  const cmd = /\b(gunicorn|uvicorn|hypercorn)\b[^\n]*/g;
  while ((m = cmd.exec(clean))) {
    const line = m[0];
    const w = /(?:--workers(?:\s*=\s*|["',\s]+)|(?:^|[\s"',])-w["',\s]+)"?(\d+)\b/.exec(line);
    if (w) push(Number(w[1]), m.index + w.index, w[0].length, `${m[1]} ${w[0].trim().replace(/["',]+/g, ' ').replace(/\s+/g, ' ').trim()}`);
  }
  // Environment: WEB_CONCURRENCY=4, ENV WEB_CONCURRENCY 4, "WEB_CONCURRENCY: 4", - WEB_CONCURRENCY=4
  const env = new RegExp(`\\b(${WORKER_VARS.join('|')})["']?\\s*(?:=|:|\\s)\\s*["']?(\\d+)\\b`, 'g');
  while ((m = env.exec(clean))) push(Number(m[2]), m.index, m[0].length, `${m[1]}=${m[2]}`);
  return out;
}
