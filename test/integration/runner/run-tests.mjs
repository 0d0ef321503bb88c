#!/usr/bin/env node
// Standard entry for the extension's integration tests: @vscode/test-electron's runTests(), with
// vscodeExecutablePath pointing at code-vscode.mjs (VS Code 1.100.3 from code-server, shown by
// headless Debian Chromium) because no desktop VS Code can be downloaded on these machines.
//
//   node test/integration/runner/run-tests.mjs --extension <dir> --tests <module> [options]
//     --extension <dir>      extensionDevelopmentPath (the folder with the extension's package.json)
//     --tests <module>       extensionTestsPath (a CommonJS module exporting run(), see README.md)
//     --workspace <dir>      folder to open (optional)
//     --vsix <file>          install this .vsix and test the installed extension instead
//     --timeout <ms>         overall limit (default 600000)
//     --screenshot <png>     save the workbench as it is when the tests end
//     --ui-check <module>    ES module with Playwright UI checks (see ui-bridge.cjs)
//     --logs <dir>           keep code-server's output and the workbench logs there
//     --enable-extensions    do not pass --disable-extensions (other installed extensions load)
//     --vscode <executable>  use this VS Code executable instead of code-vscode.mjs
//     -- <args...>           extra launch arguments
// Exit code: 0 when every test passed; the failing run's exit code otherwise (124: timed out).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CODE_VSCODE = path.join(HERE, 'code-vscode.mjs');
export const TEST_ENV = path.resolve(process.env.DATAFLOW_TEST_ENV_DIR || path.join(HERE, '..', '..', '..', 'test-env'));

function loadTestElectron() {
  const require = createRequire(path.join(TEST_ENV, 'package.json'));
  try {
    return require('@vscode/test-electron');
  } catch (e) {
    throw new Error(`@vscode/test-electron is not installed in ${TEST_ENV}: run bash ${path.relative(process.cwd(), path.join(TEST_ENV, 'install.sh'))} (${e.message})`);
  }
}

/**
 * Runs one extension test suite in one workbench session. Resolves to 0, or rejects with
 * test-electron's TestRunFailedError (its .code is the exit code).
 */
export async function runIntegrationTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  workspace,
  vsix,
  timeoutMs,
  screenshot,
  uiCheck,
  logsDir,
  disableExtensions = true,
  vscodeExecutablePath = CODE_VSCODE,
  launchArgs = [],
  env = {},
}) {
  if (!extensionTestsPath) throw new Error('extensionTestsPath is required');
  const { runTests } = loadTestElectron();
  if (vscodeExecutablePath === CODE_VSCODE) {
    // runTests spawns the path directly (no shell): it must be executable; its shebang runs node.
    try {
      fs.accessSync(CODE_VSCODE, fs.constants.X_OK);
    } catch {
      fs.chmodSync(CODE_VSCODE, 0o755);
    }
  }
  const extensionTestsEnv = { ...env };
  if (vsix) extensionTestsEnv.DATAFLOW_TEST_VSIX = path.resolve(vsix);
  if (timeoutMs) extensionTestsEnv.DATAFLOW_TEST_TIMEOUT_MS = String(timeoutMs);
  if (screenshot) extensionTestsEnv.DATAFLOW_TEST_SCREENSHOT = path.resolve(screenshot);
  if (uiCheck) extensionTestsEnv.DATAFLOW_UI_CHECK = path.resolve(uiCheck);
  if (logsDir) extensionTestsEnv.DATAFLOW_TEST_LOGS_DIR = path.resolve(logsDir);
  return runTests({
    vscodeExecutablePath,
    // With a .vsix the runner ignores this path and tests the installed copy.
    extensionDevelopmentPath: path.resolve(extensionDevelopmentPath || HERE),
    extensionTestsPath: path.resolve(extensionTestsPath),
    launchArgs: [
      ...(workspace ? [path.resolve(workspace)] : []),
      ...(disableExtensions && !vsix ? ['--disable-extensions'] : []),
      ...launchArgs,
    ],
    extensionTestsEnv,
  });
}

function childPids() {
  const out = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) out.push(Number(e));
    } catch {}
  }
  return out;
}
function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function parseCli(argv) {
  const o = { launchArgs: [] };
  const take = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => (inline !== undefined ? inline : take(i++));
    switch (flag) {
      case '--extension': case '--extensionDevelopmentPath': o.extensionDevelopmentPath = val(); break;
      case '--tests': case '--extensionTestsPath': o.extensionTestsPath = val(); break;
      case '--workspace': o.workspace = val(); break;
      case '--vsix': o.vsix = val(); break;
      case '--timeout': o.timeoutMs = Number(val()); break;
      case '--screenshot': o.screenshot = val(); break;
      case '--ui-check': o.uiCheck = val(); break;
      case '--logs': o.logsDir = val(); break;
      case '--vscode': o.vscodeExecutablePath = path.resolve(val()); break;
      case '--enable-extensions': o.disableExtensions = false; break;
      case '--': o.launchArgs.push(...argv.slice(i + 1)); i = argv.length; break;
      case '-h': case '--help':
        process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0] + '\n');
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${a} (see --help)`);
    }
  }
  if (!o.extensionTestsPath) throw new Error('--tests <module> is required (see --help)');
  if (!o.extensionDevelopmentPath && !o.vsix) throw new Error('--extension <dir> is required (or --vsix <file>)');
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`run-tests: ${e.message}`);
    process.exit(2);
  }
  // runTests() forwards Ctrl+C (SIGINT) to the runner itself; forward SIGTERM/SIGHUP too, so the
  // runner can stop code-server and Chromium before we go.
  for (const sig of ['SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      const kids = childPids();
      for (const p of kids) { try { process.kill(p, 'SIGTERM'); } catch {} }
      for (let i = 0; i < 100 && kids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 100));
      process.exit(sig === 'SIGTERM' ? 143 : 129);
    });
  }
  runIntegrationTests(opts).then(
    () => process.exit(0),
    (e) => {
      console.error(`run-tests: ${e.message}`);
      process.exit(typeof e.code === 'number' && e.code !== 0 ? e.code : 1);
    },
  );
}
