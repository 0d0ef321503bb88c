// Converts between string offsets (UTF-16 code units, as tree-sitter and JS strings use)
// and LSP positions (line, UTF-16 character).
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export class LineIndex {
  private readonly starts: number[];
  /** The text has a `\r` not followed by `\n`: a line break for LSP (and Python), not for tree-sitter's rows. */
  readonly hasLoneCR: boolean;
  constructor(readonly text: string) {
    const starts = [0];
    let loneCR = false;
    if (text.indexOf('\r') === -1) {
      let i = text.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = text.indexOf('\n', i + 1);
      }
    } else {
      // LSP line breaks are \n, \r\n and a lone \r.
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          else loneCR = true;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
    this.hasLoneCR = loneCR;
  }

  /** tree-sitter's point (row, column) of an offset: only `\n` ends its rows. */
  pointAt(offset: number): { row: number; column: number } {
    if (!this.hasLoneCR) {
      const p = this.positionAt(offset);
      return { row: p.line, column: p.character };
    }
    offset = Math.max(0, Math.min(offset, this.text.length));
    let row = 0, start = 0;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) { row++; start = i + 1; }
    return { row, column: offset - start };
  }
  get lineCount(): number { return this.starts.length; }
  lineStart(line: number): number { return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]; }
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    if (pos.line < 0) return 0;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }
  range(start: number, end: number): Range { return { start: this.positionAt(start), end: this.positionAt(end) }; }
  /** The whitespace that starts the line holding `offset`. */
  indentAt(offset: number): string {
    const ls = this.starts[this.positionAt(offset).line];
    const m = /^[ \t]*/.exec(this.text.slice(ls, ls + 200));
    return m ? m[0] : '';
  }
}
