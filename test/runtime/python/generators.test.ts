// Generators, contextlib, open() and __import__: outputs are what CPython 3.12 printed for the
// same snippets during development (the tests never run Python).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UnsupportedPythonError } from '../../../server/src/runtime/python';
import { FileAccess } from '../../../server/src/runtime/python/fileAccess';
import { rejects, run } from './helpers';

const GENERATORS = "def gen(n):\n    for i in range(n):\n        x = yield i\n        if x is not None:\n            print(\"got\", x)\n    return \"done\"\n\nprint(list(gen(3)))\ng = gen(3)\nprint(next(g), g.send(\"a\"), next(g))\ntry:\n    next(g)\nexcept StopIteration as e:\n    print(\"stop\", e.value)\n\ndef outer():\n    r = yield from gen(2)\n    print(\"inner returned\", r)\n    yield \"end\"\n\nprint([x for x in outer()])\n\ndef fin():\n    try:\n        yield 1\n        yield 2\n    finally:\n        print(\"cleanup\")\n\ng = fin()\nprint(next(g))\ng.close()\n\ndef catcher():\n    try:\n        yield 1\n    except ValueError as e:\n        print(\"caught\", e)\n        yield 99\n\ng = catcher()\nnext(g)\nprint(g.throw(ValueError(\"boom\")))\nprint(sum(x * x for x in gen(4)), sorted(gen(3), reverse=True), type(gen(1)).__name__)\n\nimport asyncio\nasync def agen(n):\n    for i in range(n):\n        await asyncio.sleep(0)\n        yield i * 10\n\nasync def main():\n    out = []\n    async for v in agen(3):\n        out.append(v)\n    print(out)\n    a = agen(2)\n    print(await a.__anext__(), await a.__anext__())\n    try:\n        await a.__anext__()\n    except StopAsyncIteration:\n        print(\"async stop\")\n    print([v async for v in agen(2)])\n\nasyncio.run(main())\nfor i, v in enumerate(gen(2)):\n    print(i, v)\nprint(dict(zip(\"ab\", gen(2))))\n";
const GENERATORS_OUT = "[0, 1, 2]\ngot a\n0 1 2\nstop done\ninner returned done\n[0, 1, 'end']\n1\ncleanup\ncaught boom\n99\n14 [2, 1, 0] generator\n[0, 10, 20]\n0 10\nasync stop\n[0, 10]\n0 0\n1 1\n{'a': 0, 'b': 1}\n";
const CONTEXTLIB = "from contextlib import contextmanager, asynccontextmanager, suppress, nullcontext, ExitStack, AsyncExitStack, closing\nimport asyncio\n\n@contextmanager\ndef tag(name):\n    print(\"enter\", name)\n    try:\n        yield name.upper()\n    except KeyError as e:\n        print(\"handled\", repr(e))\n    finally:\n        print(\"exit\", name)\n\nwith tag(\"a\") as t:\n    print(\"body\", t)\nwith tag(\"b\"):\n    raise KeyError(\"k\")\nprint(\"after b\")\ntry:\n    with tag(\"c\"):\n        raise ValueError(\"v\")\nexcept ValueError as e:\n    print(\"propagated\", e)\n\nwith suppress(ZeroDivisionError, KeyError):\n    1 / 0\nprint(\"suppressed\")\nwith nullcontext(5) as v:\n    print(\"null\", v)\n\nclass Res:\n    def __init__(self, n): self.n = n\n    def __enter__(self):\n        print(\"open\", self.n); return self\n    def __exit__(self, *a):\n        print(\"close\", self.n); return False\n    def close(self): print(\"closing\", self.n)\n\nwith ExitStack() as st:\n    rs = [st.enter_context(Res(i)) for i in range(3)]\n    st.callback(print, \"cb\", 1)\n    print(\"inside\", len(rs))\nwith closing(Res(9)):\n    pass\n\n@asynccontextmanager\nasync def session():\n    print(\"connect\")\n    try:\n        yield {\"db\": 1}\n    finally:\n        await asyncio.sleep(0)\n        print(\"disconnect\")\n\nasync def main():\n    async with session() as s:\n        print(\"using\", s)\n    try:\n        async with session() as s:\n            raise RuntimeError(\"x\")\n    except RuntimeError as e:\n        print(\"caught\", e)\n    async with AsyncExitStack() as st:\n        s = await st.enter_async_context(session())\n        print(\"stacked\", s)\n\nasyncio.run(main())\n\n@contextmanager\ndef noyield():\n    if False:\n        yield\ntry:\n    with noyield():\n        pass\nexcept RuntimeError as e:\n    print(\"RuntimeError\", e)\n";
const CONTEXTLIB_OUT = "enter a\nbody A\nexit a\nenter b\nhandled KeyError('k')\nexit b\nafter b\nenter c\nexit c\npropagated v\nsuppressed\nnull 5\nopen 0\nopen 1\nopen 2\ninside 3\ncb 1\nclose 2\nclose 1\nclose 0\nclosing 9\nconnect\nusing {'db': 1}\ndisconnect\nconnect\ndisconnect\ncaught x\nconnect\nstacked {'db': 1}\ndisconnect\nRuntimeError generator didn't yield\n";
const FILES = "import tempfile, os, json\nwith open(\"data.txt\") as f:\n    print(repr(f.read()))\nwith open(\"data.txt\") as f:\n    print(f.readlines())\nwith open(\"data.txt\", \"rb\") as f:\n    print(f.read())\nfor line in open(\"data.txt\", encoding=\"utf-8\"):\n    print(repr(line.rstrip()))\nd = tempfile.mkdtemp()\np = os.path.join(d, \"out.json\")\nwith open(p, \"w\") as f:\n    n = f.write(json.dumps({\"a\": 1}))\n    f.write(\"\\n\")\nprint(n)\nwith open(p, \"a\") as f:\n    f.writelines([\"x\\n\", \"y\\n\"])\nwith open(p) as f:\n    print(f.read().splitlines())\ntry:\n    open(\"missing.txt\")\nexcept FileNotFoundError as e:\n    print(\"FNF\", e)\nf = open(\"data.txt\")\nf.close()\ntry:\n    f.read()\nexcept ValueError as e:\n    print(\"VE\", e)\nm = __import__(\"json\", fromlist=[\"dumps\"])\nprint(m.__name__)\nj = __import__(\"json\")\nprint(j.dumps([1]))\n";
const FILES_OUT = "'line1\\nline2\\nlast'\n['line1\\n', 'line2\\n', 'last']\nb'line1\\r\\nline2\\nlast'\n'line1'\n'line2'\n'last'\n8\n['{\"a\": 1}', 'x', 'y']\nFNF [Errno 2] No such file or directory: 'missing.txt'\nVE I/O operation on closed file.\njson\n[1]\n";

