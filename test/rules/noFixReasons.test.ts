// Every reason a quick-fix is refused is shown to users (disabled code action, hover, the CLI's
// `noFixReason`), so each one needs Python code that really produces it.
//
// 1. Each fixture test/fixtures/no-fix/<slug>.py (or <slug>/input.py for a multi-file case) starts
//    with `# no-fix DF00N line=<1-based line>: <start of the expected reason>`; the finding of that
//    code on that line must get no fix, and its noFixReason must contain the text.
// 2. Every refusal reason written in server/src/fixes/*.ts and server/src/rules/*.ts must be
//    covered by a fixture (the fixture's text and the reason start alike), unless it is in
//    UNREACHABLE below with why. Reasons are found in the TypeScript source as: string literals
//    given to a `reason:` property, and string literals returned by a `fix:` function or by a
//    function named `...Blocker` (helpers that return why a rewrite is blocked). A new reason
//    written another way should follow one of these forms, or this test cannot see it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { analyze, caseFiles, FIXTURES, REPO, ready, uriOf, workspaceOf } from '../helpers/analysis';
import { resolveFix } from '../../server/src/analysis/fixResolution';

const root = path.join(FIXTURES, 'no-fix');
const SOURCES = [path.join(REPO, 'server', 'src', 'fixes'), path.join(REPO, 'server', 'src', 'rules')];

/**
 * Reasons no Python code can produce through `dataflow-lint` or the editor in one analysis, with why.
 * Keep this minimal: a reason that code can reach gets a fixture instead.
 */
const UNREACHABLE: Record<string, string> = {
  // The rules only ask for a loop fix when the call has at least one enclosing loop.
  'not in a loop': 'DF001/DF002 call the loop fixes only for calls inside a loop',
  // The model comes from the workspace, so its file is loaded when the finding is made.
  'the model file is not loaded': 'the model given to addIndexFix is always a file of the workspace',
  // Only when the model's file is removed or renamed between the analysis and the fix request.
  'the model is no longer in the workspace': 'needs the workspace to change after the finding was made (findings are cached)',
  // loopRewriteBlocker already refuses a loop whose body is more than the add_node statement, and
  // an add_connection/connect in the loop is a statement of its own (also after `;` on one line).
  // Only a connection call nested inside the add_node call or the loop header would get here.
  // jsonFieldAsString's fixFor looks for the field's annotation text (tree-sitter's own source slice
  // of the type) after the field's colon: it is always there, also when written over several lines.
  'the annotation is not written on one line': 'the annotation is the source text after the field\'s colon, so it is always found (multi-line annotations get the fix)',
  'the loop also connects the per-item nodes': 'a connection in the loop is a second body statement, refused earlier ("the loop body does more than this call")',
};

const HEADER = /^#\s*no-fix\s+(DF\d{3})\s+line=(\d+):\s*(.+?)\s*$/;

interface Case { slug: string; input: string; files: Record<string, string>; code: string; line: number; expected: string }

function cases(): Case[] {
  if (!fs.existsSync(root)) return [];
  const out: Case[] = [];
  for (const entry of fs.readdirSync(root).sort()) {
    const p = path.join(root, entry);
    const dir = fs.statSync(p).isDirectory();
    if (!dir && !entry.endsWith('.py')) continue;
    const input = dir ? path.join(p, 'input.py') : p;
    const m = HEADER.exec(fs.readFileSync(input, 'utf8').split('\n')[0]);
    if (!m) throw new Error(`${path.relative(REPO, input)}: the first line must be "# no-fix DF00N line=<n>: <reason>"`);
    out.push({ slug: entry.replace(/\.py$/, ''), input, files: caseFiles(p), code: m[1], line: Number(m[2]), expected: m[3] });
  }
  return out;
}

interface Reason { text: string; where: string; prefix: string; pattern?: RegExp }

function escapeRe(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

type Literal = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;

function isLiteral(e: ts.Expression): e is Literal { return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e); }

/**
 * The string literals an expression can evaluate to (through parentheses, `?:`, `??`, `||`, and
 * module-level `const NAME = '...'` of the scanned modules, which reasons shared by several fixes use).
 */
function literalsOf(e: ts.Expression, consts: Map<string, Literal>): Literal[] {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return literalsOf(e.expression, consts);
  if (ts.isConditionalExpression(e)) return [...literalsOf(e.whenTrue, consts), ...literalsOf(e.whenFalse, consts)];
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...literalsOf(e.left, consts), ...literalsOf(e.right, consts)];
  }
  if (ts.isIdentifier(e)) { const c = consts.get(e.text); return c ? [c] : []; }
  if (isLiteral(e)) return [e];
  return [];
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText();
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return undefined;
}

