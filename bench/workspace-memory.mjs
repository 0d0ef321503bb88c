#!/usr/bin/env node
// The language server's memory on a large workspace (issue 12 target 3, issue 13 §1): the server
// scans a generated DataFlow project of N files (default 20,000: models.py plus workflow modules,
// every file a DataFlow file, so a worst case), then a 10,000-line file is opened and analysed. Printed
// beside the floor measured in the same run: a Node process that only loads tree-sitter and the
// Python grammar and parses that one 10,000-line file. RSS is read from /proc (VmRSS now, VmHWM the
// peak). Needs the build (dist/server.js).
//
//   node bench/workspace-memory.mjs [--files 20000] [--server dist/server.js] [--keep]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { generateFile, generateProject, writeProject } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
// The node options the extension starts the server with (needs the tsc build, out/).
const { SERVER_EXEC_ARGV, serverEnvironment } = require(path.join(here, '..', 'out', 'server', 'src', 'protocol', 'serverProcess.js'));
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : def; };
const files = Number(opt('files', '20000'));
const serverJs = path.resolve(opt('server', path.join(here, '..', 'dist', 'server.js')));

/** VmRSS and VmHWM of a process, in MiB. */
function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-workspace-memory-'));
const project = path.join(tmp, 'project');
const t0 = Date.now();
writeProject(project, generateProject({ files, seed: 7 }));
const bigText = generateFile({ lines: 10000, seed: 3 });
const bigPath = path.join(tmp, 'open', 'big.py');
fs.mkdirSync(path.dirname(bigPath), { recursive: true });
fs.writeFileSync(bigPath, bigText);
const bytes = Object.values(generateProject({ files: Math.min(files, 50), seed: 7 })).reduce((a, t) => a + t.length, 0) / Math.min(files, 50);
console.log(`workspace: ${files} generated DataFlow files (~${Math.round((bytes * files) / 1048576)} MB of Python) written in ${Date.now() - t0} ms`);

// The floor: Node + tree-sitter + the Python grammar, parsing the same 10,000-line file once.
async function floor() {
  const script = `
    const { initPython, createPythonParser } = require(${JSON.stringify(path.join(here, '..', 'out', 'server', 'src', 'syntax', 'parser.js'))});
    initPython().then(() => {
      const tree = createPythonParser().parse(require('fs').readFileSync(${JSON.stringify(bigPath)}, 'utf8'));
      process.stdout.write(String(tree.rootNode.childCount));
      setTimeout(() => {}, 60000);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.once('data', r));
  const m = memoryOf(child.pid);
  child.kill('SIGKILL');
  return m;
}

async function server() {
  const proc = spawn(process.execPath, [...SERVER_EXEC_ARGV, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: tmp, env: serverEnvironment() });
  proc.stderr.resume();
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let indexed;
  const scanned = new Promise((resolve) => { indexed = resolve; });
  const logs = [];
  conn.onNotification('window/logMessage', (p) => {
    logs.push(p.message);
    if (/^indexed \d+ Python files|workspace scan failed/.test(p.message)) indexed(p.message);
  });
  let published;
  const diagnostics = new Promise((resolve) => { published = resolve; });
  const bigUri = pathToFileURL(bigPath).toString();
  // A small file opened while the scan runs: how long until its first diagnostics (issue 13: <= 1 s).
  const smallPath = path.join(tmp, 'open', 'during_scan.py');
  const smallText = generateFile({ lines: 200, seed: 5 });
  fs.writeFileSync(smallPath, smallText);
  const smallUri = pathToFileURL(smallPath).toString();
  let smallOpened = 0;
  let smallPublished;
  const smallDiagnostics = new Promise((resolve) => { smallPublished = resolve; });
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri === bigUri) published(p.diagnostics.length);
    if (p.uri === smallUri && smallOpened) smallPublished({ ms: Date.now() - smallOpened, count: p.diagnostics.length });
  });
  conn.onNotification(() => {});
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(project).toString(), name: 'project' }]);
  conn.listen();
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r(`exit ${code ?? signal}`)));
  const started = Date.now();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(project).toString(),
    workspaceFolders: [{ uri: pathToFileURL(project).toString(), name: 'project' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true, workspaceFolders: true } },
  });
  await conn.sendNotification('initialized', {});
  // Half-way through the scan (by the scan time of a previous run, else 5 s in): open the small file.
  await Promise.race([scanned, new Promise((r) => setTimeout(r, Number(opt('open-after-ms', '5000'))))]);
  const scanRunning = !logs.some((m) => /^indexed \d+ Python files/.test(m));
  smallOpened = Date.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: smallUri, languageId: 'python', version: 1, text: smallText } });
  const during = await Promise.race([smallDiagnostics, exited, new Promise((r) => setTimeout(() => r('no diagnostics within 60 s'), 60000))]);
  const scan = await Promise.race([scanned, exited]);
  const scanMs = Date.now() - started;
  const afterScan = memoryOf(proc.pid);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'python', version: 1, text: bigText } });
  const count = await Promise.race([diagnostics, exited, new Promise((r) => setTimeout(() => r('no diagnostics within 120 s'), 120000))]);
  const afterOpen = memoryOf(proc.pid);
  try { await conn.sendRequest('shutdown'); await conn.sendNotification('exit'); } catch { /* killed below */ }
  setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
  await exited;
  return { scan, scanMs, afterScan, afterOpen, count, during, scanRunning };
}

const f = await floor();
const s = await server();
const mib = (x) => `${Math.round(x)} MiB`;
console.log(`floor (node + tree-sitter + grammar, the 10,000-line file parsed): RSS ${mib(f.rss)}, peak ${mib(f.peak)}`);
console.log(`server: ${s.scan} (${s.scanMs} ms after start)`);
console.log(`  a 200-line file opened ${s.scanRunning ? 'during' : 'after (!)'} the scan: ${typeof s.during === 'object' ? `first diagnostics (${s.during.count}) after ${s.during.ms} ms` : s.during} (target <= 1000 ms)`);
console.log(`  after the scan:                      RSS ${mib(s.afterScan.rss)} (${(s.afterScan.rss / f.rss).toFixed(1)}× the floor), peak ${mib(s.afterScan.peak)}`);
console.log(`  10,000-line file open (${typeof s.count === 'number' ? `${s.count} diagnostics` : s.count}): RSS ${mib(s.afterOpen.rss)} (${(s.afterOpen.rss / f.rss).toFixed(1)}× the floor), peak ${mib(s.afterOpen.peak)}`);
console.log(`  target (issue 12): <= 400 MiB for a 20,000-file workspace ${s.afterOpen.peak <= 400 ? '✓' : '✗'}`);
if (!argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`kept ${tmp}`);
