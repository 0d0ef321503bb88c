// The notifications the extension shows, through VS Code's own API, each also kept (message and
// actions offered) so the integration tests can read what a user was told; never the user's data
// beyond what the notification itself shows.
import * as vscode from 'vscode';

/** `progress`: a message shown in a running task's progress notification (no actions). */
export interface ShownNotice { kind: 'info' | 'warning' | 'error' | 'progress'; message: string; actions: string[]; modal?: boolean }

const shown: ShownNotice[] = [];
const MAX_KEPT = 50;

export function shownNotices(): ShownNotice[] {
  return shown.map((n) => ({ ...n, actions: [...n.actions] }));
}

/** Shows a notification; resolves to the action chosen, if any. */
export function notify(kind: Exclude<ShownNotice['kind'], 'progress'>, message: string, ...actions: string[]): Thenable<string | undefined> {
  return show(kind, message, actions, false);
}

/** Says a stage in a progress notification (withProgress's `progress`), kept like the others. */
export function progressShown(progress: vscode.Progress<{ message?: string }>, message: string): void {
  keep({ kind: 'progress', message, actions: [] });
  progress.report({ message });
}

/** Asks with a modal dialog (VS Code adds Cancel); resolves to the action chosen, if any. */
export function askModal(kind: Exclude<ShownNotice['kind'], 'progress'>, message: string, ...actions: string[]): Thenable<string | undefined> {
  return show(kind, message, actions, true);
}

function keep(n: ShownNotice): void {
  shown.push(n);
  if (shown.length > MAX_KEPT) shown.shift();
}

function show(kind: Exclude<ShownNotice['kind'], 'progress'>, message: string, actions: string[], modal: boolean): Thenable<string | undefined> {
  keep({ kind, message, actions, ...(modal ? { modal } : {}) });
  const fn = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  return modal ? fn(message, { modal: true }, ...actions) : fn(message, ...actions);
}
