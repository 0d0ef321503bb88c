// Every fixture under test/fixtures/rules/<rule>/ is analysed; the diagnostics must be exactly
// the ones its `# ^^^ DF00N: message` annotations describe (an unannotated file expects none).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, caseFiles, expectations, FIXTURES, ready, workspaceOf } from '../helpers/analysis';
import { SourceFile } from '../../server/src/model/sourceFile';

const root = path.join(FIXTURES, 'rules');

describe('rule fixtures', () => {
  before(ready);
  for (const rule of fs.readdirSync(root).sort()) {
    describe(rule, () => {
      for (const entry of fs.readdirSync(path.join(root, rule)).sort()) {
        const casePath = path.join(root, rule, entry);
        if (!entry.endsWith('.py') && !fs.statSync(casePath).isDirectory()) continue;
        it(entry, () => {
          const files = caseFiles(casePath);
          const ws = workspaceOf(files);
          for (const [p, text] of Object.entries(files)) {
            if (!p.endsWith('.py')) continue;
            const want = expectations(text);
            const file = ws.get(pathToFileURL(p).toString()) as SourceFile;
            const got = analyze(ws, p).map((f) => {
              const s = file.doc.lines.positionAt(f.span.start), e = file.doc.lines.positionAt(f.span.end);
              return { line: s.line, start: s.character, end: e.line === s.line ? e.character : -1, code: f.code, message: f.message };
            });
            const fmt = (x: { line: number; start: number; end: number; code: string }) => `${path.basename(p)}:${x.line + 1}:${x.start}-${x.end} ${x.code}`;
            assert.deepEqual(got.map(fmt).sort(), want.map(fmt).sort(), `diagnostics of ${path.relative(root, p)}:\n${got.map((g) => `${fmt(g)} ${g.message}`).join('\n')}`);
            for (const w of want) {
              if (!w.message) continue;
              const g = got.find((x) => x.line === w.line && x.start === w.start && x.code === w.code)!;
              assert.ok(g.message.includes(w.message), `${fmt(w)}: message "${g.message}" should contain "${w.message}"`);
            }
          }
        });
      }
    });
  }
});
