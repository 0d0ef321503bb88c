// Per-document diagnostics publishing (svelte's DiagnosticsManager pattern): edits reschedule, a
// model change elsewhere re-checks every open document, and the findings of the last run are kept
// for code actions.
//
// Edits are not held back by a fixed debounce: analysis costs a few milliseconds, so an edit to
// an idle document is analysed at once. A slice of analysis (below) is synchronous, so keystrokes
// typed while it ran wait in the transport and are handled right after it, one message per event-loop turn:
// such an edit (or one arriving while a run is pending) waits as long as the last analysis of
// that document cost — in proportion to the measured cost, capped by `dataflow.debounceMs` — so
// the burst coalesces into one run. There is at most one pending run per document: a newer edit
// replaces it instead of queueing another, and a run always analyses the newest version.
//
// A run checks in slices of SLICE_MS and lets the event loop turn between them: the requests that
// came meanwhile (the completion an editor sends with a keystroke, hovers) are answered, and a run
// whose document changed meanwhile stops there (the edit scheduled a run of the new version).
// An edit to a node type in a 10,000-line file re-checks every statement (about 55 ms): its
// completion waited for all of it.
import { Diagnostic, DiagnosticSeverity, type Connection } from 'vscode-languageserver';
import { analyzeFile, analyzeFileInSlices } from '../analysis/engine';
import type { Finding } from '../analysis/finding';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { AnalysisSettings } from '../settings';
import type { SettingsStore } from './settingsStore';
import { toDiagnostic } from './positions';

interface Published { version: number; generation: number; findings: Finding[] }

/** A run under way: the document version and workspace generation it analyses. */
interface InFlight { version: number; generation: number; done: Promise<Finding[]> }

/** Checking time after which a run lets the event loop turn (requests are answered, edits noticed). */
const SLICE_MS = 8;

/** The measured cost of a document's last analysis. */
interface Cost { ms: number }

/** A scheduled run: a timer, or for no delay an immediate (a 0 ms timer waits at least 1 ms in Node). */
type Pending = { timer: NodeJS.Timeout } | { immediate: NodeJS.Immediate };
const cancel = (p: Pending): void => { if ('timer' in p) clearTimeout(p.timer); else clearImmediate(p.immediate); };

