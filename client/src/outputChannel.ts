// The extension's output channel, closed by deactivate(): a write after that is dropped. The
// language client writes after its stop() has resolved ("Server process exited with code 0" when
// the server process ends a few milliseconds later), and VS Code throws "Channel has been closed"
// for a write to a disposed channel; the extension host logs that as an error of the extension on
// every reload or shutdown of a window where another extension keeps the host up.
import type * as vscode from 'vscode';

export class ClosableOutputChannel implements vscode.OutputChannel {
  private closed = false;

  constructor(private readonly channel: vscode.OutputChannel) {}

  get name(): string { return this.channel.name; }

  append(value: string): void { if (!this.closed) this.channel.append(value); }

  appendLine(value: string): void { if (!this.closed) this.channel.appendLine(value); }

  replace(value: string): void { if (!this.closed) this.channel.replace(value); }

  clear(): void { if (!this.closed) this.channel.clear(); }

  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (this.closed) return;
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void { if (!this.closed) this.channel.hide(); }

  /** Closes the channel: it leaves the Output view, and later writes are dropped. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.dispose();
  }
}
