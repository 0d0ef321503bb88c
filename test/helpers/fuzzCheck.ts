// The in-process half of the incremental-vs-fresh fuzz: one SourceFile edited through LSP-style
// range changes (positions computed by vscode-languageserver-textdocument, as a client computes
// them) against a fresh SourceFile of the same text after every edit. Compares the text the server
// holds, facts, findings, fix edits and the positions findings are reported at; counts edits whose
// analysis took pathologically longer than a fresh analysis of the same text. And a reducer that
// shrinks a failing edit history to a minimal one.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SourceFile } from '../../server/src/model/sourceFile';
import { analyzeFile } from '../../server/src/analysis/engine';
import type { Finding } from '../../server/src/analysis/finding';
import { resolveFix } from '../../server/src/analysis/fixResolution';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { applyEdit, type Edit } from './fuzzGen';

export type MismatchKind = 'text' | 'crash' | 'positions' | 'facts' | 'findings' | 'fixes';

export interface StepResult {
  /** The first real mismatch of this edit, if any (the trees were equal, or it is not about trees). */
  mismatch?: { kind: MismatchKind; detail: string };
  /** tree-sitter's incremental tree differs from its fresh parse (history-dependent error recovery): counted, not a failure. */
  treeDivergence: boolean;
  incrementalMs: number;
  freshMs: number;
}

const URI = 'file:///fuzz/service.py';

interface Analysed { findings: Finding[]; facts: string; fixes: string; tree: string }

function factsOf(file: SourceFile): string {
  // Assignment values are converted when first read (model/deferredValue.ts): read them all, so
  // a reused, shifted statement's values are compared with a fresh extraction's.
  for (const a of file.facts.assignments) void a.value;
  return JSON.stringify(file.facts.statements, (k, v) => (k === 'spans' ? undefined : v));
}
const findingsOf = (fs: Finding[]) => JSON.stringify(fs.map((f) => ({ code: f.code, span: f.span, message: f.message, severity: f.severity })));
function fixesOf(fs: Finding[], ws: WorkspaceModel): string {
  return JSON.stringify(fs.map((f) => {
    const fix = resolveFix(f, ws);
    return fix ? { title: fix.title, edits: fix.edits.map((fe) => fe.edits) } : f.noFixReason ?? null;
  }));
}
export const brief = (fs: Finding[]) => fs.map((f) => `${f.code}@${f.span.start}-${f.span.end}`).join(' ');