/** Does this function return refusal reasons (a `fix:` function, or a `...Blocker` helper)? */
function returnsReasons(fn: ts.SignatureDeclaration): boolean {
  const name = functionName(fn);
  return name === 'fix' || (!!name && /Blocker$/.test(name));
}

function enclosingFunction(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

function extractReasons(): Reason[] {
  const sources = SOURCES.flatMap((dir) => fs.readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()
    .map((name) => ts.createSourceFile(path.join(dir, name), fs.readFileSync(path.join(dir, name), 'utf8'), ts.ScriptTarget.ES2022, true)));
  const consts = new Map<string, Literal>();
  for (const src of sources) {
    for (const st of src.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && isLiteral(d.initializer)) consts.set(d.name.text, d.initializer);
    }
  }
  const out: Reason[] = [];
  const seen = new Set<Literal>();
  for (const src of sources) {
    const add = (lit: Literal) => {
      if (seen.has(lit)) return;
      seen.add(lit);
      const litSrc = lit.getSourceFile();
      const where = `${path.relative(REPO, litSrc.fileName)}:${litSrc.getLineAndCharacterOfPosition(lit.getStart()).line + 1}`;
      if (ts.isTemplateExpression(lit)) {
        const parts = [escapeRe(lit.head.text), ...lit.templateSpans.map((s) => `[\\s\\S]+?${escapeRe(s.literal.text)}`)];
        const text = lit.head.text + lit.templateSpans.map((s) => `\${${s.expression.getText()}}${s.literal.text}`).join('');
        out.push({ text, where, prefix: lit.head.text, pattern: new RegExp(`^${parts.join('')}`) });
      } else {
        out.push({ text: lit.text, where, prefix: lit.text });
      }
    };
    const visit = (n: ts.Node) => {
      if (ts.isPropertyAssignment(n) && n.name.getText() === 'reason') literalsOf(n.initializer, consts).forEach(add);
      if (ts.isReturnStatement(n) && n.expression) {
        const fn = enclosingFunction(n);
        if (fn && returnsReasons(fn)) literalsOf(n.expression, consts).forEach(add);
      }
      if (ts.isArrowFunction(n) && !ts.isBlock(n.body) && returnsReasons(n)) literalsOf(n.body, consts).forEach(add);
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return out;
}

/** The fixture's expected text and the reason start alike, over 15 characters or the whole reason. */
function covers(expected: string, r: Reason): boolean {
  const shared = expected.startsWith(r.prefix) ? r.prefix : r.prefix.startsWith(expected) ? expected : undefined;
  if (shared !== undefined && (shared.length >= 15 || (!r.pattern && shared === r.text))) return true;
  return !!r.pattern && r.pattern.test(expected);
}

describe('no-fix reasons', () => {
  before(ready);
  const all = cases();

  describe('fixtures', () => {
    for (const c of all) {
      it(c.slug, () => {
        const ws = workspaceOf(c.files);
        const file = ws.get(uriOf(c.input))!;
        const findings = analyze(ws, c.input).filter((f) => f.code === c.code);
        const f = findings.find((x) => file.doc.lines.positionAt(x.span.start).line + 1 === c.line);
        assert.ok(f, `no ${c.code} on line ${c.line} (found on lines ${findings.map((x) => file.doc.lines.positionAt(x.span.start).line + 1).join(', ') || 'none'})`);
        assert.equal(resolveFix(f, ws), undefined, `a fix was offered; expected the reason "${c.expected}"`);
        assert.ok(f.noFixReason?.includes(c.expected), `reason "${f.noFixReason}" should contain "${c.expected}"`);
      });
    }
  });

  describe('every refusal reason in the fix modules has a fixture', () => {
    const reasons = extractReasons();
    it('finds the reasons in the source', () => {
      assert.ok(reasons.length >= 30, `only ${reasons.length} reasons found: has the way fixes give reasons changed?`);
    });
    for (const r of reasons) {
      it(`${r.text}  (${r.where})`, () => {
        const covered = all.filter((c) => covers(c.expected, r));
        if (r.text in UNREACHABLE) {
          assert.equal(covered.length, 0, `"${r.text}" is allow-listed as unreachable but fixture ${covered[0]?.slug} reaches it: remove it from UNREACHABLE`);
          return;
        }
        assert.ok(covered.length > 0, `no fixture in test/fixtures/no-fix/ produces "${r.text}" (${r.where}); add one, or list it in UNREACHABLE with why`);
      });
    }
    it('the allow-list names only reasons that exist', () => {
      const texts = new Set(reasons.map((r) => r.text));
      for (const t of Object.keys(UNREACHABLE)) assert.ok(texts.has(t), `UNREACHABLE lists "${t}", which no fix module gives any more`);
    });
  });
});
