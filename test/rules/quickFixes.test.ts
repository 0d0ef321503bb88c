// Quick-fix tests: each case under test/fixtures/fixes/<case>/ names a diagnostic (case.json);
// its fix is applied as a whole WorkspaceEdit and every changed file must equal expected/<file>,
// parse without errors (tree-sitter and CPython's own parser) and no longer carry the diagnostic.
// Set UPDATE_FIXTURES=1 to write expected/ from the current output (then review the diff).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, applyEdits, caseFiles, FIXTURES, ready, uriOf, workspaceOf } from '../helpers/analysis';
import { createPythonParser } from '../../server/src/syntax/parser';
import { resolveFix } from '../../server/src/analysis/fixResolution';

const root = path.join(FIXTURES, 'fixes');
const python = spawnSync('python3', ['--version']).status === 0;

function cpythonParses(text: string): string | undefined {
  const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? undefined : r.stderr;
}

describe('quick-fixes', () => {
  before(ready);
  for (const name of fs.readdirSync(root).sort()) {
    it(name, () => {
      const dir = path.join(root, name);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as { file: string; code: string; line?: number; noFix?: string; applicability?: 'safe' | 'unsafe' };
      const files = caseFiles(dir);
      const ws = workspaceOf(files);
      const target = path.join(dir, spec.file);
      const findings = analyze(ws, target).filter((f) => f.code === spec.code);
      assert.ok(findings.length > 0, `no ${spec.code} in ${spec.file}`);
      const f = spec.line === undefined ? findings[0] : findings.find((x) => ws.get(uriOf(target))!.doc.lines.positionAt(x.span.start).line + 1 === spec.line);
      assert.ok(f, `no ${spec.code} on line ${spec.line}`);
      if (spec.noFix) {
        // No fix at all, or one that finds its blocker when asked for.
        assert.equal(resolveFix(f, ws), undefined, 'a fix was offered where none should be');
        assert.ok(f.noFixReason?.includes(spec.noFix), `reason "${f.noFixReason}" should contain "${spec.noFix}"`);
        return;
      }
      const fix = resolveFix(f, ws);
      assert.ok(fix && fix.isPreferred, `the fix should exist and be preferred: ${f.noFixReason}`);
      if (spec.applicability) assert.equal(fix.applicability, spec.applicability);
      const after: Record<string, string> = { ...files };
      for (const fe of fix!.edits) {
        const p = fileURLToPath(fe.uri);
        after[p] = applyEdits(files[p], fe.edits);
        const expectedPath = path.join(dir, 'expected', path.relative(dir, p));
        if (process.env.UPDATE_FIXTURES) {
          fs.mkdirSync(path.dirname(expectedPath), { recursive: true });
          fs.writeFileSync(expectedPath, after[p]);
        }
        assert.equal(after[p], fs.readFileSync(expectedPath, 'utf8'), `${path.basename(p)} after the fix`);
        if (!p.endsWith('.py')) continue; // a dependency file (DF033)
        const tree = createPythonParser().parse(after[p])!;
        assert.equal(tree.rootNode.hasError, false, `tree-sitter finds a syntax error in ${path.basename(p)}`);
        if (python) assert.equal(cpythonParses(after[p]), undefined, 'CPython rejects the fixed file');
      }
      // The diagnostic is gone after the fix (counted, since positions move).
      const ws2 = workspaceOf(after);
      const before = findings.length;
      const remaining = analyze(ws2, target).filter((x) => x.code === spec.code).length;
      assert.equal(remaining, before - 1, `${spec.code} count should drop by one (${before} → ${remaining})`);
    });
  }
});
