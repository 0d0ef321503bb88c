// The page's only script (vanilla JS, carries the CSP nonce). It wires the buttons by delegation (no
// inline handlers), renders further statement rows from the embedded JSON on demand, expands long
// SQL and raw plans lazily, and in the webview posts messages and keeps the report in the webview
// state so a WebviewPanelSerializer can restore the panel after a reload. In the standalone export
// `acquireVsCodeApi` does not exist: every use is guarded.
export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  var dataEl = document.getElementById('dfp-data');
  var data = null;
  try { data = JSON.parse(dataEl ? dataEl.textContent : 'null'); } catch (err) { data = null; }
  if (!data || !data.report) return;
  var report = data.report, view = data.view;
  var STATE_LIMIT = 4000000; // characters of JSON kept in the webview state

  if (api) {
    var size = dataEl.textContent.length;
    var state = report;
    if (size > STATE_LIMIT) {
      var keep = Math.max(0, Math.floor(report.statements.length * STATE_LIMIT / size / 2));
      state = Object.assign({}, report, {
        statements: report.statements.slice(0, keep),
        statementsOmitted: report.statementsOmitted + report.statements.length - keep,
        plans: report.plans.map(function (p) { return Object.assign({}, p, { raw: null }); })
      });
    }
    api.setState({ report: state });
  }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function fmtInt(n) { return String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',').replace(/^/, n < 0 ? '-' : ''); }
  function fmtMs(ms) {
    if (typeof ms !== 'number' || !isFinite(ms)) return '\u2013';
    if (ms >= 10000) return (ms / 1000).toFixed(1) + ' s';
    if (ms >= 1000) return fmtInt(ms) + ' ms';
    if (ms >= 100) return ms.toFixed(0) + ' ms';
    if (ms >= 10) return ms.toFixed(1) + ' ms';
    return ms.toFixed(2) + ' ms';
  }
  function basename(f) { var p = String(f).split(/[\\/]/); return p[p.length - 1] || f; }
  function locNode(loc) {
    if (!loc) return null;
    var text = basename(loc.file) + ':' + loc.line;
    if (!api) { var s = el('span', 'loc mono', text); s.title = loc.file + ':' + loc.line; return s; }
    var b = el('button', 'link loc mono', text);
    b.type = 'button';
    b.dataset.action = 'goto'; b.dataset.file = loc.file; b.dataset.line = String(loc.line);
    if (loc.column) b.dataset.column = String(loc.column);
    b.title = 'Go to ' + loc.file + ':' + loc.line;
    return b;
  }
  function sqlNodes(td, sql, kind, id) {
    var code = el('code', 'sql', sql.length > view.sqlChars ? sql.slice(0, view.sqlChars) + '\u2026' : sql);
    td.appendChild(code);
    if (sql.length > view.sqlChars) {
      var b = el('button', 'link', 'show all ' + fmtInt(sql.length) + ' characters');
      b.type = 'button'; b.dataset.action = 'expand-sql'; b.dataset.kind = kind; b.dataset.id = String(id);
      td.appendChild(document.createTextNode(' ')); td.appendChild(b);
    }
  }
  var groups = report.groups, simCount = {}, dupCount = {}, nPlusOne = {};
  groups.similar.forEach(function (g) { simCount[g.id] = g.count; });
  groups.duplicate.forEach(function (g) { dupCount[g.id] = g.count; });
  groups.nPlusOne.forEach(function (g) { nPlusOne[g.fingerprint] = true; });
  var table = document.getElementById('statements-table');
  var maxMs = table ? Number(table.dataset.maxMs) || 1 : 1;

  // The DOM twin of sections.ts statementRow().
  function statementRow(s) {
    var tr = el('tr', s.error ? 'failed' : '');
    tr.dataset.stmt = String(s.id);
    tr.appendChild(el('td', 'num', s.id));
    tr.appendChild(el('td', 'num', fmtMs(s.startMs)));
    var td = el('td', 'num'), dur = el('div', 'dur');
    dur.appendChild(el('span', '', fmtMs(s.durationMs)));
    // Clone a server-rendered bar (same markup as statementRow in sections.ts) and resize it.
    var proto = table.querySelector('.dur svg');
    if (proto) {
      var svg = proto.cloneNode(true), fill = svg.querySelector('.fill');
      fill.setAttribute('width', Math.max(1, s.durationMs / maxMs * 80).toFixed(1));
      fill.setAttribute('class', 'fill' + (s.slow ? ' slow' : ''));
      dur.appendChild(svg);
    }
    td.appendChild(dur); tr.appendChild(td);
    tr.appendChild(el('td', 'num', fmtInt(s.rows)));
    tr.appendChild(el('td', '', s.kind));
    var sqlTd = el('td', 'sql-cell');
    sqlNodes(sqlTd, s.sql, 'statement', s.id);
    if (s.error) sqlTd.appendChild(el('div', 'err', s.error));
    tr.appendChild(sqlTd);
    var flags = el('td');
    if (nPlusOne[s.fingerprint]) flags.appendChild(el('span', 'badge nplus1', 'N+1'));
    if (s.duplicateGroup !== undefined) flags.appendChild(el('span', 'badge duplicate', 'duplicate \u00d7' + (dupCount[s.duplicateGroup] || '?')));
    if (s.similarGroup !== undefined) flags.appendChild(el('span', 'badge similar', 'similar \u00d7' + (simCount[s.similarGroup] || '?')));
    if (s.slow) flags.appendChild(el('span', 'badge slow', 'slow'));
    if (s.error) flags.appendChild(el('span', 'badge error', 'error'));
    tr.appendChild(flags);
    var src = el('td');
    if (s.nodeId) { src.appendChild(el('span', 'mono', s.nodeId)); src.appendChild(document.createTextNode(' ')); }
    var l = locNode(s.location); if (l) src.appendChild(l);
    tr.appendChild(src);
    return tr;
  }

  var shown = view.rowsRendered;
  function showMore() {
    if (!table) return;
    var body = table.tBodies[0], frag = document.createDocumentFragment();
    var end = Math.min(report.statements.length, shown + view.chunk);
    for (var i = shown; i < end; i++) frag.appendChild(statementRow(report.statements[i]));
    body.appendChild(frag);
    shown = end;
    var rest = report.statements.length - shown;
    var count = document.getElementById('statements-count');
    if (count) count.textContent = 'Showing ' + fmtInt(shown) + ' of ' + fmtInt(report.statements.length) + ' statements' + (report.statementsOmitted ? ' (' + fmtInt(report.statementsOmitted) + ' more were not kept in the report).' : '.');
    var more = document.getElementById('more-rows');
    if (more) { if (rest > 0) more.textContent = 'Show ' + fmtInt(Math.min(rest, view.chunk)) + ' more'; else more.remove(); }
  }

  function findById(list, id) { for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i]; return null; }

  document.addEventListener('click', function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest('[data-action]') : null;
    if (!t) return;
    var d = t.dataset;
    switch (d.action) {
      case 'goto':
        if (api) api.postMessage({ type: 'goToSource', file: d.file, line: Number(d.line), column: d.column ? Number(d.column) : undefined });
        break;
      case 'apply-fix':
        if (api) api.postMessage({ type: 'applyFix', recommendationId: Number(d.rec) });
        break;
      case 'export':
        if (api) api.postMessage({ type: 'exportReport' });
        break;
      case 'more-rows':
        showMore();
        break;
      case 'expand-sql': {
        var item = findById(d.kind === 'plan' ? report.plans : report.statements, Number(d.id));
        var code = t.previousElementSibling;
        while (code && !(code.tagName === 'CODE')) code = code.previousElementSibling;
        if (item && code) { code.textContent = item.sql; t.remove(); }
        break;
      }
    }
  });
  document.addEventListener('toggle', function (ev) {
    var det = ev.target;
    if (!det || !det.classList || !det.classList.contains('raw-plan') || !det.open) return;
    var pre = det.querySelector('pre');
    var plan = findById(report.plans, Number(det.dataset.plan));
    if (pre && !pre.textContent) pre.textContent = plan && plan.raw != null ? JSON.stringify(plan.raw, null, 2) : '(not kept)';
  }, true);
})();`;
