// Shared helpers for the report tests: fixtures, a generated large report, and a small tag scanner
// (our HTML escapes every `<` `>` `"` in values, so a regex over tags is exact for it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PerformanceReport, StatementProfile } from '../../server/src/report/reportTypes';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'reports');
export const FIXTURE_NAMES = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
export const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';

export function loadFixture(name: string): PerformanceReport {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name.endsWith('.json') ? name : `${name}.json`), 'utf8')) as PerformanceReport;
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** The N+1 fixture with `n` statements (one per create node, long SQL every 1,000th). */
export function bigReport(n: number): PerformanceReport {
  const r = loadFixture('loop-and-n-plus-one');
  const template = r.statements[1]!;
  const statements: StatementProfile[] = [];
  for (let i = 0; i < n; i++) {
    const sql = i % 1000 === 99 ? `SELECT ${'"c", '.repeat(12000)}1 FROM "products" WHERE "id" IN (… 5,000 values)` : template.sql;
    statements.push({ ...template, id: i + 1, sql, startMs: i * 0.5, durationMs: 0.2 + (i % 7) * 0.05, nodeId: 'create_0', similarGroup: 1, duplicateGroup: undefined });
  }
  r.statements = statements;
  r.summary.statements = n;
  r.runs[0]!.nodes[1]!.statementIds = statements.map((s) => s.id);
  r.groups.similar = [{ ...r.groups.similar[0]!, count: n, statementIds: statements.map((s) => s.id) }];
  r.groups.duplicate = [];
  return r;
}

export interface Tag { name: string; closing: boolean; attrs: Map<string, string | true>; raw: string }

/** Every start and end tag outside <script>/<style> bodies, with its attributes. Throws on an attribute that is not `name` or `name="…"`. */
export function scanTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>|<!--|<!DOCTYPE html>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    if (m[0] === '<!--') throw new Error(`unexpected comment at ${m.index}`);
    if (!m[2]) continue;
    const attrs = new Map<string, string | true>();
    for (const a of (m[3] ?? '').matchAll(/\s+([^\s=>/]+)(?:="([^"]*)")?/g)) attrs.set(a[1]!.toLowerCase(), a[2] ?? true);
    const tag: Tag = { name: m[2].toLowerCase(), closing: m[1] === '/', attrs, raw: m[0] };
    tags.push(tag);
    if (!tag.closing && (tag.name === 'script' || tag.name === 'style')) {
      const end = html.indexOf(`</${tag.name}>`, re.lastIndex);
      if (end < 0) throw new Error(`unclosed <${tag.name}>`);
      re.lastIndex = end; // skip the body: it is JS/CSS/JSON, not markup
    }
  }
  return tags;
}

/** The text between `<script …id="dfp-data"…>` and its `</script>`. */
export function embeddedJson(html: string): string {
  const start = html.indexOf('id="dfp-data"');
  const open = html.indexOf('>', start) + 1;
  return html.slice(open, html.indexOf('</script>', open));
}

export function count(haystack: string, needle: string | RegExp): number {
  if (typeof needle === 'string') return haystack.split(needle).length - 1;
  return (haystack.match(new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : `${needle.flags}g`)) ?? []).length;
}
