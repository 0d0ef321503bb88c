// The Kailash core node types this runtime models, registered with a workflow NodeRegistry:
// PythonCodeNode (code strings, run by the evaluator), SwitchNode, MergeNode, AsyncSQLDatabaseNode
// (its query on the run's database).
import type { NodeRegistry } from '../workflow/registry';
import type { EvaluatorBridge } from './evaluatorBridge';
import { AsyncSqlDatabaseNodeInstance } from './nodes/asyncSqlNode';
import { MergeNodeInstance } from './nodes/mergeNode';
import { PythonCodeNodeInstance } from './nodes/pythonCodeNode';
import { SwitchNodeInstance } from './nodes/switchNode';

export function registerCoreNodes(registry: NodeRegistry, bridge: EvaluatorBridge): NodeRegistry {
  registry.register('PythonCodeNode', (id, config, _type, location) => {
    const node = new PythonCodeNodeInstance(id, config, bridge);
    node.location = location;
    return node;
  });
  registry.register('SwitchNode', (id, config) => new SwitchNodeInstance(id, config));
  registry.register('MergeNode', (id, config) => new MergeNodeInstance(id, config));
  registry.register('AsyncSQLDatabaseNode', (id, config) => new AsyncSqlDatabaseNodeInstance(id, config));
  return registry;
}
