#!/usr/bin/env node
// The Python evaluator's speed on loops real DataFlow scripts run (building node configs and
// records), each beside CPython running the same program in the same run (python3's own start-up
// subtracted). Best of 3 after a warm-up; always exits 0.
//
//   npm run bench:evaluator      (or: node bench/evaluator.mjs; builds out/ with tsc when missing)
import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out', 'server', 'src');
if (!fs.existsSync(path.join(out, 'runtime', 'python', 'index.js'))) {
  console.log('building out/ with tsc …');
  try { execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: 'ignore' }); } catch { /* type errors elsewhere do not stop the emit */ }
}
const require = createRequire(import.meta.url);
const { evaluateModule } = require(path.join(out, 'runtime', 'python'));

const PROGRAMS = [
  ['1,000,000-iteration loop, module level', 'total = 0\nfor i in range(1_000_000):\n    total += i\nprint(total)'],
  ['1,000,000-iteration loop, in a function', 'def f():\n    total = 0\n    for i in range(1_000_000):\n        total += i\n    return total\nprint(f())'],
  ['100,000 record dicts built in a loop', 'def build():\n    out = []\n    for i in range(100_000):\n        out.append({"id": f"item_{i}", "name": "n" + str(i), "price": i * 1.5, "tags": [i, i + 1]})\n    return out\nrows = build()\nprint(len(rows), rows[-1]["id"])'],
  ['100,000 dicts from a comprehension', 'rows = [{"i": i, "sq": i * i} for i in range(100_000)]\nprint(len(rows))'],
  ['10,000 node configs as a workflow script builds them', 'nodes = []\nfor i in range(10_000):\n    cfg = {"filter": {"category": f"c{i % 7}", "price": {"$gte": i}}, "limit": 20, "order_by": ["-price"]}\n    nodes.append(("ProductListNode", f"list_{i}", cfg))\nprint(len(nodes), nodes[-1][1])'],
];

let python;
try { python = execSync('python3 --version', { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim(); } catch { python = undefined; }
const pyTime = (src) => {
  const run = (code) => { const t0 = performance.now(); const o = execFileSync('python3', ['-c', code], { encoding: 'utf8' }); return { ms: performance.now() - t0, o }; };
  let best = Infinity, startup = Infinity, output = '';
  for (let i = 0; i < 3; i++) {
    startup = Math.min(startup, run('pass').ms);
    const r = run(src);
    best = Math.min(best, r.ms);
    output = r.o;
  }
  return { ms: Math.max(0, best - startup), output };
};
const ourTime = async (src) => {
  (await evaluateModule(src, { fileName: 'bench.py' })).dispose();
  let best = Infinity, output = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await evaluateModule(src, { fileName: 'bench.py' });
    best = Math.min(best, performance.now() - t0);
    output = r.output;
    r.dispose();
  }
  return { ms: best, output };
};

console.log(`Python evaluator vs ${python ?? 'CPython (python3 not found: column skipped)'}, best of 3\n`);
console.log(`${'program'.padEnd(58)} ${'evaluator'.padStart(10)} ${'CPython'.padStart(10)} ${'ratio'.padStart(7)}`);
for (const [label, src] of PROGRAMS) {
  const ours = await ourTime(src);
  const theirs = python ? pyTime(src) : undefined;
  if (theirs && theirs.output !== ours.output) console.log(`  ! outputs differ: ${JSON.stringify(ours.output)} vs ${JSON.stringify(theirs.output)}`);
  console.log(`${label.padEnd(58)} ${`${ours.ms.toFixed(0)} ms`.padStart(10)} ${theirs ? `${theirs.ms.toFixed(0)} ms`.padStart(10) : '—'.padStart(10)} ${theirs && theirs.ms > 0 ? `${(ours.ms / theirs.ms).toFixed(1)}x`.padStart(7) : ''}`);
}
