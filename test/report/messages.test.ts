import * as assert from 'node:assert/strict';
import { isReportLike, parseWebviewMessage, reportFiles, reportFromState } from '../../client/src/panel/messages';
import { loadFixture } from './helpers';

describe('report panel: webview messages and state', () => {
  it('accepts the three messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'applyFix', recommendationId: 2 }), { type: 'applyFix', recommendationId: 2 });
    assert.deepEqual(parseWebviewMessage({ type: 'goToSource', file: 'a.py', line: 3, column: 7, extra: 1 }), { type: 'goToSource', file: 'a.py', line: 3, column: 7 });
    assert.deepEqual(parseWebviewMessage({ type: 'goToSource', file: 'a.py', line: 3 }), { type: 'goToSource', file: 'a.py', line: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'exportReport' }), { type: 'exportReport' });
  });

  it('ignores anything else', () => {
    for (const m of [null, 'applyFix', {}, { type: 'applyFix', recommendationId: '1' }, { type: 'goToSource', file: '', line: 1 }, { type: 'goToSource', file: 'a.py', line: 0 }, { type: 'goToSource', file: 'a.py', line: 1.5 }, { type: 'runCommand', command: 'x' }]) {
      assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
    }
  });

  it('restores a report from the webview state, and nothing else', () => {
    const report = loadFixture('missing-index');
    assert.equal(reportFromState({ report }), report);
    assert.equal(isReportLike(report), true);
    assert.equal(reportFromState(undefined), undefined);
    assert.equal(reportFromState({ report: { ...report, version: 2 } }), undefined);
    assert.equal(reportFromState({ report: { ...report, statements: undefined } }), undefined);
  });

  it('goToSource may open only the files the report names (its source and every location, recommendation and error in it)', () => {
    const report = loadFixture('missing-index');
    const files = reportFiles(report);
    assert.ok(files.has(report.source.file));
    for (const r of report.recommendations) assert.ok(files.has(r.file), r.file);
    for (const s of report.statements) if (s.location) assert.ok(files.has(s.location.file), s.location.file);
    for (const f of ['/etc/passwd', 'file:///etc/shadow', '../../.ssh/id_rsa', `${report.source.file}/../secret.py`]) assert.equal(files.has(f), false, f);
  });
});
