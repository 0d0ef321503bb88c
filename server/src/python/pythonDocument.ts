// One Python file: its text, its tree-sitter tree, kept current by incremental re-parsing
// (tree.edit + parser.parse(text, oldTree)) on every change.
import { Edit, Parser, Tree } from 'web-tree-sitter';
import { createPythonParser } from './parser';
import { LineIndex, Range } from './lineIndex';

export interface TextChange {
  /** Absent: the whole document is replaced. */
  range?: Range;
  text: string;
}

/** Offsets of one applied change: [start, oldEnd) was replaced by [start, newEnd). */
export interface AppliedEdit { start: number; oldEnd: number; newEnd: number }

/** Files larger than this are not parsed: analysis of them is skipped with a reason. */
export const MAX_ANALYZED_CHARS = 8 * 1024 * 1024;

export function looksBinary(text: string): boolean {
  return text.indexOf('\u0000') !== -1;
}

export class PythonDocument {
  private parser_: Parser | undefined;
  private tree_: Tree | null = null;
  /** False until the tree is first needed (documents created with `parse: false`). */
  private parsed = false;
  private lines_: LineIndex | undefined;
  /** Why this document is not analysed (binary, too large), or undefined. */
  skipReason: string | undefined;
  /**
   * Offset ranges (in the new text) whose syntax changed in the last incremental parse, as
   * tree-sitter reports them: a statement outside the edit can still be re-parsed differently.
   */
  changedRanges: Array<{ start: number; end: number }> = [];

  private constructor(readonly uri: string, private text_: string, public version: number, parse: boolean) {
    if (parse) this.reparse(undefined);
    else this.skipReason = skipReasonOf(text_);
  }

  /**
   * `parse: false` defers parsing until `tree` is first read (files that never mention DataFlow
   * are read for their imports only and never need a tree).
   */
  static create(uri: string, text: string, version = 0, parse = true): PythonDocument {
    return new PythonDocument(uri, text, version, parse);
  }

  private get parser(): Parser {
    if (!this.parser_) this.parser_ = createPythonParser();
    return this.parser_;
  }

  get text(): string { return this.text_; }
  get tree(): Tree | null {
    if (!this.parsed) this.reparse(undefined);
    return this.tree_;
  }
  get lines(): LineIndex {
    if (!this.lines_) this.lines_ = new LineIndex(this.text_);
    return this.lines_;
  }

  /** Applies LSP-style changes in order and re-parses incrementally. Returns the edits as offsets. */
  applyChanges(changes: readonly TextChange[], version: number): AppliedEdit[] | undefined {
    this.version = version;
    const edits: AppliedEdit[] = [];
    let full = false;
    for (const change of changes) {
      if (!change.range) {
        this.text_ = change.text;
        this.lines_ = undefined;
        full = true;
        continue;
      }
      const lines = this.lines;
      const start = lines.offsetAt(change.range.start);
      const oldEnd = lines.offsetAt(change.range.end);
      const startPosition = lines.positionAt(start);
      const oldEndPosition = lines.positionAt(oldEnd);
      this.text_ = this.text_.slice(0, start) + change.text + this.text_.slice(oldEnd);
      this.lines_ = undefined;
      const newEnd = start + change.text.length;
      const newEndPosition = this.lines.positionAt(newEnd);
      edits.push({ start, oldEnd, newEnd });
      if (this.parsed && this.tree_ && !full) {
        this.tree_.edit(new Edit({
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: newEnd,
          startPosition: { row: startPosition.line, column: startPosition.character },
          oldEndPosition: { row: oldEndPosition.line, column: oldEndPosition.character },
          newEndPosition: { row: newEndPosition.line, column: newEndPosition.character },
        }));
      }
    }
    if (this.parsed) this.reparse(full ? undefined : this.tree_ ?? undefined);
    else this.skipReason = skipReasonOf(this.text_);
    return full ? undefined : edits;
  }

  private reparse(old: Tree | undefined): void {
    this.parsed = true;
    this.skipReason = skipReasonOf(this.text_);
    if (this.skipReason) {
      this.tree_?.delete();
      this.tree_ = null;
      return;
    }
    const next = this.parser.parse(this.text_, old ?? null);
    this.changedRanges = old && next ? old.getChangedRanges(next).map((r) => ({ start: r.startIndex, end: r.endIndex })) : [];
    if (old && old !== next) old.delete();
    else if (this.tree_ && this.tree_ !== next) this.tree_.delete();
    this.tree_ = next;
  }

  dispose(): void {
    this.tree_?.delete();
    this.tree_ = null;
    this.parser_?.delete();
    this.parser_ = undefined;
  }
}

function skipReasonOf(text: string): string | undefined {
  if (looksBinary(text)) return 'the file contains NUL bytes (binary?)';
  if (text.length > MAX_ANALYZED_CHARS) return `the file is larger than ${MAX_ANALYZED_CHARS / 1024 / 1024} MB`;
  return undefined;
}
