// What the recording scripts share: the oracle folder (../shared/oracle, the real DataFlow 2.20) and
// a throwaway PostgreSQL database on TEST_DATABASE_URL's server, recreated on demand and dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import pg from 'pg';

/** The oracle folder holding `file` (DATAFLOW_ORACLE_DIR, else ../shared/oracle or ../../shared/oracle beside the checkout); exits 2 naming `tool` when absent. */
export function findOracle(root, file, tool) {
  const oracle = [process.env.DATAFLOW_ORACLE_DIR, path.join(root, '..', 'shared', 'oracle'), path.join(root, '..', '..', 'shared', 'oracle')]
    .find((d) => d && fs.existsSync(path.join(d, file)));
  if (!oracle) {
    console.error(`${tool}: no oracle found (set DATAFLOW_ORACLE_DIR to the folder holding ${file})`);
    process.exit(2);
  }
  return oracle;
}

/** A throwaway database `name` on TEST_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test). */
export function scratchDatabase(name) {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  async function admin(sql) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }
  return {
    url: u.toString(),
    /** Drops and creates it, empty. */
    async recreate() {
      await admin(`DROP DATABASE IF EXISTS "${name}"`);
      await admin(`CREATE DATABASE "${name}"`);
    },
    async drop() {
      await admin(`DROP DATABASE IF EXISTS "${name}"`);
    },
  };
}
