#!/usr/bin/env node
// Generates realistic Kailash DataFlow Python for benchmarks: models with typed fields and
// __dataflow__ indexes, DataFlow(...) with pool settings, functions that build workflows (nodes
// added in loops, List filters and sorts, connections, runtime.execute), db.express calls and
// plain Python helpers — deterministic for a given seed.
//
//   node bench/generate.mjs file --lines 2000 [--seed 1] [--out file.py]     one self-contained module
//   node bench/generate.mjs project --files 200 [--seed 1] --out DIR          models.py + workflow modules
//
// As a module: generateFile({ lines, seed }), generateProject({ files, seed }) -> { 'rel/path.py': text }.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITIES = ['Customer', 'Order', 'Invoice', 'Product', 'Shipment', 'Payment', 'Supplier', 'Warehouse', 'Ticket', 'Subscription',
  'Account', 'Employee', 'Review', 'Coupon', 'Refund', 'Address', 'Cart', 'Category', 'Event', 'Session'];
const FIELD_POOL = [
  ['name', 'str'], ['email', 'str'], ['status', 'str'], ['region', 'str'], ['country', 'str'], ['currency', 'str'],
  ['total', 'float'], ['amount', 'float'], ['price', 'float'], ['quantity', 'int'], ['priority', 'int'], ['score', 'int'],
  ['active', 'bool'], ['verified', 'bool'], ['created', 'datetime'], ['due_date', 'date'], ['notes', 'Optional[str]'],
  ['metadata', 'dict'], ['tags', 'List[str]'], ['owner_id', 'int'], ['external_ref', 'Optional[str]'], ['category', 'str'],
];
const DEFAULTS = { str: '""', float: '0.0', int: '0', bool: 'False', 'Optional[str]': 'None', dict: '{}', 'List[str]': '[]' };

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** A model: name, fields [[name, type]], indexed field names. */
export function makeModel(rnd, name) {
  const n = 4 + Math.floor(rnd() * 5);
  const fields = [];
  const used = new Set();
  while (fields.length < n) {
    const f = pick(rnd, FIELD_POOL);
    if (!used.has(f[0])) { used.add(f[0]); fields.push(f); }
  }
  const scalar = fields.filter(([, t]) => !['dict', 'List[str]'].includes(t)).map(([f]) => f);
  const indexed = scalar.filter(() => rnd() < 0.35).slice(0, 2);
  return { name, fields, indexed, unique: scalar.includes('email') ? 'email' : undefined, softDelete: rnd() < 0.3 };
}

export function modelSource(m, instance = 'db') {
  const noun = snake(m.name).replace(/_/g, ' ');
  const lines = [`@${instance}.model`, `class ${m.name}:`, `    """${/^[aeiou]/.test(noun) ? 'An' : 'A'} ${noun} record."""`];
  for (const [f, t] of m.fields) {
    const withDefault = DEFAULTS[t] !== undefined && Math.abs(hash(m.name + f)) % 3 === 0;
    lines.push(`    ${f}: ${t}${withDefault ? ` = ${DEFAULTS[t]}` : ''}`);
  }
  const idx = m.indexed.map((f) => `{"name": "idx_${snake(m.name)}_${f}", "fields": ["${f}"]}`);
  if (m.unique) idx.push(`{"name": "uq_${snake(m.name)}_email", "fields": ["email"], "unique": True}`);
  const cfg = [];
  if (idx.length) cfg.push(`"indexes": [${idx.join(', ')}]`);
  if (m.softDelete) cfg.push('"soft_delete": True');
  if (cfg.length) lines.push(`    __dataflow__ = {${cfg.join(', ')}}`);
  return lines.join('\n') + '\n';
}

function hash(s) { let h = 0; for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0; return h; }

const field = (m, rnd, types) => {
  const fs = m.fields.filter(([, t]) => !types || types.includes(t));
  return (fs.length ? pick(rnd, fs) : m.fields[0])[0];
};

