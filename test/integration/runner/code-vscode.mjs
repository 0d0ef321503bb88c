#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
//
// It accepts the command line a desktop VS Code gets from runTests (--extensionDevelopmentPath=,
// --extensionTestsPath=, a workspace folder, --disable-extensions, --user-data-dir, ...), and runs
// the extension tests in the real VS Code 1.100.3 workbench of code-server (test-env/), shown by
// headless Debian Chromium through playwright-core. The extension host is a real Node extension
// host; the test module's run() is awaited there, and the workbench reports the exit code through
// window.codeAutomationExit, which becomes this process's exit code.
//
// Environment (all optional):
//   DATAFLOW_TEST_TIMEOUT_MS   overall time limit, default 600000 (10 min); exit code 124 when hit
//   DATAFLOW_TEST_VSIX         a .vsix to install into the fresh extensions dir; the tests then run
//                              against the INSTALLED extension (an extensionDevelopmentPath holding
//                              that same extension is ignored; other ones load beside it)
//   DATAFLOW_TEST_SCREENSHOT   save a PNG of the workbench here when the tests end (also on timeout)
//   DATAFLOW_UI_CHECK          an ES module: its named exports are UI checks a test can call while
//                              it runs (see ui-bridge.cjs); its default export, if any, is called
//                              with { page, ... } after the tests, before the browser closes
//   DATAFLOW_TEST_SETTINGS     JSON object merged into the fresh profile's User/settings.json
//   DATAFLOW_TEST_LOGS_DIR     keep code-server's output and the workbench logs in this folder
//   DATAFLOW_TEST_VERBOSE=1    also relay code-server's output and browser console errors
//   DATAFLOW_TEST_KEEP_TMP=1   keep the temporary HOME / profile folder (printed at the end)
//   DATAFLOW_TEST_USE_PROFILE_DIRS=1  honour --user-data-dir / --extensions-dir instead of fresh
//                              temporary ones (runTests passes <cwd>/.vscode-test/... by default)
//   DATAFLOW_TEST_ENV_DIR      where test-env/ is installed, default <repo>/test-env
//   CHROMIUM_PATH              browser executable, default /usr/bin/chromium
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, inspect } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TAG = '[code-vscode]';
const VSCODE_VERSION = '1.100.3';
const T0 = Date.now();

// If our stdout/stderr go away (the parent died), stop writing instead of failing on EPIPE.
let outputBroken = false;
for (const st of [process.stdout, process.stderr]) st.on('error', () => { outputBroken = true; });
function out(stream, text) {
  if (!outputBroken) {
    try { stream.write(text); } catch { outputBroken = true; }
  }
}
function info(msg) {
  out(process.stdout, `${TAG} ${msg}\n`);
}
function warn(msg) {
  out(process.stderr, `${TAG} ${msg}\n`);
}
function elapsed() {
  return `${((Date.now() - T0) / 1000).toFixed(1)}s`;
}

// ------------------------------------------------------------------ command line
// runTests() always passes flags as --name=value; for the flags we know we also accept
// "--name value". Unknown flags are ignored (they must use the --name=value form, or their value
// would be taken for the workspace folder).
const VALUE_FLAGS = new Set([
  'extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir',
  'folder-uri', 'file-uri', 'locale', 'log', 'extensionDevelopmentKind',
]);
function parseArgs(argv) {
  const out = { devPaths: [], positional: [], flags: new Set(), ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(a);
    const name = m[1];
    let value = m[2];
    if (value === undefined && VALUE_FLAGS.has(name) && i + 1 < argv.length) value = argv[++i];
    switch (name) {
      case 'extensionDevelopmentPath': out.devPaths.push(value); break;
      case 'extensionTestsPath': out.testsPath = value; break;
      case 'user-data-dir': out.userDataDir = value; break;
      case 'extensions-dir': out.extensionsDir = value; break;
      case 'folder-uri': out.folderUri = value; break;
      case 'disable-extensions': out.flags.add('disable-extensions'); break;
      case 'version': case 'v': out.flags.add('version'); break;
      case 'help': case 'h': out.flags.add('help'); break;
      default: out.ignored.push(a);
    }
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
if (args.flags.has('version')) {
  process.stdout.write(`${VSCODE_VERSION}\ncode-server 4.100.3 (test runner stand-in)\nx64\n`);
  process.exit(0);
}
if (args.flags.has('help')) {
  process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0] + '\n');
  process.exit(0);
}

