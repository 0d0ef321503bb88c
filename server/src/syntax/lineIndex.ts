// Converts between string offsets (UTF-16 code units, as tree-sitter and JS strings use)
// and LSP positions (line, UTF-16 character). Lines end at "\r\n", "\n" or a lone "\r", as the
// LSP specification and vscode-languageserver-textdocument count them (a client's positions
// after a lone "\r" are one line further than counting "\n" alone gives).
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** The index of the first element of the ascending `a` that is at least `x` (a.length if none). */
function firstAtOrAfter(a: readonly number[], x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export class LineIndex {
  private readonly starts: number[];
  constructor(readonly text: string, starts?: number[]) {
    if (starts) { this.starts = starts; return; }
    starts = [0];
    const re = /\r\n?|\n/g;
    for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
    this.starts = starts;
  }

  /**
   * The index of `text`, this index's text with [start, oldEnd) replaced by [start, newEnd) of
   * `text`, without reading the rest of it: whether p starts a line depends on the characters at
   * p - 1 and p only, so line starts before `start` are kept, those after `oldEnd` are shifted,
   * and only the positions start..newEnd are looked at.
   */
  edited(text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const old = this.starts;
    const before = firstAtOrAfter(old, start); // line starts before `start` are kept
    const after = firstAtOrAfter(old, oldEnd + 1); // those past `oldEnd` are shifted
    const inserted: number[] = start === 0 ? [0] : [];
    for (let p = Math.max(1, start); p <= newEnd; p++) {
      const c = text.charCodeAt(p - 1);
      if (c === 10 || (c === 13 && text.charCodeAt(p) !== 10)) inserted.push(p);
    }
    const tail = old.slice(after);
    const delta = newEnd - oldEnd;
    if (delta !== 0) for (let i = 0; i < tail.length; i++) tail[i] += delta;
    const starts = old.slice(0, before).concat(inserted, tail);
    return new LineIndex(text, starts);
  }
  get lineCount(): number { return this.starts.length; }
  lineStart(line: number): number { return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]; }
  private lineOf(offset: number): number {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  /** An offset inside a "\r\n" is moved before it, as vscode-languageserver-textdocument does. */
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(offset);
    return { line, character: this.beforeEol(offset, this.starts[line]) - this.starts[line] };
  }
  /**
   * Tree-sitter's point of an offset in the text PythonDocument parses (a lone "\r" read as "\n"):
   * the same line as `positionAt`, the column not moved out of a "\r\n".
   */
  pointAt(offset: number): { row: number; column: number } {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(offset);
    return { row: line, column: offset - this.starts[line] };
  }
  /** A character past the end of the line means its end (before its line break). */
  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    if (pos.line < 0) return 0;
    const start = this.starts[pos.line];
    if (pos.character <= 0) return start;
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return this.beforeEol(Math.min(start + pos.character, next), start);
  }
  private beforeEol(offset: number, lineStart: number): number {
    while (offset > lineStart) {
      const c = this.text.charCodeAt(offset - 1);
      if (c !== 10 && c !== 13) break;
      offset--;
    }
    return offset;
  }
  range(start: number, end: number): Range { return { start: this.positionAt(start), end: this.positionAt(end) }; }
  /** The whitespace that starts the line holding `offset`. */
  indentAt(offset: number): string {
    const ls = this.starts[this.positionAt(offset).line];
    const m = /^[ \t]*/.exec(this.text.slice(ls, ls + 200));
    return m ? m[0] : '';
  }
}
