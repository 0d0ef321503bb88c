// Protocol: the server gives memory back once it goes idle. Started as the extension starts it
// (SERVER_EXEC_ARGV, with --expose-gc), it runs two full collections after a quiet second that
// followed work; the first frees the garbage the opens left (heap used falls), none runs while
// work keeps coming. Started without --expose-gc it never collects on its own and says nothing.
// No timing is asserted: only what the server's verbose log says happened.
import * as assert from 'node:assert/strict';
import { LspClient } from '../helpers/lspClient';
import { IdleCollector } from '../../server/src/lsp/idleCollector';

/** A DataFlow module of about 1,500 lines: each open of it leaves megabytes of garbage. */
function largeModule(): string {
  const lines = ['from dataflow import DataFlow', 'from kailash.workflow.builder import WorkflowBuilder', '', 'db = DataFlow("postgresql://localhost/idle")', '', '@db.model', 'class Ticket:', '    title: str', '    state: str = "open"', ''];
  for (let i = 0; i < 250; i++) {
    lines.push(
      `def close_tickets_${i}(ids):`,
      '    workflow = WorkflowBuilder()',
      '    for n, ticket_id in enumerate(ids):',
      `        workflow.add_node("TicketUpdateNode", f"close_{n}", {"filter": {"id": ticket_id}, "fields": {"state": "closed_${i}"}})`,
      '    return workflow',
      '',
    );
  }
  return lines.join('\n');
}

const COLLECTION = /^idle collection (\d+): heap used ([\d.]+) -> ([\d.]+) MiB, heap total ([\d.]+) -> ([\d.]+) MiB/;

describe('protocol: idle collection', function () {
  this.timeout(60000);
  let client: LspClient | undefined;
  afterEach(async () => { await client?.dispose(); client = undefined; });

  it('after work, two collections run once the server is idle; the first frees the garbage of the opens', async () => {
    client = await LspClient.start({ initializationOptions: { verbose: true } });
    const text = largeModule();
    for (let i = 0; i < 6; i++) {
      const uri = `file:///idle/open_${i}.py`;
      const p = await client.openAndWait(uri, text);
      assert.ok(p.diagnostics.length > 100, `the module was analysed (${p.diagnostics.length} diagnostics)`);
      await client.close(uri);
    }
    const first = COLLECTION.exec(await client.waitForLog(/^idle collection 1:/))!;
    const second = COLLECTION.exec(await client.waitForLog(/^idle collection 2:/))!;
    assert.ok(first && second, 'both collections logged in the expected form');
    assert.ok(Number(first[3]) < Number(first[2]), `the first collection freed heap: ${first[0]}`);
    assert.ok(Number(second[5]) <= Number(first[4]), `the heap is no larger after the second: ${second[0]}`);
    // Nothing more until new work comes.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(client.logs.filter((l) => COLLECTION.test(l)).length, 2);
  });

  it('without --expose-gc (a server started some other way) there is nothing to collect with, and nothing is logged', async () => {
    client = await LspClient.start({ initializationOptions: { verbose: true }, execArgv: [] });
    const uri = 'file:///idle/plain.py';
    await client.openAndWait(uri, largeModule());
    await client.close(uri);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(client.logs.filter((l) => /^idle collection/.test(l)).length, 0);
  });
});

describe('IdleCollector', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('collects twice after the last touch, never while touches keep coming', async () => {
    const at: number[] = [];
    const c = new IdleCollector({ gc: () => { at.push(Date.now()); }, idleMs: 200, minGrowthMiB: 0 });
    const until = Date.now() + 600;
    while (Date.now() < until) { c.touch(); await sleep(10); }
    assert.equal(at.length, 0, 'no collection during work');
    await sleep(900);
    assert.equal(at.length, 2);
    assert.ok(at[1] - at[0] >= 190, 'the second collection came a quiet period after the first');
    c.dispose();
  });

  it('skips both collections when the heap grew less than the threshold since the last one', async () => {
    const logs: string[] = [];
    let runs = 0;
    const c = new IdleCollector({ gc: () => { runs++; }, log: (m) => logs.push(m), idleMs: 50, minGrowthMiB: 1e6 });
    c.touch();
    await sleep(300);
    assert.equal(runs, 0);
    assert.deepEqual(logs, []);
    c.dispose();
  });

  it('does nothing without gc (a process started without --expose-gc)', async () => {
    const c = new IdleCollector({ gc: undefined, idleMs: 10, minGrowthMiB: 0 });
    c.touch();
    await sleep(100);
    assert.equal(c.collections, 0);
    c.dispose();
  });
});
