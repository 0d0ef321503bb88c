// Extracts the DataFlow facts of one top-level statement from its tree-sitter subtree.
// tree-sitter queries find the interesting calls, classes and assignments natively; each match
// is then read with its context (loops around it, enclosing function, enclosing statement).
import { pythonQuery, type Node, type TreeCursor } from '../syntax/parser';
import {
  collectSpans, dottedName, dictGet, namesIn, spanOf, strValue, targetNames, toSExpr,
  type DictEntry, type KwArg, type SExpr, type Span,
} from './staticExpr';
import {
  FACT_KINDS, type AssignmentFact, type ClassFact, type Context, type FieldFact, type IndexFact, type LoopInfo, type StatementFacts,
} from './facts';
import { normaliseAnnotation } from './pythonTypes';
import { deferValue, moveDeferredValue, valuePending } from './deferredValue';
import { exact } from './exactArray';
import { keptAcrossEdit, type EditRange } from './editReuse';
import { EXPRESS_OPS, NODE_OPERATIONS } from '../catalogue';

const METHODS = [
  'add_node', 'add_connection', 'connect', 'execute', 'execute_async', 'execute_workflow_async', 'async_execute',
  'execute_workflow', 'build', 'register_model', 'DataFlow', 'WorkflowBuilder', 'LocalRuntime', 'AsyncLocalRuntime', ...EXPRESS_OPS,
];

const QUERY = `
((call function: (attribute attribute: (identifier) @method)) @mcall
  (#any-of? @method ${METHODS.map((m) => JSON.stringify(m)).join(' ')}))
((call function: (identifier) @fname) @fcall
  (#any-of? @fname "DataFlow" "WorkflowBuilder" "LocalRuntime" "AsyncLocalRuntime"))
(class_definition) @class
; Only the assignments readAssignment reads (a name or attribute given a value): tuple targets and
; bare annotations (model fields) are left out here, where it costs no crossing into JavaScript.
(assignment left: [(identifier) (attribute)] right: (_)) @assign
(import_from_statement) @importfrom
(call function: (identifier)) @pcall
((call function: (attribute object: (identifier) @sobj)) @scall
  (#any-of? @sobj "self" "cls"))
`;

