// Where a rule's documentation page is: docs/rules/<code>.md shipped beside the server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let docsDir: string | null | undefined;

function findDocsDir(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

/** Per rule code: every diagnostic carries its rule's page, and building a file: URL is not free. */
const uris = new Map<string, string>();

/** A file: URI of the rule's page, or a path-like reference when the docs are not installed. */
export function ruleDocsUri(code: string): string {
  let uri = uris.get(code);
  if (uri !== undefined) return uri;
  if (docsDir === undefined) docsDir = findDocsDir();
  uri = docsDir ? pathToFileURL(path.join(docsDir, `${code}.md`)).toString() : `docs/rules/${code}.md`;
  uris.set(code, uri);
  return uri;
}
