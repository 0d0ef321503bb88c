// Real-shaped DataFlow modules and the edits a person (or a careless client) makes to them, for
// the incremental-vs-fresh fuzz: models with __dataflow__ indexes, workflows built in loops with
// add_node/add_connection, express calls, sync and async runtimes, docstrings and comments with
// astral characters; line endings "\n", "\r\n" or mixed with lone "\r". Edits: single characters,
// line breaks of every kind, emoji, unterminated strings and brackets, deletes across statements,
// pastes of large blocks, and undoing the latest edit (so the text drifts slowly).

export type Rnd = () => number;

/** One edit as offsets of the text it applies to: `removed` starts at `at`. */
export interface Edit { at: number; removed: string; inserted: string; kind: string }

export type EolStyle = 'lf' | 'crlf' | 'mixed';

const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const int = (rnd: Rnd, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

const MODELS = ['Product', 'Order', 'Customer', 'Invoice', 'BlogPost', 'Payment', 'Tenant', 'Shipment'];
const FIELDS: Array<[string, string]> = [
  ['name', 'str'], ['status', 'str'], ['region', 'str'], ['email', 'str'], ['total', 'float = 0.0'],
  ['price', 'int = 0'], ['active', 'bool = True'], ['category', 'str'], ['created_at', 'datetime'],
  ['amount', 'Decimal'], ['tags', 'List[str] = []'], ['meta', 'Dict[str, Any] = {}'], ['note', 'Optional[str] = None'],
  ['customer_id', 'int'], ['quantity', 'int = 1'],
];
/** Astral and other non-ASCII text for strings and comments (UTF-16 surrogate pairs). */
export const ASTRAL = ['\u{1F680}', '\u{1F600}', '\u{1D518}', '\u{10348}', '\u{1F9EA}\u{1F4E6}', 'ünïcödé', '\u{1F1E9}\u{1F1EA}', '\u{20BB7}'];

function modelBlock(rnd: Rnd, name: string): string[] {
  const fields = [...FIELDS].sort(() => rnd() - 0.5).slice(0, int(rnd, 2, 6));
  const lines = ['@db.model', `class ${name}:`];
  if (rnd() < 0.4) lines.push(`    """A ${name.toLowerCase()} ${pick(rnd, ASTRAL)}."""`);
  for (const [f, t] of fields) lines.push(`    ${f}: ${t}`);
  const idx = fields.slice(0, int(rnd, 0, 2)).map(([f]) => `{"name": "idx_${name.toLowerCase()}_${f}", "fields": ["${f}"]}`);
  const opts: string[] = [];
  if (idx.length) opts.push(`"indexes": [${idx.join(', ')}]`);
  if (rnd() < 0.3) opts.push('"soft_delete": True');
  if (opts.length) lines.push(`    __dataflow__ = {${opts.join(', ')}}`);
  if (rnd() < 0.15) lines.push(`    __indexes__ = [{"name": "idx_legacy_${name.toLowerCase()}", "fields": ["${fields[0][0]}"]}]`);
  return lines;
}

function fieldOf(rnd: Rnd): string { return pick(rnd, FIELDS)[0]; }

/** One top-level function (or class) using the models, in one of several real shapes. */
export function functionBlock(rnd: Rnd, models: readonly string[], n: number): string[] {
  const m = pick(rnd, models);
  const lm = m.toLowerCase();
  const shape = int(rnd, 0, 7);
  const comment = rnd() < 0.3 ? [`    # ${pick(rnd, ['N+1', 'TODO', 'batch me', 'hot path'])} ${pick(rnd, ASTRAL)}`] : [];
  switch (shape) {
    case 0: return [
      `def import_${lm}_${n}(rows):`,
      `    """Imports ${m} rows (${pick(rnd, ASTRAL)})."""`,
      '    workflow = WorkflowBuilder()',
      ...comment,
      '    for i, row in enumerate(rows):',
      `        workflow.add_node("${m}CreateNode", f"create_{i}", {"${fieldOf(rnd)}": row["${fieldOf(rnd)}"], "${fieldOf(rnd)}": "new"})`,
      ...(rnd() < 0.5 ? ['        if i:', '            workflow.add_connection(f"create_{i - 1}", "id", f"create_{i}", "parent_id")'] : []),
      '    runtime = LocalRuntime()',
      '    results, run_id = runtime.execute(workflow.build())',
      '    return results',
    ];
    case 1: return [
      `def list_${lm}_${n}(value):`,
      '    workflow = WorkflowBuilder()',
      `    workflow.add_node("${m}ListNode", "list", {"filter": {"${fieldOf(rnd)}": value}, "order_by": ["-${fieldOf(rnd)}"], "limit": ${int(rnd, 1, 100)}})`,
      `    workflow.add_node("${m}ReadNode", "read", {"id": 1})`,
      '    workflow.add_connection("list", "data", "read", "id")',
      ...comment,
      '    with LocalRuntime() as runtime:',
      '        results, run_id = runtime.execute(workflow.build())',
      '    return results["list"]',
    ];
    case 2: return [
      `async def refresh_${lm}_${n}(ids):`,
      '    out = []',
      '    for x in ids:',
      `        out.append(await db.express.read("${m}", x))  # N+1 ${pick(rnd, ASTRAL)}`,
      `        await db.express.update("${m}", x, {"${fieldOf(rnd)}": "seen"})`,
      `    rows = await db.express.list("${m}", filter={"${fieldOf(rnd)}": "open"}, limit=${int(rnd, 1, 50)})`,
      '    return out, rows',
    ];
    case 3: return [
      `async def run_${lm}_${n}(records):`,
      '    workflow = WorkflowBuilder()',
      `    workflow.add_node("${m}BulkCreateNode", "bulk", {"data": records, "batch_size": ${int(rnd, 10, 1000)}})`,
      `    workflow.add_node("${m}CountNode", "count", {"filter": {"${fieldOf(rnd)}": {"$gte": 1}}})`,
      '    runtime = AsyncLocalRuntime()',
      '    results, run_id = await runtime.execute_workflow_async(workflow.build(), inputs={})',
      '    return results',
    ];
    case 4: return [
      `class ${m}Service${n}:`,
      `    """Service for ${m} ${pick(rnd, ASTRAL)}."""`,
      '    def __init__(self, db):',
      '        self.db = db',
      '        self.runtime = LocalRuntime()',
      '',
      '    def delete_many(self, ids):',
      '        workflow = WorkflowBuilder()',
      '        for k in ids:',
      `            workflow.add_node("${m}DeleteNode", f"del_{k}", {"id": k})`,
      '        return self.runtime.execute(workflow.build())',
    ];
    case 5: return [
      `def upsert_${lm}_${n}(items):`,
      '    for item in items:',
      '        workflow = WorkflowBuilder()',
      `        workflow.add_node("${m}UpsertNode", "up", {"where": {"id": item["id"]}, "update": {"${fieldOf(rnd)}": item.get("v")}, "create": item})`,
      '        runtime = LocalRuntime()',
      '        runtime.execute(workflow.build())',
      `    return "${pick(rnd, ASTRAL)} done"`,
    ];
    case 6: return [
      `STEPS_${n} = [`,
      `    ("${m}CreateNode", "a", {"${fieldOf(rnd)}": "x"}),`,
      `    ("${m}ListNode", "b", {"filter": {"${fieldOf(rnd)}": "y"}}),`,
      ']',
      `def build_${n}():`,
      '    workflow = WorkflowBuilder()',
      `    for node_type, node_id, params in STEPS_${n}:`,
      '        workflow.add_node(node_type, node_id, params)',
      '    return workflow',
    ];
    default: return [
      `async def main_${n}():`,
      `    await db.express.create("${m}", {"${fieldOf(rnd)}": "${pick(rnd, ASTRAL)}"})`,
      `    found = await db.express.find_one("${m}", {"${fieldOf(rnd)}": "x"})`,
      `    await db.express.bulk_create("${m}", [{"${fieldOf(rnd)}": i} for i in range(10)])`,
      '    return found',
    ];
  }
}

/** A whole module, its lines ended with `eol` ("mixed": "\n", "\r\n" and lone "\r"). */
/** `functions`: how many top-level functions and classes (default 4-10). */
export function generateModule(rnd: Rnd, eol: EolStyle = pick(rnd, ['lf', 'crlf', 'mixed'] as const), functions?: number): string {
  const models = [...MODELS].sort(() => rnd() - 0.5).slice(0, int(rnd, 1, 3));
  const lines: string[] = [
    `"""${pick(rnd, ['Orders', 'Shop', 'Billing'])} service ${pick(rnd, ASTRAL)}."""`,
    'import asyncio',
    'import os',
    'from datetime import datetime',
    'from decimal import Decimal',
    'from typing import Any, Dict, List, Optional',
    'from dataflow import DataFlow',
    'from kailash.workflow.builder import WorkflowBuilder',
    'from kailash.runtime.local import LocalRuntime',
    'from kailash.runtime import AsyncLocalRuntime',
    '',
    `db = DataFlow(os.getenv("DATABASE_URL", "postgresql://app@localhost:5432/shop"), pool_size=${int(rnd, 2, 30)}${rnd() < 0.5 ? `, pool_max_overflow=${int(rnd, 0, 20)}` : ''})`,
    '',
  ];
  for (const m of models) lines.push('', ...modelBlock(rnd, m), '');
  const count = functions ?? int(rnd, 4, 10);
  for (let n = 0; n < count; n++) lines.push('', ...functionBlock(rnd, models, n), '');
  if (rnd() < 0.5) lines.push('', 'if __name__ == "__main__":', `    asyncio.run(main_${count}())`);
  return joinLines(rnd, lines, eol) ;
}

export function joinLines(rnd: Rnd, lines: readonly string[], eol: EolStyle): string {
  let out = '';
  for (const l of lines) out += l + (eol === 'lf' ? '\n' : eol === 'crlf' ? '\r\n' : pick(rnd, ['\n', '\n', '\r\n', '\r']));
  return out;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz_0123456789        \n\n\n()[]{}"\'::,,..=#\t';

const isLow = (text: string, i: number) => { const c = text.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };
/** Moves an offset off the middle of a surrogate pair or of a "\r\n" (no client can address those). */
export function snap(text: string, at: number): number {
  at = Math.max(0, Math.min(at, text.length));
  if (at > 0 && at < text.length && (isLow(text, at) || (text[at - 1] === '\r' && text[at] === '\n'))) at--;
  return at;
}

function lineBounds(text: string, at: number): { start: number; end: number } {
  let start = at;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = at;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start, end };
}

function eolOf(text: string): string {
  const m = /\r\n?|\n/.exec(text);
  return m ? m[0] : '\n';
}

function range(text: string, at: number, end: number, inserted: string, kind: string): Edit {
  at = snap(text, at);
  end = Math.max(at, snap(text, end));
  return { at, removed: text.slice(at, end), inserted, kind };
}

/** One random edit of `text`. */
export function randomEdit(text: string, rnd: Rnd): Edit {
  const r = rnd();
  const at = snap(text, Math.floor(rnd() * (text.length + 1)));
  if (text.length === 0 || r < 0.3) return range(text, at, at, ALPHABET[Math.floor(rnd() * ALPHABET.length)], 'char');
  if (r < 0.48) {
    const e = range(text, at, at + 1, '', 'delete');
    // a whole surrogate pair or "\r\n" at once
    if (e.removed.length === 1 && e.at + 1 < text.length && (isLow(text, e.at + 1) || (e.removed === '\r' && text[e.at + 1] === '\n'))) return { ...e, removed: text.slice(e.at, e.at + 2) };
    return e;
  }
  if (r < 0.54) return range(text, at, at, pick(rnd, ['\r\n', '\r', '\n', '\r\n    ', '\r    ']), 'eol');
  if (r < 0.58) {
    // change one line break's kind
    const m = /\r\n?|\n/g;
    m.lastIndex = at;
    const hit = m.exec(text);
    if (hit) return { at: hit.index, removed: hit[0], inserted: pick(rnd, ['\n', '\r\n', '\r'].filter((x) => x !== hit[0])), kind: 'eol-kind' };
    return range(text, at, at, '\r', 'eol');
  }
  if (r < 0.64) {
    // astral characters in a string or comment when one is near, else anywhere
    const q = text.slice(at, at + 200).search(/["#]/);
    return range(text, q >= 0 ? at + q + 1 : at, q >= 0 ? at + q + 1 : at, pick(rnd, ASTRAL), 'astral');
  }
  if (r < 0.71) return range(text, at, at, pick(rnd, ['"unterminated', "'", '"""', 'f"{x', '(', '[', '{', 'workflow.add_node("', '{"filter": {']), 'unterminated');
  if (r < 0.76) {
    // from inside one statement to inside another a few lines below
    let end = at;
    for (let k = int(rnd, 1, 6); k > 0 && end < text.length; k--) end = lineBounds(text, end).end + 1;
    end = Math.min(text.length, end + int(rnd, 0, 30));
    return range(text, at, end, '', 'delete-across');
  }
  if (r < 0.80) {
    const { start } = lineBounds(text, at);
    const block = functionBlock(rnd, ['Product', 'Order', 'Customer'], int(rnd, 100, 999));
    const eol = eolOf(text);
    return range(text, start, start, block.join(eol) + eol + eol, 'paste');
  }
  if (r < 0.86) return range(text, at, at + int(rnd, 2, 20), '', 'delete-word');
  if (r < 0.92) return range(text, at, at + int(rnd, 1, 8), pick(rnd, ['id', 'status', 'ProductListNode', 'await ', 'for x in y:', 'db.express.read("Order", 1)', '# ' + pick(rnd, ASTRAL)]), 'replace');
  // swap the indentation of a line
  const { start } = lineBounds(text, at);
  const ws = /^[ \t]*/.exec(text.slice(start, start + 40))![0];
  return { at: start, removed: ws, inserted: pick(rnd, ['', '    ', '        ', '\t', '  ']), kind: 'indent' };
}

/** Whether an LSP range can say where the edit is (no end inside a "\r\n" or a surrogate pair). */
export function addressable(text: string, e: Edit): boolean {
  const end = e.at + e.removed.length;
  return snap(text, e.at) === e.at && snap(text, end) === end;
}

export function applyEdit(text: string, e: Edit): string {
  if (text.slice(e.at, e.at + e.removed.length) !== e.removed) throw new Error(`edit does not apply: ${JSON.stringify(e)}`);
  return text.slice(0, e.at) + e.inserted + text.slice(e.at + e.removed.length);
}

/** The edit that takes the text after `e` back to the text before it. */
export function inverse(e: Edit): Edit { return { at: e.at, removed: e.inserted, inserted: e.removed, kind: 'undo' }; }

/**
 * `count` edits of `initial`: about a third undo the latest outstanding edit (typing and
 * correcting), so the text drifts slowly and keeps most of its findings.
 */
export function editScript(rnd: Rnd, initial: string, count: number): Edit[] {
  const out: Edit[] = [];
  const outstanding: Edit[] = [];
  let text = initial;
  while (out.length < count) {
    let e: Edit;
    if (outstanding.length && rnd() < 0.33) {
      e = inverse(outstanding.pop()!);
      // Undoing "\r\n" -> "\r" before a "\n" would remove half of a "\r\n": no client can say that.
      if (!addressable(text, e)) { outstanding.length = 0; continue; }
    } else {
      e = randomEdit(text, rnd);
      // Never more than 60 KB (or twice the start): a run of pastes would make each fresh analysis slow for nothing.
      if (text.length + e.inserted.length - e.removed.length > Math.max(60000, 2 * initial.length) && e.inserted.length > e.removed.length) continue;
      outstanding.push(e);
    }
    text = applyEdit(text, e);
    out.push(e);
  }
  return out;
}
