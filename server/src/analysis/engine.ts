// The analysis engine shared by the language server and the CLI: runs every rule over a file
// against the workspace model and drops suppressed findings.
//
// Rules run per top-level statement, and a statement's findings are reused after an edit
// elsewhere as long as the statement's facts are the same objects (the extractor reused them)
// and nothing they may depend on outside the statement changed: the workspace's models and what
// model names resolve to (files, imports), the file's module-level bindings and imports, and the
// settings.
import type { AnalysisSettings } from '../settings';
import type { SourceFile } from '../model/sourceFile';
import type { StatementFacts } from '../model/facts';
import type { WorkspaceModel } from '../model/workspaceModel';
import { importsDataFlow, type RuleContext } from '../rules/ruleContext';
import { crossStatementKey } from '../rules/loopFacts';
import type { Finding } from './finding';
import type { Span } from '../model/staticExpr';
import { RULES, ruleSpecByCode } from '../rules';
import { forgetFixes } from './fixResolution';
import { suppressionsOf } from './suppression';
import { modelWrites } from '../rules/staleCacheKey';
import { checkedParts } from '../model/extractStatement';
import { crossStatementKey as nameCrossStatementKey } from '../rules/nameCheck';

/**
 * One statement's findings as its rules made them. `start`: where the statement began then.
 * `spans`: each finding's span then (a finding's span may be a fact span, which the extractor
 * shifts in place when text before the statement changes, or an object of the rule's own: the
 * engine never mutates either, it gives a moved finding a new span from this copy). `fixes` and
 * `reasons`: each finding's fix function and noFixReason as the rule made them. `version`: of
 * the file when the findings were last handed out; their fixes (which read the whole file:
 * references elsewhere, free names) are computed again for another version.
 */
interface Cached {
  key: string;
  start: number;
  version: number;
  findings: Finding[];
  spans: Span[];
  fixes: Array<Finding['fix']>;
  reasons: Array<string | undefined>;
  /** The statement is checked again only if it moved and a finding cannot move with it. */
  movable: boolean;
}
const cache = new WeakMap<StatementFacts, Cached>();

/** Settings as a key part, made once per settings object (the language server keeps one per folder). */
const settingsKeys = new WeakMap<AnalysisSettings, string>();
function settingsKey(settings: AnalysisSettings): string {
  let k = settingsKeys.get(settings);
  if (k === undefined) { k = JSON.stringify(settings); settingsKeys.set(settings, k); }
  return k;
}

/**
 * The last dependency key of each file, so that an equal key of the next analysis is the same
 * string: every statement compares its cached key with it, and two equal strings that are not the
 * same object are compared character by character. A module's key holds the text of its
 * module-level assignments (156 K characters for the 10,000-line bench file), and comparing it
 * once per top-level statement took 7 of the 22 ms of an edit there.
 */
const lastKeys = new WeakMap<SourceFile, string>();
function sharedKey(file: SourceFile, key: string): string {
  const last = lastKeys.get(file);
  if (last === key) return last;
  lastKeys.set(file, key);
  return key;
}

/** What findings may depend on outside their own statement. */
function dependencyKey(file: SourceFile, workspace: WorkspaceModel, settings: AnalysisSettings): string {
  const bindings: string[] = [];
  const text = file.text;
  for (const a of file.facts.assignments) {
    if (a.functionName === undefined) bindings.push(`${a.name}=${text.slice(a.value.span.start, a.value.span.end)}`);
  }
  // DF032 reads which models the whole file writes.
  const writes = [...modelWrites(file)].map(([m, w]) => `${m}:${w.what}`).sort().join(',');
  return `${writes}\u0000${workspace.projectFilesVersion}\u0000${workspace.resolutionFingerprint()}\u0000${bindings.join('\u0001')}\u0000${importsDataFlow(file)}\u0000${crossStatementKey(file)}\u0000${settingsKey(settings)}\u0000${nameCrossStatementKey(file, workspace)}`;
}

function checkStatement(file: SourceFile, facts: StatementFacts, workspace: WorkspaceModel, settings: AnalysisSettings): Finding[] {
  const ctx: RuleContext = { file, facts, workspace, settings };
  const out: Finding[] = [];
  for (const rule of RULES) {
    try {
      const severity = settings.lint[rule.spec.name];
      if (severity === undefined || severity === 'ignore') continue;
      out.push(...rule.check(ctx, severity));
    } catch (err) {
      // A rule bug must never take the others (or the server) down.
      console.error(`dataflow: rule ${rule.spec.name} failed on ${file.uri}: ${(err as Error).stack ?? err}`);
    }
  }
  return out;
}

/**
 * `once`: the file is analysed once (dataflow-lint): its statements are checked without the
 * per-statement cache, so neither the cache key (what findings may read outside their statement,
 * 3-4 % of a lint run) nor the cached copies are made.
 */
