// Which database a run uses: the embedded PostgreSQL (PGlite, the default, zero set-up) or a
// PostgreSQL the user chose explicitly, through pg. Never logs a password.
import * as os from 'node:os';
import * as path from 'node:path';
import { PgliteDatabase } from '../runtime/db/pgliteDatabase';
import { PostgresDatabase } from '../runtime/db/postgresDatabase';
import type { Database } from '../runtime/db/types';

export type DatabaseChoice =
  | { kind: 'embedded'; dataDir?: string }
  | { kind: 'postgresql'; url: string; schema?: string; poolSize?: number | null; poolMaxOverflow?: number | null };

/** Where the embedded database keeps its files (reopening is ~0.3-1 s; the first set-up ~1-2 s). */
export function defaultEmbeddedDir(): string {
  return process.env.DATAFLOW_PERF_DATA_DIR || path.join(os.homedir(), '.cache', 'dataflow-performance', 'pglite');
}

/** What a first use of the embedded database announces before its one-time set-up. */
export const PREPARING_EMBEDDED = 'Preparing the embedded PostgreSQL (first run only)…';

/** `announce` hears PREPARING_EMBEDDED when the embedded data directory is about to be set up. */
export async function openDatabase(choice: DatabaseChoice, announce?: (line: string) => void): Promise<Database> {
  if (choice.kind === 'embedded') {
    const dataDir = choice.dataDir ?? defaultEmbeddedDir();
    if (!PgliteDatabase.hasDataDir(dataDir)) announce?.(PREPARING_EMBEDDED);
    return PgliteDatabase.open({ dataDir, schema: 'dataflow_run' });
  }
  return PostgresDatabase.open({ url: choice.url, schema: choice.schema, poolSize: choice.poolSize, poolMaxOverflow: choice.poolMaxOverflow });
}
