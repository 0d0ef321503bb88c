import * as assert from 'node:assert/strict';
import { EvaluationLimitError, PyException, PythonSyntaxError, UnsupportedPythonError } from '../../../server/src/runtime/python';
import { evaluate, rejects, run } from './helpers';

describe('python evaluator: bounds and cancellation', () => {
  it('a runaway while True stops at the iteration bound with file:line:col', async () => {
    const e = await rejects(run('x = 0\nwhile True:\n    x += 1\n', { limits: { maxIterations: 50_000 } }), EvaluationLimitError, /Loop iteration limit exceeded \(50,000 iterations\) at case\.py:2:1/);
    assert.equal(e.limit, 'iterations');
    assert.equal(e.location!.line, 2);
  });

  it('the iteration bound counts for loops, comprehensions and nested loops together', async () => {
    await rejects(run('for i in range(100):\n    for j in range(100):\n        pass\n', { limits: { maxIterations: 5_000 } }), EvaluationLimitError, /case\.py:2:5/);
    await rejects(run('x = [i for i in range(10**6)]', { limits: { maxIterations: 1_000 } }), EvaluationLimitError, /iteration limit/);
    assert.equal(await run('for i in range(10):\n    pass\nprint(i)', { limits: { maxIterations: 10 } }), '9\n');
  });

  it('wall time bound', async () => {
    const t0 = Date.now();
    const e = await rejects(run('while True:\n    pass\n', { limits: { timeoutMs: 150, maxIterations: 1e12 } }), EvaluationLimitError, /Time limit exceeded \(150 ms\)/);
    assert.equal(e.limit, 'time');
    assert.ok(Date.now() - t0 < 3000);
  });

  it('recursion depth bound', async () => {
    const e = await rejects(run('def f(n):\n    return f(n + 1)\nf(0)\n'), EvaluationLimitError, /Recursion depth limit exceeded \(200 nested calls, calling f\(\)\) at case\.py:2:12/);
    assert.equal(e.limit, 'depth');
    assert.equal(await run('def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(150))'), '150\n');
  });

  it('size bounds for lists and strings', async () => {
    await rejects(run('x = [0] * (10**7 + 1)'), EvaluationLimitError, /Size limit exceeded/);
    await rejects(run('s = "ab" * 10**7'), EvaluationLimitError, /Size limit exceeded/);
    await rejects(run('l = []\nfor i in range(2000):\n    l.extend(range(1000))\n', { limits: { maxSize: 100_000 } }), EvaluationLimitError, /Size limit/);
  });

  it('cancellation through an AbortSignal (checked periodically, also in sync loops)', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    const e = await rejects(run('while True:\n    pass\n', { signal: ac.signal, limits: { maxIterations: 1e12 } }), EvaluationLimitError, /Evaluation cancelled at case\.py:1:1/);
    assert.equal(e.limit, 'cancelled');
    assert.ok(Date.now() - t0 < 2000);
    const ac2 = new AbortController();
    ac2.abort();
    await rejects(run('print(1)', { signal: ac2.signal }), EvaluationLimitError, /cancelled/);
  });

  it('bounds cannot be caught by Python code, but finally blocks still run', async () => {
    const lines: string[] = [];
    await rejects(run('try:\n    while True:\n        pass\nexcept BaseException:\n    print("caught")\nfinally:\n    print("finally")\n', { limits: { maxIterations: 1000 }, print: (t) => lines.push(t) }), EvaluationLimitError);
    assert.deepEqual(lines, ['finally']);
  });

  it('uncaught Python exceptions carry a Python traceback', async () => {
    const src = 'def inner(x):\n    return {"a": 1}[x]\n\ndef outer():\n    return inner("b")\n\nouter()\n';
    const e = await rejects(run(src), PyException);
    assert.equal(e.pyType, 'KeyError');
    assert.equal(e.pyMessage, "'b'");
    assert.deepEqual(e.traceback.map((t) => [t.function, t.line]).reverse(), [['<module>', 7], ['outer', 5], ['inner', 2]]);
    assert.equal(
      e.message,
      ['Traceback (most recent call last):', '  File "case.py", line 7, column 1, in <module>', '  File "case.py", line 5, column 5, in outer', '  File "case.py", line 2, column 5, in inner', "KeyError: 'b'"].join('\n'),
    );
  });

  it('syntax errors are reported with a location', async () => {
    const e = await rejects(evaluate('x = (1,\nprint(x'), PythonSyntaxError);
    assert.ok(e.location.line >= 1);
    assert.match(e.message, /SyntaxError: .* at case\.py:\d+:\d+/);
  });

  it('UnsupportedPythonError is not catchable by except Exception', async () => {
    await rejects(run('try:\n    exec("x = 1")\nexcept Exception:\n    print("caught")\n'), UnsupportedPythonError, /exec\(\).* at case\.py:2:5/);
  });
});
