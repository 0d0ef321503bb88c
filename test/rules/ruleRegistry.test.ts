// One rule = one unit: every list of rules derives from the specs in the rule files. This checks
// the specs themselves and that the manifest, README and docs index were regenerated from them
// (`npm run rules:sync`) and that every rule has its page and its fixtures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, RULE_SPECS } from '../../server/src/rules';
import { manifestLintProperties, rulesTable, withRulesTable } from '../../server/src/rules/metadata';
import { defaultSettings, RULE_NAMES } from '../../server/src/settings';
import { FIXTURES, REPO } from '../helpers/analysis';

describe('rule registry', () => {
  it('specs are unique, well formed and in code order', () => {
    const codes = RULE_SPECS.map((s) => s.code), names = RULE_SPECS.map((s) => s.name);
    assert.equal(new Set(codes).size, codes.length, 'duplicate code');
    assert.equal(new Set(names).size, names.length, 'duplicate name');
    for (const s of RULE_SPECS) {
      assert.match(s.code, /^DF\d{3}$/);
      assert.match(s.name, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(s.defaultSeverity), s.code);
      assert.ok(s.summary.length > 10 && !s.summary.endsWith('.'), `${s.code}: a one-line summary without a final period`);
    }
    assert.deepEqual([...codes].sort(), codes, 'RULES is in code order');
    assert.deepEqual(RULE_NAMES, names);
    assert.deepEqual(Object.keys(defaultSettings().lint), names);
    for (const r of RULES) assert.equal(defaultSettings().lint[r.spec.name], r.spec.defaultSeverity);
  });

  it('every rule has a docs page that names its code and setting', () => {
    for (const s of RULE_SPECS) {
      const page = path.join(REPO, s.docs);
      assert.ok(fs.existsSync(page), `${s.docs} is missing`);
      const text = fs.readFileSync(page, 'utf8');
      assert.ok(text.includes(s.code) && text.includes(s.name), `${s.docs} names ${s.code} and ${s.name}`);
    }
  });

  it('every rule has positive and negative fixtures', () => {
    for (const s of RULE_SPECS) {
      const dir = path.join(FIXTURES, 'rules', s.name);
      assert.ok(fs.existsSync(dir), `test/fixtures/rules/${s.name}/ is missing`);
      const texts = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.py')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
      assert.ok(texts.some((t) => t.includes(`^ ${s.code}`) || new RegExp(`\\^+ ${s.code}`).test(t)), `${s.name}: no fixture expects ${s.code}`);
      assert.ok(texts.some((t) => !new RegExp(`\\^+ ${s.code}`).test(t)), `${s.name}: no negative fixture (a file where ${s.code} must not fire)`);
    }
  });

  it('package.json settings are generated from the specs (npm run rules:sync)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const props = Object.assign({}, ...[pkg.contributes.configuration].flat().map((s: { properties: object }) => s.properties)) as Record<string, unknown>;
    const have = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('dataflow.lint.')));
    assert.deepEqual(have, manifestLintProperties(RULE_SPECS));
  });

  for (const [file, prefix] of [['README.md', 'docs/rules/'], ['docs/rules/README.md', '']]) {
    it(`${file} lists every rule (npm run rules:sync)`, () => {
      const text = fs.readFileSync(path.join(REPO, file), 'utf8');
      assert.equal(withRulesTable(text, rulesTable(RULE_SPECS, prefix)), text);
    });
  }
});

describe('layering', () => {
  it('quick-fixes never import rules (shared types live in analysis/ and model/)', () => {
    const dir = path.join(REPO, 'server', 'src', 'fixes');
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.doesNotMatch(text, /from '\.\.\/rules/, `server/src/fixes/${f} imports from rules/`);
    }
  });
});
