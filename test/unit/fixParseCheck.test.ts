// A quick-fix whose edits would leave a syntax error in the statement it edits is not offered
// (resolveFix: `noFixReason`, no fix). The check parses each edited statement incrementally from its
// original's tree (kept for the next fixes of the same statement); a syntax error found that way is
// confirmed by a fresh parse, and a statement that did not parse before its edit never blocks one.
import * as assert from 'node:assert/strict';
import { resolveFix } from '../../server/src/analysis/fixResolution';
import type { Finding } from '../../server/src/analysis/finding';
import type { SourceFile } from '../../server/src/model/sourceFile';
import type { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { ready, uriOf, workspaceOf } from '../helpers/analysis';

const TEXT = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost/shop", pool_size=5)


def save(rows):
    wf = WorkflowBuilder()
    for i, row in enumerate(rows):
        wf.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"]})
    return wf


def broken(:
    pass
`;

let n = 0;
/** A finding of `file` whose fix replaces `find` (the first occurrence after `after`) with `by`. */
function findingReplacing(file: SourceFile, find: string, by: string, after = ''): Finding {
  const start = file.text.indexOf(find, file.text.indexOf(after));
  assert.ok(start >= 0, find);
  return {
    rule: 'small-pool', code: 'DF004', severity: 'warning', message: `test ${n++}`, span: { start, end: start + find.length },
    fix: () => ({ title: 'edit', isPreferred: true, edits: [{ uri: file.uri, edits: [{ span: { start, end: start + find.length }, newText: by }] }] }),
  } as Finding;
}

/** A workspace holding TEXT as `name`, and that file. */
function loaded(name: string): { ws: WorkspaceModel; file: SourceFile } {
  const ws = workspaceOf({ [`/fixcheck/${name}`]: TEXT });
  return { ws, file: ws.get(uriOf(`/fixcheck/${name}`))! };
}

describe('quick-fix parse check', () => {
  before(ready);

  it('offers fixes that parse and refuses those that do not, several in one statement', () => {
    const { ws, file } = loaded('flow.py');
    const cases: Array<[string, string, boolean]> = [
      ['"ProductCreateNode"', '"ProductBulkCreateNode"', true],
      ['f"create_{i}"', 'f"create_{i"', false],
      ['{"name": row["name"]}', '{"name": row["name"], "sku": row.get("sku")}', true],
      ['for i, row in enumerate(rows):', 'for i, row in enumerate(rows)', false],
      ['    return wf', '    return (wf', false],
      ['    return wf', '    return wf, len(rows)', true],
      // The whole loop rewritten, indentation included.
      ['    for i, row in enumerate(rows):\n        wf.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"]})\n',
        '    wf.add_node("ProductBulkCreateNode", "create", {"data": [{"name": row["name"]} for row in rows]})\n', true],
      ['enumerate(rows):', 'enumerate(rows:', false],
      ['def save(rows):', 'def save(rows) -> list:', true],
    ];
    for (const [find, by, ok] of cases) {
      const f = findingReplacing(file, find, by);
      const fix = resolveFix(f, ws);
      assert.equal(!!fix, ok, `${JSON.stringify(find)} -> ${JSON.stringify(by)}: ${f.noFixReason}`);
      if (!ok) assert.match(f.noFixReason ?? '', /would not parse/);
    }
  });

  it('never blocks an edit of a statement that did not parse before it', () => {
    const { ws, file } = loaded('broken.py');
    // Still broken after the edit, but it was broken before: not the fix's doing.
    const f = findingReplacing(file, 'pass', 'return 1', 'def broken');
    assert.ok(resolveFix(f, ws), f.noFixReason);
  });

  it('answers the same for a statement checked again after other statements were', () => {
    const { ws, file } = loaded('again.py');
    // Fill the kept trees with other statements, then come back to the function.
    for (const find of ['db = DataFlow', 'from dataflow', 'from kailash', 'def broken(']) resolveFix(findingReplacing(file, find, find), ws);
    assert.equal(resolveFix(findingReplacing(file, 'return wf', 'return wf)'), ws), undefined);
    assert.ok(resolveFix(findingReplacing(file, 'return wf', 'return [wf]'), ws));
  });
});
