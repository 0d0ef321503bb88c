// Loads tree-sitter (WASM) and the Python grammar once per process.
// The WASM files are looked up beside the running bundle first (dist/, the packaged extension),
// then in node_modules (tests run from out/). Nothing is downloaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, Tree, Node, Query, type TreeCursor } from 'web-tree-sitter';

export type { Tree, Node, Query, TreeCursor };

let ready: Promise<Language> | undefined;
let language: Language | undefined;

function locate(fileName: string, packageSpecifier: string): string {
  const beside = path.join(__dirname, fileName);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(packageSpecifier);
}

/** Initialises tree-sitter and the Python grammar; safe to call many times. */
export function initPython(): Promise<Language> {
  if (!ready) {
    ready = (async () => {
      const runtimeWasm = locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
      await Parser.init({ locateFile: () => runtimeWasm });
      language = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
      return language;
    })();
  }
  return ready;
}

/** The loaded Python language; throws if initPython() has not finished. */
export function pythonLanguage(): Language {
  if (!language) throw new Error('tree-sitter Python grammar is not loaded yet: await initPython() first');
  return language;
}

/** A new parser for Python. */
export function createPythonParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(pythonLanguage());
  return parser;
}

let shared: Parser | undefined;
/** The parser every PythonDocument uses (parsing is synchronous: one at a time; a parser per document held WASM memory for each of thousands of files). */
export function sharedPythonParser(): Parser {
  shared ??= createPythonParser();
  return shared;
}

/**
 * Forgets the shared parser after tree-sitter's WebAssembly trapped inside it ("memory access out
 * of bounds" on ~550 nested blocks, "Aborted()" when its heap cannot grow): that parser's state is
 * lost (parsing with it, or deleting it, traps again), while trees already made and new parsers
 * still work. The next parse gets a new parser; the old one's memory is left behind.
 */
export function discardSharedPythonParser(): void {
  shared = undefined;
}

const queryCache = new Map<string, Query>();
/** A compiled tree-sitter query, cached by its source text. */
export function pythonQuery(source: string): Query {
  let q = queryCache.get(source);
  if (!q) {
    q = new Query(pythonLanguage(), source);
    queryCache.set(source, q);
  }
  return q;
}
