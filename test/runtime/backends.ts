import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../helpers/validateEveryReport';
import { randomBytes } from 'node:crypto';
import { PgliteDatabase } from '../../server/src/runtime/db/pgliteDatabase';
import { PostgresDatabase } from '../../server/src/runtime/db/postgresDatabase';
import type { Database } from '../../server/src/runtime/db/types';
import { DataFlowRuntime } from '../../server/src/runtime/dataflow/runtime';
import type { DataFlowSettings, ModelDefinition } from '../../server/src/runtime/dataflow/schema';
import { CallableDefault } from '../../server/src/runtime/dataflow/values/dfValues';
import { initPython } from '../../server/src/syntax/parser';
import { runFile, type RunFileOptions, type RunFileResult } from '../../server/src/run/runFile';

/**
 * A fresh, empty directory of this test process's own, removed when the process ends. Embedded data
 * directories are never shared between test processes or kept between runs: a directory another run
 * left behind (broken, or held by a process still running) must not decide this run's outcome.
 */
export function privateTestDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** ONE PGlite per test process: startup is slow (an initdb), so it is opened once. */
let pglite: Promise<PgliteDatabase> | undefined;
export function sharedPglite(): Promise<PgliteDatabase> {
  pglite ??= PgliteDatabase.open({ dataDir: privateTestDir('dataflow-runtime-test-pglite'), schema: 'df_test' });
  return pglite;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const requirePostgres = process.env.DATAFLOW_REQUIRE_POSTGRES === '1';

/** ONE pool per process on a dedicated schema df_test_<random>, dropped at the end. */
let postgres: Promise<PostgresDatabase | string> | undefined;
export function sharedPostgres(): Promise<PostgresDatabase | string> {
  postgres ??= PostgresDatabase.open({
    url: TEST_DATABASE_URL,
    schema: `df_test_${randomBytes(4).toString('hex')}`,
    poolSize: 1,
    poolMaxOverflow: 0,
    connectTimeoutMs: 3000,
  }).catch((e: unknown) => `PostgreSQL at ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} did not answer: ${e instanceof Error ? e.message : String(e)}`);
  return postgres;
}

after(async () => {
  if (postgres) {
    const pg = await postgres;
    if (typeof pg !== 'string') {
      await pg.dropSchema().catch(() => undefined);
      await pg.close();
    }
  }
  if (pglite) await (await pglite).close();
});

export const MODELS: ModelDefinition[] = [
  {
    name: 'Product',
    fields: [
      { name: 'name', type: 'str' },
      { name: 'price', type: 'float' },
      { name: 'category', type: 'str', default: 'misc' },
      { name: 'tags', type: 'list', default: [] },
      { name: 'note', type: 'str', optional: true, default: null },
    ],
  },
  {
    name: 'Customer',
    fields: [
      { name: 'email', type: 'str' },
      { name: 'name', type: 'str' },
      { name: 'score', type: 'int', default: 0 },
    ],
    dataflow: { indexes: [{ fields: ['email'], unique: true }] },
  },
  {
    name: 'Note',
    fields: [
      { name: 'title', type: 'str' },
      { name: 'stamp', type: 'datetime', default: new CallableDefault('now', () => '2024-05-06T07:08:09.123456') },
    ],
    dataflow: { soft_delete: true },
  },
];

export interface BackendHandle {
  db: Database;
  rt: DataFlowRuntime;
}

/**
 * Runs `body` once on PGlite and once on PostgreSQL. Each test gets a fresh schema.
 * The PostgreSQL half is skipped (with the reason printed) when it does not answer, unless
 * DATAFLOW_REQUIRE_POSTGRES=1, in which case it fails.
 */
export function onEachBackend(title: string, body: (h: () => BackendHandle) => void, settings: DataFlowSettings = {}, models = MODELS): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, function () {
      let handle: BackendHandle | undefined;
      before(async function () {
        const db = kind === 'pglite' ? await sharedPglite() : await sharedPostgres();
        if (typeof db === 'string') {
          if (requirePostgres) throw new Error(db + ' (DATAFLOW_REQUIRE_POSTGRES=1)');
          console.log(`      skipped: ${db}`);
          this.skip();
        }
        handle = { db: db as Database, rt: new DataFlowRuntime({ db: db as Database, models, settings }) };
      });
      beforeEach(async () => {
        await handle!.rt.resetSchema();
      });
      body(() => handle!);
    });
  }
}

export type RunOnBackend = (o: Omit<RunFileOptions, 'db'>) => Promise<RunFileResult>;

/**
 * A describe() per backend (PGlite, then PostgreSQL) whose tests run files with runFile on a
 * fresh schema, a fixed clock and seed. PostgreSQL missing is a skip, or a failure when
 * DATAFLOW_REQUIRE_POSTGRES=1 (CI).
 */
export function filesOnEachBackend(title: string, body: (run: RunOnBackend, db: () => Database) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, function () {
      let db: Database | undefined;
      before(async function () {
        await initPython();
        const d = kind === 'pglite' ? await sharedPglite() : await sharedPostgres();
        if (typeof d === 'string') {
          if (requirePostgres) throw new Error(`${d} (DATAFLOW_REQUIRE_POSTGRES=1)`);
          console.log(`      skipped: ${d}`);
          this.skip();
        }
        db = d as Database;
      });
      beforeEach(async () => { await db!.resetSchema(); });
      body((o) => runFile({ ...o, db: db!, clock: '2026-01-02T03:04:05', seed: 7 }), () => db!);
    });
  }
}

/** A fresh temporary folder and a function writing a named file into it (returns the file's path). */
export function scratchWriter(prefix: string): (name: string, text: string) => string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return (name, text) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
}
