// The Kailash core node types this runtime models, registered with a workflow NodeRegistry:
// PythonCodeNode (code strings, run by the evaluator), SwitchNode, MergeNode, AsyncSQLDatabaseNode.
import type { NodeRegistry } from '../workflow/registry';
import type { EvaluatorBridge } from './evaluatorBridge';
import { PythonCodeNodeInstance } from './nodes/pythonCodeNode';

export function registerCoreNodes(registry: NodeRegistry, bridge: EvaluatorBridge): NodeRegistry {
  registry.register('PythonCodeNode', (id, config, _type, location) => {
    const node = new PythonCodeNodeInstance(id, config, bridge);
    node.location = location;
    return node;
  });
  return registry;
}
