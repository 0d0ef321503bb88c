// The import graph of server/src, read from the source with the TypeScript compiler's own
// pre-processor (every `import`, `export ... from`, `import type`, `import()` and `require()`), and
// the rules it must keep: the layers point one way, and there is no import cycle but the known ones
// listed below. A failure lists every offending import as file -> file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_SRC = path.join(REPO_ROOT, 'server', 'src');
const CLIENT_SRC = path.join(REPO_ROOT, 'client', 'src');

/** What the VS Code client may import of server/src: the shared protocol and the report (types and renderer). */
const CLIENT_MAY_IMPORT = ['protocol/', 'report/'];

/** Files as paths relative to server/src with '/' separators; edges are relative imports that resolve to a .ts file. */
interface ImportGraph { files: string[]; imports: Map<string, string[]>; packages: Map<string, string[]> }

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function readImportGraph(root: string): ImportGraph {
  const absolute = listTs(root);
  const known = new Set(absolute);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const resolve = (from: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined; // a package
    const base = path.resolve(path.dirname(from), spec);
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) if (known.has(candidate)) return candidate;
    if (fs.existsSync(base) && !base.endsWith('.ts')) return undefined; // data (JSON, WASM), not code
    throw new Error(`${rel(from)} imports '${spec}', which resolves to no .ts file under ${root}`);
  };
  const imports = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const f of absolute) {
    const info = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    const targets = info.importedFiles.map((i) => resolve(f, i.fileName)).filter((t): t is string => t !== undefined).map(rel);
    imports.set(rel(f), [...new Set(targets)]);
    packages.set(rel(f), info.importedFiles.map((i) => i.fileName).filter((n) => !n.startsWith('.')));
  }
  return { files: absolute.map(rel).sort(), imports, packages };
}

/** The client's imports that land in server/src, as [client file, server file] (relative to client/src and server/src). */
function clientImportsOfServer(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of listTs(CLIENT_SRC)) {
    for (const i of ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true).importedFiles) {
      if (!i.fileName.startsWith('.')) continue;
      const target = path.relative(SERVER_SRC, path.resolve(path.dirname(f), i.fileName));
      if (!target.startsWith('..')) out.push([path.relative(CLIENT_SRC, f).split(path.sep).join('/'), target.split(path.sep).join('/')]);
    }
  }
  return out;
}

/** The folder a file lives in for the cycle rule: runtime/ is split into its sub-folders; a file directly under server/src is its own. */
function roomOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return file;
  if (parts[0] === 'runtime' && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of graph.imports.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const f of graph.files) if (!index.has(f)) visit(f);
  return components;
}

/** One shortest import path around a cycle, to show what closes it. */
function shortestLoop(graph: ImportGraph, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.imports.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const loop: string[] = [];
        for (let x: string | null = v; x !== null; x = previous.get(x) ?? null) loop.unshift(x);
        return [...loop, start];
      }
      if (!previous.has(w)) { previous.set(w, v); queue.push(w); }
    }
  }
  return component;
}

interface LayerRule { from: string[]; never: string[]; why: string }

const startsWithAny = (file: string, prefixes: string[]) => prefixes.some((p) => file === p || (p.endsWith('/') && file.startsWith(p)));

const LAYER_RULES: LayerRule[] = [
  { from: ['runtime/', 'profiler/'], never: ['run/', 'lsp/', 'cli/', 'server.ts'], why: 'the engine and the profiler sit below the run layer (run/) and the front ends (lsp/, cli/)' },
  { from: ['runtime/'], never: ['profiler/', 'report/', 'pythonProfile/'], why: 'the profiler and the report read the engine, never the other way' },
  { from: ['analysis/'], never: ['runtime/', 'run/'], why: 'the analysis never runs Python: it reads the catalogue, not the engine' },
  { from: ['runtime/python/'], never: ['runtime/dataflow/', 'runtime/bindings/', 'runtime/workflow/', 'runtime/kailash/'], why: 'the evaluator is plain Python; DataFlow and Kailash semantics sit above it' },
  { from: ['runtime/shared/'], never: ['runtime/python/', 'runtime/dataflow/', 'runtime/bindings/', 'runtime/workflow/', 'runtime/kailash/', 'runtime/db/'], why: 'the values the evaluator and DataFlow share sit below both' },
];

/** Imports against a layer rule that are known and scheduled to go (issue 14 §1); the test fails when one is gone. */
const KNOWN_LAYER_EXCEPTIONS: { edge: string; why: string }[] = [];

/**
 * The import cycles there are, by the folders each spans. Any other cycle fails the test, inside one
 * folder too (runtime/dataflow/ has none: its executors see NodeServices, the express API an
 * ExpressHost, never the runtime that calls them); so does a listed one that is gone (delete its entry).
 */
