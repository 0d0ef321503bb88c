/**
 * yaml.dump / yaml.safe_dump in block style (PyYAML >= 5.1's default_flow_style=False): PyYAML's
 * representer for None, bool, int, float, str, list and dict (tuples for safe_dump), then its
 * emitter (yaml/emitter.py) line for line for what those produce: the choice between plain,
 * single- and double-quoted scalars (analyze_scalar / choose_scalar_style), folding at `width`,
 * indentless sequences in mappings, `[]` / `{}` for empty collections, `...` after a plain root
 * scalar. Flow style, tags (PyYAML's !!python/tuple, objects, bytes), anchors for a container met
 * twice, complex keys and encodings are unsupported (exit 2).
 */
import { PyDict, PyFloat, PyList, PyTuple, type PyValue, type SourceLocation } from '../values';
import { toPyException, unsupported } from '../runtime';
import { floatRepr } from '../numeric';

type YNode = { kind: 'scalar'; value: string; tag: string; implicit: boolean } | { kind: 'seq'; items: YNode[] } | { kind: 'map'; pairs: [YNode, YNode][] };

export interface DumpOptions {
  safe: boolean;
  sortKeys: boolean;
  indent: number;
  width: number;
  allowUnicode: boolean;
  explicitStart: boolean;
  explicitEnd: boolean;

  /** PyYAML's resolver: whether a plain scalar reads back as a str (else a str must be quoted). */
  plainIsStr: (value: string) => boolean;
  /** Python's ordering of two keys (TypeError when they do not compare). */
  compare: (a: PyValue, b: PyValue) => number;
}

function scalar(value: string, tag: string, opts: DumpOptions): YNode {
  return { kind: 'scalar', value, tag, implicit: tag !== '!!str' || opts.plainIsStr(value) };
}

/** PyYAML's represent_float. */
function floatText(v: number): string {
  if (Number.isNaN(v)) return '.nan';
  if (v === Infinity) return '.inf';
  if (v === -Infinity) return '-.inf';
  let t = floatRepr(v).toLowerCase();
  if (!t.includes('.') && t.includes('e')) t = t.replace('e', '.0e');
  return t;
}

function represent(v: PyValue, opts: DumpOptions, loc: SourceLocation | undefined, seen: Set<object>): YNode {
  if (v === null) return scalar('null', '!!null', opts);
  if (typeof v === 'boolean') return scalar(v ? 'true' : 'false', '!!bool', opts);
  if (typeof v === 'number' || typeof v === 'bigint') return scalar(String(v), '!!int', opts);
  if (typeof v === 'string') return scalar(v, '!!str', opts);
  if (v instanceof PyFloat) return scalar(floatText(v.v), '!!float', opts);
  const isList = v instanceof PyList && v.constructor === PyList;
  const isTuple = v instanceof PyTuple;
  if (isTuple && !opts.safe) throw unsupported('yaml.dump of a tuple', loc, "PyYAML's Dumper tags it !!python/tuple");
  if (isList || isTuple || (v instanceof PyDict && v.constructor === PyDict)) {
    if (seen.has(v)) throw unsupported('yaml dumping a list or dict that appears twice', loc, 'PyYAML writes an anchor and an alias for it');
    seen.add(v);
    if (v instanceof PyDict) {
      let entries = v.entries();
      if (opts.sortKeys) {
        // sorted(mapping.items()); a TypeError (keys of mixed types) leaves the order as it is
        try {
          entries = [...entries].sort(([a], [b]) => opts.compare(a, b));
        } catch (e) {
          if (toPyException(e)?.pyType !== 'TypeError') throw e;
        }
      }
      return { kind: 'map', pairs: entries.map(([k, x]) => [represent(k, opts, loc, seen), represent(x, opts, loc, seen)]) };
    }
    return { kind: 'seq', items: (v as PyList | PyTuple).items.map((x) => represent(x, opts, loc, seen)) };
  }
  throw unsupported(`yaml dumping a '${typeNameOf(v)}' value`, loc, 'only None, bool, int, float, str, list and dict are modelled');
}