/** The first difference of two strings, with a little context. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

export function analyseFresh(text: string, fixes = true): Analysed & { ms: number } {
  const t0 = performance.now();
  const ws = new WorkspaceModel();
  const file = SourceFile.create(URI, text, 0);
  ws.set(file);
  const findings = analyzeFile(file, ws, defaultSettings());
  const ms = performance.now() - t0;
  const out = { findings, facts: factsOf(file), fixes: fixes ? fixesOf(findings, ws) : '', tree: file.doc.tree?.rootNode.toString() ?? '', ms };
  ws.delete(file.uri);
  file.dispose();
  return out;
}

export class InProcessSession {
  readonly ws = new WorkspaceModel();
  file: SourceFile;
  client: TextDocument;
  private version = 0;

  constructor(text: string) {
    this.file = SourceFile.create(URI, text, 0);
    this.client = TextDocument.create(URI, 'python', 0, text);
    this.ws.set(this.file);
    analyzeFile(this.file, this.ws, defaultSettings());
  }

  get text(): string { return this.client.getText(); }

  /** Applies one edit (as the client sends it) and compares everything with a fresh analysis. */
  step(e: Edit, compareFixes = true): StepResult {
    const before = this.client.getText();
    const expected = applyEdit(before, e);
    const change = { range: { start: this.client.positionAt(e.at), end: this.client.positionAt(e.at + e.removed.length) }, text: e.inserted };
    this.version++;
    // A fresh client document per version: TextDocument.update counts a "\r" inserted before a
    // "\n" (or a "\n" after a "\r") as two line breaks, where the text has one "\r\n".
    this.client = TextDocument.create(URI, 'python', this.version, expected);
    let findings: Finding[];
    const t0 = performance.now();
    try {
      this.file.applyChanges([change], this.version);
      this.ws.changed(this.file);
      findings = analyzeFile(this.file, this.ws, defaultSettings());
    } catch (err) {
      return { mismatch: { kind: 'crash', detail: (err as Error).stack ?? String(err) }, treeDivergence: false, incrementalMs: 0, freshMs: 0 };
    }
    const incrementalMs = performance.now() - t0;
    if (this.file.text !== expected) return { mismatch: { kind: 'text', detail: firstDifference(this.file.text, expected) }, treeDivergence: false, incrementalMs, freshMs: 0 };
    let want: ReturnType<typeof analyseFresh>;
    try { want = analyseFresh(expected, compareFixes); } catch (err) {
      return { mismatch: { kind: 'crash', detail: `fresh: ${(err as Error).stack ?? err}` }, treeDivergence: false, incrementalMs, freshMs: 0 };
    }
    const result: StepResult = { treeDivergence: false, incrementalMs, freshMs: want.ms };
    // Positions: where the server reports each finding is where the client puts those offsets.
    for (const f of findings) {
      for (const o of [f.span.start, f.span.end]) {
        const got = this.file.doc.lines.positionAt(o), exp = this.client.positionAt(o);
        if (got.line !== exp.line || got.character !== exp.character) {
          result.mismatch = { kind: 'positions', detail: `${f.code} offset ${o}: server ${got.line}:${got.character}, client ${exp.line}:${exp.character}` };
          return result;
        }
      }
    }
    const got = { facts: factsOf(this.file), findings: findingsOf(findings), fixes: compareFixes ? fixesOf(findings, this.ws) : '' };
    const diffs: Array<[MismatchKind, string, string]> = [['facts', got.facts, want.facts], ['findings', got.findings, findingsOf(want.findings)], ['fixes', got.fixes, want.fixes]];
    const bad = diffs.find(([, a, b]) => a !== b);
    if (!bad) return result;
    if ((this.file.doc.tree?.rootNode.toString() ?? '') !== want.tree) { result.treeDivergence = true; return result; }
    result.mismatch = { kind: bad[0], detail: bad[0] === 'findings' ? `incremental [${brief(findings)}] vs fresh [${brief(want.findings)}]` : firstDifference(bad[1], bad[2]) };
    return result;
  }

  dispose(): void { this.ws.delete(this.file.uri); this.file.dispose(); }
}

/**
 * Replays `edits` on `initial` in a fresh session: the first real mismatch (its index and kind),
 * or undefined. An edit that no longer applies ends the replay without a mismatch.
 */
export function replay(initial: string, edits: readonly Edit[]): { index: number; kind: MismatchKind; detail: string } | undefined {
  const s = new InProcessSession(initial);
  try {
    let text = initial;
    for (let i = 0; i < edits.length; i++) {
      const e = edits[i];
      if (text.slice(e.at, e.at + e.removed.length) !== e.removed) return undefined;
      const r = s.step(e);
      text = applyEdit(text, e);
      if (r.mismatch) return { index: i, ...r.mismatch };
    }
    return undefined;
  } catch {
    return undefined;
  } finally { s.dispose(); }
}

/** Replays a history without comparisons and times its last edit and a fresh analysis of the result. */
export function retime(initial: string, edits: readonly Edit[]): { incrementalMs: number; freshMs: number } {
  const ws = new WorkspaceModel();
  const file = SourceFile.create(URI, initial, 0);
  ws.set(file);
  analyzeFile(file, ws, defaultSettings());
  let text = initial, incrementalMs = 0;
  edits.forEach((e, i) => {
    const client = TextDocument.create(URI, 'python', i, text);
    const change = { range: { start: client.positionAt(e.at), end: client.positionAt(e.at + e.removed.length) }, text: e.inserted };
    text = applyEdit(text, e);
    const t0 = performance.now();
    file.applyChanges([change], i + 1);
    ws.changed(file);
    analyzeFile(file, ws, defaultSettings());
    incrementalMs = performance.now() - t0;
  });
  ws.delete(file.uri);
  file.dispose();
  return { incrementalMs: Math.round(incrementalMs), freshMs: Math.round(analyseFresh(text, false).ms) };
}

