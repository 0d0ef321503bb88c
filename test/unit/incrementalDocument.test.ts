// A PythonDocument updated by edits keeps what it would compute from its whole new text: the line
// index after an edit is made from the old one (line starts before the edit kept, those after it
// shifted, only the edited stretch read), and the whole-text skip check (NUL bytes, nesting depth)
// is skipped for edits inside one line that leave its indentation as it was. Random edits over
// texts full of "\r", "\n", "\r\n", tabs, comments and deep indentation are compared, edit by
// edit, with a document made from scratch of the same text.
import * as assert from 'node:assert/strict';
import { initPython } from '../../server/src/syntax/parser';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { parseLimits, PythonDocument } from '../../server/src/syntax/pythonDocument';
import { seededRandom as rng } from '../helpers/seededRandom';

const PIECES = ['\r', '\n', '\r\n', '\n\n', ' ', '    ', '\t', '#', 'x', 'if a:', '\u0000', 'é', '😀', 'def f():\n', '  '];

function randomText(rand: () => number, pieces: number): string {
  let t = '';
  for (let i = 0; i < pieces; i++) t += PIECES[Math.floor(rand() * PIECES.length)];
  return t;
}

/** A random edit of `text`, as an LSP change, with what it leaves. */
function randomEdit(rand: () => number, text: string): { change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }; next: string } {
  const lines = new LineIndex(text);
  const a = Math.floor(rand() * (text.length + 1));
  const b = Math.min(text.length, a + Math.floor(rand() * 4));
  // Mostly one-line typing (the quick path), sometimes line breaks and NUL.
  const inserted = rand() < 0.7 ? ['x', ' ', '#', '\t', '', 'ab'][Math.floor(rand() * 6)] : randomText(rand, 1 + Math.floor(rand() * 3));
  const start = lines.positionAt(a), end = lines.positionAt(b);
  // positionAt moves an offset out of a "\r\n": the edit replaces what the positions say.
  const s = lines.offsetAt(start), e = lines.offsetAt(end);
  return { change: { range: { start, end }, text: inserted }, next: text.slice(0, s) + inserted + text.slice(e) };
}

function sameIndex(actual: LineIndex, text: string, where: string): void {
  const fresh = new LineIndex(text);
  assert.equal(actual.lineCount, fresh.lineCount, `${where}: line count`);
  for (let line = 0; line < fresh.lineCount; line++) assert.equal(actual.lineStart(line), fresh.lineStart(line), `${where}: start of line ${line}`);
  for (let o = 0; o <= text.length; o++) assert.deepEqual(actual.positionAt(o), fresh.positionAt(o), `${where}: position of offset ${o}`);
}

describe('incremental PythonDocument: line index and skip check after edits', function () {
  this.timeout(60000);
  before(() => initPython());

  it('keeps the line index and skip reason of the whole text over 3,000 random edits', () => {
    const limits = parseLimits.maxIndentLevels;
    parseLimits.maxIndentLevels = 6; // deep nesting within reach of random text
    try {
      let quick = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const rand = rng(seed);
        let text = randomText(rand, 40);
        const doc = PythonDocument.create(`file:///inc_${seed}.py`, text, 0);
        for (let i = 0; i < 100; i++) {
          const { change, next } = randomEdit(rand, text);
          if (!/[\r\n\u0000]/.test(change.text)) quick++;
          doc.applyChanges([change], i + 1);
          text = next;
          assert.equal(doc.text, text, `seed ${seed} edit ${i}: text`);
          sameIndex(doc.lines, text, `seed ${seed} edit ${i}`);
          const fresh = PythonDocument.create('file:///fresh.py', text, 0);
          assert.equal(doc.skipReason, fresh.skipReason, `seed ${seed} edit ${i}: skip reason of ${JSON.stringify(text)}`);
          fresh.dispose();
        }
        doc.dispose();
      }
      assert.ok(quick > 1000, `the one-line path was taken (${quick} edits)`);
    } finally {
      parseLimits.maxIndentLevels = limits;
    }
  });

  it('notices nesting made deeper by typing in front of a line, and a NUL typed into it', () => {
    const limits = parseLimits.maxIndentLevels;
    parseLimits.maxIndentLevels = 2;
    try {
      const text = 'if a:\n  if b:\n    x = 1\n    y = 2\n';
      const doc = PythonDocument.create('file:///deep.py', text, 0);
      assert.equal(doc.skipReason, undefined);
      // Two spaces before "y": a third level (inside "x = 1"'s).
      doc.applyChanges([{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '  ' }], 1);
      assert.match(doc.skipReason ?? '', /nests more than 2/);
      doc.applyChanges([{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 2 } }, text: '' }], 2);
      assert.equal(doc.skipReason, undefined);
      doc.applyChanges([{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, text: '\u0000' }], 3);
      assert.match(doc.skipReason ?? '', /NUL/);
      doc.dispose();
    } finally {
      parseLimits.maxIndentLevels = limits;
    }
  });
});