function typeNameOf(v: PyValue): string {
  return v !== null && typeof v === 'object' ? v.typeName : typeof v;
}

interface Analysis {
  scalar: string[];
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

class Emitter {
  /** What PyYAML's emitter hands stream.write(), call by call. */
  out: string[] = [];
  column = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  indent: number | null = null;
  indents: (number | null)[] = [];
  flowLevel = 0;
  rootContext = false;
  mappingContext = false;
  simpleKeyContext = false;

  constructor(
    readonly opts: DumpOptions,
    readonly loc: SourceLocation | undefined,
  ) {}

  document(root: YNode): string[] {
    if (this.opts.explicitStart) {
      this.writeIndent();
      this.writeIndicator('---', true);
    }
    this.node(root, true, false, false);
    this.writeIndent();
    if (this.opts.explicitEnd) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    if (this.openEnded) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    return this.out;
  }

  node(n: YNode, root: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (n.kind === 'scalar') {
      this.increaseIndent(true);
      this.processScalar(n);
      this.indent = this.indents.pop()!;
      return;
    }
    const empty = n.kind === 'seq' ? n.items.length === 0 : n.pairs.length === 0;
    if (empty) {
      this.writeIndicator(n.kind === 'seq' ? '[' : '{', true, true);
      this.flowLevel++;
      this.increaseIndent(true);
      this.indent = this.indents.pop()!;
      this.flowLevel--;
      this.writeIndicator(n.kind === 'seq' ? ']' : '}', false);
      return;
    }
    if (n.kind === 'seq') {
      this.increaseIndent(false, this.mappingContext && !this.indention);
      for (const item of n.items) {
        this.writeIndent();
        this.writeIndicator('-', true, false, true);
        this.node(item, false, false, false);
      }
      this.indent = this.indents.pop()!;
      return;
    }
    this.increaseIndent(false);
    for (const [k, v] of n.pairs) {
      this.writeIndent();
      if (!this.simpleKey(k)) throw unsupported('yaml dumping a key PyYAML writes as a complex key (`? `)', this.loc, 'an empty, multi-line or long key');
      this.node(k, false, true, true);
      this.writeIndicator(':', false);
      this.node(v, false, true, false);
    }
    this.indent = this.indents.pop()!;
  }

  /** check_simple_key: a scalar under 128 characters with its tag, neither empty nor multi-line. */
  simpleKey(k: YNode): boolean {
    if (k.kind !== 'scalar') return false;
    const a = this.analyze(k.value);
    return k.tag.length + a.scalar.length < 128 && !a.empty && !a.multiline;
  }

  increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.opts.indent : 0;
    else if (!indentless) this.indent += this.opts.indent;
  }

