// The extension's version, from package.json. esbuild writes it into every bundle at build time
// (`define`, esbuild.mjs); the unbundled sources (tsc's out/, which the tests load) read the
// package.json above them.
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const DATAFLOW_PERF_VERSION: string | undefined;

export const VERSION: string = typeof DATAFLOW_PERF_VERSION === 'string' ? DATAFLOW_PERF_VERSION : versionOfPackageAbove(__dirname);

function versionOfPackageAbove(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(d) === d) throw new Error(`no package.json above ${dir}`);
  }
}
