// The embedded runtime against the REAL DataFlow 2.20: every case in test/conformance/cases/ runs
// through runFile (entry `main`) on PGlite and on PostgreSQL, and its output — what each
// runtime.execute returned or raised, what main() returned or raised — is normalised as the oracle's
// normalise.py does (strict) and compared with <case>.dataflow.json, recorded with the real DataFlow
// by `npm run record:dataflow`. A case that differs on purpose has <case>.divergence.json naming the
// difference (its issue, its reason, the JSON paths it covers): those paths are left out, and the
// test checks the difference is still there, so a fixed divergence cannot stay documented.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend } from '../runtime/backends';
import type { RunFileResult } from '../../server/src/run/runFile';
import { normalise, numberTransactionIds } from './normalise';
import { stringifyRunJson } from '../../server/src/cli/pythonJson';

const CASES = path.resolve(__dirname, '../../../test/conformance/cases');

interface Divergence {
  issue: string;
  reason: string;
  /** JSON paths ("runs.*.results.update.error"; `*` is any key or index) left out of the comparison. */
  ignore: string[];
}

/** The oracle's output shape for a run of the embedded runtime. */
function asOracleOutput(r: RunFileResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    runs: r.runs.map((run) => (run.error ? { error: { type: run.error.type, message: run.error.message } } : { results: run.results })),
    return: r.exitCode === 0 ? (r.returned ?? null) : null,
  };
  if (r.exitCode === 1 && r.error) out.raised = { type: r.error.type, message: r.error.message };
  return out;
}

function without(doc: unknown, patterns: string[]): unknown {
  const drop = (v: unknown, parts: string[]): unknown => {
    if (!parts.length || v === null || typeof v !== 'object') return v;
    const [head, ...rest] = parts;
    const o: Record<string, unknown> | unknown[] = Array.isArray(v) ? [...v] : { ...(v as Record<string, unknown>) };
    for (const k of Object.keys(o)) {
      if (head !== '*' && head !== k) continue;
      if (!rest.length) {
        if (Array.isArray(o)) o[Number(k)] = '<ignored>';
        else delete o[k];
      } else (o as Record<string, unknown>)[k] = drop((o as Record<string, unknown>)[k], rest);
    }
    return o;
  };
  return patterns.reduce((d, p) => drop(d, p.split('.')), doc);
}

/** Paths where two JSON documents differ (for the failure message). */
function differences(a: unknown, b: unknown, at = '', out: string[] = []): string[] {
  if (out.length >= 20) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${at}: runtime ${JSON.stringify(a)?.slice(0, 160)} | DataFlow ${JSON.stringify(b)?.slice(0, 160)}`);
  }
  return out;
}

/** PGlite's clock can give two statements of one run the same timestamp where PostgreSQL's does not: ranks become "<ts>". */
function withoutTimestampRanks(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc).replace(/"<ts:\d+>"/g, '"<ts>"'));
}

const cases = fs.readdirSync(CASES).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();

describe('conformance cases: every case has its recording', () => {
  it('each case has a <case>.dataflow.json recorded by npm run record:dataflow, and each divergence file names a case, an issue and a reason', () => {
    assert.ok(cases.length >= 10, `${cases.length} cases`);
    for (const c of cases) assert.ok(fs.existsSync(path.join(CASES, `${c}.dataflow.json`)), `${c}.dataflow.json is missing: run npm run record:dataflow -- ${c}`);
    for (const f of fs.readdirSync(CASES).filter((x) => x.endsWith('.divergence.json'))) {
      const d = JSON.parse(fs.readFileSync(path.join(CASES, f), 'utf8')) as Divergence;
      assert.ok(cases.includes(f.replace('.divergence.json', '')), `${f} names no case`);
      assert.ok(d.issue && d.reason.length > 40 && d.ignore.length > 0, `${f} must say its issue, its reason and what it ignores`);
    }
  });
});

filesOnEachBackend('conformance with the real DataFlow 2.20 (test/conformance/cases, recorded)', (run, db) => {
  it('--json prints a float field\'s whole values as Python prints them (8.0, issue 10 §2.6), the same document otherwise', async () => {
    const r = await run({ file: path.join(CASES, 'fanout_order.py'), entry: 'main' });
    const text = stringifyRunJson(r);
    assert.match(text, /"price": 8\.0,/);
    assert.match(text, /"price": 0\.0,/);
    assert.doesNotMatch(text, /"price": \d+,/);
    assert.match(text, /"id": 1,/);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(r)));
  });

  for (const c of cases) {
    const divergenceFile = path.join(CASES, `${c}.divergence.json`);
    const divergence = fs.existsSync(divergenceFile) ? (JSON.parse(fs.readFileSync(divergenceFile, 'utf8')) as Divergence) : undefined;
    it(`${c}: ${divergence ? `the same output apart from the named divergence (${divergence.issue})` : 'the same output, strictly normalised'}`, async () => {
      const recorded = JSON.parse(fs.readFileSync(path.join(CASES, `${c}.dataflow.json`), 'utf8')) as unknown;
      const r = await run({ file: path.join(CASES, `${c}.py`), entry: 'main' });
      assert.notEqual(r.exitCode, 2, `the case must run: ${JSON.stringify(r.error)}`);
      // TransactionScopeNode's ids are random (`tx_` + 12 hex digits): numbered by first appearance on both sides.
      let ours = numberTransactionIds(normalise(asOracleOutput(r)));
      let theirs = numberTransactionIds(recorded);
      if (db().embedded) {
        ours = withoutTimestampRanks(ours);
        theirs = withoutTimestampRanks(theirs);
      }
      if (!divergence) {
        assert.deepEqual(ours, theirs, differences(ours, theirs).join('\n'));
        return;
      }
      const a = without(ours, divergence.ignore);
      const b = without(theirs, divergence.ignore);
      assert.deepEqual(a, b, differences(a, b).join('\n'));
      assert.notDeepEqual(ours, theirs, `${c}: the divergence "${divergence.reason.slice(0, 80)}…" is gone: delete ${c}.divergence.json`);
    });
  }
});
