import * as assert from 'node:assert/strict';
import { renderReportHtml } from '../../server/src/report/html/renderReportHtml';
import { LIMITS } from '../../server/src/report/html/sections';
import { validateReport } from '../../server/src/report/validateReport';
import { bigReport, count, NONCE } from './helpers';

describe('report HTML: 10,000 statements', () => {
  const report = bigReport(10000);

  it('is a valid report', () => assert.deepEqual(validateReport(report).errors, []));

  it('renders fast, with the first 500 rows and a "show more" button; the rest stays JSON', () => {
    const t0 = performance.now();
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'webview', cspSource: 'https://*.vscode-cdn.net' });
    const ms = performance.now() - t0;
    const json = JSON.stringify(report).length;
    console.log(`      rendered 10,000 statements in ${ms.toFixed(0)} ms: ${(html.length / 1e6).toFixed(2)} MB HTML, of which ${(json / 1e6).toFixed(2)} MB is the embedded report`);
    assert.ok(ms < 20000, `took ${ms} ms`);
    assert.equal(count(html, '<tr data-stmt='), LIMITS.statementRows);
    assert.ok(html.includes('id="more-rows">Show 500 more</button>'));
    assert.ok(html.includes('Showing 500 of 10,000 statements'));
    // Bounded: the report itself plus a fixed budget for the markup, whatever the statement count.
    assert.ok(html.length < json * 1.1 + 1_500_000, `${html.length} characters`);
    // The long SQL (60,055 characters) is shown cut in the rendered rows.
    assert.match(html, /data-id="100">show all 60,055 characters/);
  });

  it('markup does not grow with the number of statements', () => {
    const size = (n: number) => { const r = bigReport(n); return renderReportHtml(r, { nonce: NONCE, mode: 'standalone' }).length - JSON.stringify(r).length; };
    const a = size(1000); const b = size(10000);
    assert.ok(b - a < 200_000, `markup grew by ${b - a} characters from 1,000 to 10,000 statements`);
  });
});
