// Where the database chosen for a workspace's runs is kept, and the check made before each run.
// VS Code's SecretStorage is shared by every workspace of the user, while the choice is remembered per
// workspace: a URL stored under one fixed key let a run in window A connect to the database chosen
// later in window B while A still showed (and had confirmed) its own. The URL is now stored under a
// key of this workspace's own, and before a run the URL about to be used must be the one whose
// (password-masked) form the user chose and confirmed; otherwise the user is asked again.
// Pure logic over VS Code's storage interfaces (vscode.SecretStorage, vscode.Memento), no vscode import.
import * as crypto from 'node:crypto';
import { redactUrl } from '../../server/src/protocol';

export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

export interface WorkspaceMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** The one key every workspace shared before; removed at activation so no window reads another's URL. */
export const LEGACY_SECRET_KEY = 'dataflow.databaseUrl';
export const STATE_KEY = 'dataflow.database';
const SLOT_KEY = 'dataflow.databaseSlot';

export interface ChoiceState {
  kind: 'embedded' | 'postgresql';
  /** The URL with its password masked: what the status bar and the run confirmation show. */
  display?: string;
}

export type RunDatabase =
  | { kind: 'embedded' }
  | { kind: 'postgresql'; url: string }
  /** The chosen database cannot be used as confirmed: ask the user to choose again. */
  | { kind: 'choose-again'; reason: string };

/** The URL with every password masked (the one redaction function the server's outputs use too). */
export function maskUrl(url: string): string {
  return redactUrl(url);
}

/** This workspace's own secret key (a random slot kept in the workspace's state). */
export async function secretKeyOf(state: WorkspaceMemento): Promise<string> {
  let slot = state.get<string>(SLOT_KEY);
  if (!slot || !/^[0-9a-f]{32}$/.test(slot)) {
    slot = crypto.randomBytes(16).toString('hex');
    await state.update(SLOT_KEY, slot);
  }
  return `${LEGACY_SECRET_KEY}.${slot}`;
}

/** Records the choice: a URL (stored only in secret storage, under this workspace's key), or the embedded database. */
export async function storeChoice(state: WorkspaceMemento, secrets: SecretStore, url: string | undefined): Promise<void> {
  const key = await secretKeyOf(state);
  if (!url) {
    await state.update(STATE_KEY, { kind: 'embedded' } satisfies ChoiceState);
    await secrets.delete(key);
    return;
  }
  await secrets.store(key, url);
  await state.update(STATE_KEY, { kind: 'postgresql', display: maskUrl(url) } satisfies ChoiceState);
}

/** The database a run is about to use, checked against what this workspace chose and showed. */
export async function databaseForRun(state: WorkspaceMemento, secrets: SecretStore): Promise<RunDatabase> {
  const choice = state.get<ChoiceState>(STATE_KEY);
  if (choice?.kind !== 'postgresql') return { kind: 'embedded' };
  const url = await secrets.get(await secretKeyOf(state));
  if (!url) return { kind: 'choose-again', reason: `No URL is stored for ${choice.display ?? 'the chosen database'} in this workspace any more.` };
  if (maskUrl(url) !== choice.display) {
    return { kind: 'choose-again', reason: `The stored URL (${maskUrl(url)}) is not the one chosen and shown for this workspace (${choice.display ?? 'none'}).` };
  }
  return { kind: 'postgresql', url };
}
