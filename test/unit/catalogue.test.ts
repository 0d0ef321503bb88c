// The catalogue (server/src/catalogue) is the one description of DataFlow 2.20's nodes that both the
// analysis and the runtime read. This test walks the runtime's executors statically (TypeScript's
// parser over server/src/runtime/dataflow): every input key an executor (or validate_inputs, or a
// helper it hands its inputs to) reads must be a parameter, alias or refused key of that node in
// the catalogue, and every catalogue key the node does not ignore must be read by its executor.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import {
  acceptedKeys, BULK_OPERATORS, constructorKwarg, EXPRESS_PARAMS, generatedNodeNames, isKnownNonGeneratedNode, NODE_OPERATIONS, nodeTypeReadings, OPERATIONS, parseNodeType, QUERY_BUILDER_OPERATORS,
  TRANSACTION_NODE_SPECS, TRANSACTION_NODES, VALIDATOR_ALLOW_LIST, type NodeOperation,
} from '../../server/src/catalogue';
import { compileBulkFilter } from '../../server/src/runtime/dataflow/filters/compileBulkFilter';
import { compileCondition } from '../../server/src/runtime/dataflow/filters/compileFilter';
import { ParamList } from '../../server/src/runtime/dataflow/filters/sqlParams';
import { declaredParameters, UNMODELLED_PARAMETERS } from '../../server/src/runtime/dataflow/nodes/parameters';
import { defineModel } from '../../server/src/runtime/dataflow/schema';

const DATAFLOW_DIR = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'runtime', 'dataflow');

// ---- a small reader of the executors' sources -------------------------------------------------

type Binding = { k: 'inputs' } | { k: 'strings'; v: string[] } | { k: 'field' };
interface Reads { keys: Set<string>; modelFields: boolean; unresolved: string[]; walked: Set<string> }
type Fn = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

const sources = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile | undefined {
  if (!sources.has(file)) {
    if (!fs.existsSync(file)) return undefined;
    sources.set(file, ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));
  }
  return sources.get(file);
}

/** A top-level function (or `const f = (...) => ...`) named `name` in `file`. */
function topLevelFunction(file: string, name: string): Fn | undefined {
  for (const st of sourceOf(file)?.statements ?? []) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body) return st;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return d.initializer;
      }
    }
  }
  return undefined;
}

/** The function `name` refers to in `file`: declared there, or imported from a relative module. */
function resolveFunction(file: string, name: string): { file: string; fn: Fn } | undefined {
  const own = topLevelFunction(file, name);
  if (own) return { file, fn: own };
  for (const st of sourceOf(file)?.statements ?? []) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.moduleSpecifier.text.startsWith('.')) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    for (const el of named.elements) {
      if (el.name.text !== name) continue;
      const target = path.resolve(path.dirname(file), `${st.moduleSpecifier.text}.ts`);
      const fn = topLevelFunction(target, el.propertyName?.text ?? name);
      return fn ? { file: target, fn } : undefined;
    }
  }
  return undefined;
}

function literalText(e: ts.Expression): string | undefined {
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ? e.text : undefined;
}

function isInputs(e: ts.Expression, env: Map<string, Binding>): boolean {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
  return ts.isIdentifier(e) && env.get(e.text)?.k === 'inputs';
}

/** The key(s) an index expression names: literals, a name bound to literals, or a model field (`f.name`). */
function keysOf(e: ts.Expression, env: Map<string, Binding>): string[] | 'field' | undefined {
  const lit = literalText(e);
  if (lit !== undefined) return [lit];
  if (ts.isParenthesizedExpression(e)) return keysOf(e.expression, env);
  if (ts.isIdentifier(e)) {
    const b = env.get(e.text);
    return b?.k === 'strings' ? b.v : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'name' && ts.isIdentifier(e.expression) && env.get(e.expression.text)?.k === 'field') return 'field';
  if (ts.isConditionalExpression(e)) {
    const a = keysOf(e.whenTrue, env);
    const b = keysOf(e.whenFalse, env);
    return Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : undefined;
  }
  return undefined;
}

