// The embedded PostgreSQL (PGlite) served on a loopback port, so that the project's Python
// (asyncpg, psycopg2) can reach it: @electric-sql/pglite-socket's server over the PGlite
// instance the profiler also reads (EXPLAIN, what-ifs). Loopback only; no password.
import * as path from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { defaultEmbeddedDir } from '../run/openDatabase';
import { PgliteDatabase } from '../runtime/db/pgliteDatabase';

export interface ServedPglite {
  db: PgliteDatabase;
  /** postgresql://postgres@127.0.0.1:PORT/postgres */
  url: string;
  close(): Promise<void>;
}

/**
 * The Python path's own embedded database: a data directory beside the embedded runtime's (the two
 * engines never share files, so both can be open in one process), schema `public` (asyncpg's pool
 * reset runs RESET ALL on PGlite's single session: a search_path set here would not survive), and
 * emptied before each run so a run starts from no tables, as the embedded engine's does.
 */
export async function servePglite(dataDir?: string): Promise<ServedPglite> {
  const dir = dataDir ?? path.join(path.dirname(defaultEmbeddedDir()), path.basename(defaultEmbeddedDir()) + '-python');
  const db = await PgliteDatabase.open({ dataDir: dir, schema: 'public' });
  try {
    await db.query('DROP SCHEMA IF EXISTS public CASCADE', [], { tag: 'dataflow:profiler:setup' });
    await db.query('CREATE SCHEMA public', [], { tag: 'dataflow:profiler:setup' });
    await db.query('SET search_path TO public', [], { tag: 'dataflow:profiler:setup' });
  } catch (e) {
    await db.close();
    throw e;
  }
  const server = new PGLiteSocketServer({ db: db.engine, host: '127.0.0.1', port: 0, maxConnections: 200 });
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  return {
    db,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      await server.stop().catch(() => undefined);
      await db.close();
    },
  };
}
