// The notifications the extension shows, through VS Code's own API, each also kept (message and
// actions offered) so the integration tests can read what a user was told; never the user's data
// beyond what the notification itself shows.
import * as vscode from 'vscode';

export interface ShownNotice { kind: 'info' | 'warning' | 'error'; message: string; actions: string[]; modal?: boolean }

const shown: ShownNotice[] = [];
const MAX_KEPT = 50;

export function shownNotices(): ShownNotice[] {
  return shown.map((n) => ({ ...n, actions: [...n.actions] }));
}

/** Shows a notification; resolves to the action chosen, if any. */
export function notify(kind: ShownNotice['kind'], message: string, ...actions: string[]): Thenable<string | undefined> {
  return show(kind, message, actions, false);
}

/** Asks with a modal dialog (VS Code adds Cancel); resolves to the action chosen, if any. */
export function askModal(kind: ShownNotice['kind'], message: string, ...actions: string[]): Thenable<string | undefined> {
  return show(kind, message, actions, true);
}

function show(kind: ShownNotice['kind'], message: string, actions: string[], modal: boolean): Thenable<string | undefined> {
  shown.push({ kind, message, actions, ...(modal ? { modal } : {}) });
  if (shown.length > MAX_KEPT) shown.shift();
  const fn = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  return modal ? fn(message, { modal: true }, ...actions) : fn(message, ...actions);
}
