#!/usr/bin/env node
// Runs dataflow-run over real projects' files and classifies every outcome, so the runtime's reach
// is measured on code nobody here wrote (the projects stay outside this repository).
// Needs the build (`npm run build`: dist/ and out/).
//
//   node bench/real-projects.mjs [--tests] [--jobs N] [--out FILE.jsonl] PATH...
//
// Each .py file under PATH runs once with its default entry (the __main__ block). With --tests,
// every `test_*` function and `TestX.test_*` method of a file is its own run instead.
// Outcomes: completed (exit 0, at least one workflow ran), passed-no-workflow (a test that passed,
// as pytest would, without executing a workflow), skipped (a test pytest would skip), nothing-ran (exit 0 with no workflow, or
// exit 2 with nothingRun: the file has no __main__ block and no entry was named),
// workflow-failed (exit 1: DataFlow or the Python around it failed), unsupported (exit 2),
// crashed (any other exit or a timeout). The table at the end counts them per folder.
// --argv-map FILE.json: {"relative/path.py": [["cmd", "arg"], ...]} runs such a file once per
// command line given (`dataflow-run FILE -- cmd arg`), for scripts that need one.
// ended-no-execute: a script whose entry ran to its end, exit 0, without executing a workflow.
// --python PY --db URL: every exit-1 run is run again with the real DataFlow (`dataflow-run --python PY
// --db URL`, a throwaway database: it EXECUTES the file); the same error type and first line make it
// failed-as-dataflow (the runtime ended where DataFlow ends), else it stays workflow-failed with the real error.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = path.join(here, '..', 'dist', 'dataflow-run.js');
const argv = process.argv.slice(2);
let tests = false;
let jobs = 2;
let out;
let timeoutS = 60;
let argvMap = {};
let python;
let pythonDb;
const roots = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--tests') tests = true;
  else if (a === '--jobs') jobs = Number(argv[++i]);
  else if (a === '--out') out = argv[++i];
  else if (a === '--timeout') timeoutS = Number(argv[++i]);
  else if (a === '--argv-map') argvMap = JSON.parse(fs.readFileSync(argv[++i], 'utf8'));
  else if (a === '--python') python = argv[++i];
  else if (a === '--db') pythonDb = argv[++i];
  else roots.push(a);
}
if (!roots.length || (python && !pythonDb)) {
  console.error('usage: node bench/real-projects.mjs [--tests] [--jobs N] [--out FILE.jsonl] [--timeout S] [--argv-map FILE.json] [--python PY --db URL] PATH...');
  process.exit(2);
}

function pyFiles(p) {
  const st = fs.statSync(p);
  if (st.isFile()) return p.endsWith('.py') ? [p] : [];
  const outFiles = [];
  for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === '__pycache__') continue;
    outFiles.push(...pyFiles(path.join(p, e.name)));
  }
  return outFiles;
}