function fail(msg, code = 2) {
  warn(`ERROR: ${msg}`);
  process.exit(code);
}

// ------------------------------------------------------------------ environment checks
const env = process.env;
const TEST_ENV = path.resolve(env.DATAFLOW_TEST_ENV_DIR || path.join(HERE, '..', '..', '..', 'test-env'));
const CHROMIUM = env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT_MS = Number(env.DATAFLOW_TEST_TIMEOUT_MS || 600_000);
const VERBOSE = env.DATAFLOW_TEST_VERBOSE === '1';
const CS_ENTRY = path.join(TEST_ENV, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const INSTALL_HINT = `run: bash ${path.relative(process.cwd(), path.join(TEST_ENV, 'install.sh')) || 'test-env/install.sh'}`;

if (!fs.existsSync(CS_ENTRY) || !fs.existsSync(path.join(TEST_ENV, 'node_modules', 'playwright-core'))) {
  fail(`the test environment is not installed (${CS_ENTRY} missing); ${INSTALL_HINT}`);
}
if (!fs.existsSync(CHROMIUM)) {
  fail(`Chromium not found at ${CHROMIUM} (Debian package "chromium"); ${INSTALL_HINT}, or set CHROMIUM_PATH`);
}
if (!Number.isFinite(TIMEOUT_MS) || TIMEOUT_MS <= 0) fail(`bad DATAFLOW_TEST_TIMEOUT_MS=${env.DATAFLOW_TEST_TIMEOUT_MS}`);
if (process.versions.node.split('.')[0] !== '20') {
  warn(`warning: code-server 4.100.3 is built for Node 20; this is Node ${process.versions.node}`);
}

const VSIX = env.DATAFLOW_TEST_VSIX ? path.resolve(env.DATAFLOW_TEST_VSIX) : undefined;
if (VSIX && !fs.existsSync(VSIX)) fail(`DATAFLOW_TEST_VSIX=${VSIX} does not exist`);
if (!args.testsPath) fail('--extensionTestsPath=<test module> is required');
const testsPath = path.resolve(args.testsPath);
if (!['', '.js', '.cjs', '/index.js'].some((s) => fs.existsSync(testsPath + s))) {
  fail(`extensionTestsPath ${testsPath} does not exist (nor .js / /index.js)`);
}
const devPaths = args.devPaths.filter(Boolean).map((p) => path.resolve(p));
for (const p of devPaths) {
  if (!VSIX && !fs.existsSync(path.join(p, 'package.json'))) fail(`extensionDevelopmentPath ${p} has no package.json`);
}
let workspace;
if (args.folderUri) workspace = fileURLToPath(args.folderUri);
else if (args.positional.length) workspace = path.resolve(args.positional[0]);
if (workspace && !fs.existsSync(workspace)) fail(`workspace folder ${workspace} does not exist`);
if (args.ignored.length && VERBOSE) info(`ignoring flags: ${args.ignored.join(' ')}`);

// ------------------------------------------------------------------ state + cleanup
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dfv-'));
const dirs = {
  home: path.join(tmpRoot, 'home'),
  config: path.join(tmpRoot, 'xdg-config'),
  data: path.join(tmpRoot, 'xdg-data'),
  cache: path.join(tmpRoot, 'xdg-cache'),
  state: path.join(tmpRoot, 'xdg-state'),
  // VS Code puts vscode-ipc-<uuid>.sock (52 chars) here: a unix socket path must stay < 108.
  runtime: path.join(tmpRoot, 'run').length + 53 < 108 ? path.join(tmpRoot, 'run') : fs.mkdtempSync('/tmp/dfv-run-'),
  userData: env.DATAFLOW_TEST_USE_PROFILE_DIRS === '1' && args.userDataDir ? path.resolve(args.userDataDir) : path.join(tmpRoot, 'user-data'),
  extensions: env.DATAFLOW_TEST_USE_PROFILE_DIRS === '1' && args.extensionsDir ? path.resolve(args.extensionsDir) : path.join(tmpRoot, 'extensions'),
  devStub: path.join(tmpRoot, 'no-extension-under-development'),
  tmp: path.join(tmpRoot, 't'),
  logs: env.DATAFLOW_TEST_LOGS_DIR ? path.resolve(env.DATAFLOW_TEST_LOGS_DIR) : path.join(tmpRoot, 'logs'),
};
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
const csConfig = path.join(dirs.config, 'code-server.yaml');
fs.writeFileSync(csConfig, 'auth: none\ncert: false\n');

const childEnv = {
  ...env,
  HOME: dirs.home,
  XDG_CONFIG_HOME: dirs.config,
  XDG_DATA_HOME: dirs.data,
  XDG_CACHE_HOME: dirs.cache,
  XDG_STATE_HOME: dirs.state,
  XDG_RUNTIME_DIR: dirs.runtime,
  TMPDIR: dirs.tmp,
  EXTENSIONS_GALLERY: '{}',
};
// Playwright's browser profile and Chromium's own temporary files go there too (os.tmpdir()).
process.env.TMPDIR = dirs.tmp;
// Do not let a parent VS Code / code-server session leak into ours.
for (const k of Object.keys(childEnv)) {
  if (/^(VSCODE_(?!OPTIONS$)|ELECTRON_RUN_AS_NODE$|CODE_SERVER_)/.test(k)) delete childEnv[k];
}
delete childEnv.PASSWORD;
delete childEnv.HASHED_PASSWORD;
delete childEnv.PORT;

let server; // code-server ChildProcess
let browser; // playwright Browser
let bridge; // http.Server for UI checks
let cleaning;
let serverGone = false; // set once the whole code-server process group is confirmed dead
let serverLog = '';
const serverLogFile = path.join(dirs.logs, 'code-server.log');

function descendants(rootPid) {
  // pid -> ppid from /proc, to catch anything that left the process group.
  const children = new Map();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(e));
    } catch {}
  }
  const out = [];
  const todo = [rootPid];
  while (todo.length) {
    const p = todo.pop();
    for (const c of children.get(p) || []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function killServer() {
  if (!server || server.pid === undefined) return;
  const pid = server.pid;
  const pids = [pid, ...descendants(pid)];
  const signalAll = (sig) => {
    try { process.kill(-pid, sig); } catch {}
    for (const p of pids) { try { process.kill(p, sig); } catch {} }
  };
  signalAll('SIGTERM');
  for (let i = 0; i < 30 && pids.some(alive); i++) await sleep(100);
  if (pids.some(alive)) signalAll('SIGKILL');
  for (let i = 0; i < 20 && pids.some(alive); i++) await sleep(50);
  const left = pids.filter(alive);
  if (left.length) warn(`processes still alive after SIGKILL: ${left.join(' ')}`);
  else serverGone = true;
}

async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    if (bridge) bridge.close();
    if (browser) {
      await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
    }
    await killServer();
    if (env.DATAFLOW_TEST_LOGS_DIR) {
      try { fs.writeFileSync(serverLogFile, serverLog); } catch {}
    }
    if (env.DATAFLOW_TEST_KEEP_TMP === '1') info(`kept ${tmpRoot}`);
    else fs.rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
    if (!dirs.runtime.startsWith(tmpRoot)) fs.rmSync(dirs.runtime, { recursive: true, force: true });
  })();
  return cleaning;
}

