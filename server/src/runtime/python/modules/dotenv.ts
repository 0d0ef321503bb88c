/**
 * python-dotenv: load_dotenv() reads the workspace's .env into the evaluator's environment map
 * (never the real process environment), dotenv_values() returns its pairs, find_dotenv() names it.
 * Without a path, the .env is the nearest one from the calling file's folder up to the project root.
 * Values are never logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PyDict, PyValue, SourceLocation } from '../values';
import { str } from '../protocols/text';
import { truthy } from '../protocols/equality';
import { unsupported } from '../runtime';
import { StdlibContext, argOf, fn, kwOf, partialModule } from './kit';

/** Pairs of a .env text in order (a key with no '=' has the value null), interpolating ${VAR} / ${VAR:-default} like python-dotenv. */
export function parseDotenv(text: string, lookup: (name: string) => string | undefined, interpolate = true): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  const seen = new Map<string, string | null>();
  const expand = (v: string) =>
    v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt: string | undefined) => {
      const own = seen.get(name);
      const r = lookup(name) ?? (own === null ? undefined : own);
      return r ?? dflt ?? '';
    });
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    line = line.replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    if (eq < 0) {
      const key = line.trim();
      if (/^[^\s#]+$/.test(key)) {
        out.push([key, null]);
        seen.set(key, null);
      }
      continue;
    }
    const key = line.slice(0, eq).trim().replace(/^['"]|['"]$/g, '');
    let rest = line.slice(eq + 1).trimStart();
    let value: string;
    const q = rest[0];
    if (q === '"' || q === "'") {
      // A quoted value may span lines.
      let body = rest.slice(1);
      let end = findClosing(body, q);
      while (end < 0 && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        end = findClosing(body, q);
      }
      value = end < 0 ? body : body.slice(0, end);
      if (q === '"') {
        value = value.replace(/\\(["\\nrt'])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c as 'n'] ?? c);
        if (interpolate) value = expand(value);
      } else value = value.replace(/\\'/g, "'");
    } else {
      rest = rest.replace(/\s+#.*$/, '').trim();
      value = interpolate ? expand(rest) : rest;
    }
    out.push([key, value]);
    seen.set(key, value);
  }
  return out;
}

function findClosing(s: string, q: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === q) return i;
  }
  return -1;
}

export function dotenvModule(ctx: StdlibContext) {
  const { interp, env } = ctx;
  const callerFile = (loc: SourceLocation | undefined) => loc?.file ?? ctx.fileName;
  /** The .env a call means: the path given (inside the project), else the nearest from the caller's folder up to the project root. */
  const locate = (given: PyValue | undefined, loc: SourceLocation | undefined, what: string): string | undefined => {
    const files = ctx.files;
    if (!files) throw unsupported(`${what} (reading files)`, loc, 'this evaluation has no project folder');
    if (given !== undefined && given !== null) {
      const p = files.resolve(str(interp, given));
      if (!files.canRead(p)) throw unsupported(`${what} of a file outside the project root`, loc);
      return fs.existsSync(p) && fs.statSync(p).isFile() ? p : undefined;
    }
    let dir = path.dirname(files.resolve(callerFile(loc)));
    if (!files.canRead(dir)) dir = files.root;
    for (;;) {
      const p = path.join(dir, '.env');
      if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
      if (dir === files.root) return undefined;
      const up = path.dirname(dir);
      if (up === dir || !files.canRead(up)) return undefined;
      dir = up;
    }
  };
  const pairs = (p: string | undefined, interpolate: boolean) => (p ? parseDotenv(fs.readFileSync(p, 'utf8'), (n) => env[n], interpolate) : []);
  return partialModule('dotenv', {
    load_dotenv: fn('load_dotenv', (a, k, c) => {
      if (kwOf(k, 'stream') !== undefined && kwOf(k, 'stream') !== null) throw unsupported('load_dotenv(stream=...)', c.loc);
      const p = locate(argOf(a, k, 0, 'dotenv_path'), c.loc, 'load_dotenv()');
      const override = truthy(interp, argOf(a, k, 3, 'override') ?? false);
      const interpolate = truthy(interp, argOf(a, k, 4, 'interpolate') ?? true);
      const kv = pairs(p, interpolate);
      let any = false;
      for (const [key, value] of kv) {
        if (value === null) continue;
        any = true;
        if (override || !(key in env)) env[key] = value;
      }
      return any;
    }),
    dotenv_values: fn('dotenv_values', (a, k, c) => {
      if (kwOf(k, 'stream') !== undefined && kwOf(k, 'stream') !== null) throw unsupported('dotenv_values(stream=...)', c.loc);
      const p = locate(argOf(a, k, 0, 'dotenv_path'), c.loc, 'dotenv_values()');
      const d = new PyDict();
      for (const [key, value] of pairs(p, truthy(interp, argOf(a, k, 3, 'interpolate') ?? true))) d.set(key, value);
      return d;
    }),
    find_dotenv: fn('find_dotenv', (a, k, c) => {
      const name = argOf(a, k, 0, 'filename');
      if (name !== undefined && name !== null && str(interp, name) !== '.env') throw unsupported('find_dotenv(filename=...) with another name than .env', c.loc);
      return locate(undefined, c.loc, 'find_dotenv()') ?? '';
    }),
  });
}
