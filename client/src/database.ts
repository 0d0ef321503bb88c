// Which database runs use: the embedded PostgreSQL (always the default) or a PostgreSQL URL the
// user chose explicitly. URLs live in SecretStorage — never in settings, logs or reports — and
// the status bar shows the choice with any password masked.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export type DatabaseSpec = { kind: 'embedded' } | { kind: 'postgresql'; urlFile: string };

const SECRET_KEY = 'dataflow.databaseUrl';
const STATE_KEY = 'dataflow.database';

export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
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
    this.item.show();
  }

  /** What the status bar and prompts show (password masked). */
  get label(): string {
    const state = this.context.workspaceState.get<{ kind: string; display?: string }>(STATE_KEY);
    return state?.kind === 'postgresql' && state.display ? state.display : 'embedded PostgreSQL';
  }

  get isEmbedded(): boolean {
    return this.context.workspaceState.get<{ kind: string }>(STATE_KEY)?.kind !== 'postgresql';
  }

  refresh(): void {
    const embedded = this.label === 'embedded PostgreSQL';
    this.item.text = `$(database) DataFlow: ${embedded ? 'embedded' : this.label.replace(/^postgres(ql)?:\/\//, '')}`;
    this.item.tooltip = embedded
      ? 'Workflow runs use the embedded PostgreSQL (no set-up, nothing outside the editor is touched). Click to choose another database.'
      : `Workflow runs use ${this.label}. Click to change (the embedded database is always available).`;
  }

  /**
   * The database for the next run. A URL is handed over in a file only this user can read (the
   * runtime worker deletes it), never inside an LSP message, which trace logging would record.
   */
  async current(): Promise<DatabaseSpec> {
    const state = this.context.workspaceState.get<{ kind: string }>(STATE_KEY);
    if (state?.kind === 'postgresql') {
      const url = await this.context.secrets.get(SECRET_KEY);
      if (url) {
        const dir = path.join(os.tmpdir(), `dataflow-performance-${process.pid}`);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const file = path.join(dir, `db-${crypto.randomBytes(8).toString('hex')}.url`);
        fs.writeFileSync(file, url, { mode: 0o600 });
        return { kind: 'postgresql', urlFile: file };
      }
    }
    return { kind: 'embedded' };
  }

  private async choose(url: string | undefined): Promise<void> {
    if (!url) {
      await this.context.workspaceState.update(STATE_KEY, { kind: 'embedded' });
      await this.context.secrets.delete(SECRET_KEY);
    } else {
      await this.context.secrets.store(SECRET_KEY, url);
      await this.context.workspaceState.update(STATE_KEY, { kind: 'postgresql', display: maskUrl(url) });
    }
    this.refresh();
  }

  /** The "Select Database" command. `fileUrl` is the URL written in the active file's DataFlow(...), if any. */
  async select(fileUrl?: string): Promise<DatabaseSpec | undefined> {
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
      url = await vscode.window.showInputBox({
        title: 'PostgreSQL URL',
        prompt: 'postgresql://user:password@host:5432/database',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (isPostgresUrl(v) ? undefined : 'Enter a postgresql:// URL'),
      });
      if (!url) return undefined;
    } else if (pick.id === 'env') url = env;
    else if (pick.id === 'file') url = fileUrl;
    await this.choose(url?.trim().replace(/^(postgres(?:ql)?)\+\w+:/, '$1:'));
    return this.current();
  }

  dispose(): void { this.item.dispose(); }
}
