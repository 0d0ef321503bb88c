import * as assert from 'node:assert/strict';
import { trimResults } from '../../server/src/run/worker/trimResults';
import type { RunFileResult } from '../../server/src/run/runFile';

describe('trimResults (what the editor receives from a run)', () => {
  it('cuts long record lists, says how many were left out, and leaves the rest alone', () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1 }));
    const result = { runs: [{ results: { big: { records, count: 1000, limit: 1000 }, small: { records: [{ id: 1 }], count: 1 }, create: { id: 7, name: 'x' } }, nodes: [] }] } as unknown as RunFileResult;
    trimResults(result, 200);
    const big = result.runs[0].results.big as { records: unknown[]; count: number; records_omitted: number };
    assert.equal(big.records.length, 200);
    assert.equal(big.records_omitted, 800);
    assert.equal(big.count, 1000);
    assert.deepEqual(result.runs[0].results.small, { records: [{ id: 1 }], count: 1 });
    assert.deepEqual(result.runs[0].results.create, { id: 7, name: 'x' });
    assert.equal(records.length, 1000, 'the original list is not modified');
  });
});
