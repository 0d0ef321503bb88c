// Where the cursor sits, read from the Python text before it: the calls, dicts, lists and tuples
// open around it (outermost first), the argument or dict entry it is in, and the string literal
// it is typing, closed or not. A small bracket-aware lexer over the enclosing top-level statement
// does this, so half-typed lines (`wf.add_node("Prod` with no closing quote or parenthesis) read
// the same as finished ones, where tree-sitter's error recovery would give no dependable shape.

/** One argument of a call, entry of a dict, or item of a list/tuple. */
export interface Entry {
  /** Offset just after the opening bracket or the comma before it. */
  start: number;
  /** Offset of the comma that ends it (undefined: the entry the cursor or an inner frame is in). */
  end?: number;
  /** Call argument `name=value`: the keyword. */
  keyword?: string;
  /** Dict entry: the offset of its `:` (undefined while in key position). */
  colon?: number;
  /** Where the value starts (after `=` or `:`), else `start`. */
  valueStart: number;
}

export interface Frame {
  open: '(' | '[' | '{';
  at: number;
  /** For `(`: the dotted name called (`wf.add_node`, `db.express.list`, `DataFlow`); undefined for a tuple. */
  callee?: string;
  /** For a frame opened at statement level: `name = {` assigns it to `name`. */
  assignedTo?: string;
  entries: Entry[];
}

export interface StringAtCursor {
  /** Offset of the opening quote (after any prefix). */
  quoteAt: number;
  contentStart: number;
  /** Offset of the closing quote, or undefined when the string is not closed on its line. */
  closeAt?: number;
  prefix: string;
  /** The string's text from contentStart to the cursor. */
  typed: string;
}

export interface CursorContext {
  offset: number;
  /** Outermost first. */
  frames: Frame[];
  string?: StringAtCursor;
  /** The identifier being typed just before the cursor (outside strings). */
  word: { start: number; text: string };
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);
const IDENT_BEFORE = /([A-Za-z_][\w.]*)\s*$/;
const ASSIGN = /^\s*([A-Za-z_][\w.]*)\s*(?::[^=]*)?=\s*$/;

/**
 * Reads `text` from `from` (the start of a top-level statement, or 0) up to `offset`. Undefined
 * when the cursor is in a comment.
 */
