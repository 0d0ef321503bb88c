// Which database runs use: the embedded PostgreSQL (always the default) or a PostgreSQL URL the
// user chose explicitly. URLs live in SecretStorage under a key of the workspace's own — never in
// settings, logs or reports — and the status bar shows the choice with any password masked.
// Storage and the before-run check: databaseChoice.ts.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { LEGACY_SECRET_KEY, STATE_KEY, databaseForRun, maskUrl, storeChoice } from './databaseChoice';
import { testConnection } from './connectionTest';
import { notify } from './notices';

export { maskUrl };

export type DatabaseSpec = { kind: 'embedded' } | { kind: 'postgresql'; urlFile: string };

/** What Select Database chose (password masked) and, for a URL, what the connection test found. */
export interface SelectedDatabase { label: string; connected?: string; error?: string }

function parseUrl(url: string): URL | undefined {
  try { return new URL(url); } catch { return undefined; }
}

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?(\+\w+)?:\/\/[^\s]+$/.test(url.trim());
}

export class DatabaseSelection implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.item = vscode.window.createStatusBarItem('dataflow.database', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'DataFlow database';
    this.item.command = 'dataflow.selectDatabase';
    this.refresh();
    // The key all workspaces shared before: another window must never read this one's URL, nor this one another's.
    void context.secrets.delete(LEGACY_SECRET_KEY);
  }

  /** What the status bar and prompts show (password masked). */
  get label(): string {
    const state = this.context.workspaceState.get<{ kind: string; display?: string }>(STATE_KEY);
    return state?.kind === 'postgresql' && state.display ? state.display : 'embedded PostgreSQL';
  }

  get isEmbedded(): boolean {
    return this.context.workspaceState.get<{ kind: string }>(STATE_KEY)?.kind !== 'postgresql';
  }

  /** Shown only while the active editor is a file with a workflow to run (extension.ts). */
  setVisible(visible: boolean): void {
    if (visible) this.item.show(); else this.item.hide();
  }

  refresh(): void {
    const embedded = this.label === 'embedded PostgreSQL';
    this.item.text = `$(database) DataFlow: ${embedded ? 'embedded' : this.label.replace(/^postgres(ql)?:\/\//, '')}`;
    this.item.tooltip = embedded
      ? 'Workflow runs use the embedded PostgreSQL (no set-up, nothing outside the editor is touched). Click to choose another database.'
      : `Workflow runs use ${this.label}. Click to change (the embedded database is always available).`;
  }

  /**
   * The database for the next run, checked against the one this workspace chose and the user
   * confirmed (its label); undefined when it cannot be used as confirmed — the user is told why and
   * offered Select Database, and the run does not start. A URL is handed over in a file only this
   * user can read (the runtime worker deletes it), never inside an LSP message, which trace logging
   * would record.
   */
  async current(): Promise<DatabaseSpec | undefined> {
    const chosen = await databaseForRun(this.context.workspaceState, this.context.secrets);
    if (chosen.kind === 'embedded') return { kind: 'embedded' };
    if (chosen.kind === 'choose-again') {
      const select = 'Select Database';
      const answer = await vscode.window.showWarningMessage(`DataFlow: the run did not start. ${chosen.reason} Choose the database for this workspace again.`, select);
      if (answer === select) await vscode.commands.executeCommand('dataflow.selectDatabase');
      return undefined;
    }
    const dir = path.join(os.tmpdir(), `dataflow-performance-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `db-${crypto.randomBytes(8).toString('hex')}.url`);
    fs.writeFileSync(file, chosen.url, { mode: 0o600 });
    return { kind: 'postgresql', urlFile: file };
  }

  private async choose(url: string | undefined): Promise<void> {
    await storeChoice(this.context.workspaceState, this.context.secrets, url);
    this.refresh();
  }

  /**
   * The "Select Database" command. `fileUrl` is the URL written in the active file's DataFlow(...), if any.
   * `scripted` (tasks, tests) chooses without the picker: a URL, or the embedded database.
   */
  async select(fileUrl?: string, scripted?: { url?: string; embedded?: boolean }): Promise<SelectedDatabase | undefined> {
    if (scripted?.embedded) { await this.choose(undefined); return { label: this.label }; }
    if (scripted?.url) {
      if (!isPostgresUrl(scripted.url)) throw new Error('Select Database: not a postgresql:// URL');
      return this.chooseAndTest(scripted.url);
    }
    type Item = vscode.QuickPickItem & { id: 'embedded' | 'enter' | 'env' | 'file' };
    const items: Item[] = [
      { id: 'embedded', label: '$(database) Embedded PostgreSQL', description: 'default', detail: 'Zero set-up; runs never touch a real database.' },
      { id: 'enter', label: '$(edit) Enter a PostgreSQL URL…', detail: 'Stored in VS Code\'s secret storage, never in settings or logs.' },
    ];
    const env = process.env.DATABASE_URL;
    if (env && isPostgresUrl(env)) items.push({ id: 'env', label: '$(terminal) Use $DATABASE_URL', description: maskUrl(env) });
    if (fileUrl && isPostgresUrl(fileUrl)) items.push({ id: 'file', label: '$(file-code) Use the URL in this file\'s DataFlow(...)', description: maskUrl(fileUrl) });
    const pick = await vscode.window.showQuickPick(items, { title: 'DataFlow: database for workflow runs', placeHolder: `Now: ${this.label}` });
    if (!pick) return undefined;
    let url: string | undefined;
    if (pick.id === 'enter') {
      // The URL in plain sight, the password apart and masked while typed.
      url = await vscode.window.showInputBox({
        title: 'DataFlow: PostgreSQL URL (1/2)',
        prompt: 'postgresql://user@host:5432/database — leave the password out: it is asked next, hidden.',
        placeHolder: 'postgresql://user@host:5432/database',
        ignoreFocusOut: true,
        validateInput: (v) => (isPostgresUrl(v) ? undefined : 'Enter a postgresql:// URL'),
      });
      if (!url) return undefined;
      url = url.trim();
      const parsed = parseUrl(url);
      if (parsed && !parsed.password && parsed.username) {
        const password = await vscode.window.showInputBox({
          title: `DataFlow: password of ${decodeURIComponent(parsed.username)}@${parsed.host} (2/2)`,
          prompt: 'Empty for none (trust, peer or .pgpass authentication). Kept in VS Code\'s secret storage.',
          password: true,
          ignoreFocusOut: true,
        });
        if (password === undefined) return undefined;
        if (password) { parsed.password = encodeURIComponent(password); url = parsed.toString(); }
      }
    } else if (pick.id === 'env') url = env;
    else if (pick.id === 'file') url = fileUrl;
    if (!url) { await this.choose(undefined); return { label: this.label }; }
    return this.chooseAndTest(url);
  }

  /** Stores the choice, then connects once and says what is there ("connected: PostgreSQL 15.4, 12 tables"). */
  private async chooseAndTest(url: string): Promise<SelectedDatabase> {
    await this.choose(url.trim().replace(/^(postgres(?:ql)?)\+\w+:/, '$1:'));
    const chosen = await databaseForRun(this.context.workspaceState, this.context.secrets);
    if (chosen.kind !== 'postgresql') return { label: this.label };
    const test = await testConnection(chosen.url);
    if (test.ok) {
      const connected = `connected: PostgreSQL ${test.version}, ${test.tables} table${test.tables === 1 ? '' : 's'}`;
      void notify('info', `DataFlow: ${this.label} — ${connected}.`);
      return { label: this.label, connected };
    }
    const again = 'Select Database';
    void notify('warning', `DataFlow: ${this.label} — could not connect: ${test.error}. Runs will fail until it is reachable.`, again).then((a) => {
      if (a === again) void vscode.commands.executeCommand('dataflow.selectDatabase');
    });
    return { label: this.label, error: test.error };
  }

  dispose(): void { this.item.dispose(); }
}