export function analyzeFile(file: SourceFile, workspace: WorkspaceModel, settings: AnalysisSettings, once = false): Finding[] {
  if (once) {
    if (!analysed(file, settings)) return [];
    const isSuppressed = suppressionsOf(file);
    const out: Finding[] = [];
    for (const stmt of file.facts.statements) {
      for (const st of checkedParts(stmt) ?? [stmt]) for (const f of checkStatement(file, st, workspace, settings)) if (!isSuppressed(f)) out.push(f);
    }
    return sortFindings(out);
  }
  const steps = analyzeFileInSlices(file, workspace, settings, Infinity);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Whether the file gets findings at all (hasTree: a freed tree is not parsed again to tell). */
function analysed(file: SourceFile, settings: AnalysisSettings): boolean {
  return settings.enable && file.relevant && file.doc.hasTree;
}

/** In file order; at one place, by code. */
function sortFindings(out: Finding[]): Finding[] {
  return out.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}

/**
 * analyzeFile in slices of about `sliceMs` of checking: the generator yields between statements
 * once a slice is used up, and returns the findings. The language server resumes it on a later
 * turn of the event loop, so requests (a completion typed with the edit) are answered in between,
 * and drops it when the file changed meanwhile. Resume it only while the file is as it was at
 * the start (a statement checked before a yield was checked against that text); other files may
 * change in between: what a statement's findings read of them is part of their cache key.
 */
export function* analyzeFileInSlices(file: SourceFile, workspace: WorkspaceModel, settings: AnalysisSettings, sliceMs: number): Generator<void, Finding[], void> {
  if (!analysed(file, settings)) return [];
  // Sliced: a turn before anything is checked, for what came with the edit (its completion request).
  if (sliceMs !== Infinity) yield;
  const key = sharedKey(file, dependencyKey(file, workspace, settings));
  const out: Finding[] = [];
  const isSuppressed = suppressionsOf(file);
  let sliceStart = performance.now();
  // A large class is checked member by member (checkedParts): an edit in one method checks that method.
  for (const stmt of file.facts.statements) for (const st of checkedParts(stmt) ?? [stmt]) {
    if (sliceMs !== Infinity && performance.now() - sliceStart > sliceMs) {
      yield;
      sliceStart = performance.now();
    }
    let hit = cache.get(st);
    const moved = hit !== undefined && hit.start !== st.span.start;
    if (!hit || hit.key !== key || (moved && !hit.movable)) {
      hit = check(file, st, workspace, settings, key);
      cache.set(st, hit);
    } else if (hit.version !== file.version) {
      forgetFixes(hit.findings, hit.reasons);
      hit.version = file.version;
      follow(hit, file, st, workspace, settings);
    }
    for (const f of hit.findings) if (!isSuppressed(f)) out.push(f);
  }
  return sortFindings(out);
}

function check(file: SourceFile, st: StatementFacts, workspace: WorkspaceModel, settings: AnalysisSettings, key: string): Cached {
  const findings = checkStatement(file, st, workspace, settings);
  const { start, end } = st.span;
  return {
    key, start, version: file.version, findings,
    spans: findings.map((f) => ({ start: f.span.start, end: f.span.end })),
    fixes: findings.map((f) => f.fix),
    reasons: findings.map((f) => f.noFixReason),
    // A finding outside its statement does not move with it, and a message that names lines
    // (DF006: "models.py:12") may read other statements' positions.
    movable: findings.every((f) => f.span.start >= start && f.span.end <= end && !ruleSpecByCode(f.code)?.positionsInMessage),
  };
}

/**
 * A statement that only moved (an edit before it; its facts are the same objects, shifted in
 * place): its findings move with it instead of being made again — a one-character edit in the
 * middle of a file would otherwise check every statement after it. A fix function captured
 * offsets when the rule ran, so a moved finding's fix comes from checking its statement again,
 * when the fix is asked for (the light bulb, hover, the CLI), not on every edit. Called for every
 * new version of the file, moved or not.
 */
function follow(hit: Cached, file: SourceFile, st: StatementFacts, workspace: WorkspaceModel, settings: AnalysisSettings): void {
  const delta = st.span.start - hit.start;
  let fresh: Finding[] | undefined;
  const version = file.version;
  hit.findings.forEach((f, i) => {
    f.span = { start: hit.spans[i].start + delta, end: hit.spans[i].end + delta };
    // Back where the rule saw it: its own fix function holds again.
    if (!hit.fixes[i] || delta === 0) { f.fix = hit.fixes[i]; return; }
    f.fix = () => {
      if (file.version !== version || st.span.start - hit.start !== delta) return undefined; // a later version answers for itself
      fresh ??= checkStatement(file, st, workspace, settings);
      const same = fresh.find((x) => x.code === f.code && x.span.start === f.span.start && x.span.end === f.span.end && x.message === f.message);
      const fix = same?.fix?.();
      if (same?.noFixReason) f.noFixReason = same.noFixReason;
      return fix;
    };
  });
}
