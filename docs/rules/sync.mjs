// `npm run rules:sync`: rewrites the rule lists derived from the rule specs (the manifest's
// dataflow.lint.* settings, the tables in README.md and docs/rules/README.md). Run after adding a
// rule or changing its spec; the registry test fails until this has been run.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { RULE_SPECS } = require(path.join(root, 'out/server/src/rules/index.js'));
const meta = require(path.join(root, 'out/server/src/rules/metadata.js'));

const pkgPath = path.join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
// contributes.configuration is a list of sections; the rules' settings live in the one that has them (else "Rules").
const sections = [pkg.contributes.configuration].flat();
const section = sections.find((s) => Object.keys(s.properties ?? {}).some((k) => k.startsWith('dataflow.lint.'))) ?? sections.find((s) => s.title === 'Rules') ?? sections[0];
const props = section.properties ?? {};
const rebuilt = {};
let inserted = false;
const lint = meta.manifestLintProperties(RULE_SPECS);
for (const [k, v] of Object.entries(props)) {
  if (k.startsWith('dataflow.lint.')) {
    if (!inserted) { Object.assign(rebuilt, lint); inserted = true; }
    continue;
  }
  rebuilt[k] = v;
}
if (!inserted) Object.assign(rebuilt, lint);
section.properties = rebuilt;
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');

for (const [file, prefix] of [['README.md', 'docs/rules/'], ['docs/rules/README.md', '']]) {
  const p = path.join(root, file);
  const next = meta.withRulesTable(readFileSync(p, 'utf8'), meta.rulesTable(RULE_SPECS, prefix));
  if (next === undefined) { console.error(`${file}: no ${meta.TABLE_START} … ${meta.TABLE_END} block`); process.exitCode = 1; continue; }
  writeFileSync(p, next);
}
console.log(`rules:sync: ${RULE_SPECS.length} rules written to package.json, README.md and docs/rules/README.md`);
