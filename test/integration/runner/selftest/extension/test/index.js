'use strict';
// The suite entry the extension host loads (extensionTestsPath). Contract: export run(), return
// a Promise that resolves when every test passed and rejects otherwise; print the plain summary
// line "N passed, N failed" that CI reads.
const path = require('path');
const fs = require('fs');

// Mocha comes from test-env/ so the self-test does not depend on the project's own install.
const testEnv = process.env.DATAFLOW_TEST_ENV_DIR || path.resolve(__dirname, '../../../../../../test-env');
const Mocha = require(path.join(testEnv, 'node_modules', 'mocha'));

function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats ? runner.stats.passes : 0;
        const failed = runner.stats ? runner.stats.failures : failures;
        const skipped = runner.stats ? runner.stats.pending : 0;
        console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
        if (process.env.SELFTEST_RESULTS) {
          fs.appendFileSync(process.env.SELFTEST_RESULTS, JSON.stringify({ passed, failed, skipped }) + '\n');
        }
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      console.error(e);
      reject(e);
    }
  });
}

module.exports = { run };