function runOne(file, entry, fileArgv, engine = []) {
  return new Promise((resolve) => {
    const target = entry ? `${file}:${entry}` : file;
    const child = spawn(process.execPath, [cli, target, '--json', '--timeout', String(timeoutS), ...engine, ...(fileArgv ? ['--', ...fileArgv] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 30) * 1000);
    child.on('close', (code) => {
      clearTimeout(killer);
      let doc;
      try { doc = JSON.parse(stdout); } catch { /* not JSON */ }
      resolve({ file, entry: entry ?? null, code, doc, stderr: stderr.slice(-600) });
    });
  });
}

function classify(r) {
  const d = r.doc;
  if (!d) return { outcome: 'crashed', detail: `exit ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}` };
  const runs = d.runs?.length ?? 0;
  const err = d.error ? `${d.error.type}: ${String(d.error.message).split('\n')[0].slice(0, 140)}` : '';
  if (d.nothingRun) return { outcome: 'nothing-ran', detail: `no entry point named; entry points: ${(d.entryPoints ?? []).join(', ')}`.slice(0, 140) };
  if (r.code === 0 && runs) return { outcome: 'completed', detail: `${runs} run(s)` };
  // A test run as pytest would that passed without executing a workflow ran to its end too.
  if (r.code === 0 && d.test?.outcome === 'passed') return { outcome: 'passed-no-workflow', detail: 'the test passed; it runs no workflow' };
  if (r.code === 0 && d.test?.outcome === 'skipped') return { outcome: 'skipped', detail: d.test.reason ?? '' };
  if (r.code === 0 && !d.test) return { outcome: 'ended-no-execute', detail: 'the entry ran to its end without executing a workflow' };
  if (r.code === 0) return { outcome: 'nothing-ran', detail: (d.notes ?? []).join(' ').slice(0, 140) };
  if (r.code === 1) return { outcome: 'workflow-failed', detail: err, runs };
  if (r.code === 2) return { outcome: 'unsupported', detail: err, runs };
  return { outcome: 'crashed', detail: `exit ${r.code} ${err}` };
}

/**
 * A file's tests, read statically by the evaluator's own entry-point lister (the one behind the
 * editor's code lenses): `test_*` functions and `TestX.test_*` methods, fixtures left out.
 */
async function testEntries(text) {
  const { listEntryPoints } = require(path.join(here, '..', 'out', 'server', 'src', 'runtime', 'python', 'evaluate.js'));
  const eps = await listEntryPoints(text);
  const notFixture = (e) => !e.decorators.some((d) => /\bfixture\b/.test(d));
  return [
    ...eps.functions.filter((f) => /^test_/.test(f.name) && notFixture(f)).map((f) => f.name),
    ...eps.methods.filter((m) => /^Test/.test(m.className) && /^test_/.test(m.name) && notFixture(m)).map((m) => `${m.className}.${m.name}`),
  ];
}

const work = [];
for (const root of roots) {
  for (const f of pyFiles(root)) {
    const text = fs.readFileSync(f, 'utf8');
    const workflows = /WorkflowBuilder\s*\(|\.express(_sync)?\.\w+\(/.test(text);
    if (tests) for (const e of await testEntries(text)) work.push({ root, file: f, entry: e, workflows });
    else {
      const lines = argvMap[path.relative(process.cwd(), f)];
      if (lines) for (const fileArgv of lines) work.push({ root, file: f, workflows, argv: fileArgv });
      else work.push({ root, file: f, workflows });
    }
  }
}

/** The first line of an error's message; a library file's path is kept from its package root on (installations differ). */
const firstLine = (e) => (e ? `${e.type}: ${String(e.message).split('\n')[0]}`.replace(/\/[^\s()'"]*\/((?:kailash|dataflow)\/[^\s()'"]+\.py)/g, '$1') : '');

/** Runs an exit-1 run again with the real DataFlow (one at a time: they share the database) and says whether it ends the same way. */
let pythonQueue = Promise.resolve();
async function compareWithDataFlow(w, r, c) {
  const turn = pythonQueue.then(() => runOne(w.file, w.entry, w.argv, ['--python', python, '--db', pythonDb]));
  pythonQueue = turn.then(() => undefined);
  const real = await turn;
  const theirs = real.doc?.error;
  if (real.code === 1 && firstLine(theirs) === firstLine(r.doc.error)) return { ...c, outcome: 'failed-as-dataflow' };
  return { ...c, detail: `${c.detail} | real DataFlow: ${theirs ? firstLine(theirs).slice(0, 140) : `exit ${real.code}`}` };
}

const results = [];
const sink = out ? fs.createWriteStream(out) : undefined;
let next = 0;
async function worker() {
  while (next < work.length) {
    const w = work[next++];
    const r = await runOne(w.file, w.entry, w.argv);
    let c = classify(r);
    if (python && c.outcome === 'workflow-failed') c = await compareWithDataFlow(w, r, c);
    const row = { root: w.root, file: path.relative(process.cwd(), w.file), entry: w.entry ?? (w.argv ? `-- ${w.argv.join(' ')}` : null), workflows: w.workflows, exit: r.code, ...c };
    results.push(row);
    sink?.write(JSON.stringify(row) + '\n');
    process.stderr.write(`${row.outcome.padEnd(16)} ${row.file}${row.entry ? ':' + row.entry : ''}  ${row.detail}\n`);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
sink?.end();

const outcomes = ['completed', 'passed-no-workflow', 'ended-no-execute', 'failed-as-dataflow', 'skipped', 'nothing-ran', 'workflow-failed', 'unsupported', 'crashed'];
console.log(`\n${'folder'.padEnd(40)} ${outcomes.map((o) => o.padStart(18)).join(' ')} ${'total'.padStart(6)}`);
for (const root of roots) {
  const rows = results.filter((r) => r.root === root);
  console.log(`${root.slice(-40).padEnd(40)} ${outcomes.map((o) => String(rows.filter((r) => r.outcome === o).length).padStart(18)).join(' ')} ${String(rows.length).padStart(6)}`);
}
const withWf = results.filter((r) => r.workflows);
const pct = (n) => (withWf.length ? Math.round((100 * n) / withWf.length) : 0);
const toEnd = withWf.filter((r) => ['completed', 'passed-no-workflow', 'ended-no-execute'].includes(r.outcome)).length;
const asDataFlow = toEnd + withWf.filter((r) => r.outcome === 'failed-as-dataflow').length;
console.log(`\nruns of files that build workflows or call express: ${withWf.length}; ran to the end ${toEnd} (${pct(toEnd)} %: completed with workflows, tests that passed without one, scripts that ended without executing one)` +
  (python ? `; ended where the real DataFlow ends ${asDataFlow} (${pct(asDataFlow)} %: those and the exit-1s the real DataFlow gives too)` : '') + ', ' +
  outcomes.map((o) => `${o} ${withWf.filter((r) => r.outcome === o).length}`).join(', '));