export class DiagnosticsScheduler {
  private timers = new Map<string, Pending>();
  private costs = new Map<string, Cost>();
  /**
   * Set when an analysis finishes, cleared on the next timers phase of the event loop: messages
   * handled meanwhile were read from the transport right after the analysis, i.e. typed while it ran.
   */
  private justAnalysed = false;
  private clearJustAnalysed: NodeJS.Timeout | undefined;
  private published = new Map<string, Published>();
  private inflight = new Map<string, InFlight>();
  /** Documents whose diagnostics are shown (open in the editor, or all after "Analyze Workspace"). */
  readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: WorkspaceModel,
    private readonly settings: SettingsStore,
    private readonly log: (msg: string) => void,
    /** Told after each analysis and each closed document (memory is given back once idle). */
    private readonly idle?: { touch(): void },
  ) {}

  /**
   * Analyse `uri` after `delayMs` (0: at once, still asynchronously). The run starts on an
   * immediate and checks nothing before one more turn of the event loop: the transport hands over
   * one message per turn, so a request that came with the edit (the completion an editor sends
   * with the keystroke that triggers it) is answered before the analysis instead of after it.
   */
  schedule(uri: string, delayMs: number): void {
    const old = this.timers.get(uri);
    if (old) cancel(old);
    const start = () => { this.timers.delete(uri); void this.run(uri); };
    this.timers.set(uri, delayMs > 0
      ? { timer: setTimeout(() => { this.timers.set(uri, { immediate: setImmediate(start) }); }, delayMs) }
      : { immediate: setImmediate(start) });
  }

  /**
   * Analyse `uri` after an edit: at once when nothing is pending and the edit was not typed during
   * an analysis, otherwise after the cost of the document's last analysis (so keystrokes that
   * arrived together coalesce into one run), never later than `maxDelayMs` (`dataflow.debounceMs`).
   */
  scheduleEdit(uri: string, maxDelayMs: number): void {
    const delay = this.editDelay(uri, maxDelayMs);
    if (delay > 0) this.log(`edit of ${uri} waits ${delay} ms (${this.timers.has(uri) ? 'a run was pending' : 'typed during an analysis'})`);
    this.schedule(uri, delay);
  }

  /** The delay `scheduleEdit` uses now (exposed for tests of the policy, not of timing). */
  editDelay(uri: string, maxDelayMs: number): number {
    const cost = this.costs.get(uri);
    if (!cost) return 0;
    const idle = !this.timers.has(uri) && !this.justAnalysed;
    return idle ? 0 : Math.min(maxDelayMs, Math.ceil(cost.ms));
  }

  /** Re-check every shown document (a model or setting changed). */
  scheduleAll(delayMs: number, except?: string): void {
    for (const uri of this.shown) if (uri !== except) this.schedule(uri, delayMs);
  }

  async run(uri: string): Promise<Finding[]> {
    const file = this.workspace.get(uri);
    if (!file || !this.shown.has(uri)) return [];
    const settings = await this.settings.get(uri);
    // The document may have been closed (or replaced) while the settings were fetched.
    if (!this.shown.has(uri) || this.workspace.get(uri) !== file) return [];
    const prev = this.published.get(uri);
    if (prev && prev.version === file.version && prev.generation === this.workspace.generation) return prev.findings;
    // A run of this very state is under way (a code action asked while it ran): wait for it. A
    // run of an older state gives way to this one at its next slice.
    const current = this.inflight.get(uri);
    if (current && current.version === file.version && current.generation === this.workspace.generation) return current.done;
    const run: InFlight = { version: file.version, generation: this.workspace.generation, done: Promise.resolve([]) };
    run.done = this.analyse(uri, file, settings, run);
    this.inflight.set(uri, run);
    try {
      return await run.done;
    } finally {
      if (this.inflight.get(uri) === run) this.inflight.delete(uri);
    }
  }

  /** One run: the analysis in slices, then the publish (unless the run became stale meanwhile). */
  private async analyse(uri: string, file: SourceFile, settings: AnalysisSettings, run: InFlight): Promise<Finding[]> {
    let findings: Finding[] = [];
    const started = performance.now();
    try {
      const steps = analyzeFileInSlices(file, this.workspace, settings, SLICE_MS);
      let step = steps.next();
      while (!step.done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        // Stale: an edit (which scheduled a run of its own), a close, or a newer run of this
        // document. Other files changing is not a reason to stop (the workspace scan at start-up
        // changes it between any two slices): what it changes of the statements' dependencies
        // changes their key, and a model change schedules every shown document again.
        const newer = this.inflight.get(uri);
        if (file.version !== run.version || !this.shown.has(uri) || this.workspace.get(uri) !== file || newer !== run) {
          steps.return([]);
          this.log(`analysis of ${uri} v${run.version} stopped after ${(performance.now() - started).toFixed(1)} ms: ${file.version !== run.version ? `v${file.version} came` : newer && newer !== run ? 'a newer run started' : 'it was closed'}`);
          if (newer && newer !== run) return newer.done;
          return this.shown.has(uri) && this.workspace.get(uri) === file ? this.findings(uri) : [];
        }
        step = steps.next();
      }
      findings = step.value;
    } catch (err) {
      this.log(`analysis failed for ${uri}: ${(err as Error).stack ?? err}`);
    }
    if (file.doc.skipReason) this.log(`not analysed ${uri}: ${file.doc.skipReason}`);
    // The generation the run started from: if other files changed during it, the next ask re-checks.
    this.published.set(uri, { version: file.version, generation: run.generation, findings });
    const analysed = performance.now();
    const diagnostics = findings.map((f) => toDiagnostic(file, f));
    // A file that is not analysed (binary, too large, too deeply nested, tree-sitter failed on it) says so.
    if (file.doc.skipReason) diagnostics.push(Diagnostic.create({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `DataFlow analysis skipped: ${file.doc.skipReason}`, DiagnosticSeverity.Information, undefined, 'dataflow'));
    const converted = performance.now();
    this.costs.set(uri, { ms: converted - started });
    this.justAnalysed = true;
    if (!this.clearJustAnalysed) this.clearJustAnalysed = setTimeout(() => { this.justAnalysed = false; this.clearJustAnalysed = undefined; }, 0);
    await this.connection.sendDiagnostics({ uri, version: file.version, diagnostics });
    this.idle?.touch();
    this.log(`diagnostics ${uri} v${file.version}: ${findings.length} in ${(converted - started).toFixed(1)} ms (analysis ${(analysed - started).toFixed(1)}, diagnostics ${(converted - analysed).toFixed(1)})`);
    return findings;
  }

  /** The findings behind the diagnostics currently shown for `uri` (computed now when stale). */
  async findings(uri: string): Promise<Finding[]> {
    const file = this.workspace.get(uri);
    const prev = this.published.get(uri);
    if (file && prev && prev.version === file.version && prev.generation === this.workspace.generation) return prev.findings;
    if (!file) return [];
    const t = this.timers.get(uri);
    if (t) { cancel(t); this.timers.delete(uri); }
    if (!this.shown.has(uri)) return analyzeFile(file, this.workspace, await this.settings.get(uri));
    return this.run(uri);
  }

  hide(uri: string): void {
    this.shown.delete(uri);
    const t = this.timers.get(uri);
    if (t) { cancel(t); this.timers.delete(uri); }
    this.published.delete(uri);
    this.costs.delete(uri);
    this.idle?.touch();
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  dispose(): void {
    if (this.clearJustAnalysed) clearTimeout(this.clearJustAnalysed);
    for (const t of this.timers.values()) cancel(t);
    this.timers.clear();
  }
}
