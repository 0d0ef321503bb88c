'use strict';
// Used by test suites running INSIDE the extension host to ask the runner (code-vscode.mjs) to
// run a Playwright check against the live workbench page, e.g. to read the Problems panel or a
// webview's DOM while the extension is in the state the test just set up.
//
//   const { uiCheck, uiBridgeAvailable } = require('<repo>/test/integration/runner/ui-bridge.cjs');
//   const labels = await uiCheck('problems', { severity: 'warning' });
//
// uiCheck(name, args) calls the export `name` of the module named by env DATAFLOW_UI_CHECK (an ES
// module on the runner side) as fn({ page, args, port, workspace, mode, logsDir, tmpRoot }) and
// resolves to its JSON-serialisable return value; it rejects with the check's error. Built-ins:
// 'ping' -> 'pong', 'screenshot' {path} -> saved file path.
// Under a desktop VS Code (no runner) uiBridgeAvailable() is false: skip such tests there.
const http = require('http');

function uiBridgeAvailable() {
  return !!process.env.DATAFLOW_UI_BRIDGE;
}

function uiCheck(check, args = {}, { timeoutMs = 60000 } = {}) {
  const base = process.env.DATAFLOW_UI_BRIDGE;
  if (!base) return Promise.reject(new Error('DATAFLOW_UI_BRIDGE is not set: not running under code-vscode.mjs'));
  const body = JSON.stringify({ check, args });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => {
        let reply;
        try { reply = JSON.parse(data); } catch (e) { return reject(new Error(`bad UI bridge reply: ${data}`)); }
        if (reply.ok) resolve(reply.result);
        else reject(new Error(`UI check "${check}" failed: ${reply.error}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`UI check "${check}" timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { uiCheck, uiBridgeAvailable };
