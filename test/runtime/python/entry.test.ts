import * as assert from 'node:assert/strict';
import { EntryPointError, PyList, compilePython, evaluateModule, listEntryPoints, toPlain } from '../../../server/src/runtime/python';
import { evaluate, rejects, run } from './helpers';

const SRC = [
  'import asyncio', // 1
  'PREFIX = "p"', // 2
  'def build(n, prefix=PREFIX, *, scale=1.0):', // 3
  '    return [f"{prefix}{i}" for i in range(n)] + [scale]', // 4
  '', // 5
  'async def fetch(ids):', // 6
  '    await asyncio.sleep(0)', // 7
  '    return {i: i * 2 for i in ids}', // 8
  '', // 9
  'def only(a, /, b, *rest, c, **kw):', // 10
  '    return (a, b, rest, c, kw)', // 11
  '', // 12
  'if __name__ == "__main__":', // 13
  '    print("main", build(2))', // 14
].join('\n');

describe('python evaluator: entry points', () => {
  it('listEntryPoints lists functions, parameters, defaults and the main block', async () => {
    const ep = await listEntryPoints(SRC);
    assert.equal(ep.hasMainBlock, true);
    assert.equal(ep.mainLine, 13);
    assert.deepEqual(
      ep.functions.map((f) => [f.name, f.line, f.isAsync, f.required]),
      [
        ['build', 3, false, ['n']],
        ['fetch', 6, true, ['ids']],
        ['only', 10, false, ['a', 'b', 'c']],
      ],
    );
    assert.deepEqual(ep.functions[0].params, [
      { name: 'n', kind: 'positional', hasDefault: false },
      { name: 'prefix', kind: 'positional', hasDefault: true, annotation: undefined, default: 'PREFIX' },
      { name: 'scale', kind: 'keyword-only', hasDefault: true, annotation: undefined, default: '1.0' },
    ]);
    assert.deepEqual(ep.functions[2].params.map((p) => p.kind), ['positional-only', 'positional', 'varargs', 'keyword-only', 'varkw']);
  });

  it('calls a chosen function with args; defaults fill the rest; the main block does not run', async () => {
    const r = await evaluate(SRC, { call: 'build', args: { n: 3 } });
    assert.equal(r.output, '');
    assert.deepEqual(toPlain(r.returnValue!), ['p0', 'p1', 'p2', 1]);
    assert.ok(r.returnValue instanceof PyList);
    const r2 = await evaluate(SRC, { call: 'build', args: { n: 1, prefix: 'x', scale: 2 } });
    assert.deepEqual(toPlain(r2.returnValue!), ['x0', 2]);
  });

  it('async entry functions are awaited', async () => {
    const r = await evaluate(SRC, { call: 'fetch', args: { ids: [1, 2] } });
    assert.deepEqual(toPlain(r.returnValue!), new Map([[1, 2], [2, 4]]));
  });

  it('missing arguments give a clear error listing them', async () => {
    const e = await rejects(evaluate(SRC, { call: 'only', args: { b: 1 } }), EntryPointError, /Cannot call only\(\): missing values for parameters 'a', 'c'/);
    assert.deepEqual(e.missing, ['a', 'c']);
    await rejects(evaluate(SRC, { call: 'nope' }), EntryPointError, /No function named 'nope'/);
    await rejects(evaluate(SRC, { call: 'PREFIX' }), EntryPointError, /not a function/);
  });

  it('positional-only, varargs and **kwargs parameters from args', async () => {
    const r = await evaluate(SRC, { call: 'only', args: { a: 1, b: 2, rest: [3, 4], c: 5, extra: 6 } });
    assert.deepEqual(toPlain(r.returnValue!), [1, 2, [3, 4], 5, { extra: 6 }]);
  });

  it('runMain runs the __main__ block', async () => {
    assert.equal(await run(SRC, { runMain: true }), "main ['p0', 'p1', 1.0]\n");
  });

  it('a compiled module can be evaluated many times', async () => {
    const compiled = await compilePython('counter = 0\nfor i in range(5):\n    counter += i\nprint(counter)', 'c.py');
    for (let k = 0; k < 3; k++) {
      const r = await evaluateModule('', { compiled });
      assert.equal(r.output, '10\n');
      assert.equal(r.globals.get('counter'), 10);
    }
    compiled.dispose();
  });

  it('stats report iterations and elapsed time', async () => {
    const r = await evaluate('for i in range(100):\n    pass\n');
    assert.equal(r.stats.iterations, 100);
    assert.ok(r.stats.elapsedMs >= 0);
  });
});
