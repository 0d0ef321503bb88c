#!/usr/bin/env node
// dataflow-lint throughput (issue 12 target 4: at least ruff's). Generates a corpus of the size of
// kailash-py (6,000 files, ~2.4 M lines: a third DataFlow packages — models.py per package and
// modules that import them, one block in five a workflow function — and two thirds plain Python,
// which never mention DataFlow),
// then times, in the same run on the same files:
//   - dataflow-lint --jobs 1            (one thread)
//   - dataflow-lint                     (default: one worker thread per CPU)
//   - ruff check --select ALL --no-cache (the baseline; skipped with a note when ruff is not on PATH)
// and prints seconds, files/s, lines/s and each run's time over ruff's (<= 1.00 meets the target).
// dataflow-lint's own breakdown (discover+read, scan, analysis) comes from DATAFLOW_LINT_TIMINGS.
// Needs the build (dist/dataflow-lint.js).
//
//   node bench/lint-throughput.mjs [--files 6000] [--runs 1] [--dir PATH] [--json] [--keep] [--seed 1]
//   --dir PATH   time an existing tree instead (e.g. a checkout of kailash-py); ruff gets the same
//                .py files dataflow-lint reads, as explicit paths
//   --earlier F  also time another build's dataflow-lint.js (e.g. one from before --jobs), same files
import { spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, makeModel, modelSource, makeFunction } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : def; };
const flag = (name) => argv.includes(`--${name}`);
const files = Number(opt('files', '6000'));
const runs = Math.max(1, Number(opt('runs', '1')));
const seed = Number(opt('seed', '1'));
const dirArg = opt('dir');
const asJson = flag('json');
const lintJs = path.resolve(opt('lint', path.join(here, '..', 'dist', 'dataflow-lint.js')));
if (!fs.existsSync(lintJs)) { console.error(`${lintJs} is missing: npm run build first`); process.exit(2); }
const log = (s) => { if (!asJson) console.log(s); else console.error(s); };

// ---------------------------------------------------------------- corpus

const ENTITIES = ['Customer', 'Order', 'Invoice', 'Product', 'Shipment', 'Payment', 'Supplier', 'Warehouse', 'Ticket', 'Subscription'];
const WORDS = ['value', 'item', 'record', 'entry', 'row', 'key', 'node', 'path', 'count', 'total', 'name', 'token', 'chunk', 'batch', 'limit', 'offset', 'state', 'config', 'result', 'payload'];
const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const lineCount = (t) => { let n = 0; for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) n++; return n; };

/** A plain Python function or class (no DataFlow): loops, comprehensions, dicts, f-strings, try/except. */
function plainBlock(rnd, k) {
  const a = pick(rnd, WORDS), b = pick(rnd, WORDS), c = pick(rnd, WORDS);
  switch (k % 4) {
    case 0: return `

def collect_${a}_${k}(${a}s, ${b}=None, *, ${c}_limit: int = 100):
    """Collect ${a}s by ${b}, at most ${c}_limit of them."""
    out = {}
    for i, ${a} in enumerate(${a}s):
        if i >= ${c}_limit:
            break
        key = ${a}.get("${b}") if isinstance(${a}, dict) else getattr(${a}, "${b}", None)
        out.setdefault(key, []).append(${a})
    return {k: sorted(v, key=str) for k, v in out.items() if v}
`;
    case 1: return `

class ${a[0].toUpperCase() + a.slice(1)}${k}Cache:
    """A small LRU of ${a}s keyed by ${b}."""

    def __init__(self, size=${16 + Math.floor(rnd() * 240)}):
        self.size = size
        self._data = {}
        self._order = []

    def get(self, ${b}):
        if ${b} in self._data:
            self._order.remove(${b})
            self._order.append(${b})
            return self._data[${b}]
        return None

    def put(self, ${b}, ${a}):
        self._data[${b}] = ${a}
        self._order.append(${b})
        while len(self._order) > self.size:
            old = self._order.pop(0)
            self._data.pop(old, None)
`;
    case 2: return `

async def fetch_${a}s_${k}(client, ${b}s, retries=${1 + Math.floor(rnd() * 4)}):
    results = []
    for ${b} in ${b}s:
        for attempt in range(retries):
            try:
                response = await client.get(f"/api/${a}s/{${b}}", timeout=${5 + Math.floor(rnd() * 25)})
                results.append(response.json())
                break
            except (TimeoutError, ConnectionError) as exc:
                if attempt == retries - 1:
                    raise RuntimeError(f"${a} {${b}} failed: {exc}") from exc
    return [r for r in results if r.get("${c}") is not None]
`;
    default: return `

def parse_${a}_line_${k}(line: str) -> dict:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) < 3:
        raise ValueError(f"expected 3 fields, got {len(parts)}: {line!r}")
    ${a}, ${b}, ${c} = parts[:3]
    return {"${a}": ${a}, "${b}": int(${b}) if ${b}.isdigit() else ${b}, "${c}": ${c} or None}
`;
  }
}

