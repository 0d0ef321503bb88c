// The embedded database's first start without an initdb: the build makes a freshly initialised
// PGlite data directory once (`dumpDataDir`, gzip, ~4.5 MB) and ships it beside the bundle as
// `pglite-seed.tgz`; a fresh data directory is then filled from it (`loadDataDir`), which takes
// about half the time of PGlite's own initdb. The seed is only used by the PGlite version that
// made it (`pglite-seed.json`); without a matching seed the data directory is initialised as before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

export const SEED_FILE = 'pglite-seed.tgz';
export const SEED_INFO_FILE = 'pglite-seed.json';

export interface SeedInfo {
  /** The @electric-sql/pglite version that wrote the seed. */
  pglite: string;
  bytes: number;
}

/** The installed PGlite's version (its package.json is not exported: read from the resolved entry's folder upwards). */
export function pgliteVersion(): string | undefined {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('@electric-sql/pglite'));
  } catch {
    return undefined; // the bundle (dist/) without node_modules: PGlite is inside it
  }
  for (let i = 0; i < 4; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const j = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (j.name === '@electric-sql/pglite') return j.version;
      } catch { /* keep looking */ }
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * The seed that fits the running PGlite: beside the bundle (dist/, where the build writes it with
 * the PGlite WASM it bundles) or, for the compiled tree the tests run (out/…, PGlite from
 * node_modules), in the checkout's dist/ when it was made by the installed version. Undefined when
 * there is none.
 */
export function findPgliteSeed(from: string = __dirname): string | undefined {
  const version = pgliteVersion();
  let dir = from;
  for (let i = 0; i < 7; i++) {
    for (const candidate of i === 0 ? [dir] : [dir, path.join(dir, 'dist')]) {
      const seed = path.join(candidate, SEED_FILE);
      const info = path.join(candidate, SEED_INFO_FILE);
      if (!fs.existsSync(seed) || !fs.existsSync(info)) continue;
      try {
        const i = JSON.parse(fs.readFileSync(info, 'utf8')) as SeedInfo;
        if (fs.statSync(seed).size !== i.bytes) continue;
        // Without node_modules the running PGlite is the bundled one the seed was built beside.
        if (version ? i.pglite === version : candidate === from) return seed;
      } catch { /* an unreadable info file: not a seed */ }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Makes the seed in `outDir` (the build calls this; skipped when one for this PGlite version is there). */
export async function writePgliteSeed(outDir: string): Promise<{ written: boolean; bytes: number; ms: number }> {
  const version = pgliteVersion();
  if (!version) throw new Error('cannot tell the installed @electric-sql/pglite version');
  const seed = path.join(outDir, SEED_FILE);
  const infoFile = path.join(outDir, SEED_INFO_FILE);
  try {
    const i = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as SeedInfo;
    if (i.pglite === version && fs.statSync(seed).size === i.bytes) return { written: false, bytes: i.bytes, ms: 0 };
  } catch { /* no seed yet */ }
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(outDir, '.pglite-seed-'));
  try {
    const pg = await PGlite.create(tmp);
    await pg.query('SELECT 1');
    const blob = await pg.dumpDataDir('gzip');
    const bytes = Buffer.from(await blob.arrayBuffer());
    await pg.close();
    fs.writeFileSync(seed, bytes);
    const info: SeedInfo = { pglite: version, bytes: bytes.length };
    fs.writeFileSync(infoFile, JSON.stringify(info) + '\n');
    return { written: true, bytes: bytes.length, ms: Date.now() - started };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
