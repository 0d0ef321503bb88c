// Run arguments remembered per entry point (client/src/runArguments.ts) over a Memento-like store.
import * as assert from 'node:assert/strict';
import { argumentText, lastArguments, recentFirst, rememberArguments, type ArgumentMemento } from '../../client/src/runArguments';

function memento(): ArgumentMemento {
  const data = new Map<string, unknown>();
  return { get: <T>(k: string) => structuredClone(data.get(k)) as T | undefined, update: async (k, v) => { data.set(k, structuredClone(v)); } };
}

describe('run arguments remembered per entry point', () => {
  it('offers the texts last typed for the same file and function only', async () => {
    const s = memento();
    await rememberArguments(s, 'file:///p/jobs.py', 'load', { n: '1000', account: "'acct7'" });
    await rememberArguments(s, 'file:///p/other.py', 'load', { n: '5' });
    assert.deepEqual(lastArguments(s, 'file:///p/jobs.py', 'load'), { n: '1000', account: "'acct7'" });
    assert.deepEqual(lastArguments(s, 'file:///p/jobs.py', 'nightly'), {});
    await rememberArguments(s, 'file:///p/jobs.py', 'load', { n: '20', account: "'acct7'" });
    assert.deepEqual(lastArguments(s, 'file:///p/jobs.py', 'load'), { n: '20', account: "'acct7'" });
  });
  it('lists the entry points run last first, the others in file order', async () => {
    const s = memento();
    const eps = [{ name: '__main__' }, { name: 'load' }, { name: 'nightly' }, { name: 'report' }];
    await rememberArguments(s, 'file:///p/jobs.py', 'report', {});
    await rememberArguments(s, 'file:///p/jobs.py', 'nightly', {});
    assert.deepEqual(recentFirst(s, 'file:///p/jobs.py', eps).map((e) => e.name), ['nightly', 'report', '__main__', 'load']);
  });
  it('keeps a scripted value as text that reads back as the same value', () => {
    assert.equal(argumentText('10'), '"10"');
    assert.equal(argumentText(10), '10');
    assert.equal(argumentText({ a: [1, null] }), '{"a":[1,null]}');
  });
});