/** A failing history: a start text and the edits after which `kind` shows on the last one. */
export interface Case { initial: string; edits: Edit[] }

/** Removes [a, b) of the initial text, moving the edits; undefined when an edit touches it. */
function withoutChunk(c: Case, a: number, b: number): Case | undefined {
  let lo = a, hi = b;
  const edits: Edit[] = [];
  for (const e of c.edits) {
    const end = e.at + e.removed.length;
    if (end <= lo) { const d = e.inserted.length - e.removed.length; lo += d; hi += d; edits.push(e); }
    else if (e.at >= hi) edits.push({ ...e, at: e.at - (hi - lo) });
    else return undefined;
  }
  return { initial: c.initial.slice(0, a) + c.initial.slice(b), edits };
}

/** Drops edit i, moving the later ones; undefined when a later edit depends on it. */
function withoutEdit(c: Case, i: number): Case | undefined {
  const x = c.edits[i];
  const xs = x.at, xe = x.at + x.inserted.length; // what x produced, in the text after it
  const edits = c.edits.slice(0, i);
  let lo = xs, hi = xe;
  for (const e of c.edits.slice(i + 1)) {
    const end = e.at + e.removed.length;
    if (end <= lo) { const dd = e.inserted.length - e.removed.length; lo += dd; hi += dd; edits.push(e); }
    else if (e.at >= hi) edits.push({ ...e, at: e.at - (hi - lo) + x.removed.length });
    else return undefined;
  }
  return { initial: c.initial, edits };
}

/** Starts the history later: the text before edit i becomes the initial text. */
function fromEdit(c: Case, i: number): Case {
  let text = c.initial;
  for (const e of c.edits.slice(0, i)) text = applyEdit(text, e);
  return { initial: text, edits: c.edits.slice(i) };
}

/**
 * Shrinks a failing case while `fails` holds (it returns the index of the failing edit): later starting points, fewer edits, then fewer
 * lines and characters of the initial text (delta debugging over line chunks, then characters).
 * `budget` bounds the number of replays.
 */
export function reduce(c: Case, fails: (c: Case) => number | undefined, budget = 4000): Case {
  let tries = 0;
  const ok = (x: Case | undefined): x is Case => {
    if (!x || tries++ >= budget) return false;
    const at = fails(x);
    if (at === undefined) return false;
    x.edits = x.edits.slice(0, at + 1); // what follows the failing edit is not needed
    return true;
  };
  // The latest starting point that still fails (binary search is unsound for non-monotone
  // failures, so walk down from the end).
  for (let i = c.edits.length - 1; i > 0; i--) { const x = fromEdit(c, i); if (ok(x)) { c = x; break; } }
  for (let i = c.edits.length - 2; i >= 0; i--) { const x = withoutEdit(c, i); if (ok(x)) c = x; }
  for (const unit of ['line', 'char'] as const) {
    let chunks = unit === 'line' ? 8 : 16;
    for (;;) {
      const cuts = unit === 'line' ? lineCuts(c.initial) : [...Array(c.initial.length + 1).keys()];
      const n = cuts.length - 1;
      if (n < 1) break;
      chunks = Math.min(chunks, n);
      let progressed = false;
      const size = Math.ceil(n / chunks);
      for (let k = n - size; k > -size; k -= size) {
        const from = Math.max(0, k);
        const x = withoutChunk(c, cuts[from], cuts[Math.min(n, from + size)]);
        if (ok(x)) { c = x; progressed = true; }
      }
      if (tries >= budget) return c;
      if (!progressed) { if (size === 1) break; chunks *= 2; }
    }
  }
  return c;
}

function lineCuts(text: string): number[] {
  const cuts = [0];
  const re = /\r\n?|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) cuts.push(m.index + m[0].length);
  if (cuts[cuts.length - 1] !== text.length) cuts.push(text.length);
  return cuts;
}