/** One function (a realistic unit of workflow code). Returns its source. */
export function makeFunction(rnd, models, k) {
  const m = pick(rnd, models);
  const s = snake(m.name);
  const f1 = field(m, rnd, ['str', 'int', 'bool']);
  const f2 = field(m, rnd, ['str', 'float', 'int', 'datetime']);
  const kind = Math.floor(rnd() * 12);
  const fn = `${['import', 'sync', 'load', 'report', 'refresh', 'archive', 'enrich', 'audit'][kind % 8]}_${s}_${k}`;
  switch (kind) {
    case 0: return `
def ${fn}(rows):
    """Imports ${s} rows one node per row (DF001)."""
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("${m.name}CreateNode", f"create_{i}", {"${f1}": row["${f1}"], "${f2}": row.get("${f2}")})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results
`;
    case 1: return `
def ${fn}(rows):
    """Imports ${s} rows with one bulk node."""
    workflow = WorkflowBuilder()
    workflow.add_node("${m.name}BulkCreateNode", "bulk_create", {"data": rows, "batch_size": 1000})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results["bulk_create"]
`;
    case 2: return `
def ${fn}(ids):
    """Reads ${s} records one by one (DF002)."""
    workflow = WorkflowBuilder()
    for record_id in ids:
        workflow.add_node("${m.name}ReadNode", f"read_{record_id}", {"id": record_id})
    results, run_id = LocalRuntime().execute(workflow.build())
    return [results[f"read_{record_id}"] for record_id in ids]
`;
    case 3: return `
def ${fn}(${f1}, limit=100):
    """Lists ${s} records filtered on ${f1}, sorted by ${f2}."""
    workflow = WorkflowBuilder()
    workflow.add_node("${m.name}ListNode", "list", {
        "filter": {"${f1}": ${f1}},
        "order_by": ["-${f2}"],
        "limit": limit,
    })
    workflow.add_node("PythonCodeNode", "summarise", {"code": "result = {'count': len(records)}"})
    workflow.add_connection("list", "records", "summarise", "records")
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results["summarise"]["result"]
`;
    case 4: return `
def ${fn}(changes):
    """Updates ${s} records in a loop (DF001)."""
    workflow = WorkflowBuilder()
    for change in changes:
        workflow.add_node("${m.name}UpdateNode", f"update_{change['id']}", {
            "filter": {"id": change["id"]},
            "fields": {"${f1}": change["${f1}"]},
        })
    return LocalRuntime().execute(workflow.build())
`;
    case 5: return `
async def ${fn}(ids):
    """Express API: one read per id (DF002), then a filtered list."""
    found = []
    for record_id in ids:
        found.append(await db.express.read("${m.name}", record_id))
    recent = await db.express.list("${m.name}", {"${f1}": found[0]["${f1}"] if found else None}, limit=50)
    return found, recent
`;
    case 6: return `
def ${fn}(threshold):
    """Counts and bulk-updates ${s} records over a threshold."""
    workflow = WorkflowBuilder()
    workflow.add_node("${m.name}CountNode", "count", {"filter": {"${f2}": {"$gte": threshold}}})
    workflow.add_node("${m.name}BulkUpdateNode", "flag", {
        "filter": {"${f2}": {"$gte": threshold}},
        "fields": {"${f1}": ${m.fields.some(([f, t]) => f === f1 && t === 'bool') ? 'True' : '"flagged"'}},
    })
    workflow.add_connection("count", "count", "flag", "expected")
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results["count"]["count"], results["flag"]
`;
    case 7: return `
def ${fn}(items):
    """Upserts ${s} records keyed on ${f1} (DF001 for the loop)."""
    workflow = WorkflowBuilder()
    for n, item in enumerate(items):
        workflow.add_node("${m.name}UpsertNode", f"upsert_{n}", {
            "where": {"${f1}": item["${f1}"]},
            "create": {"${f1}": item["${f1}"], "${f2}": item["${f2}"]},
            "update": {"${f2}": item["${f2}"]},
        })
    return LocalRuntime().execute(workflow.build())
`;
    case 8: return `
def _format_${s}_${k}(record, width=40):
    """Plain Python: no DataFlow here."""
    parts = [f"{key}={value!r}" for key, value in sorted(record.items()) if value is not None]
    text = ", ".join(parts)
    if len(text) > width:
        text = text[: width - 3] + "..."
    return {"id": record.get("id"), "summary": text, "size": len(parts)}
`;
    case 9: return `
class ${m.name}Service${k}:
    """A service object that keeps its own workflow."""

    def __init__(self, runtime=None):
        self.runtime = runtime or LocalRuntime()

    def delete_many(self, ids):
        workflow = WorkflowBuilder()
        workflow.add_node("${m.name}BulkDeleteNode", "delete", {"filter": {"id": {"$in": list(ids)}}})
        results, run_id = self.runtime.execute(workflow.build())
        return results["delete"]
`;
    case 10: return `
def ${fn}(since):
    """Lists ${s} records changed since a date, newest first."""
    workflow = WorkflowBuilder()
    workflow.add_node("${m.name}ListNode", "changed", {"filter": {"${f2}": {"$gte": since}}, "order_by": [{"${f2}": -1}], "limit": 500})
    results, run_id = LocalRuntime().execute(workflow.build())
    rows = results["changed"]["records"]
    return {row["id"]: row for row in rows}
`;
    default: return `
async def ${fn}(payloads):
    """Express writes in a loop (DF001), then one bulk call."""
    for payload in payloads:
        await db.express.create("${m.name}", {"${f1}": payload["${f1}"]})
    await db.express.bulk_update("${m.name}", [{"id": p["id"], "${f1}": p["${f1}"]} for p in payloads if "id" in p])
    return len(payloads)
`;
  }
}

