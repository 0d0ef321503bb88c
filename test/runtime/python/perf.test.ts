import * as assert from 'node:assert/strict';
import { evaluateModule } from '../../../server/src/runtime/python';

async function time(src: string): Promise<{ ms: number; output: string }> {
  await evaluateModule(src, { fileName: 'bench.py' }); // warm-up
  let best = Infinity;
  let output = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await evaluateModule(src, { fileName: 'bench.py' });
    best = Math.min(best, performance.now() - t0);
    output = r.output;
    r.dispose();
  }
  return { ms: best, output };
}

describe('python evaluator: performance', function () {
  this.timeout(120_000);

  it('for i in range(1_000_000): total += i (module level and in a function)', async () => {
    const mod = await time('total = 0\nfor i in range(1_000_000):\n    total += i\nprint(total)');
    const fn = await time('def f():\n    total = 0\n    for i in range(1_000_000):\n        total += i\n    return total\nprint(f())');
    console.log(`      1M-iteration loop: module level ${mod.ms.toFixed(0)} ms, in a function ${fn.ms.toFixed(0)} ms`);
    assert.equal(mod.output, '499999500000\n');
    assert.equal(fn.output, '499999500000\n');
    assert.ok(mod.ms < 5000 && fn.ms < 5000);
  });

  it('100,000-iteration loop building dicts', async () => {
    const src = [
      'def build():',
      '    out = []',
      '    for i in range(100_000):',
      '        out.append({"id": f"item_{i}", "name": "n" + str(i), "price": i * 1.5, "tags": [i, i + 1]})',
      '    return out',
      'rows = build()',
      'print(len(rows), rows[-1]["id"])',
    ].join('\n');
    const r = await time(src);
    const comp = await time('rows = [{"i": i, "sq": i * i} for i in range(100_000)]\nprint(len(rows))');
    console.log(`      100k dict-building loop ${r.ms.toFixed(0)} ms; 100k dict comprehension ${comp.ms.toFixed(0)} ms`);
    assert.equal(r.output, '100000 item_99999\n');
    assert.ok(r.ms < 10000);
  });
});
