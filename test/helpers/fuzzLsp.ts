// The protocol half of the incremental-vs-fresh fuzz: one real server process receives the edits
// as didChange range changes; at checkpoints its diagnostics and quick-fix edits must equal those a
// second server publishes for a fresh open of the same text.
import type { CodeAction, Command, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspClient, rangeOf } from './lspClient';
import { applyEdit, type Edit } from './fuzzGen';

export interface LspMismatch { edit: number; kind: 'text' | 'diagnostics' | 'fixes' | 'crash'; detail: string }

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).join(' ');

function actionsSummary(as: Array<CodeAction | Command>): string {
  return JSON.stringify(as.map((a) => ('edit' in a || 'kind' in a ? { title: a.title, kind: (a as CodeAction).kind, edit: (a as CodeAction).edit } : { title: a.title })));
}

export class LspFuzzPair {
  private checkpoint = 0;
  private constructor(readonly edited: LspClient, readonly fresh: LspClient, readonly uri: string) {}

  static async start(): Promise<LspFuzzPair> {
    const [edited, fresh] = await Promise.all([LspClient.start({}), LspClient.start({})]);
    return new LspFuzzPair(edited, fresh, 'file:///virtual/fuzz_service.py');
  }

  async open(text: string): Promise<PublishDiagnosticsParams> { return this.edited.openAndWait(this.uri, text); }

  /** Sends one edit; at a checkpoint waits for its diagnostics and compares with a fresh open. */
  async send(e: Edit, index: number, checkpoint: boolean, fixes: boolean): Promise<LspMismatch | undefined> {
    const text = this.edited.text(this.uri);
    const next = applyEdit(text, e);
    const changes = [{ range: rangeOf(text, e.at, e.at + e.removed.length), text: e.inserted }];
    if (!checkpoint) { await this.edited.change(this.uri, changes); return undefined; }
    let got: PublishDiagnosticsParams;
    try { got = await this.edited.changeAndWait(this.uri, changes, { timeoutMs: 60000 }); } catch (err) {
      return { edit: index, kind: 'crash', detail: `edited server: ${(err as Error).message}` };
    }
    if (this.edited.text(this.uri) !== next) return { edit: index, kind: 'text', detail: 'client text' };
    const freshUri = `file:///virtual/fresh_${++this.checkpoint}.py`;
    let want: PublishDiagnosticsParams;
    try { want = await this.fresh.openAndWait(freshUri, next, { timeoutMs: 60000 }); } catch (err) {
      return { edit: index, kind: 'crash', detail: `fresh server: ${(err as Error).message}` };
    }
    try {
      if (JSON.stringify(got.diagnostics) !== JSON.stringify(want.diagnostics)) {
        return { edit: index, kind: 'diagnostics', detail: `incremental ${summary(got.diagnostics)} vs fresh ${summary(want.diagnostics)}` };
      }
      if (fixes) {
        for (let i = 0; i < got.diagnostics.length; i++) {
          const d = got.diagnostics[i];
          if ((d.data as { fixable?: boolean } | undefined)?.fixable === false) continue; // refused when checked: no fix to compare
          const [a, b] = await Promise.all([
            this.edited.codeActions(this.uri, d.range, [d]),
            this.fresh.codeActions(freshUri, want.diagnostics[i].range, [want.diagnostics[i]]),
          ]);
          if (actionsSummary(a) !== actionsSummary(b).split(freshUri).join(this.uri)) {
            return { edit: index, kind: 'fixes', detail: `${d.code} at ${d.range.start.line}:${d.range.start.character}: ${actionsSummary(a).slice(0, 400)} vs ${actionsSummary(b).slice(0, 400)}` };
          }
        }
      }
    } finally { await this.fresh.close(freshUri); }
    return undefined;
  }

  text(): string { return this.edited.text(this.uri); }

  async dispose(): Promise<void> { await Promise.all([this.edited.dispose(), this.fresh.dispose()]); }
}