/** kailash-py's shape: a third DataFlow files (~500 lines), two thirds plain Python (~350 lines). */
function writeCorpus(dir, total) {
  const rnd = prng(seed);
  const dfFiles = Math.max(2, Math.round(total / 3));
  const perPackage = 50;
  let written = 0, lines = 0;
  const write = (rel, text) => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    written++;
    lines += lineCount(text);
  };
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "lint-throughput-corpus"\nversion = "0.1.0"\n');
  for (let pkg = 0; written < dfFiles; pkg++) {
    const models = ENTITIES.map((n) => makeModel(rnd, n));
    const base = `svc_${String(pkg).padStart(3, '0')}`;
    write(`${base}/__init__.py`, `"""Service package ${pkg}."""\n`);
    write(`${base}/models.py`, `"""Models of service ${pkg}."""\nimport os\n\nfrom dataflow import DataFlow\n\ndb = DataFlow(os.environ.get("DATABASE_URL", "postgresql://localhost/svc${pkg}"), pool_size=20, pool_max_overflow=30)\n`
      + models.map((m) => '\n\n' + modelSource(m)).join(''));
    for (let i = 0; i < perPackage - 2 && written < dfFiles; i++) {
      const used = [...new Set(Array.from({ length: 3 }, () => pick(rnd, models)))];
      const target = 150 + Math.floor(rnd() * 700);
      let text = `"""Workflows for ${used.map((m) => m.name).join(', ')}."""\nfrom kailash.workflow.builder import WorkflowBuilder\nfrom kailash.runtime.local import LocalRuntime\n\nfrom ${base}.models import db, ${used.map((m) => m.name).join(', ')}\n`;
      // One workflow function in five blocks: kailash-py's DataFlow files are mostly other code
      // (tests, helpers) around their workflows (~0.6 findings per file there).
      for (let k = 0; lineCount(text) < target; k++) text += k % 5 === 0 ? makeFunction(rnd, used, k) : plainBlock(rnd, k);
      write(`${base}/flows/mod_${String(i).padStart(3, '0')}.py`, text);
    }
  }
  for (let q = 0; written < total; q++) {
    const base = `lib/pkg_${String(q).padStart(3, '0')}`;
    write(`${base}/__init__.py`, '');
    for (let i = 0; i < 60 && written < total; i++) {
      const target = 80 + Math.floor(rnd() * 540);
      let text = `"""Utilities ${q}.${i}."""\nimport json\nimport os\nfrom typing import Any, Optional\n`;
      for (let k = 0; lineCount(text) < target; k++) text += plainBlock(rnd, k + i);
      write(`${base}/util_${String(i).padStart(3, '0')}.py`, text);
    }
  }
  return { files: written, lines };
}

