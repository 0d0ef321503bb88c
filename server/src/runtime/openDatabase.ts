// Which database a run uses: the embedded PostgreSQL (PGlite, the default, zero set-up) or a
// PostgreSQL the user chose explicitly, through pg. Never logs a password.
import * as os from 'node:os';
import * as path from 'node:path';
import { PgliteDatabase } from './db/pgliteDatabase';
import { PostgresDatabase } from './db/postgresDatabase';
import type { Database } from './db/types';

export type DatabaseChoice =
  | { kind: 'embedded'; dataDir?: string }
  | { kind: 'postgresql'; url: string; schema?: string; poolSize?: number | null; poolMaxOverflow?: number | null };

/** Where the embedded database keeps its files (reopening is ~1 s; a fresh initdb is ~10 s). */
export function defaultEmbeddedDir(): string {
  return process.env.DATAFLOW_PERF_DATA_DIR || path.join(os.homedir(), '.cache', 'dataflow-performance', 'pglite');
}

export async function openDatabase(choice: DatabaseChoice): Promise<Database> {
  if (choice.kind === 'embedded') {
    return PgliteDatabase.open({ dataDir: choice.dataDir ?? defaultEmbeddedDir(), schema: 'dataflow_run' });
  }
  return PostgresDatabase.open({ url: choice.url, schema: choice.schema, poolSize: choice.poolSize, poolMaxOverflow: choice.poolMaxOverflow });
}
