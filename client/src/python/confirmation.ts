// The first-time modal confirmation of "Profile with Python". VS Code refuses to show modal dialogs
// in an extension-test host ("DialogService: refused to show dialog in tests"), so an integration
// test answers it through the environment variable DATAFLOW_TEST_MODAL_ANSWER (the button label
// to press, or anything else to cancel). Only the editor's own process environment carries it:
// no setting, workspace file or command argument can, so it answers only where whoever started
// the editor could run the code anyway. The trust check comes before and is not affected.
import * as vscode from 'vscode';

export const TEST_ANSWER_ENV = 'DATAFLOW_TEST_MODAL_ANSWER';

export interface ShownConfirmation { message: string; detail: string; answer: string | undefined; scripted: boolean }

/** Every confirmation asked in this session (the extension API exposes it, read-only, to tests). */
export const shownConfirmations: ShownConfirmation[] = [];

export async function confirmModal(message: string, detail: string, button: string): Promise<boolean> {
  const scripted = process.env[TEST_ANSWER_ENV];
  let answer: string | undefined;
  if (scripted !== undefined) answer = scripted === button ? button : undefined;
  else answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  shownConfirmations.push({ message, detail, answer, scripted: scripted !== undefined });
  return answer === button;
}