let finishing;
async function finish(code, why) {
  if (finishing) return finishing; // the first reason wins
  finishing = (async () => {
    if (why) (code === 0 ? info : warn)(why);
    await cleanup();
    info(`exit ${code} after ${elapsed()}`);
    process.exit(code);
  })();
  return finishing;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => finish(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129, `received ${sig}, stopping`));
}
process.on('uncaughtException', (e) => finish(1, `internal error: ${e && e.stack || e}`));
process.on('unhandledRejection', (e) => finish(1, `internal error: ${e && e.stack || e}`));
// Last resort if something calls process.exit without cleanup: kill the group synchronously.
process.on('exit', () => {
  if (server && server.pid && !serverGone) {
    try { process.kill(-server.pid, 'SIGKILL'); } catch {}
  }
});

// If whoever started us dies (e.g. runTests' process was SIGKILLed), stop too rather than run on.
const parentPid = process.ppid;
if (parentPid > 1) {
  setInterval(() => {
    if (process.ppid !== parentPid) finish(129, `parent process ${parentPid} is gone, stopping`);
  }, 1000).unref();
}

let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  onTimeout().catch(() => {}).finally(() => finish(124, `timed out after ${TIMEOUT_MS} ms (DATAFLOW_TEST_TIMEOUT_MS)`));
}, TIMEOUT_MS);
timer.unref();
let page;
async function onTimeout() {
  if (page && env.DATAFLOW_TEST_SCREENSHOT) await saveScreenshot(page);
}

