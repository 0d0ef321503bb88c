import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { contentSecurityPolicy, renderReportHtml, renderMessageHtml } from '../../server/src/report/html/renderReportHtml';
import { escapeHtml, jsonForScript } from '../../server/src/report/html/escape';
import { costliestNode, LIMITS, ratioLabel } from '../../server/src/report/html/sections';
import { REPORT_SCRIPT } from '../../server/src/report/html/script';
import { printProfile } from '../../server/src/cli/run';
import type { PlanNode } from '../../server/src/report/reportTypes';
import { clone, count, embeddedJson, FIXTURE_NAMES, loadFixture, NONCE, scanTags } from './helpers';

const CSP_SOURCE = 'https://*.vscode-cdn.net';

describe('report HTML: escaping', () => {
  const report = loadFixture('hostile-values');
  for (const mode of ['standalone', 'webview'] as const) {
    const html = renderReportHtml(report, { nonce: NONCE, mode, cspSource: CSP_SOURCE });

    it(`${mode}: no value breaks out of its element`, () => {
      assert.equal(count(html, /<script/i), 2, 'the data block and the page script only');
      assert.equal(count(html, /<\/script/i), 2);
      assert.equal(count(html, /<style/i), 1);
      assert.equal(count(html, /<\/style/i), 1);
      assert.equal(count(html, /<script>alert/i), 0);
      assert.equal(count(html, /<iframe/i), 0);
      assert.equal(count(html, /<img/i), 0);
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the value is shown, escaped');
    });

    it(`${mode}: every <script> and <style> carries the nonce; no inline handler or style attribute`, () => {
      const tags = scanTags(html).filter((t) => !t.closing);
      const scripts = tags.filter((t) => t.name === 'script');
      const styles = tags.filter((t) => t.name === 'style' || (t.name === 'link' && t.attrs.get('rel') === 'stylesheet'));
      assert.equal(scripts.length, 2);
      for (const t of [...scripts, ...styles]) assert.equal(t.attrs.get('nonce'), NONCE, t.raw);
      for (const t of tags) {
        for (const [name, value] of t.attrs) {
          assert.ok(!/^on/i.test(name), `inline handler ${t.raw}`);
          assert.notEqual(name, 'style', `style attribute ${t.raw}`);
          if (typeof value === 'string') assert.ok(!/[<>"'`]/.test(value), `unescaped character in ${name}="${value}"`);
          if (name === 'href') assert.match(String(value), /^#[a-z]+$/, 'only in-page links');
          assert.ok(!/^(src|srcset|action|formaction|background|poster|data)$/.test(name), `resource attribute ${t.raw}`);
        }
      }
    });

    it(`${mode}: the embedded JSON is the report, and cannot close its <script>`, () => {
      const json = embeddedJson(html);
      assert.ok(!/[<>]/.test(json), 'no < or > in the JSON text');
      assert.deepEqual((JSON.parse(json) as { report: unknown }).report, report);
    });

    it(`${mode}: no http(s) URL outside escaped text`, () => {
      const tags = scanTags(html);
      for (const t of tags) for (const [name, v] of t.attrs) {
        if (name === 'content' && t.name === 'meta' && mode === 'webview') continue; // the CSP names cspSource
        assert.ok(typeof v !== 'string' || !/https?:/i.test(v), `${t.raw}`);
      }
      const code = [...html.matchAll(/<(script|style)[^>]*>([\s\S]*?)<\/\1>/g)].filter((m) => !m[0].includes('dfp-data')).map((m) => m[2]).join('\n');
      assert.ok(!/https?:/i.test(code), 'no URL in the page script or stylesheet');
      assert.ok(!/@import|url\(/i.test(code), 'no CSS import or url()');
    });
  }

  it('escapeHtml and jsonForScript', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&\`</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    assert.equal(escapeHtml(undefined), '');
    const s = jsonForScript({ v: '</script><!-- \u2028 &' });
    assert.ok(!/[<>&\u2028]/.test(s));
    assert.deepEqual(JSON.parse(s), { v: '</script><!-- \u2028 &' });
  });

  it('renders every fixture in both modes', () => {
    for (const name of FIXTURE_NAMES) for (const mode of ['standalone', 'webview'] as const) {
      const html = renderReportHtml(loadFixture(name), { nonce: NONCE, mode, cspSource: CSP_SOURCE });
      assert.ok(html.startsWith('<!DOCTYPE html>') && html.trimEnd().endsWith('</html>'), name);
    }
  });

  it('refuses a nonce or cspSource that could inject into the CSP', () => {
    assert.throws(() => renderReportHtml(report, { nonce: "abc'; script-src *", mode: 'standalone' }), /nonce/);
    assert.throws(() => renderReportHtml(report, { nonce: NONCE, mode: 'webview', cspSource: "x; script-src 'unsafe-inline'" }), /cspSource/);
  });
});

describe('report HTML: Content-Security-Policy', () => {
  const report = loadFixture('loop-and-n-plus-one');
  const meta = (html: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");

  it('standalone: default-src none, nonce-only scripts and styles, data: images, nothing remote', () => {
    const csp = meta(renderReportHtml(report, { nonce: NONCE, mode: 'standalone' }))!;
    assert.equal(csp, `default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'`);
    assert.ok(!/unsafe-|https?:|\*/.test(csp));
  });

  it('webview: adds only webview.cspSource for styles, images and fonts', () => {
    const csp = meta(renderReportHtml(report, { nonce: NONCE, mode: 'webview', cspSource: CSP_SOURCE }))!;
    assert.equal(csp, contentSecurityPolicy({ nonce: NONCE, mode: 'webview', cspSource: CSP_SOURCE }));
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${NONCE.replace(/[+/=]/g, '\\$&')}';`));
    assert.ok(!/unsafe-/.test(csp));
    assert.equal(csp.split(CSP_SOURCE).join('').includes('https:'), false);
  });

  it('the CSP is the first thing in <head> after the charset', () => {
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'standalone' });
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'));
    assert.ok(renderMessageHtml('t', '<b>m</b>', { nonce: NONCE, mode: 'standalone' }).includes('&lt;b&gt;m&lt;/b&gt;'));
  });
});

describe('report HTML: modes', () => {
  const report = loadFixture('missing-index');

  it('webview: Apply fix only where the recommendation has a fixTitle; Go to source and Export post messages', () => {
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'webview', cspSource: CSP_SOURCE });
    const withFix = report.recommendations.filter((r) => r.diagnostic?.fixTitle).length;
    assert.equal(withFix, 2);
    assert.equal(count(html, 'data-action="apply-fix"'), withFix);
    assert.ok(html.includes('data-action="apply-fix" data-rec="1"'));
    assert.ok(!html.includes('data-rec="3"'), 'rec 3 has no diagnostic');
    assert.ok(count(html, 'data-action="goto"') >= report.recommendations.length);
    assert.equal(count(html, 'data-action="export"'), 1);
    assert.ok(REPORT_SCRIPT.includes("type: 'applyFix', recommendationId") && REPORT_SCRIPT.includes("type: 'goToSource'") && REPORT_SCRIPT.includes("type: 'exportReport'"));
    assert.ok(REPORT_SCRIPT.includes('api.setState({ report: state })'));
  });

  it('webview: a recommendation measured "not worth it" has no primary Apply fix button, only a secondary "Apply anyway"', () => {
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'webview', cspSource: CSP_SOURCE });
    const notWorth = report.recommendations.find((r) => r.verdict === 'not-worth-it' && r.diagnostic?.fixTitle)!;
    const worth = report.recommendations.find((r) => r.verdict === 'recommended' && r.diagnostic?.fixTitle)!;
    const buttons = scanTags(html).filter((t) => t.name === 'button' && !t.closing && t.attrs.get('data-action') === 'apply-fix');
    const of = (id: number) => buttons.filter((b) => b.attrs.get('data-rec') === String(id));
    assert.equal(of(notWorth.id).length, 1);
    assert.equal(of(notWorth.id)[0].attrs.get('class'), 'secondary');
    assert.equal(of(worth.id).length, 1);
    assert.equal(of(worth.id)[0].attrs.get('class'), undefined, 'primary');
    const card = (id: number) => html.slice(html.indexOf(`data-rec-id="${id}"`), html.indexOf('</article>', html.indexOf(`data-rec-id="${id}"`)));
    assert.match(card(notWorth.id), /Apply anyway: Set pool_size=20, pool_max_overflow=30<\/button>/);
    assert.doesNotMatch(card(notWorth.id), />Apply fix:/);
    assert.match(card(worth.id), />Apply fix: Add an index on Product\(category\)<\/button>/);
  });

  it('one labelled ratio per card: "44× lower cost", "1.1× faster", "1.3× slower"; none without a ratio', () => {
    const r = clone(report);
    const html = renderReportHtml(r, { nonce: NONCE, mode: 'standalone' });
    const card = (id: number) => html.slice(html.indexOf(`data-rec-id="${id}"`), html.indexOf('</article>', html.indexOf(`data-rec-id="${id}"`)));
    const ratios = (id: number) => [...card(id).matchAll(/<span class="ratio">([^<]*)<\/span>/g)].map((m) => m[1]);
    assert.deepEqual(ratios(1), ['44× lower cost']);
    assert.deepEqual(ratios(2), ['1.1× faster']);
    assert.deepEqual(ratios(3), []);
    assert.equal(ratioLabel({ ratio: 0.8, before: { ms: 8, description: '' }, after: { ms: 10, description: '' } }), '1.3× slower');
    assert.equal(ratioLabel({ ratio: 26.4, before: { ms: 264, description: '' }, after: { ms: 10, description: '' } }), '26× faster');
    assert.equal(ratioLabel({ ratio: 0.5, before: { cost: 5, description: '' }, after: { cost: 10, description: '' } }), '2.0× higher cost');
    assert.equal(ratioLabel({ ratio: undefined, before: { description: '' }, after: { description: '' } }), '');
  });

  it('dataflow-run --profile prints the same labelled ratio as the card', () => {
    const lines: string[] = [];
    printProfile(report, (l) => void lines.push(l));
    assert.ok(lines.some((l) => l.includes('[recommended] DF003') && l.endsWith('(44× lower cost)')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('[not-worth-it] DF004') && l.endsWith('(1.1× faster)')), lines.join('\n'));
    assert.ok(!lines.some((l) => /\d(\.\d)?x\)/.test(l)), lines.join('\n'));
  });

  it('standalone: no buttons that need VS Code, locations as file:line text', () => {
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'standalone' });
    for (const a of ['apply-fix', 'goto', 'export']) assert.equal(count(html, `data-action="${a}"`), 0, a);
    assert.ok(html.includes('<span class="loc mono" title="reports/sales.py:12:19">sales.py:12</span>'));
    assert.ok(html.includes('Quick fix in VS Code: “Add an index on Product(category)”'));
  });

  it('acquireVsCodeApi is only called when it exists: the page script runs without it', () => {
    const uses = [...REPORT_SCRIPT.matchAll(/acquireVsCodeApi/g)].length;
    assert.equal(uses, 2);
    assert.ok(REPORT_SCRIPT.includes("typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null"));
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'standalone' });
    const listeners: string[] = [];
    const document = {
      getElementById: (id: string) => (id === 'dfp-data' ? { textContent: embeddedJson(html) } : null),
      addEventListener: (type: string) => listeners.push(type),
    };
    vm.runInNewContext(REPORT_SCRIPT, { document, JSON, Math, Number, String, Object, isFinite });
    assert.deepEqual(listeners.sort(), ['click', 'toggle']);
    // …and in a webview it keeps the report in the state.
    let state: unknown;
    vm.runInNewContext(REPORT_SCRIPT, { document, JSON, Math, Number, String, Object, isFinite, acquireVsCodeApi: () => ({ setState: (s: unknown) => { state = s; }, postMessage: () => undefined }) });
    assert.deepEqual(JSON.parse(JSON.stringify(state)), { report });
  });

  it('the statement table shows badges for similar, duplicate and N+1 statements', () => {
    const html = renderReportHtml(loadFixture('loop-and-n-plus-one'), { nonce: NONCE, mode: 'standalone' });
    const row = (id: number) => html.slice(html.indexOf(`<tr data-stmt="${id}"`), html.indexOf('</tr>', html.indexOf(`<tr data-stmt="${id}"`)));
    assert.match(row(2), /similar ×12/);
    assert.doesNotMatch(row(2), /N\+1/);
    assert.match(row(15), /N\+1/);
    assert.match(row(15), /duplicate ×2/);
    assert.match(row(15), /similar ×8/);
    assert.match(row(25), /class="badge error"/);
  });

  it('plans: a nested tree with the costliest node highlighted', () => {
    const html = renderReportHtml(report, { nonce: NONCE, mode: 'standalone' });
    const tree = html.slice(html.indexOf('<ul class="plan-tree">'));
    assert.match(tree, /^<ul class="plan-tree"><li><span class="pnode">Limit<\/span>.*?<ul><li><span class="pnode">Sort<\/span>.*?<ul><li><span class="pnode costliest">Seq Scan on products<\/span>/);
    assert.equal(count(html, 'pnode costliest'), 1);
  });

  it('costliestNode: largest exclusive cost when the profiler marked none', () => {
    const leaf = (nodeType: string, totalCost: number, children: PlanNode[] = []): PlanNode => ({ nodeType, startupCost: 0, totalCost, planRows: 1, children });
    const hash = leaf('Hash Join', 500, [leaf('Seq Scan', 300), leaf('Hash', 150, [leaf('Seq Scan', 140)])]);
    assert.equal(costliestNode(hash).totalCost, 300);
    const top = leaf('Sort', 900, [hash]);
    assert.equal(costliestNode(top).nodeType, 'Sort'); // 400 of its own
  });

  it('long SQL is cut at ~2,000 characters with an expander', () => {
    const r = clone(report);
    r.statements[0]!.sql = `SELECT ${'x, '.repeat(5000)}1`;
    const html = renderReportHtml(r, { nonce: NONCE, mode: 'webview', cspSource: CSP_SOURCE });
    const row = html.slice(html.indexOf('<tr data-stmt="1"'), html.indexOf('</tr>', html.indexOf('<tr data-stmt="1"')));
    assert.ok(row.length < LIMITS.sqlChars + 2000, `row is ${row.length} characters`);
    assert.match(row, /data-action="expand-sql" data-kind="statement" data-id="1">show all 15,008 characters/);
  });
});
