// The report in a real browser (Debian's Chromium through playwright-core from test-env/): the page
// script runs under the CSP without errors or violations, hostile values stay text, "show more" and
// the SQL expander work, the webview messages are right, and a screenshot is saved to look at.
// Skipped (with the reason printed) when Chromium or playwright-core is missing, unless CI is set.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderReportHtml } from '../../server/src/report/html/renderReportHtml';
import type { PerformanceReport } from '../../server/src/report/reportTypes';
import { bigReport, loadFixture, NONCE, ROOT } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Browser = any; type Page = any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT_DIR = path.join(ROOT, 'test-results', 'report');

function loadPlaywright(): { chromium: { launch(o: unknown): Promise<Browser> } } | string {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  try {
    return createRequire(path.join(ROOT, 'test-env', 'package.json'))('playwright-core') as { chromium: { launch(o: unknown): Promise<Browser> } };
  } catch (err) {
    return `playwright-core is not installed under test-env/ (run test-env/install.sh): ${(err as Error).message.split('\n')[0]}`;
  }
}

describe('report HTML in Chromium', function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-report-'));

  before(async function () {
    const pw = loadPlaywright();
    if (typeof pw === 'string') {
      if (process.env.CI) throw new Error(pw);
      console.log(`      skipped: ${pw}`);
      this.skip();
      return;
    }
    browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    fs.mkdirSync(OUT_DIR, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens the report; collects errors, CSP violations, dialogs and (webview mode) posted messages. */
  async function open(report: PerformanceReport, mode: 'standalone' | 'webview', options: { colorScheme?: 'light' | 'dark'; width?: number } = {}) {
    const file = path.join(tmp, `${mode}-${Math.random().toString(36).slice(2)}.html`);
    fs.writeFileSync(file, renderReportHtml(report, { nonce: NONCE, mode }));
    const page: Page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
    const problems: string[] = [];
    page.on('pageerror', (e: Error) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m: any) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('dialog', (d: any) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.addInitScript((webview: boolean) => {
      const w = globalThis as any;
      w.__violations = [];
      w.document.addEventListener('securitypolicyviolation', (e: any) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      if (webview) {
        w.__messages = []; w.__state = undefined;
        w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.__messages.push(m), setState: (s: unknown) => { w.__state = s; }, getState: () => w.__state });
      }
    }, mode === 'webview');
    const t0 = Date.now();
    await page.goto(`file://${file}`);
    const loadMs = Date.now() - t0;
    const check = async () => {
      const violations = await page.evaluate(() => (globalThis as any).__violations as string[]);
      assert.deepEqual([...problems, ...violations], []);
    };
    return { page, loadMs, check };
  }

  it('standalone: renders the N+1 fixture cleanly (screenshot: test-results/report/standalone.png)', async () => {
    const { page, check } = await open(loadFixture('loop-and-n-plus-one'), 'standalone');
    await page.screenshot({ path: path.join(OUT_DIR, 'standalone.png'), fullPage: true });
    await page.screenshot({ path: path.join(OUT_DIR, 'standalone-top.png') });
    assert.equal(await page.locator('#statements-table tbody tr').count(), 25);
    assert.equal(await page.locator('svg.waterfall .bar').count(), 25);
    assert.equal(await page.evaluate(() => typeof (globalThis as any).acquireVsCodeApi), 'undefined');
    // The raw plan is filled in lazily when opened.
    await check();
  });

  it('standalone, dark: the missing-index fixture (screenshot: test-results/report/standalone-dark.png)', async () => {
    const { page, check } = await open(loadFixture('missing-index'), 'standalone', { colorScheme: 'dark' });
    await page.locator('details.raw-plan summary').first().click();
    await page.locator('details.raw-plan pre', { hasText: '"Node Type": "Limit"' }).first().waitFor({ timeout: 5000 }); // filled on the toggle event
    await page.screenshot({ path: path.join(OUT_DIR, 'standalone-dark.png'), fullPage: true });
    const bg = await page.evaluate(() => { const g = globalThis as any; return g.getComputedStyle(g.document.body).backgroundColor as string; });
    assert.equal(bg, 'rgb(13, 17, 23)');
    await check();
  });

  it('hostile values stay text: no dialog, no extra element, no CSP violation', async () => {
    const { page, check } = await open(loadFixture('hostile-values'), 'webview');
    assert.equal(await page.locator('script').count(), 2);
    assert.equal(await page.locator('style').count(), 1);
    assert.equal(await page.locator('iframe, img, main script, main style').count(), 0);
    assert.match(await page.locator('.rec .title').first().textContent(), /<script>alert\(1\)<\/script>/);
    await page.locator('#statements-table button[data-action="expand-sql"]').click();
    assert.equal((await page.locator('#statements-table tr[data-stmt="3"] code').textContent()).length, loadFixture('hostile-values').statements[2]!.sql.length);
    await check();
  });

  it('10,000 statements: loads quickly, renders 500 rows, then 500 more per click', async () => {
    const report = bigReport(10000);
    const { page, loadMs, check } = await open(report, 'standalone');
    console.log(`      loaded 10,000 statements in ${loadMs} ms`);
    assert.ok(loadMs < 20000);
    const rows = page.locator('#statements-table tbody tr');
    assert.equal(await rows.count(), 500);
    await page.locator('#more-rows').click();
    assert.equal(await rows.count(), 1000);
    assert.equal(await page.locator('#statements-count').textContent(), 'Showing 1,000 of 10,000 statements.');
    const row = page.locator('tr[data-stmt="1000"]');
    assert.match(await row.textContent(), /similar ×10000/);
    assert.equal(await row.locator('svg rect.fill').count(), 1);
    const long = page.locator('tr[data-stmt="1100"]');
    assert.equal(await long.count(), 0, 'row 1,100 is not rendered yet');
    await page.locator('#more-rows').click();
    await long.locator('button[data-action="expand-sql"]').click();
    assert.equal((await long.locator('code').textContent()).length, report.statements[1099]!.sql.length);
    await check();
  });

  it('webview: buttons post applyFix / goToSource / exportReport and the report is kept in the state', async () => {
    const report = loadFixture('missing-index');
    const { page, check } = await open(report, 'webview', { width: 1000 });
    await page.locator('button[data-action="apply-fix"][data-rec="1"]').click();
    await page.locator('.rec[data-rec-id="1"] button.secondary[data-action="goto"]').click();
    await page.locator('button[data-action="export"]').click();
    await page.locator('#statements-table tr[data-stmt="2"] button[data-action="goto"]').click();
    const messages = await page.evaluate(() => (globalThis as any).__messages);
    assert.deepEqual(messages, [
      { type: 'applyFix', recommendationId: 1 },
      { type: 'goToSource', file: 'reports/sales.py', line: 12, column: 48 },
      { type: 'exportReport' },
      { type: 'goToSource', file: 'reports/sales.py', line: 18, column: 19 },
    ]);
    assert.deepEqual(await page.evaluate(() => (globalThis as any).__state), { report });
    await page.screenshot({ path: path.join(OUT_DIR, 'webview.png') });
    await check();
  });
});