/** A reduced case as TypeScript source for a regression test. */
export function caseSource(c: Case): string {
  return `{ initial: ${JSON.stringify(c.initial)}, edits: ${JSON.stringify(c.edits.map(({ at, removed, inserted, kind }) => ({ at, removed, inserted, kind })))} }`;
}

export interface FuzzFinding { seed: number; file: number; edit: number; kind: MismatchKind; detail: string; reduced?: Case }
export interface FuzzStats {
  edits: number;
  files: number;
  treeDivergences: number;
  /** Edits whose incremental analysis took more than slowRatio × a fresh analysis (and over slowMinMs). */
  /** `again`: the same history replayed in a new file, the last edit timed again (GC pauses are not repeatable). */
  slow: Array<{ file: number; edit: number; kind: string; incrementalMs: number; freshMs: number; again?: { incrementalMs: number; freshMs: number } }>;
  findings: FuzzFinding[];
  byKind: Record<string, number>;
  ms: number;
}

export interface FuzzOptions {
  seed: number;
  edits: number;
  /** Edits per generated module (a new module after this many or after a mismatch). */
  perFile?: number;
  /** Top-level functions per generated module (larger files); default 4-10. */
  functions?: number;
  /** Compare fix edits after every n-th edit only (resolving every fix twice per edit is most of the time). */
  fixesEvery?: number;
  reduce?: boolean;
  slowRatio?: number;
  slowMinMs?: number;
  /** Called after each file with the stats so far (progress). */
  progress?: (s: FuzzStats) => void;
}

/** The in-process fuzz: generated modules, random edit scripts, every edit compared with a fresh analysis. */
export function runInProcess(o: FuzzOptions, gen: { generateModule: (rnd: () => number, eol?: 'lf' | 'crlf' | 'mixed', functions?: number) => string; editScript: (rnd: () => number, text: string, n: number) => Edit[]; prng: (seed: number) => () => number }): FuzzStats {
  const t0 = performance.now();
  const perFile = o.perFile ?? 250, slowRatio = o.slowRatio ?? 5, slowMinMs = o.slowMinMs ?? 50;
  const stats: FuzzStats = { edits: 0, files: 0, treeDivergences: 0, slow: [], findings: [], byKind: {}, ms: 0 };
  for (let file = 0; stats.edits < o.edits; file++) {
    const rnd = gen.prng(o.seed * 7919 + file);
    const initial = o.functions ? gen.generateModule(rnd, (['lf', 'crlf', 'mixed'] as const)[file % 3], o.functions) : gen.generateModule(rnd);
    const edits = gen.editScript(rnd, initial, Math.min(perFile, o.edits - stats.edits));
    stats.files++;
    const s = new InProcessSession(initial);
    try {
      for (let i = 0; i < edits.length; i++) {
        const e = edits[i];
        stats.edits++;
        stats.byKind[e.kind] = (stats.byKind[e.kind] ?? 0) + 1;
        const r = s.step(e, i % (o.fixesEvery ?? 1) === 0);
        if (r.treeDivergence) stats.treeDivergences++;
        if (r.incrementalMs > slowMinMs && r.incrementalMs > slowRatio * r.freshMs) stats.slow.push({ file, edit: i, kind: e.kind, incrementalMs: Math.round(r.incrementalMs), freshMs: Math.round(r.freshMs) });
        if (!r.mismatch) continue;
        const found: FuzzFinding = { seed: o.seed, file, edit: i, ...r.mismatch };
        if (o.reduce !== false) {
          const kind = r.mismatch.kind;
          found.reduced = reduce({ initial, edits: edits.slice(0, i + 1) }, (c) => { const x = replay(c.initial, c.edits); return x?.kind === kind ? x.index : undefined; });
        }
        stats.findings.push(found);
        break;
      }
    } finally { s.dispose(); }
    for (const slow of stats.slow.filter((x) => x.file === file).slice(0, 3)) slow.again = retime(initial, edits.slice(0, slow.edit + 1));
    o.progress?.(stats);
  }
  stats.ms = performance.now() - t0;
  return stats;
}
