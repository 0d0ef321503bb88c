// exc.__traceback__: the evaluator's own frames, catching frame first; an exception raised inside
// code the runtime models (a host function) stops at the last evaluated frame (unsupported past it).
import * as assert from 'node:assert/strict';
import { UnsupportedPythonError } from '../../../server/src/runtime/python';
import { hostFunction } from '../../../server/src/runtime/python/host';
import { pyErr } from '../../../server/src/runtime/python/values';
import { rejects, run } from './helpers';

const WALK = [
  'def frames(e):',
  '    out = []',
  '    tb = e.__traceback__',
  '    while tb is not None:',
  '        out.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))',
  '        tb = tb.tb_next',
  '    return out',
].join('\n');

describe('python evaluator: exception __traceback__', () => {
  it('walks from the catching frame to the raising one (co_name without <locals>), None for an exception never raised', async () => {
    const src = [
      WALK,
      'def inner():',
      '    raise ValueError("x")',
      'def outer():',
      '    f = lambda: inner()',
      '    return f()',
      'try:',
      '    outer()',
      'except ValueError as e:',
      '    print(frames(e))',
      'print(ValueError("never").__traceback__)',
    ].join('\n');
    // CPython 3.11 prints the same for this file.
    assert.equal(await run(src), "[('<module>', 14), ('outer', 12), ('<lambda>', 11), ('inner', 9)]\nNone\n");
  });

  it('an exception raised inside modelled code: its chain stops at the last evaluated frame (unsupported past it)', async () => {
    const src = [WALK, 'try:', '    boom()', 'except RuntimeError as e:', '    print(e.__traceback__.tb_frame.f_code.co_name)', '    frames(e)'].join('\n');
    const boom = hostFunction('boom', () => {
      throw pyErr('RuntimeError', 'inside the library');
    });
    await rejects(run(`from hostlib import boom\n${src}`, { hostModules: { hostlib: { boom } } }), UnsupportedPythonError, /traceback frames inside DataFlow\/Kailash/);
  });

  it('a builtin (C in CPython) adds no frame; a standard-library function (Python in CPython) stops the chain', async () => {
    const src = [WALK, 'try:', '    int("x")', 'except ValueError as e:', '    print(frames(e))'].join('\n');
    // CPython 3.11 prints the same.
    assert.equal(await run(src), "[('<module>', 9)]\n");
    const std = [WALK, 'import json', 'try:', '    json.loads("{")', 'except ValueError as e:', '    print(frames(e))'].join('\n');
    await rejects(run(std), UnsupportedPythonError, /traceback frames inside DataFlow\/Kailash or standard-library code/);
  });
});