const KNOWN_CYCLES: { rooms: string[]; why: string }[] = [
  { rooms: ['analysis', 'fixes', 'rules', 'settings.ts'], why: 'settings.ts builds the default severities from rules/ (RULE_SPECS) while the rules read settings types and analysis/finding' },
  { rooms: ['model'], why: 'the workspace model and model resolution call each other' },
  { rooms: ['runtime/python'], why: 'the evaluator: the interpreter, its generators, match patterns and the sqlite3 / aiosqlite modules call each other' },
  { rooms: ['runtime/libraryFrames'], why: 'the generated frame table and its reader' },
  { rooms: ['runtime/bindings'], why: 'DataFlow and workflow objects as the evaluator sees them refer to each other' },
];

describe('import layers of server/src (the import graph read from the source)', () => {
  let graph: ImportGraph;
  before(() => { graph = readImportGraph(SERVER_SRC); });

  it('reads the graph: every file, and imports of every kind (a known edge of each kind is there)', () => {
    assert.ok(graph.files.length > 100, `only ${graph.files.length} files under ${SERVER_SRC}`);
    const has = (from: string, to: string) => (graph.imports.get(from) ?? []).includes(to);
    assert.ok(has('run/runFile.ts', 'profiler/profiler.ts'), 'run/runFile.ts -> profiler/profiler.ts (a value import) is missing from the graph');
    assert.ok(has('run/runFile.ts', 'report/reportTypes.ts'), 'run/runFile.ts -> report/reportTypes.ts (an `import type`) is missing from the graph');
  });

  it('the client imports the server only through the shared protocol and the report; the protocol imports no vscode', () => {
    const crossings = clientImportsOfServer();
    assert.ok(crossings.some(([, to]) => to.startsWith('protocol')), 'the client imports server/src/protocol');
    const outside = crossings.filter(([, to]) => !CLIENT_MAY_IMPORT.some((p) => to === p.slice(0, -1) || to.startsWith(p))).map(([from, to]) => `client/src/${from} -> server/src/${to}`);
    if (outside.length) assert.fail(`client imports of server/src outside ${CLIENT_MAY_IMPORT.join(', ')}:\n  ${outside.join('\n  ')}`);
    const vscodeInProtocol = [...graph.packages].filter(([f]) => f.startsWith('protocol/')).flatMap(([f, ps]) => ps.filter((p) => /^vscode(-|$)/.test(p)).map((p) => `${f} -> ${p}`));
    if (vscodeInProtocol.length) assert.fail(`the protocol imports vscode packages:\n  ${vscodeInProtocol.join('\n  ')}`);
  });

  it('the layers point one way', () => {
    const violations: string[] = [];
    const excepted = new Set(KNOWN_LAYER_EXCEPTIONS.map((e) => e.edge));
    const seen = new Set<string>();
    for (const rule of LAYER_RULES) {
      for (const [from, targets] of graph.imports) {
        if (!startsWithAny(from, rule.from)) continue;
        for (const to of targets) {
          if (!startsWithAny(to, rule.never)) continue;
          const edge = `${from} -> ${to}`;
          seen.add(edge);
          if (!excepted.has(edge)) violations.push(`${edge}   (${rule.from.join(', ')} never import ${rule.never.join(', ')}: ${rule.why})`);
        }
      }
    }
    if (violations.length) assert.fail(`imports against the layer rules:\n  ${violations.join('\n  ')}`);
    const gone = [...excepted].filter((e) => !seen.has(e));
    if (gone.length) assert.fail(`known exceptions that no longer occur (delete them from KNOWN_LAYER_EXCEPTIONS):\n  ${gone.join('\n  ')}`);
  });

  it('no import cycles but the known ones (none across the layers, none in runtime/dataflow)', () => {
    const cycles = importCycles(graph).map((files) => ({ files, rooms: [...new Set(files.map(roomOf))].sort() }));
    const key = (rooms: string[]) => rooms.join(' + ');
    const known = new Set(KNOWN_CYCLES.map((c) => key(c.rooms)));
    const found = new Set(cycles.map((c) => key(c.rooms)));
    const unknown = cycles.filter((c) => !known.has(key(c.rooms)))
      .map((c) => `${key(c.rooms)} (${c.files.length} files), e.g. ${shortestLoop(graph, c.files).join(' -> ')}`);
    const gone = [...known].filter((k) => !found.has(k));
    if (unknown.length) assert.fail(`import cycles:\n  ${unknown.join('\n  ')}`);
    if (gone.length) assert.fail(`known cycles that no longer exist (delete them from KNOWN_CYCLES):\n  ${gone.join('\n  ')}`);
  });
});