/** The .py files dataflow-lint reads under `dir` (its default excludes), with their line count. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'site-packages', '.tox', '.mypy_cache', '.pytest_cache']);
function listPython(dir) {
  const out = [];
  let lines = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name)) walk(full); } else if (e.isFile() && e.name.endsWith('.py')) {
        const st = fs.statSync(full);
        if (st.size > 8 * 1024 * 1024) continue;
        out.push(path.relative(dir, full));
        lines += lineCount(fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(dir);
  return { paths: out.sort(), lines };
}

// ---------------------------------------------------------------- runs

let ruffVersion;
try { ruffVersion = execFileSync('ruff', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { ruffVersion = undefined; }

/**
 * CPU seconds (user + system) of this process's waited-for children, from /proc/self/stat (Linux;
 * undefined elsewhere). Beside wall time because on a shared machine the wall time of a run says
 * as much about the other processes as about it: CPU time does not.
 */
function childCpuSeconds() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime (USER_HZ = 100 on Linux)
  } catch { return undefined; }
}

function timeRun(cmd, args, cwd, env) {
  const c0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = childCpuSeconds();
  if (r.error) throw r.error;
  return { seconds, cpuSeconds: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined, status: r.status, stderr: r.stderr };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const tmp = dirArg ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-lint-throughput-'));
const corpus = dirArg ? path.resolve(dirArg) : path.join(tmp, 'corpus');
let size;
const g0 = Date.now();
if (!dirArg) {
  fs.mkdirSync(corpus, { recursive: true });
  size = writeCorpus(corpus, files);
  log(`generated ${size.files} files, ${size.lines.toLocaleString('en')} lines in ${((Date.now() - g0) / 1000).toFixed(1)} s (${corpus})`);
}
const listed = listPython(corpus);
size = { files: listed.paths.length, lines: listed.lines };
const cpus = os.availableParallelism();
log(`corpus: ${size.files} .py files, ${size.lines.toLocaleString('en')} lines; ${cpus} CPUs; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const configs = [
  { name: 'dataflow-lint --jobs 1', cmd: process.execPath, args: [lintJs, '.', '--format', 'json', '--fail-on', 'never', '--jobs', '1'], env: { DATAFLOW_LINT_TIMINGS: '1' }, ours: true },
  { name: `dataflow-lint (default: --jobs ${cpus})`, cmd: process.execPath, args: [lintJs, '.', '--format', 'json', '--fail-on', 'never'], env: { DATAFLOW_LINT_TIMINGS: '1' }, ours: true },
];
const earlier = opt('earlier');
if (earlier) configs.unshift({ name: 'earlier build (its defaults)', cmd: process.execPath, args: [path.resolve(earlier), '.', '--format', 'json', '--fail-on', 'never'], env: {}, ours: true });
const notes = [];
// Explicit paths: ruff checks exactly these files (no .gitignore or config excludes in between).
const ruffArgs = ['check', '--select', 'ALL', '--no-cache', '--exit-zero', ...listed.paths];
if (ruffVersion) configs.push({ name: `ruff check --select ALL --no-cache (${ruffVersion})`, cmd: 'ruff', args: ruffArgs, env: {}, ruff: true });
else notes.push('ruff is not on PATH: the ruff column is skipped (pip install ruff)');

const results = [];
for (const c of configs) {
  const samples = [];
  const cpu = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = timeRun(c.cmd, c.args, corpus, c.env);
    if (last.status !== 0) { console.error(`${c.name} exited ${last.status}:\n${last.stderr.slice(-2000)}`); process.exit(1); }
    samples.push(last.seconds);
    if (last.cpuSeconds !== undefined) cpu.push(last.cpuSeconds);
  }
  const seconds = median(samples);
  const r = { name: c.name, seconds, samples, cpuSeconds: cpu.length ? median(cpu) : undefined, filesPerSecond: size.files / seconds, linesPerSecond: size.lines / seconds };
  if (c.ours) {
    const t = /timings: threads=(\d+) files=(\d+) (?:chars|bytes)=(\d+) discover\+read=(\d+)ms scan=(\d+)ms analyse=(\d+)ms output=(\d+)ms/.exec(last.stderr);
    if (t) r.breakdown = { threads: +t[1], discoverReadMs: +t[4], scanMs: +t[5], analyseMs: +t[6], outputMs: +t[7] };
    const s = /(\d+) files? checked in \d+ ms: (\d+) errors?, (\d+) warnings?(?:, (\d+) info)?/.exec(last.stderr);
    if (s) r.findings = { files: +s[1], errors: +s[2], warnings: +s[3], info: +(s[4] ?? 0) };
  }
  if (c.ruff) r.ruff = true;
  results.push(r);
}
const ruff = results.find((r) => r.ruff);
// Linux's autogroup scheduling shares CPU between sessions, not threads: on a loaded machine a
// run gets its session's share whatever its number of threads, so only CPU seconds compare.
let autogroup = false;
try { autogroup = fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1'; } catch { /* not Linux */ }
if (autogroup && os.loadavg()[0] > cpus) notes.push(`the kernel shares CPU per session (sched_autogroup_enabled=1) and the load (${os.loadavg()[0].toFixed(1)}) is above the ${cpus} CPUs: more threads get no more CPU here, compare the CPU seconds`);
for (const r of results) {
  if (!ruff || r.ruff) continue;
  r.overRuff = r.seconds / ruff.seconds;
  if (r.cpuSeconds !== undefined && ruff.cpuSeconds) r.cpuOverRuff = r.cpuSeconds / ruff.cpuSeconds;
}
const ours = results.filter((r) => r.findings);
if (ours.some((r) => JSON.stringify(r.findings) !== JSON.stringify(ours[0].findings))) notes.push(`the two dataflow-lint runs disagree: ${JSON.stringify(ours.map((r) => r.findings))}`);

if (asJson) {
  process.stdout.write(JSON.stringify({ corpus: dirArg ? corpus : 'generated', seed, size, cpus, runs, loadAverage: os.loadavg(), results, notes }, null, 2) + '\n');
} else {
  const pad = (s, n) => String(s).padEnd(n);
  log('');
  log(`${pad('run', 58)} ${pad('seconds', 8)} ${pad('files/s', 9)} ${pad('lines/s', 10)} ${pad('over ruff', 10)} ${pad('CPU s', 7)} CPU over ruff's`);
  for (const r of results) {
    const cpu = r.cpuSeconds !== undefined ? r.cpuSeconds.toFixed(1) : '-';
    log(`${pad(r.name, 58)} ${pad(r.seconds.toFixed(2), 8)} ${pad(Math.round(r.filesPerSecond), 9)} ${pad(Math.round(r.linesPerSecond).toLocaleString('en'), 10)} ${pad(r.overRuff !== undefined ? `${r.overRuff.toFixed(2)}x` : r.ruff ? '(baseline)' : '-', 10)} ${pad(cpu, 7)} ${r.cpuOverRuff !== undefined ? `${r.cpuOverRuff.toFixed(2)}x` : ''}`);
    if (r.breakdown) log(`    threads ${r.breakdown.threads}: discover+read ${r.breakdown.discoverReadMs} ms, scan ${r.breakdown.scanMs} ms, analysis ${r.breakdown.analyseMs} ms, output ${r.breakdown.outputMs} ms; ${r.findings ? `${r.findings.errors} errors / ${r.findings.warnings} warnings / ${r.findings.info} info` : ''}`);
  }
  if (ruff) log(`\ntarget: dataflow-lint (default) <= 1.00x ruff's time. Load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}: above the CPU count, wall times mostly measure the other processes; CPU seconds do not.`);
  for (const n of notes) log(`note: ${n}`);
}
if (tmp && !flag('keep')) fs.rmSync(tmp, { recursive: true, force: true });