// ------------------------------------------------------------------ helpers
function codeServerArgs(extra) {
  return [
    CS_ENTRY,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config', csConfig,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...extra,
  ];
}

/** publisher.name of the extension in a folder, lower case as installed folders are named; undefined without a manifest. */
function extensionId(dir) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return `${m.publisher}.${m.name}`.toLowerCase();
  } catch {
    return undefined;
  }
}

function installVsix(file) {
  info(`installing ${file} into ${dirs.extensions}`);
  const r = spawnSync(process.execPath, codeServerArgs(['--install-extension', file, '--force']), {
    env: childEnv, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL',
  });
  const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
  if (output) out(process.stdout, output.replace(/^/gm, `${TAG} | `) + '\n');
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.error || `exit ${r.status}`})`);
  const installed = fs.readdirSync(dirs.extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  if (!installed.length) throw new Error(`no extension appeared in ${dirs.extensions}`);
  return installed;
}

function writeSettings() {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'npm.autoDetect': 'off',
    'typescript.tsserver.enable': false,
  };
  if (env.DATAFLOW_TEST_SETTINGS) Object.assign(settings, JSON.parse(env.DATAFLOW_TEST_SETTINGS));
  const userDir = path.join(dirs.userData, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  const file = path.join(userDir, 'settings.json');
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, codeServerArgs(['--bind-addr', '127.0.0.1:0']), {
      env: childEnv, cwd: workspace || dirs.home, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let settled = false;
    const startTimer = setTimeout(() => {
      if (!settled) { settled = true; reject(new Error(`code-server did not report its port within 90 s:\n${serverLog}`)); }
    }, 90_000);
    const onData = (chunk) => {
      const s = chunk.toString();
      serverLog += s;
      if (serverLog.length > 4_000_000) serverLog = serverLog.slice(-2_000_000);
      if (VERBOSE) out(process.stdout, s.replace(/^(?=.)/gm, '[code-server] '));
      const m = /HTTP server listening on https?:\/\/[^\s:]+:(\d+)/.exec(serverLog);
      if (m && !settled) {
        settled = true;
        clearTimeout(startTimer);
        resolve(Number(m[1]));
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', (e) => {
      if (!settled) { settled = true; clearTimeout(startTimer); reject(e); }
    });
    server.on('exit', (code, sig) => {
      server.exited = { code, sig };
      if (!settled) { settled = true; clearTimeout(startTimer); reject(new Error(`code-server exited (${code ?? sig}) before listening:\n${serverLog}`)); }
    });
  });
}

function remoteUri(authority, p) {
  return `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
}

