import * as assert from 'node:assert/strict';
import { UnsupportedPythonError } from '../../../server/src/runtime/python';
import { rejects, run } from './helpers';

interface Case {
  name: string;
  src: string;
  construct: RegExp;
  line: number;
  column: number;
}

const CASES: Case[] = [
  { name: 'complex literal pattern (once a case reaches it)', src: 'x = 1\nmatch x:\n    case 1:\n        pass\n    case 1j:\n        pass\nmatch 2:\n    case 1:\n        pass\n    case 2j:\n        pass\n', construct: /complex number literal pattern/, line: 10, column: 10 },
  { name: 'sequence pattern against an unknown import', src: 'import numpy\nmatch numpy:\n    case [a]:\n        pass\n', construct: /a sequence pattern against 'numpy'/, line: 3, column: 10 },
  { name: 'metaclass', src: 'import abc\nclass A(metaclass=abc.ABCMeta):\n    pass\n', construct: /metaclass/, line: 2, column: 9 },
  { name: 'exec()', src: 'x = 1\ny = exec("x")\n', construct: /exec\(\)/, line: 2, column: 5 },
  { name: 'eval()', src: 'eval("1")', construct: /eval\(\)/, line: 1, column: 1 },
  { name: 'open()', src: 'with open("f.csv") as fh:\n    pass\n', construct: /open\(\)/, line: 1, column: 6 },
  { name: 'attribute of an unknown import', src: 'import numpy as np\n\nx = np.array([1])\n', construct: /attribute 'array' of 'numpy'/, line: 3, column: 5 },
  { name: 'call of a name from an unknown import', src: 'from pandas import DataFrame\ndf = DataFrame()\n', construct: /call of 'pandas\.DataFrame'/, line: 2, column: 6 },
  { name: 'class based on an unknown import', src: 'from pydantic import BaseModel\n\nclass User(BaseModel):\n    name: str\n', construct: /base class 'pydantic\.BaseModel'/, line: 3, column: 1 },
  { name: 'dataflow without a host binding', src: 'from dataflow import DataFlow\ndb = DataFlow()\n', construct: /call of 'dataflow\.DataFlow'/, line: 2, column: 6 },
  { name: 'iteration over an unknown import', src: 'import requests\nfor r in requests:\n    pass\n', construct: /iteration of 'requests'/, line: 2, column: 1 },
  { name: 'complex literal', src: 'x = 1\nz = 2j\n', construct: /complex number literal/, line: 2, column: 5 },
  { name: 'Python 2 print statement', src: 'print >> f, "x"\n', construct: /print/, line: 1, column: 1 },
  { name: 'unsupported method of a value', src: 'x = 1.5\ny = x.hex()\n', construct: /float\.hex\(\)/, line: 2, column: 5 },
  { name: 'a strptime directive not modelled (%U)', src: 'from datetime import datetime\nd = datetime.strptime("2024 05", "%Y %U")\n', construct: /strptime\(\) directive %U/, line: 2, column: 5 },
  { name: 'subclassing a builtin container', src: 'class D(dict):\n    pass\n', construct: /subclassing the builtin type 'dict'/, line: 1, column: 1 },
  { name: 'file-system access', src: 'import os\nok = os.path.exists("/etc")\n', construct: /os\.path\.exists/, line: 2, column: 6 },
  { name: 'except* groups', src: 'try:\n    pass\nexcept* ValueError:\n    pass\n', construct: /except\*/, line: 3, column: 1 },
];

describe('python evaluator: unsupported constructs give located errors', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const e = await rejects(run(c.src), UnsupportedPythonError, c.construct);
      assert.ok(e.location, 'has a location');
      assert.deepEqual([e.location!.file, e.location!.line, e.location!.column], ['case.py', c.line, c.column], e.message);
      assert.match(e.message, new RegExp(`at case\\.py:${c.line}:${c.column}$`));
    });
  }

  it('an unknown import is fine until it is used', async () => {
    assert.equal(await run('import numpy as np\nfrom pydantic import BaseModel\nx = np\nprint("ok")'), 'ok\n');
  });

  it('a generator function defined but never called is fine', async () => {
    assert.equal(await run('def gen():\n    yield 1\nprint("ok")'), 'ok\n');
  });
});