  processScalar(n: YNode & { kind: 'scalar' }): void {
    const a = this.analyze(n.value);
    const split = !this.simpleKeyContext;
    const plainOk = this.flowLevel ? a.allowFlowPlain : a.allowBlockPlain;
    if (n.implicit && !(this.simpleKeyContext && (a.empty || a.multiline)) && plainOk) this.writePlain(a.scalar, split);
    else if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) this.writeSingleQuoted(a.scalar, split);
    else this.writeDoubleQuoted(a.scalar, split);
  }

  analyze(value: string): Analysis {
    const s = Array.from(value);
    if (s.length === 0) return { scalar: s, empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
    let blockIndicators = false;
    let flowIndicators = false;
    let lineBreaks = false;
    let special = false;
    let leadingSpace = false;
    let leadingBreak = false;
    let trailingSpace = false;
    let trailingBreak = false;
    let breakSpace = false;
    let spaceBreak = false;
    if (value.startsWith('---') || value.startsWith('...')) blockIndicators = flowIndicators = true;
    let precededByWs = true;
    let followedByWs = s.length === 1 || SPACE_OR_BREAK.includes(s[1]);
    let previousSpace = false;
    let previousBreak = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (i === 0) {
        if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
        if ('?:'.includes(ch)) {
          flowIndicators = true;
          if (followedByWs) blockIndicators = true;
        }
        if (ch === '-' && followedByWs) flowIndicators = blockIndicators = true;
      } else {
        if (',?[]{}'.includes(ch)) flowIndicators = true;
        if (ch === ':') {
          flowIndicators = true;
          if (followedByWs) blockIndicators = true;
        }
        if (ch === '#' && precededByWs) flowIndicators = blockIndicators = true;
      }
      if (BREAKS.includes(ch)) lineBreaks = true;
      const cp = ch.codePointAt(0)!;
      if (!(ch === '\n' || (cp >= 0x20 && cp <= 0x7e))) {
        const unicode = (cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp < 0x10ffff)) && cp !== 0xfeff;
        if (!unicode || !this.opts.allowUnicode) special = true;
      }
      if (ch === ' ') {
        if (i === 0) leadingSpace = true;
        if (i === s.length - 1) trailingSpace = true;
        if (previousBreak) breakSpace = true;
        previousSpace = true;
        previousBreak = false;
      } else if (BREAKS.includes(ch)) {
        if (i === 0) leadingBreak = true;
        if (i === s.length - 1) trailingBreak = true;
        if (previousSpace) spaceBreak = true;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWs = SPACE_OR_BREAK.includes(ch);
      followedByWs = i + 2 >= s.length || SPACE_OR_BREAK.includes(s[i + 2]);
    }
    let allowFlowPlain = true;
    let allowBlockPlain = true;
    let allowSingleQuoted = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
    if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
    if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
    if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
    if (flowIndicators) allowFlowPlain = false;
    if (blockIndicators) allowBlockPlain = false;
    return { scalar: s, empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
  }

  write(data: string, width = Array.from(data).length): void {
    this.column += width;
    this.out.push(data);
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
    this.write(data);
  }

  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.out.push(data);
  }

  /** Line breaks inside a quoted scalar: a lone '\n' is written as an empty line (folding). */
  writeBreaks(text: string[], start: number, end: number): void {
    if (text[start] === '\n') this.writeLineBreak();
    for (let i = start; i < end; i++) this.writeLineBreak(text[i] === '\n' ? '\n' : text[i]);
    this.writeIndent();
  }

  writePlain(text: string[], split: boolean): void {
    if (this.rootContext) this.openEnded = true;
    if (text.length === 0) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.opts.width && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(text.slice(start, end).join(''));
          start = end;
        }
      } else if (ch === undefined || ch === ' ') {
        this.write(text.slice(start, end).join(''));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  writeSingleQuoted(text: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > this.opts.width && split && start !== 0 && end !== text.length) this.writeIndent();
          else this.write(text.slice(start, end).join(''));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.writeBreaks(text, start, end);
          start = end;
        }
      } else if (ch === undefined || ch === ' ' || BREAKS.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(text.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  writeDoubleQuoted(text: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      const cp = ch === undefined ? 0 : ch.codePointAt(0)!;
      const plain = ch !== undefined && !'"\\\x85\u2028\u2029\ufeff'.includes(ch) && ((cp >= 0x20 && cp <= 0x7e) || (this.opts.allowUnicode && ((cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd))));
      if (!plain) {
        if (start < end) {
          this.write(text.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          const esc = ESCAPES[ch];
          const hex = (w: number) => cp.toString(16).toUpperCase().padStart(w, '0');
          const data = esc !== undefined ? `\\${esc}` : cp <= 0xff ? `\\x${hex(2)}` : cp <= 0xffff ? `\\u${hex(4)}` : `\\U${hex(8)}`;
          this.write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < text.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.opts.width && split) {
        const data = text.slice(start, end).join('') + '\\';
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (text[start] === ' ') this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0A': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\x0D': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** The pieces of YAML text yaml.dump(data, **opts) writes to its stream, in order. */
export function dumpYaml(data: PyValue, opts: DumpOptions, loc: SourceLocation | undefined): string[] {
  return new Emitter(opts, loc).document(represent(data, opts, loc, new Set()));
}