async function saveScreenshot(pg) {
  const file = path.resolve(env.DATAFLOW_TEST_SCREENSHOT);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await pg.screenshot({ path: file, timeout: 15_000 });
    info(`screenshot saved: ${file}`);
  } catch (e) {
    warn(`screenshot failed: ${e.message}`);
  }
}

let uiModule;
async function loadUiModule() {
  if (!env.DATAFLOW_UI_CHECK) return undefined;
  if (!uiModule) uiModule = await import(pathToFileURL(path.resolve(env.DATAFLOW_UI_CHECK)).href);
  return uiModule;
}

// A tiny HTTP endpoint the tests reach through env DATAFLOW_UI_BRIDGE (see ui-bridge.cjs): a test
// POSTs {check, args}; the runner runs that UI check against the live workbench page and answers
// {ok, result} or {ok: false, error}. Built-in checks: "screenshot" {path}, "ping".
function startBridge(ctx) {
  const token = randomBytes(12).toString('hex');
  bridge = http.createServer((req, res) => {
    const reply = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (req.method !== 'POST' || req.url !== `/${token}/check`) return reply(404, { ok: false, error: 'not found' });
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      try {
        const { check, args: checkArgs = {} } = JSON.parse(body || '{}');
        let result;
        if (!ctx.page) throw new Error('the workbench page is not open yet');
        if (check === 'ping') result = 'pong';
        else if (check === 'screenshot') {
          const file = path.resolve(checkArgs.path || path.join(dirs.logs, `screenshot-${Date.now()}.png`));
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await ctx.page.screenshot({ path: file, timeout: 15_000 });
          result = file;
        } else {
          const mod = await loadUiModule();
          if (!mod) throw new Error(`UI check "${check}" requested but DATAFLOW_UI_CHECK is not set`);
          const fn = mod[check];
          if (typeof fn !== 'function' || check === 'default') throw new Error(`${env.DATAFLOW_UI_CHECK} has no export named "${check}"`);
          result = await fn({ ...ctx, args: checkArgs });
        }
        reply(200, { ok: true, result: result === undefined ? null : result });
      } catch (e) {
        reply(200, { ok: false, error: String(e && e.stack || e) });
      }
    });
  });
  return new Promise((resolve, reject) => {
    bridge.on('error', reject);
    bridge.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${bridge.address().port}/${token}`));
  });
}

// Workbench housekeeping messages that say nothing about the tests (shown with VERBOSE=1).
const NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore: Migrating|Creation of workbench contribution|Started local extension host|Extension host agent started)/;

function relay(type, argsIn) {
  if (env.DATAFLOW_TEST_RAWLOG === '1') out(process.stdout, `RAW ${type} ${JSON.stringify(argsIn)}\n`);
  // The extension host's console calls arrive as [format, ...args] (e.g. mocha's
  // ["  %d passing (%s)", 4, "2s"]); format them like Node's console does, so that a line such as
  // "N passed, N failed" reaches stdout alone on its line.
  const parts = Array.isArray(argsIn) ? argsIn : [argsIn];
  const text = parts.length && typeof parts[0] === 'string' ? format(...parts) : parts.map((a) => inspect(a)).join(' ');
  if (!VERBOSE && NOISE.test(text)) return;
  const stream = type === 'error' || type === 'warn' ? process.stderr : process.stdout;
  out(stream, text.endsWith('\n') ? text : text + '\n');
}

// ------------------------------------------------------------------ main
async function main() {
  const require = createRequire(path.join(TEST_ENV, 'package.json'));
  const { chromium } = require('playwright-core');

  let mode = 'development';
  let devForPayload = devPaths;
  if (VSIX) {
    const installed = installVsix(VSIX);
    info(`installed: ${installed.join(', ')}`);
    mode = 'vsix';
    // The extension host runs tests only in "extension development" mode (it refuses to load a
    // test runner without an extensionDevelopmentPath), so point that at an empty folder: no
    // extension is under development, and the installed extension is the one that runs. Other
    // extensions given with --extensionDevelopmentPath (not the installed one) load beside it.
    devForPayload = devPaths.filter((p) => !installed.some((dir) => dir.startsWith(`${extensionId(p)}-`)));
    if (!devForPayload.length) devForPayload = [dirs.devStub];
  }
  if (!devForPayload.length) devForPayload = [dirs.devStub];
  writeSettings();

  const ctx = { page: undefined, port: undefined, workspace, tmpRoot, logsDir: dirs.logs, mode };
  const bridgeUrl = await startBridge(ctx);
  childEnv.DATAFLOW_UI_BRIDGE = bridgeUrl;

  info(`starting code-server (VS Code ${VSCODE_VERSION}), mode=${mode}, workspace=${workspace || '(none)'}`);
  const port = await startServer();
  ctx.port = port;
  const authority = `127.0.0.1:${port}`;
  info(`code-server listening on ${authority} after ${elapsed()}`);
  server.on('exit', (code, sig) => {
    if (!cleaning) finish(1, `code-server exited unexpectedly (${code ?? sig}); last output:\n${serverLog.slice(-4000)}`);
  });

  const payload = [
    ...devForPayload.map((p) => ['extensionDevelopmentPath', remoteUri(authority, p)]),
    ['extensionTestsPath', remoteUri(authority, testsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (args.flags.has('disable-extensions') && !VSIX) payload.push(['disableExtensions', 'true']);
  const query = new URLSearchParams();
  if (workspace && workspace.endsWith('.code-workspace')) query.set('workspace', workspace);
  else if (workspace) query.set('folder', workspace);
  else query.set('ew', 'true');
  query.set('payload', JSON.stringify(payload));
  const url = `http://${authority}/?${query.toString()}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // We handle the signals ourselves: playwright's handlers would exit before code-server is
    // stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--disable-crash-reporter',
    ],
    env: childEnv,
    timeout: 60_000,
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  ctx.page = page;

  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    try { relay(type, logArgs); } catch (e) { warn(`log relay failed: ${e}`); }
  });
  await page.exposeFunction('codeAutomationExit', async (code, logs) => {
    try {
      for (const log of logs || []) {
        const file = path.join(dirs.logs, 'workbench', log.relativePath);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, log.contents);
      }
    } catch (e) {
      warn(`could not save workbench logs: ${e}`);
    }
    resolveExit(code);
  });
  page.on('pageerror', (e) => { if (VERBOSE) warn(`page error: ${e.message}`); });
  page.on('console', (m) => { if (VERBOSE && m.type() === 'error') warn(`browser console: ${m.text()}`); });
  page.on('crash', () => finish(1, 'the workbench page crashed'));

  info(`opening the workbench: http://${authority}/?folder=...&payload=...`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 90_000 });

  const code = await exited;
  info(`tests finished with exit code ${code} after ${elapsed()}`);
  let finalCode = typeof code === 'number' ? code : 1;

  if (env.DATAFLOW_TEST_SCREENSHOT) await saveScreenshot(page);
  const mod = await loadUiModule().catch((e) => {
    warn(`cannot load DATAFLOW_UI_CHECK: ${e.stack || e}`);
    finalCode = finalCode || 1;
  });
  if (mod && typeof mod.default === 'function') {
    info(`running the final UI check ${env.DATAFLOW_UI_CHECK}`);
    try {
      await mod.default({ ...ctx, exitCode: code });
      info('final UI check passed');
    } catch (e) {
      warn(`final UI check failed: ${e && e.stack || e}`);
      finalCode = finalCode || 1;
    }
  }
  if (finalCode !== 0) info(`logs: ${env.DATAFLOW_TEST_LOGS_DIR ? dirs.logs : 'set DATAFLOW_TEST_LOGS_DIR=<dir> to keep code-server and workbench logs'}`);
  await finish(finalCode);
}

main().catch((e) => {
  if (!timedOut) finish(1, `ERROR: ${e && e.stack || e}`);
});
