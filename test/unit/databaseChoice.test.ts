// The database chosen for a workspace's runs (client/src/databaseChoice.ts). VS Code gives every
// workspace of a user ONE SecretStorage and each workspace its own workspaceState; the stores below
// are that arrangement (one secret map shared by two windows, one state map per window), so the
// cross-window case of issue 13 is reproduced as it happens: window A chose and confirmed
// "staging", window B then chose "production"; A's next run must still use staging.
import * as assert from 'node:assert/strict';
import { LEGACY_SECRET_KEY, STATE_KEY, databaseForRun, maskUrl, secretKeyOf, storeChoice, type SecretStore, type WorkspaceMemento } from '../../client/src/databaseChoice';

function secretStorage(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k) => map.get(k),
    store: async (k, v) => { map.set(k, v); },
    delete: async (k) => { map.delete(k); },
  };
}

function workspaceState(): WorkspaceMemento & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: <T>(k: string) => map.get(k) as T | undefined,
    update: async (k, v) => { map.set(k, v); },
  };
}

const STAGING = 'postgresql://app:s3cret@staging.internal:5432/shop';
const PRODUCTION = 'postgresql://app:other@prod.internal:5432/shop';

describe('database choice per workspace (SecretStorage is shared by all workspaces)', () => {
  it('a choice in window B does not change the database of window A', async () => {
    const secrets = secretStorage();
    const a = workspaceState();
    const b = workspaceState();
    await storeChoice(a, secrets, STAGING);
    await storeChoice(b, secrets, PRODUCTION);
    assert.deepEqual(await databaseForRun(a, secrets), { kind: 'postgresql', url: STAGING });
    assert.deepEqual(await databaseForRun(b, secrets), { kind: 'postgresql', url: PRODUCTION });
    assert.notEqual(await secretKeyOf(a), await secretKeyOf(b));
    assert.equal(secrets.map.has(LEGACY_SECRET_KEY), false, 'nothing is stored under the shared key');
    assert.equal(secrets.map.size, 2);
  });

  it('the URL about to be used must be the one whose masked form was chosen and shown; otherwise the user is asked again', async () => {
    const secrets = secretStorage();
    const a = workspaceState();
    await storeChoice(a, secrets, STAGING);
    assert.deepEqual(a.map.get(STATE_KEY), { kind: 'postgresql', display: 'postgresql://app:***@staging.internal:5432/shop' });
    // The secret under A's key changes behind A's back (another window of the same workspace, a sync).
    await secrets.store(await secretKeyOf(a), PRODUCTION);
    const r = await databaseForRun(a, secrets);
    assert.equal(r.kind, 'choose-again');
    assert.match((r as { reason: string }).reason, /prod\.internal.*is not the one chosen and shown.*staging\.internal/);
    assert.doesNotMatch((r as { reason: string }).reason, /s3cret|other/, 'no password in the message');
  });

  it('a chosen database whose URL is gone is not silently replaced by the embedded one', async () => {
    const secrets = secretStorage();
    const a = workspaceState();
    await storeChoice(a, secrets, STAGING);
    secrets.map.clear();
    const r = await databaseForRun(a, secrets);
    assert.equal(r.kind, 'choose-again');
    assert.match((r as { reason: string }).reason, /No URL is stored for postgresql:\/\/app:\*\*\*@staging/);
  });

  it('choosing the embedded database removes this workspace\'s URL and only it', async () => {
    const secrets = secretStorage();
    const a = workspaceState();
    const b = workspaceState();
    await storeChoice(a, secrets, STAGING);
    await storeChoice(b, secrets, PRODUCTION);
    await storeChoice(a, secrets, undefined);
    assert.deepEqual(await databaseForRun(a, secrets), { kind: 'embedded' });
    assert.deepEqual(await databaseForRun(b, secrets), { kind: 'postgresql', url: PRODUCTION });
    assert.equal(secrets.map.has(await secretKeyOf(a)), false);
  });

  it('a workspace that never chose runs on the embedded database', async () => {
    assert.deepEqual(await databaseForRun(workspaceState(), secretStorage()), { kind: 'embedded' });
  });

  it('masks the password in the userinfo and in password= / sslpassword= parameters', () => {
    assert.equal(maskUrl('postgresql://u:p@ss@h/db'), 'postgresql://u:***@h/db');
    assert.equal(maskUrl('postgresql://u@h/db?password=x1&sslmode=require&sslpassword=y2'), 'postgresql://u@h/db?password=***&sslmode=require&sslpassword=***');
    assert.equal(maskUrl('postgresql://u@h/db'), 'postgresql://u@h/db');
  });
});
