// `npm run fuzz -- [--edits N] [--seed S] [--per-file K] [--functions F] [--lsp] [--lsp-edits N] [--no-reduce] [--out DIR]`
// Incremental-vs-fresh fuzz on generated, real-shaped DataFlow modules (CRLF, lone CR, astral
// characters, unterminated strings and brackets, deletes across statements, pastes). In process:
// after every edit the text, positions, facts, findings and fix edits of the incrementally updated
// file must equal a fresh analysis of the same text; edits whose analysis takes more than
// --slow-ratio (5) × a fresh analysis and over --slow-min-ms (50) are counted as slow. With --lsp,
// the first --lsp-edits edits also go to a real server process as didChange, compared every
// --checkpoint (10) edits with a fresh open on a second server (diagnostics and quick fixes).
// Every mismatch is reduced to a minimal case, printed (and written to --out). Exit 1 on any mismatch.
// `npm run fuzz` builds first (out/ for the fuzz, dist/server.js for --lsp).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(root, 'out', p);

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i === -1 ? def : args[i + 1]; };
const flag = (name) => args.includes(`--${name}`);
const edits = Number(opt('edits', 2000));
const seed = Number(opt('seed', 0xdf13));
const perFile = Number(opt('per-file', 250));
const functions = opt('functions', undefined) && Number(opt('functions'));
const slowRatio = Number(opt('slow-ratio', 5));
const slowMinMs = Number(opt('slow-min-ms', 50));
const outDir = opt('out', undefined);

const { initPython } = require(out('server/src/syntax/parser.js'));
const gen = require(out('test/helpers/fuzzGen.js'));
const { prng } = require(out('test/helpers/fuzz.js'));
const check = require(out('test/helpers/fuzzCheck.js'));

await initPython();
let failed = 0;
const stats = check.runInProcess({
  seed, edits, perFile, functions, reduce: !flag('no-reduce'), slowRatio, slowMinMs,
  progress: (s) => process.stderr.write(`\r${s.edits}/${edits} edits, ${s.files} files, ${s.findings.length} mismatches, ${s.slow.length} slow, ${s.treeDivergences} tree divergences `),
}, { ...gen, prng });
process.stderr.write('\n');
const report = {
  seed, edits: stats.edits, files: stats.files, seconds: Math.round(stats.ms / 100) / 10,
  mismatches: stats.findings.length, treeDivergences: stats.treeDivergences,
  slowEdits: stats.slow.length,
  slowAgain: stats.slow.filter((x) => x.again && x.again.incrementalMs > slowMinMs && x.again.incrementalMs > slowRatio * x.again.freshMs).length,
  slowest: [...stats.slow].sort((a, b) => b.incrementalMs / b.freshMs - a.incrementalMs / a.freshMs).slice(0, 5),
  editKinds: stats.byKind,
};
console.log(JSON.stringify(report, null, 2));
if (outDir) mkdirSync(outDir, { recursive: true });
stats.findings.forEach((f, i) => {
  failed++;
  console.log(`\nMISMATCH ${i + 1}: ${f.kind} at file ${f.file} edit ${f.edit}: ${f.detail.slice(0, 600)}`);
  if (f.reduced) {
    console.log(`reduced to ${f.reduced.edits.length} edit(s) on ${f.reduced.initial.length} characters:\n${check.caseSource(f.reduced)}`);
    if (outDir) writeFileSync(path.join(outDir, `case-${seed}-${i + 1}-${f.kind}.json`), JSON.stringify({ kind: f.kind, detail: f.detail, ...f.reduced }, null, 2));
  }
});

if (flag('lsp')) {
  const { LspFuzzPair } = require(out('test/helpers/fuzzLsp.js'));
  const lspEdits = Number(opt('lsp-edits', Math.min(edits, 500)));
  const every = Number(opt('checkpoint', 10));
  let sent = 0, checkpoints = 0;
  const mismatches = [];
  for (let file = 0; sent < lspEdits; file++) {
    const rnd = prng(seed * 7919 + 1_000_003 + file);
    const initial = functions ? gen.generateModule(rnd, ['lf', 'crlf', 'mixed'][file % 3], functions) : gen.generateModule(rnd);
    const script = gen.editScript(rnd, initial, Math.min(perFile, lspEdits - sent));
    const pair = await LspFuzzPair.start();
    try {
      await pair.open(initial);
      for (let i = 0; i < script.length; i++) {
        sent++;
        const cp = i % every === every - 1 || i === script.length - 1;
        if (cp) checkpoints++;
        const m = await pair.send(script[i], i, cp, true);
        if (m) { mismatches.push({ file, ...m }); break; }
      }
    } finally { await pair.dispose(); }
    process.stderr.write(`\rlsp: ${sent}/${lspEdits} edits, ${checkpoints} checkpoints, ${mismatches.length} mismatches `);
  }
  process.stderr.write('\n');
  console.log(JSON.stringify({ lsp: { edits: sent, checkpoints, mismatches: mismatches.length } }));
  for (const m of mismatches) { failed++; console.log(`LSP MISMATCH ${m.kind} file ${m.file} edit ${m.edit}: ${m.detail.slice(0, 800)}`); }
}
process.exit(failed ? 1 : 0);
