import * as assert from 'node:assert/strict';
import { SEMANTICS_CASES } from './semanticsCases';
import { run } from './helpers';

describe('python evaluator: Python semantics (outputs CPython prints)', () => {
  for (const c of SEMANTICS_CASES) {
    it(c.name, async () => {
      const out = await run(c.src, { runMain: true });
      assert.equal(out, c.expected);
    });
  }

  it('sum() of floats uses compensated summation (CPython 3.12)', async () => {
    assert.equal(await run('print(sum([0.1] * 10), sum([1e100, 1.0, -1e100]))'), '1.0 1.0\n');
  });

  it('ints promote to bigint beyond 2**53 and back', async () => {
    assert.equal(await run('x = 2**53\nprint(x + 1, x * x, (x * x) // x == x, type(x * x).__name__, 10**30 % 7, -(10**20))'), '9007199254740993 81129638414606681695789005144064 True int 1 -100000000000000000000\n');
  });

  it('dict keys: 1, 1.0 and True collide; tuples hash by content', async () => {
    assert.equal(await run('d = {}\nd[1] = "a"\nd[1.0] = "b"\nd[True] = "c"\nd[(1, "x")] = 1\nd[(1, "x")] += 1\nprint(d, len(d), 1.0 in d, (1, "x") in d)'), "{1: 'c', (1, 'x'): 2} 2 True True\n");
  });

  it('print sep/end and the print callback', async () => {
    const lines: string[] = [];
    const out = await run('print("a", "b", sep="-", end="!")\nprint()\nprint(1, 2)', { print: (t) => lines.push(t) });
    assert.equal(out, 'a-b!\n1 2\n');
    assert.deepEqual(lines, ['a-b!', '', '1 2']);
  });

  it('os.getenv / os.environ read only the given environment', async () => {
    const out = await run('import os\nprint(os.getenv("A"), os.getenv("NOPE", "d"), os.environ.get("A"), os.environ["A"], "A" in os.environ, os.getenv("HOME"))\ntry:\n    os.environ["NOPE"]\nexcept KeyError as e:\n    print("KeyError", e)', { env: { A: '1' } });
    assert.equal(out, "1 d 1 1 True None\nKeyError 'NOPE'\n");
  });

  it('fixed clock: datetime.now, date.today, time.time, time.sleep advances it', async () => {
    const src = 'from datetime import datetime, date\nimport time\nt0 = time.time()\nprint(datetime.now(), datetime.utcnow().isoformat(), date.today(), t0)\ntime.sleep(1.5)\nprint(time.time() - t0, datetime.now())';
    assert.equal(await run(src, { clock: '2024-03-04T05:06:07Z' }), '2024-03-04 05:06:07 2024-03-04T05:06:07 2024-03-04 1709528767.0\n1.5 2024-03-04 05:06:08.500000\n');
  });

  it('seeded random and uuid4 are deterministic per seed', async () => {
    const src = 'import random, uuid\nrandom.seed(7)\nprint(random.random(), random.randint(1, 6), random.choice("abc"), random.sample(range(10), 3), random.uniform(1, 2), str(uuid.uuid4()))\nl = [1, 2, 3, 4]\nrandom.shuffle(l)\nprint(sorted(l))';
    const a = await run(src, { seed: 1 });
    const b = await run(src, { seed: 1 });
    const c = await run(src.replace('random.seed(7)\n', ''), { seed: 2 });
    const d = await run(src.replace('random.seed(7)\n', ''), { seed: 3 });
    assert.equal(a, b);
    assert.notEqual(c, d);
    assert.match(a, /^0\.\d+ [1-6] [abc] \[\d, \d, \d\] 1\.\d+ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n\[1, 2, 3, 4\]\n$/);
  });

  it('uuid.UUID, uuid5, Decimal, logging, collections, math, copy', async () => {
    const src = [
      'import uuid, logging, math, copy',
      'from decimal import Decimal',
      'from collections import defaultdict, Counter, OrderedDict',
      'u = uuid.UUID("12345678-1234-5678-1234-567812345678")',
      'print(u, repr(u), u.hex, uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"))',
      'print(Decimal("1.50"), repr(Decimal("2")), Decimal("1.5") == Decimal("1.50"), float(Decimal("2.5")))',
      'log = logging.getLogger(__name__)',
      'log.info("hello %s", "x")',
      'dd = defaultdict(list)',
      'dd["a"].append(1)',
      'print(dict(dd), Counter("aab").most_common(1), dict(OrderedDict(a=1)))',
      'print(math.floor(2.5), math.ceil(2.1), math.sqrt(16), math.pi, math.isclose(0.1 + 0.2, 0.3))',
      'a = {"k": [1, 2]}',
      'b = copy.deepcopy(a)',
      'b["k"].append(3)',
      'print(a, b)',
    ].join('\n');
    const logs: string[] = [];
    assert.equal(
      await run(src, { log: (lvl, msg) => logs.push(`${lvl}:${msg}`) }),
      "12345678-1234-5678-1234-567812345678 UUID('12345678-1234-5678-1234-567812345678') 12345678123456781234567812345678 886313e1-3b8a-5372-9b90-0c9aee199e5d\n1.50 Decimal('2') True 2.5\n{'a': [1]} [('a', 2)] {'a': 1}\n2 3 4.0 3.141592653589793 True\n{'k': [1, 2]} {'k': [1, 2, 3]}\n",
    );
    assert.deepEqual(logs, ['INFO:hello x']);
  });

  it('async for over a list, async with on a user class, await of plain values', async () => {
    const src = [
      'import asyncio',
      'class A:',
      '    async def __aenter__(self):',
      '        print("aenter")',
      '        return 5',
      '    async def __aexit__(self, *a):',
      '        print("aexit")',
      'async def main():',
      '    out = []',
      '    async for x in [1, 2]:',
      '        out.append(x)',
      '    async with A() as v:',
      '        out.append(v)',
      '    t = asyncio.create_task(asyncio.sleep(0, "slept"))',
      '    out.append(await t)',
      '    return out',
      'print(asyncio.run(main()))',
    ].join('\n');
    assert.equal(await run(src), "aenter\naexit\n[1, 2, 5, 'slept']\n");
  });

  it('__name__ is the module stem unless runMain; the main block runs only on request', async () => {
    const src = 'print(__name__)\nif __name__ == "__main__":\n    print("main block")';
    assert.equal(await run(src, { fileName: 'app/seed.py' }), 'seed\n');
    assert.equal(await run(src, { fileName: 'app/seed.py', moduleName: 'app.seed' }), 'app.seed\n');
    assert.equal(await run(src, { fileName: 'app/seed.py', runMain: true }), '__main__\nmain block\n');
  });
});
