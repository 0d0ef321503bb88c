// dataflow-lint reads each file once into shared bytes (FileTexts) and a thread decodes only the
// texts it uses: another thread's file is a deferred document (PythonDocument.deferred) whose text
// is read when something needs it. These must be what reading the file as UTF-8 gives: the same
// text, the same DataFlow pre-check on the raw bytes, the same skip reason, lines and facts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileTexts } from '../../server/src/cli/lintBatch/fileTexts';
import { planLint } from '../../server/src/cli/lintBatch/plan';
import { mentionsDataFlow, SourceFile } from '../../server/src/model/sourceFile';
import { initPython } from '../../server/src/syntax/parser';
import { PythonDocument } from '../../server/src/syntax/pythonDocument';
import { DEFAULT_EXCLUDES } from '../../server/src/workspace/fileDiscovery';

const MODELS_PY = `from dataflow import DataFlow

db = DataFlow("postgresql://localhost/shop")


@db.model
class Product:
    name: str  # prix en euros: 5 €, 🛒
    price: int
`;

/** Files whose bytes are not plain ASCII, around the words the DataFlow pre-check looks for. */
const FILES: Record<string, string | Buffer> = {
  'ascii.py': 'import os\nprint(os.getcwd())\n',
  'models.py': MODELS_PY,
  'accents.py': 'é@db.modelé = 1\n',
  'inner.py': 'x = "@dé.model"\n',
  'astral.py': '# 🛒 DataFlow\n',
  'bom.py': '\uFEFFfrom dataflow import DataFlow\n',
  'invalid.py': Buffer.concat([Buffer.from('a = "'), Buffer.from([0xff, 0xc3]), Buffer.from('register_model"\n')]),
  'split.py': Buffer.concat([Buffer.from('y = "data'), Buffer.from([0xe2, 0x82]), Buffer.from('flow"\n')]),
  'nul.py': Buffer.from('x = 1\u0000 dataflow\n'),
  'deep.py': Array.from({ length: 260 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('') + ' '.repeat(260) + 'pass\n',
};

describe('dataflow-lint texts: read once, decoded where used', () => {
  let tmp: string;
  let paths: string[];
  before(async () => {
    await initPython();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-texts-')));
    paths = Object.entries(FILES).map(([name, text]) => {
      const p = path.join(tmp, name);
      fs.writeFileSync(p, text);
      return p;
    });
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('each text is the file read as UTF-8, and the pre-check on the raw bytes gives the same answer', () => {
    const missing = path.join(tmp, 'missing.py');
    const { texts, errors } = FileTexts.read([...paths, missing]);
    assert.equal(texts.count, paths.length + 1);
    paths.forEach((p, i) => {
      const text = fs.readFileSync(p, 'utf8');
      assert.equal(errors[i], undefined);
      assert.equal(texts.text(i), text, path.basename(p));
      assert.equal(texts.size(i), fs.statSync(p).size);
      assert.equal(mentionsDataFlow(texts.bytesAsText(i)), mentionsDataFlow(text), path.basename(p));
    });
    assert.match(errors[paths.length] ?? '', /ENOENT/);
    assert.equal(texts.size(paths.length), 0);
    // The cases above are not all alike: both answers occur.
    const answers = paths.map((_, i) => mentionsDataFlow(texts.text(i)));
    assert.ok(answers.includes(true) && answers.includes(false));
  });

  it('a deferred document reads its text only when needed, then is the document create() makes', () => {
    const { texts } = FileTexts.read(paths);
    paths.forEach((p, i) => {
      const uri = pathToFileURL(p).toString();
      let reads = 0;
      const deferred = PythonDocument.deferred(uri, () => { reads++; return texts.text(i); });
      const eager = PythonDocument.create(uri, texts.text(i), 0, false, true);
      assert.equal(reads, 0, 'nothing read at creation');
      assert.equal(deferred.skipReason, eager.skipReason, path.basename(p));
      assert.equal(reads, 1);
      assert.equal(deferred.text, eager.text);
      assert.deepEqual(deferred.lines.positionAt(deferred.text.length), eager.lines.positionAt(eager.text.length));
      assert.equal(deferred.tree?.rootNode.toString(), eager.tree?.rootNode.toString());
      assert.equal(reads, 1, 'read once');
      deferred.dispose();
      eager.dispose();
    });
  });

  it("another thread's file from its shared facts has the facts of the file itself", () => {
    const i = Object.keys(FILES).indexOf('models.py');
    const { texts } = FileTexts.read(paths);
    const uri = pathToFileURL(paths[i]).toString();
    const own = SourceFile.createSlim(uri, texts.text(i));
    let reads = 0;
    const other = SourceFile.withSharedFacts(uri, () => { reads++; return texts.text(i); }, own.facts.shared());
    assert.equal(other.relevant, true);
    assert.deepEqual(other.facts.classes.map((c) => c.name), ['Product']);
    assert.equal(reads, 0, 'its models are known without its text');
    assert.deepEqual(other.facts.statements.map((s) => s.span), SourceFile.create(uri, texts.text(i)).facts.statements.map((s) => s.span));
    const plain = SourceFile.withSharedFacts('file:///plain.py', () => 'import os\n', undefined);
    assert.equal(plain.relevant, false);
    assert.deepEqual(plain.facts.statements, []);
  });

  it('a project root given as the path is walked once: the same files as a walk of its context', async () => {
    fs.writeFileSync(path.join(tmp, 'pyproject.toml'), '[project]\nname = "t"\n');
    fs.mkdirSync(path.join(tmp, 'pkg', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'pkg', 'flows.py'), 'from models import Product\n');
    fs.writeFileSync(path.join(tmp, 'pkg', 'nested', 'pyproject.toml'), '[project]\nname = "n"\n');
    fs.writeFileSync(path.join(tmp, 'pkg', 'nested', 'other.py'), 'x = 1\n');
    const whole = await planLint([tmp], DEFAULT_EXCLUDES, true);
    const names = (p: typeof whole) => p.files.map((f) => path.relative(tmp, new URL(f.uri).pathname));
    assert.deepEqual(names(whole), [...Object.keys(FILES), 'pkg/flows.py', 'pkg/nested/other.py'].sort());
    assert.deepEqual(whole.projectFiles.map((f) => path.relative(tmp, new URL(f.uri).pathname)), ['pkg/nested/pyproject.toml', 'pyproject.toml']);
    // A subfolder given: the rest of its project is read for context (nested projects are not).
    const sub = await planLint([path.join(tmp, 'pkg')], DEFAULT_EXCLUDES, true);
    assert.deepEqual(names(sub), ['pkg/flows.py', 'pkg/nested/other.py', ...Object.keys(FILES).sort()]);
    assert.deepEqual(sub.given.map((g) => path.relative(tmp, g.path)), ['pkg/flows.py', 'pkg/nested/other.py']);
    sub.files.forEach((f) => assert.equal(sub.texts.text(f.index), fs.readFileSync(new URL(f.uri), 'utf8')));
  });
});
