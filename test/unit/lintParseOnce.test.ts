// dataflow-lint parses and queries each file it analyses once: its scan keeps the file's full
// facts (not its tree) until the analysis, and the analysis, its findings and their `fixable`
// read those facts (the scan used to query each statement twice: once for what other files read
// of it, once more when analysing it).
// Only a fix that must read the tree (the comments inside a loop it rewrites) parses the file
// again. The findings and fixes are the ones the language server gives the same text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileTexts } from '../../server/src/cli/lintBatch/fileTexts';
import { heldFactsChars, LintShard } from '../../server/src/cli/lintBatch/shard';
import { toReported } from '../../server/src/cli/formatters';
import { analyzeFile } from '../../server/src/analysis/engine';
import { resolveFix } from '../../server/src/analysis/fixResolution';
import { SourceFile } from '../../server/src/model/sourceFile';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { defaultSettings } from '../../server/src/settings';
import { initPython, sharedPythonParser } from '../../server/src/syntax/parser';
import { Query } from 'web-tree-sitter';

const MODELS = `from dataflow import DataFlow

db = DataFlow("postgresql://app@localhost:5432/shop")


@db.model
class Product:
    name: str
    price: int
`;

const flow = (comment: string) => `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from models import db


def save(rows):
    wf = WorkflowBuilder()
    for i, row in enumerate(rows):
${comment}        wf.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})
    results, _ = LocalRuntime().execute(wf.build())
    return results
`;

const FILES: Record<string, string> = {
  'models.py': MODELS,
  'flows.py': flow(''),
  'commented.py': flow('        # one node per row\n'),
  'plain.py': 'import os\n\nprint(os.getcwd())\n',
};

/** Counts the parses of the parser every document shares, and the queries run, while `run` runs. */
function countParses<T>(run: () => T): { parses: number; queries: number; result: T } {
  const parser = sharedPythonParser();
  const parse = parser.parse;
  const captures = Query.prototype.captures;
  let parses = 0, queries = 0;
  parser.parse = function (this: typeof parser, ...args: Parameters<typeof parse>) { parses++; return parse.apply(this, args); };
  Query.prototype.captures = function (this: Query, ...args: Parameters<typeof captures>) { queries++; return captures.apply(this, args); };
  try { return { result: run(), parses, queries }; } finally {
    parser.parse = parse;
    Query.prototype.captures = captures;
  }
}

describe('dataflow-lint: each analysed file is parsed once', () => {
  let tmp: string;
  let paths: string[];
  before(async () => {
    await initPython();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-parse-once-')));
    paths = Object.entries(FILES).map(([name, text]) => {
      const p = path.join(tmp, name);
      fs.writeFileSync(p, text);
      return p;
    });
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  /** What the language server reports for the same files (open documents, kept trees). */
  function serverFindings(): Map<string, string[]> {
    const workspace = new WorkspaceModel();
    const files = paths.map((p) => SourceFile.create(pathToFileURL(p).href, fs.readFileSync(p, 'utf8'), 1));
    for (const f of files) workspace.set(f);
    const out = new Map<string, string[]>();
    for (const f of files) {
      const rel = path.basename(f.uri);
      out.set(f.uri, analyzeFile(f, workspace, defaultSettings()).map((x) => JSON.stringify(toReported(rel, x, (o) => f.doc.lines.positionAt(o), workspace, true))));
    }
    return out;
  }

  it('the scan and the analysis parse and query each DataFlow file once, and report what the language server reports', () => {
    const { texts } = FileTexts.read(paths);
    const uris = paths.map((p) => pathToFileURL(p).href);
    const { parses, queries, result } = countParses(() => {
      const shard = new LintShard(texts);
      shard.extract(uris.map((uri, index) => ({ uri, index, analysed: true })), true, heldFactsChars(1));
      return shard.analyse({
        workspace: uris.map((uri) => ({ uri })), analyse: uris, projectFiles: [], scopePaths: [tmp],
        settings: defaultSettings(), cwd: tmp, fixes: true,
      });
    });
    const expected = serverFindings();
    const flows = result.find((r) => r.uri.endsWith('/flows.py'))!;
    assert.ok(flows.reported.some((r) => r.code === 'DF001' && r.fixable), `the loop is found and its fix offered: ${JSON.stringify(flows.reported)}`);
    for (const r of result) assert.deepEqual(r.reported.map((x) => JSON.stringify(x)), expected.get(r.uri), path.basename(r.uri));
    // models.py, flows.py, commented.py once each; the loop fix of commented.py reads its
    // comment from a tree (one more parse); plain.py never mentions DataFlow and is not parsed.
    assert.equal(parses, 4);
    // The facts query runs once on each top-level statement.
    const statements = ['models.py', 'flows.py', 'commented.py'].reduce((n, name) => n + SourceFile.create(`file:///${name}`, FILES[name], 1).facts.statements.length, 0);
    assert.equal(queries, statements);
  });

  it('past the kept-facts budget a file keeps only its shared facts, is parsed again when analysed, and gives the same findings', () => {
    const { texts } = FileTexts.read(paths);
    const uris = paths.map((p) => pathToFileURL(p).href);
    // Room for models.py only: the other files take the slim path.
    const { parses, result } = countParses(() => {
      const shard = new LintShard(texts);
      shard.extract(uris.map((uri, index) => ({ uri, index, analysed: true })), true, MODELS.length);
      return shard.analyse({
        workspace: uris.map((uri) => ({ uri })), analyse: uris, projectFiles: [], scopePaths: [tmp],
        settings: defaultSettings(), cwd: tmp, fixes: true,
      });
    });
    const expected = serverFindings();
    for (const r of result) assert.deepEqual(r.reported.map((x) => JSON.stringify(x)), expected.get(r.uri), path.basename(r.uri));
    // models.py once; flows.py and commented.py at the scan and again for their analysis.
    assert.equal(parses, 5);
  });

  it('a fix of a file whose tree was freed is the fix of the open document, comments kept, and parses only for them', () => {
    for (const name of ['flows.py', 'commented.py']) {
      const text = FILES[name];
      const uri = pathToFileURL(path.join(tmp, name)).href;
      const fixOf = (file: SourceFile) => {
        const workspace = new WorkspaceModel();
        workspace.set(SourceFile.create(pathToFileURL(path.join(tmp, 'models.py')).href, MODELS, 1));
        workspace.set(file);
        const loop = analyzeFile(file, workspace, defaultSettings()).find((f) => f.code === 'DF001');
        assert.ok(loop, `${name}: DF001`);
        return countParses(() => resolveFix(loop, workspace));
      };
      const open = fixOf(SourceFile.create(uri, text, 1));
      const freed = fixOf(SourceFile.createFull(uri, text));
      assert.ok(open.result, `${name}: a fix is offered`);
      assert.deepEqual(freed.result, open.result, name);
      assert.equal(open.parses, 0, `${name}: the open document's tree is read, not parsed again`);
      assert.equal(freed.parses, name === 'commented.py' ? 1 : 0, `${name}: parses for the fix`);
      if (name === 'commented.py') assert.match(JSON.stringify(freed.result), /# one node per row/);
    }
  });
});
