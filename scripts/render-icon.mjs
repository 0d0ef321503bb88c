#!/usr/bin/env node
// Renders images/icon.svg to images/icon.png (256x256, transparent corners) with headless Chromium
// (Debian's, which test-env/install.sh installs): `node scripts/render-icon.mjs`. The PNG is committed;
// run this again after editing the SVG.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-icon-'));
try {
  const svg = fs.readFileSync(path.join(root, 'images', 'icon.svg'), 'utf8');
  const page = path.join(tmp, 'icon.html');
  fs.writeFileSync(page, `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const out = path.join(tmp, 'icon.png');
  const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${path.join(tmp, 'profile')}`,
    '--default-background-color=00000000', '--window-size=256,256', `--screenshot=${out}`, `file://${page}`], { encoding: 'utf8', timeout: 60000 });
  if (!fs.existsSync(out)) { console.error(r.stderr || r.error); process.exit(1); }
  fs.copyFileSync(out, path.join(root, 'images', 'icon.png'));
  console.log(`images/icon.png: ${fs.statSync(out).size} bytes`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
