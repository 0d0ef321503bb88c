// Code lenses "Run / Profile" over pytest tests, TestX.test_y methods and Class.method methods that
// run a workflow, next to the functions and the __main__ block that already had them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SourceFile } from '../../server/src/model/sourceFile';
import { initPython } from '../../server/src/syntax/parser';
import { entryPoints } from '../../server/src/lsp/entryPoints';
import { codeLenses } from '../../server/src/lsp/codeLens';
import { REPO } from '../helpers/analysis';

describe('entry points and code lenses for tests and Class.method', () => {
  before(async () => {
    await initPython();
  });

  it('lists tests (no parameters to ask for: fixtures are resolved), TestX.test_y and a Class.method that runs a workflow; not fixtures', () => {
    const text = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'pytest-project', 'tests', 'integration', 'test_customers.py'), 'utf8');
    const file = SourceFile.create('file:///p/tests/integration/test_customers.py', text, 1);
    const eps = entryPoints(file);
    const names = eps.map((e) => e.name);
    assert.ok(names.includes('test_create_and_read'));
    assert.ok(names.includes('test_list_seeded'));
    assert.ok(names.includes('TestCustomerService.test_bulk'));
    assert.ok(names.includes('TestCustomerService.test_async_count'));
    assert.ok(names.includes('CustomerReport.run'), names.join(', '));
    assert.ok(!names.includes('customer_data'), 'a fixture is not a lens');
    assert.ok(!names.includes('TestCustomerService.service_name'));
    assert.ok(!names.includes('TestCustomerService.setup_method'));
    assert.deepEqual(eps.find((e) => e.name === 'test_parametrized')!.params, []);
    assert.equal(eps.find((e) => e.name === 'TestCustomerService.test_async_count')!.isAsync, true);
    const lenses = codeLenses(file);
    const runBulk = lenses.find((l) => l.command?.title === '$(play) Run' && (l.command.arguments?.[0] as { entry: string }).entry === 'TestCustomerService.test_bulk');
    assert.ok(runBulk);
    assert.equal(runBulk!.range.start.line, eps.find((e) => e.name === 'TestCustomerService.test_bulk')!.line);
  });
});