/** A guard on a name bound to one literal (`op === 'Update' || op === 'Create'`): true, false or unknown. */
function guard(e: ts.Expression, env: Map<string, Binding>): boolean | undefined {
  if (ts.isParenthesizedExpression(e)) return guard(e.expression, env);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const g = guard(e.operand, env);
    return g === undefined ? undefined : !g;
  }
  if (!ts.isBinaryExpression(e)) return undefined;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
    const a = guard(e.left, env);
    const b = guard(e.right, env);
    if (op === ts.SyntaxKind.BarBarToken) return a === true || b === true ? true : a === false && b === false ? false : undefined;
    return a === false || b === false ? false : a === true && b === true ? true : undefined;
  }
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsEqualsToken) return undefined;
  const one = (x: ts.Expression) => {
    const b = ts.isIdentifier(x) ? env.get(x.text) : undefined;
    return b?.k === 'strings' && b.v.length === 1 ? b.v[0] : undefined;
  };
  const [name, lit] = one(e.left) !== undefined ? [one(e.left), literalText(e.right)] : [one(e.right), literalText(e.left)];
  if (name === undefined || lit === undefined) return undefined;
  return (name === lit) === (op === ts.SyntaxKind.EqualsEqualsEqualsToken);
}

function walkFunction(file: string, fn: Fn, env: Map<string, Binding>, reads: Reads, depth = 0): void {
  if (depth > 8 || !fn.body) return;
  reads.walked.add(`${path.basename(file)}:${fn.name && ts.isIdentifier(fn.name) ? fn.name.text : '<arrow>'}`);
  const record = (keys: string[] | 'field' | undefined, at: ts.Node) => {
    if (keys === 'field') reads.modelFields = true;
    else if (keys) for (const k of keys) reads.keys.add(k);
    else reads.unresolved.push(`${path.basename(file)}: ${at.getText()}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node) || ts.isConditionalExpression(node)) {
      const cond = ts.isIfStatement(node) ? node.expression : node.condition;
      const g = guard(cond, env);
      visit(cond);
      const [yes, no] = ts.isIfStatement(node) ? [node.thenStatement, node.elseStatement] : [node.whenTrue, node.whenFalse];
      if (g !== false) visit(yes);
      if (g !== true && no) visit(no);
      return;
    }
    if (ts.isSwitchStatement(node) && ts.isIdentifier(node.expression)) {
      const b = env.get(node.expression.text);
      const only = b?.k === 'strings' && b.v.length === 1 ? b.v[0] : undefined;
      for (const c of node.caseBlock.clauses) {
        if (only === undefined || (ts.isCaseClause(c) && literalText(c.expression) === only)) c.statements.forEach(visit);
      }
      return;
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      visit(node.initializer);
      const init = node.initializer;
      if (isInputs(init, env) || (ts.isObjectLiteralExpression(init) && init.properties.some((p) => ts.isSpreadAssignment(p) && isInputs(p.expression, env)))) {
        env.set(node.name.text, { k: 'inputs' });
      }
      return;
    }
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.length === 1) {
      const d = node.initializer.declarations[0].name;
      const over = node.expression;
      if (ts.isIdentifier(d)) {
        if (ts.isArrayLiteralExpression(over) && over.elements.every((x) => literalText(x) !== undefined)) env.set(d.text, { k: 'strings', v: over.elements.map((x) => literalText(x)!) });
        else if (ts.isPropertyAccessExpression(over) && over.name.text === 'fields') env.set(d.text, { k: 'field' });
      }
      visit(over);
      visit(node.statement);
      return;
    }
    if (ts.isPropertyAccessExpression(node) && isInputs(node.expression, env)) return record([node.name.text], node);
    if (ts.isElementAccessExpression(node) && isInputs(node.expression, env)) {
      record(keysOf(node.argumentExpression, env), node);
      return visit(node.argumentExpression);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && isInputs(node.right, env)) {
      record(keysOf(node.left, env), node);
      return visit(node.left);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.arguments.some((a) => isInputs(a, env))) {
      const callee = resolveFunction(file, node.expression.text);
      if (callee) {
        const inner = new Map<string, Binding>();
        callee.fn.parameters.forEach((p, i) => {
          const a = node.arguments[i];
          if (!a || !ts.isIdentifier(p.name)) return;
          const keys = keysOf(a, env);
          if (isInputs(a, env)) inner.set(p.name.text, { k: 'inputs' });
          else if (Array.isArray(keys)) inner.set(p.name.text, { k: 'strings', v: keys });
        });
        walkFunction(callee.file, callee.fn, inner, reads, depth + 1);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
}

/** The executor functions by operation, as runtime.ts's EXECUTORS table names them. */
function executors(): Map<NodeOperation, { file: string; fn: Fn }> {
  const file = path.join(DATAFLOW_DIR, 'runtime.ts');
  const out = new Map<NodeOperation, { file: string; fn: Fn }>();
  const find = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'EXECUTORS' && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
      for (const p of n.initializer.properties) {
        if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !ts.isIdentifier(p.initializer)) continue;
        const fn = resolveFunction(file, p.initializer.text);
        assert.ok(fn, `executor ${p.initializer.text} not found`);
        out.set(p.name.text as NodeOperation, fn);
      }
    }
    ts.forEachChild(n, find);
  };
  find(sourceOf(file)!);
  return out;
}

/** What the runtime reads of a node's inputs: its executor, plus validate_inputs for generated nodes. */
function readsOf(op: NodeOperation, executor: { file: string; fn: Fn }): Reads {
  const reads: Reads = { keys: new Set(), modelFields: false, unresolved: [], walked: new Set() };
  const bind = (fn: Fn, bindings: Record<string, Binding>) => new Map(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) && bindings[p.name.text] ? [[p.name.text, bindings[p.name.text]] as [string, Binding]] : [])));
  walkFunction(executor.file, executor.fn, bind(executor.fn, { inputs: { k: 'inputs' } }), reads);
  const validate = resolveFunction(path.join(DATAFLOW_DIR, 'runtime.ts'), 'validateInputs')!;
  walkFunction(validate.file, validate.fn, bind(validate.fn, { inputs: { k: 'inputs' }, op: { k: 'strings', v: [op] } }), reads);
  return reads;
}

// ---- the tests --------------------------------------------------------------------------------

describe('catalogue', () => {
  const table = executors();

  it('the runtime has one executor per catalogue operation', () => {
    assert.deepEqual([...table.keys()].sort(), [...NODE_OPERATIONS].sort());
  });

  for (const op of NODE_OPERATIONS) {
    it(`${op}: the keys its executor reads are the catalogue's, and the reverse`, () => {
      const spec = OPERATIONS[op];
      const reads = readsOf(op, table.get(op)!);
      assert.deepEqual(reads.unresolved, [], 'input reads the walker could not name');
      assert.ok(reads.walked.size >= 2, `walked ${[...reads.walked].join(', ')}`);
      const accepted = new Set([...acceptedKeys(op), ...Object.keys(spec.rejects ?? {})]);
      const flatFields = spec.modelFieldsFlat === 'yes' ? ['id'] : [];
      const unknown = [...reads.keys].filter((k) => !accepted.has(k) && !flatFields.includes(k));
      assert.deepEqual(unknown, [], `${op}: read by the runtime but not in the catalogue`);
      if (reads.modelFields) assert.notEqual(spec.modelFieldsFlat, 'no', `${op} reads model fields from its inputs`);
      if (spec.modelFieldsFlat === 'yes') assert.ok(reads.modelFields, `${op} takes model fields flat but its executor reads none`);
      const expected = [...accepted].filter((k) => !(k in (spec.ignored ?? {})) && !(k in UNMODELLED_PARAMETERS));
      const unread = expected.filter((k) => !reads.keys.has(k));
      assert.deepEqual(unread, [], `${op}: in the catalogue (not ignored) but its executor never reads it`);
      for (const k of Object.keys(spec.ignored ?? {})) assert.ok(accepted.has(k), `${op}: ignores ${k}, which it does not accept`);
    });
  }

  it('the transaction nodes read the catalogue\'s parameters, and the reverse', () => {
    const fn = resolveFunction(path.join(DATAFLOW_DIR, 'runtime.ts'), 'executeTransactionNode')!;
    for (const type of TRANSACTION_NODES) {
      const reads: Reads = { keys: new Set(), modelFields: false, unresolved: [], walked: new Set() };
      const env = new Map<string, Binding>([['inputs', { k: 'inputs' }], ['type', { k: 'strings', v: [type] }]]);
      walkFunction(fn.file, fn.fn, env, reads);
      assert.deepEqual(reads.unresolved, []);
      assert.deepEqual([...reads.keys].sort(), TRANSACTION_NODE_SPECS[type].params.map((p) => p.name).sort(), type);
    }
  });

  it('UNMODELLED_PARAMETERS names catalogue parameters no executor reads', () => {
    for (const name of Object.keys(UNMODELLED_PARAMETERS)) {
      const ops = NODE_OPERATIONS.filter((op) => acceptedKeys(op).includes(name));
      assert.ok(ops.length, name);
      for (const op of ops) assert.ok(!readsOf(op, table.get(op)!).keys.has(name), `${op} reads ${name}`);
    }
  });

  it('every DataFlow(...) keyword the runtime\'s DataFlow object reads is a catalogue keyword', () => {
    const bindings = path.resolve(DATAFLOW_DIR, '..', 'bindings');
    const read: string[] = [];
    const collect = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression.getText();
        const key = callee === 'kwargs.get' || callee === 'this.kw' ? n.arguments[0] : callee === 'argOf' && n.arguments[1]?.getText() === 'kwargs' ? n.arguments[3] : undefined;
        const lit = key && literalText(key);
        if (lit !== undefined) read.push(lit);
      }
      ts.forEachChild(n, collect);
    };
    collect(topLevelFunction(path.join(bindings, 'dataflowObject.ts'), 'settingsFromArgs')!);
    collect(sourceOf(path.join(bindings, 'dataflowConfigObject.ts'))!);
    assert.ok(read.length >= 10, read.join(' '));
    assert.deepEqual([...new Set(read)].filter((k) => !constructorKwarg(k)), []);
  });

  it('db.express: the runtime reads each method\'s arguments at the catalogue\'s positions and names', () => {
    const file = path.resolve(DATAFLOW_DIR, '..', 'bindings', 'expressObject.ts');
    const seen = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isCaseClause(n) && literalText(n.expression) !== undefined) {
        const op = literalText(n.expression)!;
        const reads = (m: ts.Node): void => {
          if (ts.isCallExpression(m)) {
            const callee = m.expression.getText();
            // argOf(args, kw, i, 'name', ...) and the dict(i, 'name') / val(i, 'name') shorthands.
            const [i, name] = callee === 'argOf' ? [m.arguments[2], m.arguments[3]] : callee === 'dict' || callee === 'val' ? [m.arguments[0], m.arguments[1]] : [];
            if (i && name && ts.isNumericLiteral(i) && literalText(name) !== undefined) {
              const params = EXPRESS_PARAMS[op];
              assert.ok(params, `express.${op} is not in the catalogue`);
              if (Number(i.text) > 0) assert.equal(params[Number(i.text) - 1]?.name, literalText(name), `express.${op} argument ${i.text}`);
              seen.add(op);
            }
          }
          ts.forEachChild(m, reads);
        };
        n.statements.forEach(reads);
      }
      ts.forEachChild(n, visit);
    };
    visit(sourceOf(file)!);
    assert.deepEqual([...seen].sort(), Object.keys(EXPRESS_PARAMS).filter((op) => op !== 'upsert_advanced').sort());
  });

  it('the query builder runs exactly the catalogue\'s operators', () => {
    for (const op of new Set([...VALIDATOR_ALLOW_LIST, ...QUERY_BUILDER_OPERATORS, '$ilike', '$or'])) {
      const value = op === '$in' || op === '$nin' ? [1] : 1;
      let accepted = true;
      try {
        compileCondition('f', op, value, new ParamList());
      } catch {
        accepted = false;
      }
      assert.equal(accepted, (QUERY_BUILDER_OPERATORS as readonly string[]).includes(op), op);
    }
  });

  it('bulk filters understand exactly the catalogue\'s bulk operators (anything else is "f" = <the dict>)', () => {
    for (const op of new Set([...BULK_OPERATORS, ...QUERY_BUILDER_OPERATORS, '$not'])) {
      const params = new ParamList();
      const [cond] = compileBulkFilter({ f: { [op]: op === '$in' || op === '$nin' ? [1] : 1 } }, params);
      const asDict = cond === '"f" = $1' && typeof params.values[0] !== 'number';
      assert.equal(!asDict, (BULK_OPERATORS as readonly string[]).includes(op), `${op}: ${cond}`);
    }
  });

  const model = defineModel({ name: 'Product', fields: [{ name: 'name', type: 'str' }, { name: 'price', type: 'float', default: 0 }] });

  it('declared parameters: the catalogue\'s, with model fields flat on Create and legacy Update', () => {
    for (const op of NODE_OPERATIONS) {
      const names = declaredParameters(model, op).map((d) => d.name);
      const catalogue = OPERATIONS[op].params.map((p) => p.name);
      assert.deepEqual(names.slice(0, catalogue.length), catalogue, op);
      const rest = names.slice(catalogue.length);
      assert.deepEqual(rest, OPERATIONS[op].modelFieldsFlat === 'no' ? [] : ['name', 'price'], op);
    }
    const price = declaredParameters(model, 'Create').find((d) => d.name === 'price')!;
    assert.equal(price.default, 0);
  });

  it('parses and names generated nodes', () => {
    assert.deepEqual(parseNodeType('ProductBulkCreateNode'), { model: 'Product', op: 'BulkCreate' });
    assert.deepEqual(nodeTypeReadings('ProductBulkCreateNode'), [{ model: 'Product', op: 'BulkCreate' }, { model: 'ProductBulk', op: 'Create' }]);
    assert.equal(generatedNodeNames('A').length, 11);
    assert.ok(isKnownNonGeneratedNode('PythonCodeNode') && isKnownNonGeneratedNode('TransactionScopeNode'));
    assert.ok(!isKnownNonGeneratedNode('ProductCreateNode'));
  });
});
