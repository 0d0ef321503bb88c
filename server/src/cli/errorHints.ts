// A DataFlow hint for the runtime errors new users meet most, shown under the error by
// dataflow-run and in the editor's error notification. Pure: reads the error and the run's nodes.

export interface HintInput {
  error: { type: string; message: string };
  runs: Array<{ nodes: Array<{ id: string; type: string }> }>;
}

/** Operations whose generated node returns the record itself (`{"id": 1, "name": ...}`). */
const RECORD_NODE = /^[A-Z][A-Za-z0-9_]*(Create|Read|Update|Upsert)Node$/;

export function dataflowHint({ error, runs }: HintInput): string | undefined {
  const firstLine = error.message.split('\n')[0];
  if (error.type === 'KeyError' && /^'(output|result|record|data)'$/.test(firstLine.trim())) {
    const node = runs.flatMap((r) => r.nodes).find((n) => RECORD_NODE.test(n.type));
    if (!node) return undefined;
    return `DataFlow 2.20 nodes return the record itself: use result['${node.id}']['id'], not result['${node.id}'][${firstLine.trim()}]['id'].`;
  }
  if (/^(Target|Source) node '[^']*' not found/.test(firstLine)) {
    return 'arguments in the wrong order? add_connection(source, output, target, input): the source node id, its output key, the target node id, then its input parameter.';
  }
  return undefined;
}
