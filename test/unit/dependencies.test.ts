// package.json declares what the code imports, and imports what it declares: every package a
// source, test, bench or build script imports (found by TypeScript's own import scanner, so text
// inside strings is not mistaken for an import) is in package.json (or, for the real-VS-Code
// runner, in test-env/package.json); every package package.json declares is imported, run by a
// script, or resolved for its files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT } from '../helpers/lspClient';

const SCANNED = ['client/src', 'server/src', 'test', 'bench', 'scripts', 'docs', 'esbuild.mjs', 'eslint.config.mjs'];
/** Folders of Python and other fixtures, never imported by Node. */
const SKIPPED = new Set(['fixtures', 'node_modules', 'results']);
/** Provided by VS Code at run time (its types are @types/vscode). */
const HOST_MODULES = new Set(['vscode']);

interface Manifest { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> }
const readManifest = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Manifest;
const declaredIn = (m: Manifest) => new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.devDependencies ?? {})]);

function scriptFiles(): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (fs.statSync(p).isDirectory()) {
      if (SKIPPED.has(path.basename(p))) return;
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(p)) out.push(p);
  };
  for (const r of SCANNED) if (fs.existsSync(path.join(REPO_ROOT, r))) walk(path.join(REPO_ROOT, r));
  return out;
}

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return builtinModules.includes(name) ? undefined : name;
}

/** Package name → files that import or require it. */
function importedPackages(files: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) {
    const info = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    for (const i of info.importedFiles) {
      const name = packageOf(i.fileName);
      if (!name) continue;
      out.set(name, [...(out.get(name) ?? []), path.relative(REPO_ROOT, f)]);
    }
  }
  return out;
}

describe('declared dependencies match what the code imports', () => {
  const files = scriptFiles();
  const imported = importedPackages(files);
  const root = readManifest('package.json');

  it('every imported package is declared (test-env/package.json for the real-VS-Code runner)', () => {
    const declared = declaredIn(root);
    const testEnv = declaredIn(readManifest('test-env/package.json'));
    assert.ok(imported.size > 10 && imported.has('web-tree-sitter'), `the scan found ${imported.size} packages`);
    const undeclared = [...imported]
      .filter(([name, users]) => !HOST_MODULES.has(name) && !declared.has(name) && !(testEnv.has(name) && users.every((u) => u.startsWith(path.join('test', 'integration')))))
      .map(([name, users]) => `${name} (${users.slice(0, 3).join(', ')})`);
    assert.deepEqual(undeclared, []);
  });

  it('every declared package is imported, run by an npm script or a test script, or resolved for its files', () => {
    const scripts = Object.values(root.scripts ?? {}).join('\n');
    const shell: string[] = [];
    for (const d of ['test', 'scripts']) {
      for (const e of fs.readdirSync(path.join(REPO_ROOT, d), { recursive: true, encoding: 'utf8' })) if (e.endsWith('.sh')) shell.push(path.join(REPO_ROOT, d, e));
    }
    const shellText = shell.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const allText = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const binsOf = (name: string): string[] => {
      const pkg = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [REPO_ROOT] }), 'utf8')) as { bin?: string | Record<string, string> };
      return typeof pkg.bin === 'string' ? [name.split('/').pop()!] : Object.keys(pkg.bin ?? {});
    };
    const unused = [...declaredIn(root)].filter((name) => {
      if (imported.has(name)) return false;
      // Type packages count when their package (or Node, mocha, VS Code) is used.
      if (name.startsWith('@types/')) {
        const of = name.slice('@types/'.length);
        return !(imported.has(of) || HOST_MODULES.has(of) || of === 'node' || of === 'mocha');
      }
      if (allText.includes(`require.resolve('${name}`)) return false; // its files are copied (WASM)
      return !binsOf(name).some((bin) => new RegExp(`(^|[\\s/&|;])${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm').test(`${scripts}\n${shellText}`));
    });
    assert.deepEqual(unused, []);
  });
});