describe('python evaluator: generators, contextlib, open(), __import__', () => {
  let root: string;
  let files: FileAccess;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctxlib-proj-'));
    fs.writeFileSync(path.join(root, 'data.txt'), 'line1\r\nline2\nlast');
    files = new FileAccess(root);
  });
  afterEach(() => {
    files.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('generator functions: iteration, next/send/throw/close, yield from, StopIteration.value, async generators', async () => {
    assert.equal(await run(GENERATORS, { runMain: true }), GENERATORS_OUT);
  });

  it('contextlib: contextmanager (exceptions thrown in at the yield), asynccontextmanager, suppress, nullcontext, ExitStack, closing', async () => {
    assert.equal(await run(CONTEXTLIB, { runMain: true }), CONTEXTLIB_OUT);
  });

  it('open() reads inside the project root and writes inside the scratch folder; __import__', async () => {
    assert.equal(await run(FILES, { runMain: true, files }), FILES_OUT);
  });

  it('open() outside the project root, for writing outside the scratch folder, or without a project is not modelled (exit 2)', async () => {
    await rejects(run('open("/etc/hostname")', { files }), UnsupportedPythonError, /open\(\) outside the project root/);
    await rejects(run('open("/etc/new.txt", "w")', { files }), UnsupportedPythonError, /open\(\) for writing outside the project and the run's scratch folder/);
    await rejects(run('open("data.txt", "r+")', { files }), UnsupportedPythonError, /mode 'r\+'/);
    await rejects(run('open("data.txt")'), UnsupportedPythonError, /open\(\) \(file system access\)/);
    assert.ok(!fs.existsSync('/etc/new.txt'));
  });

  it('a generator that ignores GeneratorExit, and a contextmanager that yields twice, raise RuntimeError as in CPython', async () => {
    const src = [
      'from contextlib import contextmanager',
      'def g():',
      '    while True:',
      '        try:',
      '            yield 1',
      '        except GeneratorExit:',
      '            pass',
      'x = g()',
      'next(x)',
      'try:',
      '    x.close()',
      'except RuntimeError as e:',
      '    print(e)',
      '@contextmanager',
      'def two():',
      '    yield 1',
      '    yield 2',
      'try:',
      '    with two():',
      '        pass',
      'except RuntimeError as e:',
      '    print(e)',
    ].join('\n');
    assert.equal(await run(src), "generator ignored GeneratorExit\ngenerator didn't stop\n");
  });

  it('a @contextmanager / @asynccontextmanager method binds self like the function it wraps', async () => {
    assert.equal(await run("from contextlib import contextmanager, asynccontextmanager\nimport asyncio\nclass Suite:\n    def __init__(self): self.n = 0\n    @contextmanager\n    def tx(self, label):\n        self.n += 1\n        yield f\"{label}{self.n}\"\n        self.n -= 1\n    @asynccontextmanager\n    async def session(self):\n        yield self\ns = Suite()\nwith s.tx(\"t\") as v:\n    print(v, s.n)\nprint(s.n)\nasync def main():\n    async with s.session() as x:\n        print(x is s)\nasyncio.run(main())\n", { runMain: true }), "t1 1\n0\nTrue\n");
  });

  it('a generator resumed from different call depths and nested loops keeps its own loop and frame state', async () => {
    assert.equal(await run("def gen():\n    for i in range(3):\n        for j in range(2):\n            yield (i, j)\n\ndef consume():\n    out = []\n    g = gen()\n    for k in range(2):\n        out.append(next(g))\n    for x in g:\n        out.append(x)\n    return out\n\nprint(consume())\ndef bad():\n    yield 1\n    raise KeyError(\"x\")\ntry:\n    for v in bad():\n        print(v)\nexcept KeyError as e:\n    print(\"KeyError\", e)\ng = gen()\nnext(g)\nprint([1 for _ in range(3)])\nprint(list(zip(gen(), gen())))\ndef deeper(g, n):\n    return next(g) if n == 0 else deeper(g, n - 1)\ng = gen()\nprint(next(g), deeper(g, 3), [deeper(g, k) for k in range(2)], list(g))\n", { runMain: true }), "[(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]\n1\nKeyError 'x'\n[1, 1, 1]\n[((0, 0), (0, 0)), ((0, 1), (0, 1)), ((1, 0), (1, 0)), ((1, 1), (1, 1)), ((2, 0), (2, 0)), ((2, 1), (2, 1))]\n(0, 0) (0, 1) [(1, 0), (1, 1)] [(2, 0), (2, 1)]\n");
  });
});
