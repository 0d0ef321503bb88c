// Per-document diagnostics publishing (svelte's DiagnosticsManager pattern): edits reschedule, a
// model change elsewhere re-checks every open document, and the findings of the last run are kept
// for code actions.
//
// Edits are not held back by a fixed debounce: analysis costs a few milliseconds, so a document
// that has been idle is analysed at once, and a burst of edits (keystrokes that queued up in the
// transport while an analysis ran) waits only as long as the last analysis of that document cost
// — in proportion to the measured cost, capped by `dataflow.debounceMs`. There is at most one
// pending run per document: a newer edit replaces the pending run instead of queueing another,
// and a run always analyses the newest version.
import type { Connection } from 'vscode-languageserver';
import { analyzeFile } from '../analysis/engine';
import type { Finding } from '../analysis/finding';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { SettingsStore } from './settingsStore';
import { toDiagnostic } from './positions';

/**
 * Diagnostics say whether a fix will come (`data.fixable`) for the first this-many findings of a
 * document; past it (a generated file with thousands of findings) the key is left out rather than
 * guessed, and the light bulb still computes the fix when asked.
 */
const FIXABLE_LIMIT = 2000;

interface Published { version: number; generation: number; findings: Finding[] }

/** The measured cost of a document's last analysis and when it finished (performance.now()). */
interface Cost { ms: number; finishedAt: number }

export class DiagnosticsScheduler {
  private timers = new Map<string, NodeJS.Timeout>();
  private costs = new Map<string, Cost>();
  private published = new Map<string, Published>();
  /** Documents whose diagnostics are shown (open in the editor, or all after "Analyze Workspace"). */
  readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: WorkspaceModel,
    private readonly settings: SettingsStore,
    private readonly log: (msg: string) => void,
  ) {}

  /** Analyse `uri` after `delayMs` (0: at once, still asynchronously). */
  schedule(uri: string, delayMs: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri);
    }, delayMs));
  }

  /**
   * Analyse `uri` after an edit: at once when the document has been idle for longer than its last
   * analysis took, otherwise after that cost (so keystrokes that arrived together coalesce into
   * one run), never later than `maxDelayMs` (the `dataflow.debounceMs` setting).
   */
  scheduleEdit(uri: string, maxDelayMs: number): void {
    this.schedule(uri, this.editDelay(uri, maxDelayMs));
  }

  /** The delay `scheduleEdit` uses now (exposed for tests of the policy, not of timing). */
  editDelay(uri: string, maxDelayMs: number): number {
    const cost = this.costs.get(uri);
    if (!cost) return 0;
    const idle = !this.timers.has(uri) && performance.now() - cost.finishedAt > cost.ms;
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
    let findings: Finding[] = [];
    const started = performance.now();
    try {
      findings = analyzeFile(file, this.workspace, settings);
    } catch (err) {
      this.log(`analysis failed for ${uri}: ${(err as Error).stack ?? err}`);
    }
    if (file.doc.skipReason) this.log(`not analysed ${uri}: ${file.doc.skipReason}`);
    this.published.set(uri, { version: file.version, generation: this.workspace.generation, findings });
    const analysed = performance.now();
    const diagnostics = findings.map((f, i) => toDiagnostic(file, f, i < FIXABLE_LIMIT ? this.workspace : undefined));
    const converted = performance.now();
    this.costs.set(uri, { ms: converted - started, finishedAt: converted });
    await this.connection.sendDiagnostics({ uri, version: file.version, diagnostics });
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
    if (t) { clearTimeout(t); this.timers.delete(uri); }
    if (!this.shown.has(uri)) return analyzeFile(file, this.workspace, await this.settings.get(uri));
    return this.run(uri);
  }

  hide(uri: string): void {
    this.shown.delete(uri);
    const t = this.timers.get(uri);
    if (t) { clearTimeout(t); this.timers.delete(uri); }
    this.published.delete(uri);
    this.costs.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
