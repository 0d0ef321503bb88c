// The report webview panel: one panel, re-rendered on update, restored after a window reload by
// the serializer (registerReportPanelSerializer) from the report the page keeps in its state.
import * as vscode from 'vscode';
import { renderMessageHtml, renderReportHtml } from '../../../server/src/report/html/renderReportHtml';
import type { PerformanceReport } from '../../../server/src/report/reportTypes';
import { applyRecommendationFix, goToSource } from './actions';
import { saveReportAs } from './exportReport';
import { parseWebviewMessage, reportFiles, reportFromState, type WebviewMessage } from './messages';
import { makeNonce } from './nonce';

export interface ReportPanelOptions {
  /** Runs for the page's "Export report…" button; default: saveReportAs(report) (a save dialog, HTML or JSON). */
  exportReport?: (report: PerformanceReport) => unknown;
}

function titleFor(report: PerformanceReport): string {
  const file = report.source.file.split(/[\\/]/).pop() || report.source.file;
  return `DataFlow Report: ${file}${report.engine === 'python' ? ' (Python)' : ''}`;
}

export class ReportPanel {
  static readonly viewType = 'dataflow.report';
  /** The open panel, if any (one at a time; createOrShow reuses it). */
  static current: ReportPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private _report: PerformanceReport;

  static webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
    // Scripts for the buttons; no local resource is loaded (everything is inline with a nonce),
    // so the roots are limited to media/ should a later version ship a file there.
    return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')] };
  }

  static createOrShow(context: vscode.ExtensionContext, report: PerformanceReport, options: ReportPanelOptions = {}): ReportPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    if (ReportPanel.current) {
      ReportPanel.current.options = options;
      ReportPanel.current.update(report);
      ReportPanel.current.panel.reveal(column);
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, titleFor(report), column, {
      ...ReportPanel.webviewOptions(context),
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    return new ReportPanel(panel, report, options);
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, report: PerformanceReport, options: ReportPanelOptions = {}): ReportPanel {
    panel.webview.options = ReportPanel.webviewOptions(context);
    ReportPanel.current?.dispose();
    return new ReportPanel(panel, report, options);
  }

  private constructor(readonly panel: vscode.WebviewPanel, report: PerformanceReport, private options: ReportPanelOptions) {
    this._report = report;
    ReportPanel.current = this;
    this.panel.onDidDispose(() => this.dispose(), null, this.disposables);
    this.panel.webview.onDidReceiveMessage((m: unknown) => { void this.handleMessage(m); }, null, this.disposables);
    this.render();
  }

  get report(): PerformanceReport { return this._report; }

  update(report: PerformanceReport): void {
    this._report = report;
    this.render();
  }

  private render(): void {
    this.panel.title = titleFor(this._report);
    this.panel.webview.html = renderReportHtml(this._report, { nonce: makeNonce(), cspSource: this.panel.webview.cspSource, mode: 'webview' });
  }

  /** Handles one message from the page (public so tests can drive it without the DOM). */
  async handleMessage(raw: unknown): Promise<unknown> {
    const msg: WebviewMessage | undefined = parseWebviewMessage(raw);
    if (!msg) return undefined;
    try {
      switch (msg.type) {
        case 'goToSource':
          // Only a file the report names: never a path the page made up.
          if (!reportFiles(this._report).has(msg.file)) return undefined;
          return await goToSource(msg.file, msg.line, msg.column, this._report);
        case 'applyFix': {
          const result = await applyRecommendationFix(this._report, msg.recommendationId);
          if (result.applied) void vscode.window.showInformationMessage(`DataFlow: applied “${result.title}”. Run the profiler again to measure the change.`);
          else void vscode.window.showWarningMessage(`DataFlow: could not apply the fix: ${result.reason}`);
          return result;
        }
        case 'exportReport':
          return await (this.options.exportReport ?? saveReportAs)(this._report);
      }
    } catch (err) {
      void vscode.window.showErrorMessage(`DataFlow report: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/**
 * Registers the serializer that brings the panel back after a window reload, from the report the
 * page saved with setState. Call it in activate() (synchronously, before any await), and add the
 * activation event `onWebviewPanel:dataflow.report`.
 */
export function registerReportPanelSerializer(context: vscode.ExtensionContext, options: ReportPanelOptions = {}): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const report = reportFromState(state);
      if (report) { ReportPanel.revive(panel, context, report, options); return; }
      panel.webview.options = { enableScripts: false, localResourceRoots: [] };
      panel.webview.html = renderMessageHtml('DataFlow performance report', 'This report could not be restored after the reload. Run the profiler again to get a new one.', { nonce: makeNonce(), cspSource: panel.webview.cspSource, mode: 'webview' });
    },
  });
}