export function cursorContext(text: string, from: number, offset: number): CursorContext | undefined {
  const frames: Frame[] = [];
  let statementStart = from;
  let i = from;
  const end = Math.min(offset, text.length);
  while (i < end) {
    const c = text[i];
    if (c === '#') {
      const eol = text.indexOf('\n', i);
      if (eol < 0 || eol >= end) return undefined;
      i = eol;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) { i += text[i + 1] === '\r' ? 3 : 2; continue; }
    if (c === '"' || c === "'" || (/[rRbBuUfF]/.test(c) && isStringStart(text, i))) {
      if (/\w/.test(text[i - 1] ?? '') && c !== '"' && c !== "'") { i++; continue; }
      let q = i;
      while (text[q] !== '"' && text[q] !== "'") q++;
      const prefix = text.slice(i, q);
      const quote = text[q];
      const triple = text.startsWith(quote.repeat(3), q);
      const contentStart = q + (triple ? 3 : 1);
      let j = contentStart;
      let closeAt: number | undefined;
      while (j < text.length) {
        const d = text[j];
        if (d === '\\') { j += 2; continue; }
        if (!triple && d === '\n') break;
        if (d === quote && (!triple || text.startsWith(quote.repeat(3), j))) { closeAt = j; break; }
        j++;
      }
      const stop = closeAt ?? j;
      if (offset >= contentStart && offset <= stop) {
        return { offset, frames, string: { quoteAt: q, contentStart, closeAt, prefix, typed: text.slice(contentStart, offset) }, word: { start: offset, text: '' } };
      }
      if (closeAt === undefined && !triple) {
        // A string left open at the end of its line is a broken (half-typed) line: Python stops
        // there, so the brackets it left open do not hold the lines after it.
        frames.length = 0;
        statementStart = j + 1;
      }
      i = closeAt === undefined ? j : closeAt + (triple ? 3 : 1);
      continue;
    }
    if (OPEN.has(c)) {
      const frame: Frame = { open: c as Frame['open'], at: i, entries: [{ start: i + 1, valueStart: i + 1 }] };
      if (c === '(') {
        const m = IDENT_BEFORE.exec(text.slice(Math.max(statementStart, i - 200), i));
        if (m && !/^(if|elif|while|for|in|not|and|or|return|yield|await|print|lambda|with|assert|del|is|else)$/.test(m[1])) frame.callee = m[1].replace(/^\.+/, '');
      }
      if (!frames.length) {
        const m = ASSIGN.exec(text.slice(statementStart, i));
        if (m) frame.assignedTo = m[1];
      }
      frames.push(frame);
      i++;
      continue;
    }
    if (CLOSE.has(c)) {
      frames.pop();
      i++;
      continue;
    }
    const top = frames[frames.length - 1];
    if (top) {
      const cur = top.entries[top.entries.length - 1];
      if (c === ',') {
        cur.end = i;
        top.entries.push({ start: i + 1, valueStart: i + 1 });
      } else if (c === ':' && top.open === '{' && cur.colon === undefined) {
        cur.colon = i;
        cur.valueStart = i + 1;
      } else if (c === '=' && top.open === '(' && cur.keyword === undefined && text[i + 1] !== '=' && !/[=!<>]/.test(text[i - 1] ?? '')) {
        const m = /^\s*([A-Za-z_]\w*)\s*$/.exec(text.slice(cur.start, i));
        if (m) { cur.keyword = m[1]; cur.valueStart = i + 1; }
      }
    } else if (c === '\n' || c === ';') {
      statementStart = i + 1;
    }
    i++;
  }
  const m = /[A-Za-z_]\w*$/.exec(text.slice(Math.max(0, end - 200), end));
  return { offset, frames, word: m ? { start: end - m[0].length, text: m[0] } : { start: end, text: '' } };
}

function isStringStart(text: string, i: number): boolean {
  const m = /^[rRbBuUfF]{1,2}["']/.exec(text.slice(i, i + 3));
  return !!m;
}

/** The Python value of a plain string literal (`"x"`, `'x'`, `r"x"`), or undefined. */
export function stringLiteral(src: string): string | undefined {
  const m = /^\s*[rRuU]?(["'])((?:[^"'\\\n]|\\.)*)\1\s*$/s.exec(src);
  return m ? m[2] : undefined;
}

/** The text of an entry's value (after `name=` / `key:`), up to its comma or `upTo`. */
export function entryValueText(text: string, e: Entry, upTo: number): string {
  return text.slice(e.valueStart, e.end ?? upTo);
}

/** The literal key of a dict entry (`"filter": ...`), when it is a plain string. */
export function entryKey(text: string, e: Entry): string | undefined {
  return e.colon === undefined ? undefined : stringLiteral(text.slice(e.start, e.colon));
}

/** Positional index of the last entry of a call frame (entries with a keyword are not counted). */
export function positionalIndex(frame: Frame): number {
  let n = 0;
  for (let k = 0; k < frame.entries.length - 1; k++) if (frame.entries[k].keyword === undefined) n++;
  return n;
}

/** The argument `index` (positional) or `keyword` of a call frame, as text. */
export function argumentText(text: string, frame: Frame, index: number, keyword: string | undefined, upTo: number): string | undefined {
  if (keyword) {
    const e = frame.entries.find((x) => x.keyword === keyword);
    if (e) return entryValueText(text, e, upTo);
  }
  let n = 0;
  for (const e of frame.entries) {
    if (e.keyword !== undefined) continue;
    if (n === index) return entryValueText(text, e, upTo);
    n++;
  }
  return undefined;
}
