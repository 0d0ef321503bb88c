// The committed catalogue of real node type names (server/src/runtime/kailash/kailashNodeNames.ts)
// is what scripts/generate-kailash-node-catalogue.mjs writes from the kailash-py source; checked
// against the oracle source when it is present on this machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KAILASH_NODE_NAMES } from '../../../server/src/runtime/kailash/kailashNodeNames';
import { oracleSourceRoots, registeredNodeNames, renderNodeCatalogue, scanRegisteredNodes } from '../../../server/src/runtime/kailash/scanRegisteredNodes';

const checkout = path.join(process.env.DATAFLOW_ORACLE_HOME ?? path.join(os.homedir(), '.cache', 'dataflow-oracle'), 'src');
const catalogueFile = path.join(__dirname, '..', '..', '..', '..', 'server', 'src', 'runtime', 'kailash', 'kailashNodeNames.ts');

describe('Kailash node catalogue', () => {
  it('reads @register_node / NodeRegistry.register, skipping docstrings, comments and dynamic aliases', () => {
    const src = [
      'from kailash.nodes.base import Node, register_node, NodeRegistry',
      '',
      '@register_node()',
      'class PlainNode(Node):',
      '    """',
      '    @register_node()',
      '    class InDocstringNode(Node): ...',
      '    """',
      '',
      '@register_node(alias="AliasedNode")',
      '@dataclass',
      'class Whatever(Node):',
      '    pass',
      '',
      '@register_node("PositionalAlias")',
      'class Other(Node):',
      '    pass',
      '',
      '# NodeRegistry.register(Commented)',
      'NodeRegistry.register(ManualNode)',
      'NodeRegistry.register(Cls, alias="ManualAlias")',
      'NodeRegistry.register(node_class, alias=node_name, allow_override=True)',
    ].join('\n');
    assert.deepEqual(registeredNodeNames(src), ['PlainNode', 'AliasedNode', 'PositionalAlias', 'ManualNode', 'ManualAlias']);
  });

  it('holds the core nodes DataFlow workflows use', () => {
    for (const n of ['PythonCodeNode', 'SwitchNode', 'MergeNode', 'AsyncSQLDatabaseNode', 'SQLDatabaseNode', 'HTTPRequestNode', 'TransactionSavepointNode', 'SmartMergeNode']) {
      assert.ok(KAILASH_NODE_NAMES.includes(n), n);
    }
    assert.ok(!KAILASH_NODE_NAMES.includes('NoSuchThingNode'));
  });

  it('is in sync with the oracle source (kailash 2.63, DataFlow 2.20)', function () {
    if (!fs.existsSync(path.join(checkout, 'src', 'kailash', 'nodes', 'base.py'))) {
      console.log(`      skipped: no kailash-py source at ${checkout}`);
      this.skip();
    }
    const names = scanRegisteredNodes(oracleSourceRoots(checkout));
    assert.deepEqual([...KAILASH_NODE_NAMES], names);
    assert.equal(fs.readFileSync(catalogueFile, 'utf8'), renderNodeCatalogue(names), 'regenerate with node scripts/generate-kailash-node-catalogue.mjs');
  });
});