const HEADER = `from datetime import date, datetime
from typing import List, Optional

from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
`;

function dataflowLine(rnd) {
  const size = pick(rnd, [5, 10, 20, 50]);
  const overflow = pick(rnd, [0, 10, 30]);
  return `db = DataFlow(os.getenv("DATABASE_URL", "postgresql://app:secret@localhost:5432/app"), pool_size=${size}, pool_max_overflow=${overflow}, echo=False)\n`;
}

const countLines = (s) => s.split('\n').length - 1;

/** Pads or trims a list of blocks to exactly `lines` lines (blocks are never cut). */
function fit(blocks, lines) {
  let text = '';
  for (const b of blocks) {
    if (countLines(text) + countLines(b) > lines) break;
    text += b;
  }
  let n = countLines(text);
  let k = 0;
  while (n < lines) { text += n % 7 === 0 ? '\n' : `# padding ${k++}: keeps the requested line count exact\n`; n++; }
  return text;
}

/** A self-contained module (models, DataFlow instance, functions) of exactly `lines` lines. */
export function generateFile({ lines = 2000, seed = 1 } = {}) {
  return generateModule(lines, seed, false);
}

/**
 * The same module with its functions as the static methods of one class (as DataFlow's own
 * core/engine.py is one 12,280-line class): the models and the DataFlow instance stay at module
 * level, and the whole rest of the file is one top-level statement. Exactly `lines` lines.
 */
export function generateClassFile({ lines = 2000, seed = 1 } = {}) {
  return generateModule(lines, seed, true);
}

function generateModule(lines, seed, oneClass) {
  const rnd = prng(seed);
  const modelCount = Math.max(3, Math.min(ENTITIES.length, Math.round(lines / 400)));
  const models = ENTITIES.slice(0, modelCount).map((n) => makeModel(rnd, n));
  const title = oneClass ? 'Generated DataFlow module, one service class' : 'Generated DataFlow module';
  const blocks = [`"""${title} (seed ${seed}, ${lines} lines)."""\nimport os\n${HEADER}\n`, dataflowLine(rnd), '\n'];
  for (const m of models) blocks.push('\n' + modelSource(m) + '\n');
  if (oneClass) blocks.push('\nclass Service:\n    """Every workflow of the module."""\n');
  const method = (fn) => fn.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n').replace(/^( {4})(async def |def )/m, '$1@staticmethod\n$1$2');
  for (let k = 0; countLines(blocks.join('')) < lines + 40; k++) {
    const fn = makeFunction(rnd, models, k);
    blocks.push(oneClass ? method(fn) : fn);
  }
  return fit(blocks, lines);
}

/** models.py + workflows/__init__.py + (files - 2) workflow modules importing the models. */
export function generateProject({ files = 200, seed = 1 } = {}) {
  const rnd = prng(seed);
  const models = ENTITIES.map((n) => makeModel(rnd, n));
  const out = {};
  out['models.py'] = `"""The project's DataFlow models."""\nimport os\n${HEADER}\n${dataflowLine(rnd)}\n` + models.map((m) => '\n' + modelSource(m)).join('\n');
  out['workflows/__init__.py'] = '"""Workflow modules."""\n';
  for (let i = 0; i < files - 2; i++) {
    const used = [...new Set(Array.from({ length: 3 }, () => pick(rnd, models)))];
    const count = 4 + Math.floor(rnd() * 12);
    let text = `"""Workflows for ${used.map((m) => m.name).join(', ')} (module ${i})."""\n`;
    text += `from kailash.workflow.builder import WorkflowBuilder\nfrom kailash.runtime.local import LocalRuntime\n\nfrom models import db, ${used.map((m) => m.name).join(', ')}\n`;
    for (let k = 0; k < count; k++) text += makeFunction(rnd, used, k);
    out[`workflows/${['billing', 'catalog', 'crm', 'ops', 'reports'][i % 5]}/mod_${String(i).padStart(3, '0')}.py`] = text;
  }
  return out;
}

export function writeProject(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...rest] = process.argv.slice(2);
  const opt = (name, def) => { const i = rest.indexOf(`--${name}`); return i >= 0 ? rest[i + 1] : def; };
  const seed = Number(opt('seed', '1'));
  if (cmd === 'file') {
    const text = generateFile({ lines: Number(opt('lines', '2000')), seed });
    const out = opt('out');
    if (out) fs.writeFileSync(out, text); else process.stdout.write(text);
  } else if (cmd === 'project') {
    const out = opt('out');
    if (!out) { console.error('project needs --out DIR'); process.exit(2); }
    const files = generateProject({ files: Number(opt('files', '200')), seed });
    writeProject(out, files);
    console.log(`wrote ${Object.keys(files).length} files to ${out}`);
  } else {
    console.error('usage: node bench/generate.mjs file --lines N [--seed S] [--out F] | project --files N [--seed S] --out DIR');
    process.exit(2);
  }
}