const STATEMENT_PARENTS = new Set(['block', 'module']);
const COMPREHENSIONS = new Set(['list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);

export function emptyStatementFacts(span: Span, text: string): StatementFacts {
  return {
    span, text, instances: [], classes: [], registrations: [], nodes: [], connections: [], executes: [],
    builds: [], workflows: [], express: [], assignments: [], imports: [], runtimes: [], calls: [], resultReads: [],
  };
}

/**
 * What the ancestors of a node contribute to its context, innermost first: enclosing loops,
 * function and class names, and the first ancestor that is a statement. Shared by every node
 * below the same ancestor, so it is computed once per node of the path (the captures of one
 * statement mostly share their ancestors; walking each capture's whole parent chain again
 * crossed into WebAssembly once per step).
 */
interface Above {
  /** Innermost first. */
  loops: LoopInfo[];
  /** Enclosing function and class names, innermost first. */
  scopes: Array<{ kind: 'function' | 'class'; name: string }>;
  statement: Node | undefined;
}
const NOTHING_ABOVE: Above = { loops: [], scopes: [], statement: undefined };
class ContextReader {
  private loops = new Map<number, LoopInfo>();
  private parents = new Map<number, Node | null>();
  private above_ = new Map<number, Above>();
  /** A cursor in the statement and the nodes from the statement down to where it stands. */
  private cursor: TreeCursor | undefined;
  private path: Node[] = [];
  /** `inLargeClass`: the statement is a large class, whose members' facts an edit may move (deferValue's `movable`). */
  constructor(private readonly top: Node, readonly inLargeClass = false) {}

  /**
   * `n.parent`, remembered. tree-sitter finds a parent by walking down from the root of the file,
   * so the parents of a deep chain read one by one took time quadratic in its depth (10,000 nested
   * calls in a node config took minutes), and every node of a large statement recorded in one walk
   * was most of the extraction of kailash-py's large test classes. Instead one cursor walks down
   * from the statement towards each node asked for, from where the last walk ended (the nodes
   * come mostly in source order), and remembers the parents on its way.
   */
  parentOf(n: Node): Node | null {
    let p = this.parents.get(n.id);
    if (p !== undefined) return p;
    p = n.id === this.top.id || n.type === 'module' ? n.parent : this.walkTo(n) ?? n.parent;
    this.parents.set(n.id, p);
    return p;
  }

  /** The parent of `n`, a node below the statement, found by moving the cursor to it (undefined: not found). */
  private walkTo(n: Node): Node | undefined {
    if (!this.cursor) { this.cursor = this.top.walk(); this.path = [this.top]; }
    const cursor = this.cursor, path = this.path;
    const start = n.startIndex, end = n.endIndex;
    // Up to the nearest node on the path that holds `n` (the statement always does)...
    while (path.length > 1) {
      const last = path[path.length - 1];
      if (last.startIndex <= start && end <= last.endIndex) break;
      cursor.gotoParent();
      path.pop();
    }
    // ... then down through the children that hold its start: each is an ancestor of `n`, or `n`.
    for (;;) {
      const parent = path[path.length - 1];
      if (!cursor.gotoFirstChildForIndex(start)) return undefined;
      const child = cursor.currentNode;
      if (child.startIndex > start || child.endIndex < end) { cursor.gotoParent(); return undefined; }
      path.push(child);
      this.parents.set(child.id, parent);
      if (child.id === n.id) return parent;
    }
  }

  /** Frees the cursor (tree-sitter's memory): the reader is done. */
  dispose(): void {
    this.cursor?.delete();
    this.cursor = undefined;
  }

  read(n: Node): Context {
    const parent = this.parentOf(n);
    const above = this.above(n);
    // The node itself may be the statement (e.g. a class definition).
    const stmt = (parent && STATEMENT_PARENTS.has(parent.type) ? n : above.statement) ?? n;
    const fnParts: string[] = [];
    for (const s of above.scopes) if (s.kind === 'function' || fnParts.length) fnParts.push(s.name);
    const loops = [...above.loops].reverse();
    let callIsStatement = false;
    if (stmt.type === 'expression_statement' && stmt.namedChildCount === 1) {
      const only = stmt.namedChild(0);
      callIsStatement = !!only && (only.id === n.id || (only.type === 'await' && only.namedChild(0)?.id === n.id));
    }
    return {
      loops,
      functionName: fnParts.length ? fnParts.reverse().join('.') : undefined,
      statementSpan: spanOf(stmt),
      callIsStatement,
    };
  }

  /** The contributions of `child`'s ancestors up to (and including) the top-level statement. */
  private above(child: Node): Above {
    const hit = this.above_.get(child.id);
    if (hit) return hit;
    const cur = this.parentOf(child);
    let out: Above;
    if (!cur) {
      out = NOTHING_ABOVE;
    } else {
      const outer = cur.id === this.top.id ? NOTHING_ABOVE : this.above(cur);
      const grand = this.parentOf(cur);
      const loops = outer.loops;
      let loop: LoopInfo | undefined;
      let scope: Above['scopes'][number] | undefined;
      const t = cur.type;
      if (t === 'for_statement' || t === 'while_statement') {
        const body = cur.childForFieldName('body');
        if (body && child.startIndex >= body.startIndex && child.endIndex <= body.endIndex) loop = this.loopOf(cur);
      } else if (COMPREHENSIONS.has(t)) {
        const firstFor = cur.namedChildren.find((c) => c?.type === 'for_in_clause');
        const iterable = firstFor?.childForFieldName('right');
        if (!(iterable && child.startIndex >= iterable.startIndex && child.endIndex <= iterable.endIndex)) loop = this.loopOf(cur);
      } else if (t === 'lambda') {
        loop = this.mappedLambda(cur);
      } else if (t === 'function_definition' || t === 'class_definition') {
        const name = cur.childForFieldName('name');
        if (name) scope = { kind: t === 'function_definition' ? 'function' : 'class', name: name.text };
      }
      out = {
        loops: loop ? [loop, ...loops] : loops,
        scopes: scope ? [scope, ...outer.scopes] : outer.scopes,
        statement: grand && STATEMENT_PARENTS.has(grand.type) ? cur : outer.statement,
      };
    }
    this.above_.set(child.id, out);
    return out;
  }

  /** `map(lambda r: ..., rows)` (and `starmap`): the lambda body runs once per item of `rows`. */
  private mappedLambda(lambda: Node): LoopInfo | undefined {
    const list = this.parentOf(lambda);
    const call = list && this.parentOf(list);
    if (!list || list.type !== 'argument_list' || !call || call.type !== 'call') return undefined;
    const fname = call.childForFieldName('function')?.text;
    if (fname !== 'map' && fname !== 'itertools.starmap' && fname !== 'starmap') return undefined;
    const args = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (args[0]?.id !== lambda.id || !args[1]) return undefined;
    const cached = this.loops.get(lambda.id);
    if (cached) return cached;
    const params = lambda.childForFieldName('parameters');
    const names = params ? params.namedChildren.filter((c): c is Node => !!c && c.type === 'identifier').map((c) => c.text) : [];
    const info: LoopInfo = {
      kind: 'comprehension', isAsync: false, span: spanOf(call),
      target: names.length === 1 ? { k: 'name', id: names[0], span: spanOf(params!) } : undefined,
      targetNames: names, iter: toSExpr(args[1]), bodyStatements: [], hasElse: false,
    };
    this.loops.set(lambda.id, info);
    return info;
  }

  private loopOf(node: Node): LoopInfo {
    const cached = this.loops.get(node.id);
    if (cached) return cached;
    let info: LoopInfo;
    if (node.type === 'for_statement' || node.type === 'while_statement') {
      const body = node.childForFieldName('body');
      const isFor = node.type === 'for_statement';
      const left = isFor ? node.childForFieldName('left') : null;
      const right = isFor ? node.childForFieldName('right') : null;
      const cond = isFor ? null : node.childForFieldName('condition');
      const target = left ? toSExpr(left) : undefined;
      info = {
        kind: isFor ? 'for' : 'while',
        isAsync: isFor && node.children.some((c) => c?.type === 'async'),
        span: spanOf(node),
        target,
        targetNames: exact(targetNames(target)),
        iter: right ? toSExpr(right) : undefined,
        condition: cond ? toSExpr(cond) : undefined,
        bodySpan: body ? spanOf(body) : undefined,
        bodyStatements: body ? body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(spanOf) : [],
        hasElse: !!node.childForFieldName('alternative'),
      };
    } else {
      const clause = node.namedChildren.find((c) => c?.type === 'for_in_clause');
      const left = clause?.childForFieldName('left');
      const right = clause?.childForFieldName('right');
      const target = left ? toSExpr(left) : undefined;
      info = {
        kind: 'comprehension',
        isAsync: !!clause?.children.some((c) => c?.type === 'async'),
        span: spanOf(node),
        target,
        targetNames: exact(targetNames(target)),
        iter: right ? toSExpr(right) : undefined,
        bodyStatements: [],
        hasElse: false,
      };
    }
    this.loops.set(node.id, info);
    return info;
  }
}

function bindingOf(call: Node, ctx: ContextReader): string | undefined {
  let n: Node = call;
  const up = ctx.parentOf(n);
  if (up?.type === 'await') n = up;
  const p = n === call ? up : ctx.parentOf(n);
  if (!p) return undefined;
  if (p.type === 'assignment' && p.childForFieldName('right')?.id === n.id) {
    const left = p.childForFieldName('left');
    if (left && (left.type === 'identifier' || left.type === 'attribute')) return left.text;
  }
  if (p.type === 'as_pattern') {
    const alias = p.childForFieldName('alias');
    if (alias) return alias.text.trim();
  }
  return undefined;
}

function argsOf(call: Node): { args: SExpr[]; kwargs: KwArg[]; argsSpan: Span } {
  const list = call.childForFieldName('arguments');
  const e = toSExpr(call);
  const span = list ? spanOf(list) : spanOf(call);
  if (e.k !== 'call') return { args: [], kwargs: [], argsSpan: span };
  return { args: e.args, kwargs: e.kwargs, argsSpan: span };
}

function kw(kwargs: KwArg[], name: string): SExpr | undefined {
  return kwargs.find((k) => k.name === name)?.value;
}

function keywordsAsDict(kwargs: KwArg[], exclude: Set<string>): SExpr | undefined {
  const rest = kwargs.filter((k) => !exclude.has(k.name));
  if (!rest.length) return undefined;
  const entries: DictEntry[] = rest.map((k) => ({ key: { k: 'str', v: k.name, span: { start: k.span.start, end: k.span.start + k.name.length } }, value: k.value, span: k.span }));
  return { k: 'dict', entries, span: { start: rest[0].span.start, end: rest[rest.length - 1].span.end } };
}

function readIndexes(value: SExpr, source: 'dataflow' | 'legacy'): IndexFact[] {
  if (value.k !== 'list' && value.k !== 'tuple') return [];
  const out: IndexFact[] = [];
  for (const item of value.items) {
    if (item.k !== 'dict') continue;
    const fieldsE = dictGet(item, 'fields')?.value;
    const fields = fieldsE && (fieldsE.k === 'list' || fieldsE.k === 'tuple') ? fieldsE.items.map(strValue).filter((s): s is string => !!s) : [];
    const unique = dictGet(item, 'unique')?.value;
    out.push({ name: strValue(dictGet(item, 'name')?.value), fields, unique: unique?.k === 'bool' && unique.v, source, span: item.span });
  }
  return out;
}

function readClass(cls: Node): ClassFact | undefined {
  const name = cls.childForFieldName('name');
  const body = cls.childForFieldName('body');
  if (!name || !body) return undefined;
  const up = cls.parent;
  const outer = up?.type === 'decorated_definition' ? up : cls;
  const fact: ClassFact = {
    name: name.text,
    nameSpan: spanOf(name),
    span: spanOf(outer),
    bodySpan: spanOf(body),
    bases: [],
    fields: [],
    softDelete: false,
    indexes: [],
    bodyStatements: body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(spanOf),
  };
  const supers = cls.childForFieldName('superclasses');
  if (supers) for (const s of supers.namedChildren) if (s && (s.type === 'identifier' || s.type === 'attribute')) fact.bases.push(s.text.split('.').pop()!);
  if (outer !== cls) {
    for (const d of outer.namedChildren) {
      if (!d || d.type !== 'decorator') continue;
      const expr = d.namedChildren.find((c) => c && c.type !== 'comment');
      if (!expr) continue;
      const target = expr.type === 'call' ? expr.childForFieldName('function') : expr;
      if (target?.type === 'attribute' && target.childForFieldName('attribute')?.text === 'model') {
        fact.modelDecoratorOf = target.childForFieldName('object')?.text;
        fact.modelDecoratorSpan = spanOf(d);
      }
    }
  }
  for (const st of body.namedChildren) {
    if (!st || st.type !== 'expression_statement') continue;
    const a = st.namedChild(0);
    if (!a || a.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    if (!left || left.type !== 'identifier') continue;
    const n = left.text;
    const right = a.childForFieldName('right');
    const type = a.childForFieldName('type');
    if (n === '__tablename__' && right) fact.tableName = strValue(toSExpr(right));
    else if (n === '__dataflow__' && right) {
      const value = toSExpr(right);
      const indexes = dictGet(value, 'indexes');
      fact.dataflowConfig = { statementSpan: spanOf(st), value, indexes };
      const sd = dictGet(value, 'soft_delete')?.value;
      fact.softDelete = sd?.k === 'bool' && sd.v;
      if (indexes) fact.indexes.push(...readIndexes(indexes.value, 'dataflow'));
    } else if (n === '__indexes__' && right) {
      const value = toSExpr(right);
      fact.legacyIndexes = { statementSpan: spanOf(st), value };
      fact.indexes.push(...readIndexes(value, 'legacy'));
    } else if (!n.startsWith('_') && type) {
      const annotation = type.text;
      const norm = normaliseAnnotation(annotation);
      const field: FieldFact = { name: n, nameSpan: spanOf(left), statementSpan: spanOf(st), annotation, type: norm.type, optional: norm.optional };
      if (right) field.default = toSExpr(right);
      fact.fields.push(field);
    }
  }
  return fact;
}

/** Extracts the facts of one top-level statement node. */
export function extractStatement(top: Node): StatementFacts {
  return readCaptures(top, QUERY, top.text, true);
}

/**
 * The facts `query`'s captures in `top` make (QUERY's, or the subset SHARED_QUERY has), and the
 * reads of execute results when `resultReads`.
 */
function readCaptures(top: Node, query: string, text: string, resultReads: boolean): StatementFacts {
  const facts = emptyStatementFacts(spanOf(top), text);
  // A large class (QUERY only): where the facts of each statement of its body are, for the next edit to reuse.
  const members = resultReads ? largeClassMembers(top) : undefined;
  const runs = members && new MemberRunRecorder(members, facts);
  const ctx = new ContextReader(top, !!runs);
  try {
    for (const cap of pythonQuery(query).captures(top)) {
      runs?.at(cap.node.startIndex);
      readCapture(cap.name, cap.node, ctx, facts);
    }
    runs?.finish();
    if (resultReads) readResultReads(top, ctx, facts);
  } finally {
    ctx.dispose();
  }
  return finished(facts, runs);
}

/** The facts once read: their arrays without the spare capacity push() leaves (exactArray.ts), a large class's member runs kept. */
function finished(facts: StatementFacts, runs: MemberRunRecorder | undefined): StatementFacts {
  if (runs) runs.resultReadRuns();
  for (const k of FACT_KINDS) facts[k] = exact(facts[k] as never[]);
  if (runs) memberRuns.set(facts, runs.runs);
  return facts;
}

function readCapture(name: string, n: Node, ctx: ContextReader, facts: StatementFacts): void {
  switch (name) {
    case 'mcall': readMethodCall(n, ctx, facts); break;
    case 'fcall': readFunctionCall(n, ctx, facts); break;
    case 'class': { const c = readClass(n); if (c) { readClassScope(n, ctx, c); facts.classes.push(c); } break; }
    case 'assign': readAssignment(n, ctx, facts); break;
    case 'importfrom': readImport(n, facts); break;
    case 'pcall': case 'scall': readPlainCall(n, ctx, facts); break;
    default: break;
  }
}

// ---------------------------------------------------------------------------------------------
// Large classes, method by method. A module that is one class (DataFlow's own core/engine.py:
// 12,280 lines, kailash's runtime/local.py) is one top-level statement, and an edit anywhere in it
// extracted the whole class again (80 ms for engine.py). The facts of a large class record, for
// each statement of its body (a member: a method, mostly), where its facts are in each kind's
// list (they are contiguous: captures come in source order, and a member's captures are all
// inside it); after an edit, the members the edit did not touch keep their facts, and only the
// rest of the class is queried again.

/** A class statement at least this long (characters) records its members' facts. */
export const LARGE_CLASS_CHARS = 20_000;

/** Where one member's facts are: its place relative to the statement's start, and its run of each kind (FACT_KINDS order). */
interface MemberRun {
  start: number;
  end: number;
  from: number[];
  to: number[];
  /** Values derived from the member's text (piecesByMember), kept while its facts are. */
  derived?: Map<string, string>;
  /** Every span in the member's facts, once collected (a member after an edit is moved by it), and its assignments whose values were not read then. */
  moves?: { spans: Span[]; unread: AssignmentFact[] };
  /** The member's facts as the rules check them (checkedParts), kept while its facts are. */
  view?: MemberView;
}

/** The member runs of large-class statement facts (kept beside the facts, so the facts' shape does not change). */
const memberRuns = new WeakMap<StatementFacts, MemberRun[]>();

/** The body of a top-level class statement (decorated or not). */
function classBody(top: Node): Node | null {
  const cls = top.type === 'decorated_definition' ? top.childForFieldName('definition') : top;
  return cls?.type === 'class_definition' ? cls.childForFieldName('body') : null;
}

/**
 * The statements of a large top-level class's body (its methods, mostly; also class attributes,
 * nested classes), each a member whose facts the next edit can keep; undefined for anything else.
 */
function largeClassMembers(top: Node): Node[] | undefined {
  if (top.endIndex - top.startIndex < LARGE_CLASS_CHARS) return undefined;
  const body = classBody(top);
  if (!body) return undefined;
  const out: Node[] = [];
  for (const c of body.namedChildren) if (c && c.type !== 'comment') out.push(c);
  return out.length ? out : undefined;
}

/**
 * `derive` of a statement's text, in pieces, for a large class: of each member's text (kept with
 * the member's facts, so an edit elsewhere in the class derives it again only for the member it
 * touched) and of each stretch between members, in source order; undefined for other statements.
 * For a `derive` that scans a text for matches no member boundary can split (statements are
 * separated by line breaks), the pieces' matches are the whole text's.
 */
export function piecesByMember(st: StatementFacts, key: string, derive: (text: string) => string): string[] | undefined {
  const runs = memberRuns.get(st);
  if (!runs) return undefined;
  const out: string[] = [];
  let end = 0;
  for (const r of runs) {
    out.push(derive(st.text.slice(end, r.start)));
    r.derived ??= new Map();
    let v = r.derived.get(key);
    if (v === undefined) { v = derive(st.text.slice(r.start, r.end)); r.derived.set(key, v); }
    out.push(v);
    end = r.end;
  }
  out.push(derive(st.text.slice(end)));
  return out;
}

/**
 * One member's facts, checked by the rules as a statement of their own: its run of each kind of
 * its class statement's facts, and its place and text in that statement (the statement the
 * member's facts belong to changes with every edit of the class; the view stays while they do, so
 * the findings cached for it do too).
 */
class MemberView implements StatementFacts {
  declare readonly instances: StatementFacts['instances'];
  declare readonly classes: StatementFacts['classes'];
  declare readonly registrations: StatementFacts['registrations'];
  declare readonly nodes: StatementFacts['nodes'];
  declare readonly connections: StatementFacts['connections'];
  declare readonly executes: StatementFacts['executes'];
  declare readonly builds: StatementFacts['builds'];
  declare readonly workflows: StatementFacts['workflows'];
  declare readonly express: StatementFacts['express'];
  declare readonly assignments: StatementFacts['assignments'];
  declare readonly imports: StatementFacts['imports'];
  declare readonly runtimes: StatementFacts['runtimes'];
  declare readonly calls: StatementFacts['calls'];
  declare readonly resultReads: StatementFacts['resultReads'];

  constructor(private owner: StatementFacts, private run: MemberRun) {
    const self = this as unknown as Record<string, readonly unknown[]>;
    // Most members have facts of a few kinds: the others share one empty list.
    FACT_KINDS.forEach((k, i) => { self[k] = run.from[i] === run.to[i] ? NONE : owner[k].slice(run.from[i], run.to[i]); });
  }

  get span(): Span {
    const base = this.owner.span.start;
    return { start: base + this.run.start, end: base + this.run.end };
  }

  get text(): string {
    return this.owner.text.slice(this.run.start, this.run.end);
  }

  /** The same member in the class statement's facts after an edit elsewhere in the class. */
  moveTo(owner: StatementFacts, run: MemberRun): void {
    this.owner = owner;
    this.run = run;
  }
}

/** The facts of no kind (a member's view of the kinds it has none of; nothing adds to it). */
const NONE: readonly never[] = Object.freeze([]);

/** Whether a member has no facts at all (it is then in no checked part). */
const noFacts = (r: MemberRun) => r.from.every((f, i) => f === r.to[i]);

/** A statement's facts that are in no member's run (a large class's own: the class, its decorators), checked as one part. */
function restView(st: StatementFacts, runs: MemberRun[]): StatementFacts {
  const rest = emptyStatementFacts(st.span, st.text);
  FACT_KINDS.forEach((k, i) => {
    const all = st[k] as unknown[], out = rest[k] as unknown[];
    let at = 0;
    for (const r of runs) { for (let j = at; j < r.from[i]; j++) out.push(all[j]); at = r.to[i]; }
    for (let j = at; j < all.length; j++) out.push(all[j]);
  });
  // Its place is the statement's, wherever the statement moves.
  Object.defineProperty(rest, 'span', { get: () => st.span, enumerable: true });
  return rest;
}

const parts = new WeakMap<StatementFacts, StatementFacts[]>();

/**
 * The parts of a statement's facts the rules check one at a time, each with findings of its own:
 * for a large class, the class's own facts and each member's (a member's part is the same object
 * while the member's facts are kept, so an edit in one method checks that method again, not the
 * class); undefined for any other statement (checked whole). Every fact is in one part. A rule
 * reads the facts of a function from the part that holds it (`ctx.facts`, when it has a function
 * name): a method's are all in its member's part.
 */
export function checkedParts(st: StatementFacts): StatementFacts[] | undefined {
  const runs = memberRuns.get(st);
  if (!runs) return undefined;
  let out = parts.get(st);
  if (out) return out;
  out = [restView(st, runs)];
  for (const r of runs) {
    if (noFacts(r)) continue;
    r.view ??= new MemberView(st, r);
    out.push(r.view);
  }
  parts.set(st, out);
  return out;
}

/**
 * Moves the facts of a reused member (`runFacts`) by `delta`: every span in them, collected the
 * first time and kept with the run, plus the spans of values read since.
 */
function moveRun(run: MemberRun, runFacts: unknown[], delta: number): void {
  let moves = run.moves;
  if (!moves) {
    moves = { spans: collectSpans(runFacts), unread: [] };
    for (const f of runFacts) if (valuePending(f as object)) moves.unread.push(f as AssignmentFact);
    run.moves = moves;
  } else if (moves.unread.length) {
    const still: AssignmentFact[] = [];
    for (const a of moves.unread) {
      if (valuePending(a)) still.push(a);
      else for (const sp of collectSpans(a.value)) moves.spans.push(sp);
    }
    moves.unread = still;
  }
  for (const sp of moves.spans) { sp.start += delta; sp.end += delta; }
}

/** Records each member's run while the statement's facts are read in source order. */
class MemberRunRecorder {
  readonly runs: MemberRun[] = [];
  private i = 0;
  private open = false;
  private readonly spans: Array<{ start: number; end: number }>;
  constructor(members: Node[], private readonly facts: StatementFacts) {
    this.spans = members.map((m) => ({ start: m.startIndex, end: m.endIndex }));
  }

  private lengths(): number[] {
    return FACT_KINDS.map((k) => this.facts[k].length);
  }

  /** Before the facts of whatever starts at `pos` are added. */
  at(pos: number): void {
    while (this.i < this.spans.length && pos >= this.spans[this.i].end) this.close();
    if (this.i < this.spans.length && !this.open && pos >= this.spans[this.i].start) {
      const m = this.spans[this.i], base = this.facts.span.start;
      this.runs.push({ start: m.start - base, end: m.end - base, from: this.lengths(), to: [] });
      this.open = true;
    }
  }

  private close(): void {
    const l = this.lengths();
    if (!this.open) {
      const m = this.spans[this.i], base = this.facts.span.start;
      this.runs.push({ start: m.start - base, end: m.end - base, from: l, to: l });
    } else {
      this.runs[this.runs.length - 1].to = l;
    }
    this.open = false;
    this.i++;
  }

  /** After the last capture. */
  finish(): void {
    while (this.i < this.spans.length) this.close();
  }

  /**
   * The runs of result reads, once they are all read: they are read by a second query (after the
   * captures), so they are put in source order and each member's run found by position.
   */
  resultReadRuns(): void {
    const reads = this.facts.resultReads;
    reads.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    const k = FACT_KINDS.indexOf('resultReads'), base = this.facts.span.start;
    let j = 0;
    for (const r of this.runs) {
      while (j < reads.length && reads[j].span.start < base + r.start) j++;
      r.from[k] = j;
      while (j < reads.length && reads[j].span.start < base + r.end) j++;
      r.to[k] = j;
    }
  }
}

/**
 * The facts of a top-level statement an edit touched (`edit`: where the text changed, the
 * document's offsets before and after; `changed`: where tree-sitter's new tree differs), given its
 * facts before the edit. The same as extractStatement(top), reusing the facts of a large class's
 * members the edit did not touch (moved by the edit's length when they come after it).
 */
export function reextractStatement(top: Node, old: StatementFacts, edit: EditRange, changed: ReadonlyArray<{ start: number; end: number }>): StatementFacts {
  const oldRuns = memberRuns.get(old);
  const members = oldRuns && largeClassMembers(top);
  if (!members) return extractStatement(top);
  const oldBase = old.span.start;
  const byStart = new Map<number, MemberRun>();
  for (const r of oldRuns) byStart.set(oldBase + r.start, r);
  // Kept as FileFacts.update keeps top-level statements.
  const reuse = members.map((m) => keptAcrossEdit(m.startIndex, m.endIndex, edit, changed, (at) => byStart.get(at), (r) => oldBase + r.end));
  if (!reuse.some((r) => r)) return extractStatement(top);

  const facts = emptyStatementFacts(spanOf(top), top.text);
  const ctx = new ContextReader(top, true);
  const runs = new MemberRunRecorder(members, facts);
  const query = pythonQuery(QUERY);
  // The class is queried again from its start to the first reused member, and over each stretch
  // of members not reused (one query per stretch: a query has a fixed cost, and a class has
  // hundreds of members). A query limited to a range also gives the captures of nodes around it:
  // the class itself, read in the first only.
  let from = top.startIndex;
  let pending = true;
  const readRange = (to: number) => {
    if (pending && to > from) {
      for (const cap of query.captures(top, { startIndex: from, endIndex: to })) {
        if (cap.node.startIndex < from) continue;
        runs.at(cap.node.startIndex);
        readCapture(cap.name, cap.node, ctx, facts);
      }
      readResultReads(top, ctx, facts, from, to);
    }
    pending = false;
  };
  try {
    for (let i = 0; i < members.length; i++) {
      const c = members[i], r = reuse[i];
      if (!r) { pending = true; continue; }
      readRange(c.startIndex);
      runs.at(c.startIndex);
      const runFacts: unknown[] = [];
      for (let k = 0; k < FACT_KINDS.length; k++) {
        const kind = FACT_KINDS[k];
        const src = old[kind] as unknown[], dst = facts[kind] as unknown[];
        for (let j = r.kept.from[k]; j < r.kept.to[k]; j++) {
          const f = src[j];
          dst.push(f);
          runFacts.push(f);
          if (kind === 'assignments') moveDeferredValue(f as AssignmentFact, facts, r.shift);
        }
      }
      if (r.shift) moveRun(r.kept, runFacts, r.shift);
      runs.at(c.endIndex);
      from = c.endIndex;
    }
    readRange(top.endIndex);
    runs.finish();
    for (let i = 0; i < members.length; i++) {
      const kept = reuse[i]?.kept;
      if (!kept) continue;
      const run = runs.runs[i];
      run.derived = kept.derived;
      run.moves = kept.moves;
      run.view = kept.view;
      run.view?.moveTo(facts, run);
    }
  } finally {
    ctx.dispose();
  }
  return finished(facts, runs);
}

// What other files read of a statement (SHARED_KINDS in fileFacts.ts): the captures of QUERY that
// make classes, register_model calls, DataFlow instances and imports, read by the same readers.
const SHARED_QUERY = `
((call function: (attribute attribute: (identifier) @method)) @mcall
  (#any-of? @method "register_model" "DataFlow"))
((call function: (identifier) @fname) @fcall
  (#eq? @fname "DataFlow"))
(class_definition) @class
(import_from_statement) @importfrom
`;

/**
 * The facts of SHARED_KINDS of one top-level statement, equal (and in the same order) to those
 * extractStatement gives, without the rest: the workspace scan of dataflow-lint, whose other
 * facts are extracted when the file is analysed.
 */
export function extractSharedFacts(top: Node): Pick<StatementFacts, 'classes' | 'registrations' | 'instances' | 'imports'> {
  const facts = readCaptures(top, SHARED_QUERY, '', false);
  return { classes: facts.classes, registrations: facts.registrations, instances: facts.instances, imports: facts.imports };
}

// `results["node"]["key"]` and its `.get(...)` variants: the subscript reads of execute results.
const RESULT_READ_QUERY = `
(subscript value: (subscript value: (identifier) @var subscript: (string) @node) subscript: (string) @key) @read
(subscript value: (call function: (attribute object: (identifier) @var attribute: (identifier) @get1) arguments: (argument_list . (string) @node)) subscript: (string) @key (#eq? @get1 "get")) @read
(call function: (attribute object: (subscript value: (identifier) @var subscript: (string) @node) attribute: (identifier) @get2) arguments: (argument_list . (string) @key) (#eq? @get2 "get")) @read
(call function: (attribute object: (call function: (attribute object: (identifier) @var attribute: (identifier) @get1) arguments: (argument_list . (string) @node)) attribute: (identifier) @get2) arguments: (argument_list . (string) @key) (#eq? @get1 "get") (#eq? @get2 "get")) @read
`;

/**
 * What every match of RESULT_READ_QUERY holds: a `]` or `)` (the inner subscript, or the inner
 * `.get(...)`) followed by a string subscript or by `.get(`, with only blanks, comments and line
 * continuations between. A comment is matched to its line's end, so the pattern stays linear.
 */
const GAP = String.raw`(?:\s|#[^\n]*(?:\n|$)|\\\r?\n)*`;
const RESULT_READ_SHAPE = new RegExp(String.raw`[\])]${GAP}(?:\[${GAP}[A-Za-z]{0,2}["']|\.${GAP}get${GAP}\()`);

/** The result reads in `top` (its text is `facts.text`), or in its part `from`..`to` (document offsets). */
function readResultReads(top: Node, ctx: ContextReader, facts: StatementFacts, from = top.startIndex, to = top.endIndex): void {
  const whole = from === top.startIndex && to === top.endIndex;
  const base = facts.span.start;
  // Cheap pre-check: a statement without that shape (most, and most of kailash-py's large test
  // classes' `.get(` calls on plain dicts) cannot match, and the query is a second walk of it.
  if (!RESULT_READ_SHAPE.test(whole ? facts.text : facts.text.slice(from - base, to - base))) return;
  for (const m of pythonQuery(RESULT_READ_QUERY).matches(top, whole ? undefined : { startIndex: from, endIndex: to })) {
    const cap = (name: string) => m.captures.find((c) => c.name === name)?.node;
    const read = cap('read'), v = cap('var'), node = cap('node'), key = cap('key');
    if (!read || !v || !node || !key) continue;
    if (!whole && (read.startIndex < from || read.startIndex >= to)) continue;
    const nodeId = strValue(toSExpr(node)), k = strValue(toSExpr(key));
    if (nodeId === undefined || k === undefined || node.text.startsWith('f')) continue;
    facts.resultReads.push({ span: spanOf(read), variable: v.text, nodeId, nodeIdSpan: spanOf(node), key: k, keySpan: spanOf(key), functionName: ctx.read(read).functionName });
  }
}

/** `results, run_id = runtime.execute(...)` (or `= await ...`): the name of the results dict. */
function executeResultName(call: Node, ctx: ContextReader): string | undefined {
  let n: Node = call;
  const up = ctx.parentOf(n);
  if (up?.type === 'await') n = up;
  const p = n === call ? up : ctx.parentOf(n);
  if (!p || p.type !== 'assignment' || p.childForFieldName('right')?.id !== n.id) return undefined;
  const left = p.childForFieldName('left');
  if (!left || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')) return undefined;
  const first = left.namedChildren.find((c) => !!c && c.type !== 'comment');
  return first?.type === 'identifier' ? first.text : undefined;
}

/** Where a class is defined: its enclosing function (for scope-correct model lookup) and class. */
function readClassScope(cls: Node, ctx: ContextReader, fact: ClassFact): void {
  const fn = ctx.read(cls).functionName;
  if (fn !== undefined) fact.enclosingFunction = fn;
  for (let cur = ctx.parentOf(cls); cur; cur = ctx.parentOf(cur)) {
    if (cur.type === 'class_definition') {
      const name = cur.childForFieldName('name')?.text;
      if (name) fact.enclosingClass = name;
      break;
    }
  }
}

function readImport(n: Node, facts: StatementFacts): void {
  const mod = n.childForFieldName('module_name');
  if (!mod) return;
  const names: Array<{ name: string; alias?: string }> = [];
  for (const c of n.childrenForFieldName('name')) {
    if (!c) continue;
    if (c.type === 'aliased_import') {
      names.push({ name: c.childForFieldName('name')?.text ?? '', alias: c.childForFieldName('alias')?.text });
    } else names.push({ name: c.text });
  }
  facts.imports.push({ module: mod.text, names, span: spanOf(n) });
}

function readAssignment(n: Node, ctx: ContextReader, facts: StatementFacts): void {
  // Skip class-body assignments (model fields are read by readClass).
  const st = ctx.parentOf(n);
  const block = st && ctx.parentOf(st);
  if (block && ctx.parentOf(block)?.type === 'class_definition') return;
  // QUERY's pattern: the target is a name or an attribute, and there is a value.
  const left = n.childForFieldName('left');
  const right = n.childForFieldName('right');
  if (!left || !right || right.type === 'assignment') return;
  const c = ctx.read(n);
  const at = facts.span.start;
  facts.assignments.push(deferValue({ name: left.text, statementSpan: c.statementSpan, functionName: c.functionName, loops: c.loops }, facts, right.startIndex - at, right.endIndex - at, ctx.inLargeClass));
}

function readFunctionCall(n: Node, ctx: ContextReader, facts: StatementFacts): void {
  const fname = n.childForFieldName('function')?.text;
  if (fname === 'LocalRuntime' || fname === 'AsyncLocalRuntime') { recordRuntime(fname, n, ctx, facts); return; }
  recordConstructor(fname, n, ctx, facts);
}

/** A runtime construction: where it is, and the decorators of the function around it. */
function recordRuntime(className: string, n: Node, ctx: ContextReader, facts: StatementFacts): void {
  const c = ctx.read(n);
  let contextManaged = false;
  const p = ctx.parentOf(n);
  if (p && (p.type === 'with_item' || (p.type === 'as_pattern' && ctx.parentOf(p)?.type === 'with_item'))) contextManaged = true;
  let fn: Node | null = p;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'class_definition') fn = ctx.parentOf(fn);
  const functionDecorators: string[] = [];
  let inAsyncFunction = false;
  if (fn?.type === 'function_definition') {
    inAsyncFunction = fn.children.some((ch) => ch?.type === 'async');
    const decorated = ctx.parentOf(fn);
    if (decorated?.type === 'decorated_definition') {
      for (const d of decorated.namedChildren) if (d?.type === 'decorator') functionDecorators.push(d.text.replace(/^@\s*/, ''));
    }
  }
  facts.runtimes.push(withContext(c, { span: spanOf(n), className, contextManaged, functionDecorators, inAsyncFunction }));
}

function recordConstructor(fname: string | undefined, n: Node, ctx: ContextReader, facts: StatementFacts): void {
  const c = ctx.read(n);
  if (fname === 'DataFlow') {
    const { args, kwargs, argsSpan } = argsOf(n);
    const first = args[0];
    facts.instances.push(withContext(c, { binding: bindingOf(n, ctx), span: spanOf(n), url: first && first.k !== 'spread' ? first : kw(kwargs, 'database_url'), kwargs, argsSpan }));
  } else if (fname === 'WorkflowBuilder') {
    const b = bindingOf(n, ctx);
    if (b) facts.workflows.push(withContext(c, { name: b, span: spanOf(n) }));
  }
}

/**
 * The fact for a call: its context `c` (a fresh object from ContextReader.read) with `rest`'s
 * properties after it. Not `{ ...c, ...rest }`: under V8 11 (Node 20) an object made by a spread
 * followed by more properties gets a hidden class of its own, so no two facts of a kind shared one
 * (the 10,000-line bench file's facts had 5,929 classes used by one fact each: with their
 * descriptors, 1.8 MiB of the server's heap) and every rule's read of a fact property was
 * megamorphic. Extending `c` keeps a class per kind and combination of optional properties.
 */
function withContext<T extends object>(c: Context, rest: T): Context & T {
  return Object.assign(c, rest);
}

function idVaries(id: SExpr | undefined, loops: LoopInfo[]): boolean | undefined {
  if (!loops.length) return undefined;
  if (!id) return true; // an automatic id (node_<hex>) is unique per call
  const names = namesIn(id);
  return loops.some((l) => l.targetNames.some((t) => names.has(t)));
}

function readMethodCall(n: Node, ctx: ContextReader, facts: StatementFacts): void {
  const fn = n.childForFieldName('function');
  const recvNode = fn?.childForFieldName('object');
  const method = fn?.childForFieldName('attribute')?.text;
  if (!fn || !recvNode || !method) return;
  const recv = recvNode.text;
  if (method === 'DataFlow' || method === 'WorkflowBuilder') { recordConstructor(method, n, ctx, facts); return; }
  if (method === 'LocalRuntime' || method === 'AsyncLocalRuntime') { recordRuntime(method, n, ctx, facts); return; }
  const span = spanOf(n);
  switch (method) {
    case 'add_node': {
      const c = ctx.read(n);
      const { args, kwargs } = argsOf(n);
      const pos = args.filter((a) => a.k !== 'spread');
      // DataFlow's wrapper: db.add_node(workflow, "User", "Create", "node_id", params)
      const op = strValue(pos[2]);
      if (pos.length >= 3 && strValue(pos[1]) && op && (NODE_OPERATIONS as readonly string[]).includes(op)) {
        facts.nodes.push(withContext(c, {
          span, workflow: dottedName(pos[0]), nodeType: `${strValue(pos[1])}${op}Node`, nodeTypeExpr: pos[1],
          nodeId: pos[3], config: pos[4] ?? kw(kwargs, 'params'), configFromKeywords: false, viaInstance: recv,
          idVariesPerIteration: idVaries(pos[3], c.loops),
        }));
        return;
      }
      const typeE = kw(kwargs, 'node_type') ?? pos[0];
      let idE = kw(kwargs, 'node_id');
      let configE = kw(kwargs, 'config');
      let rest = pos.slice(kwargs.some((k) => k.name === 'node_type') ? 0 : 1);
      if (!idE && rest[0] && rest[0].k !== 'dict') { idE = rest[0]; rest = rest.slice(1); }
      if (!configE && rest[0]) configE = rest[0];
      let fromKeywords = false;
      const extra = keywordsAsDict(kwargs, new Set(['node_type', 'node_id', 'config']));
      if (extra) {
        if (!configE) { configE = extra; fromKeywords = true; }
        else if (configE.k === 'dict') configE = { ...configE, entries: [...configE.entries, ...(extra as { entries: DictEntry[] }).entries] };
      }
      const nodeType = typeE?.k === 'str' ? typeE.v : typeE?.k === 'name' || typeE?.k === 'attr' ? dottedName(typeE)?.split('.').pop() : undefined;
      facts.nodes.push(withContext(c, { span, workflow: recv, nodeType, nodeTypeExpr: typeE, nodeId: idE, config: configE, configFromKeywords: fromKeywords, idVariesPerIteration: idVaries(idE, c.loops) }));
      return;
    }
    case 'add_connection': case 'connect': {
      const c = ctx.read(n);
      const { args, kwargs } = argsOf(n);
      if (method === 'add_connection') {
        facts.connections.push(withContext(c, { span, workflow: recv, method, from: args[0] ?? kw(kwargs, 'from_node'), fromOutput: args[1] ?? kw(kwargs, 'from_output'), to: args[2] ?? kw(kwargs, 'to_node'), toInput: args[3] ?? kw(kwargs, 'to_input') }));
      } else {
        facts.connections.push(withContext(c, { span, workflow: recv, method, from: args[0] ?? kw(kwargs, 'from_node'), to: args[1] ?? kw(kwargs, 'to_node'), mapping: args[2] ?? kw(kwargs, 'mapping'), fromOutput: kw(kwargs, 'from_output'), toInput: kw(kwargs, 'to_input') }));
      }
      return;
    }
    case 'execute': case 'execute_async': case 'execute_workflow_async': case 'execute_workflow': case 'async_execute': {
      const c = ctx.read(n);
      const { args, kwargs } = argsOf(n);
      const wfArg = args[0] ?? kw(kwargs, 'workflow');
      let workflow: string | undefined;
      if (wfArg?.k === 'call' && wfArg.fn.k === 'attr' && wfArg.fn.attr === 'build') workflow = dottedName(wfArg.fn.obj);
      else if (wfArg?.k === 'name') workflow = wfArg.id;
      facts.executes.push(withContext(c, { span, runtime: recv, method, workflowArg: wfArg, workflow, parameters: kw(kwargs, 'parameters') ?? kw(kwargs, 'inputs') ?? (args[0] ? args[1] : undefined), resultName: executeResultName(n, ctx) }));
      return;
    }
    case 'build': {
      const c = ctx.read(n);
      facts.builds.push(withContext(c, { span, workflow: recv, boundTo: bindingOf(n, ctx) }));
      return;
    }
    case 'register_model': {
      const c = ctx.read(n);
      const { args } = argsOf(n);
      const cls = dottedName(args[0]);
      if (cls) facts.registrations.push(withContext(c, { span, instance: recv, className: cls.split('.').pop()! }));
      return;
    }
    default: {
      if (!EXPRESS_OPS.has(method)) return;
      const m = /^(.*)\.(express|express_sync)$/s.exec(recv);
      if (!m) return;
      const c = ctx.read(n);
      const { args, kwargs } = argsOf(n);
      facts.express.push(withContext(c, {
        span, instance: m[1], sync: m[2] === 'express_sync', op: method,
        model: strValue(args[0] ?? kw(kwargs, 'model')), args, kwargs, awaited: ctx.parentOf(n)?.type === 'await',
      }));
    }
  }
}

/** Calls that are never a same-file helper. */
const NOT_HELPERS = new Set([
  'print', 'len', 'range', 'str', 'int', 'float', 'bool', 'dict', 'list', 'set', 'tuple', 'isinstance',
  'enumerate', 'zip', 'map', 'filter', 'sorted', 'reversed', 'min', 'max', 'sum', 'any', 'all', 'open',
  'getattr', 'setattr', 'hasattr', 'repr', 'type', 'super', 'iter', 'next', 'round', 'abs', 'id', 'format',
  'DataFlow', 'WorkflowBuilder', 'LocalRuntime', 'AsyncLocalRuntime',
]);

function readPlainCall(n: Node, ctx: ContextReader, facts: StatementFacts): void {
  const fn = n.childForFieldName('function');
  if (!fn) return;
  const callee = fn.text;
  if (NOT_HELPERS.has(callee) || /^[A-Z]/.test(callee)) return;
  const c = ctx.read(n);
  if (!c.loops.length && c.functionName === undefined) return;
  const { args } = argsOf(n);
  facts.calls.push(withContext(c, { span: spanOf(n), callee, args }));
}
