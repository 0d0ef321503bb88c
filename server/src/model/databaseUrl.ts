// The database URL written in a file's DataFlow(...) call, when it is static (a literal, a module
// constant or an os.getenv default). Offered as a choice to the user; never used silently.
import { strValue } from './staticExpr';
import type { SourceFile } from './sourceFile';

export function databaseUrlOf(file: SourceFile): string | undefined {
  for (const inst of file.facts.instances) {
    const v = strValue(file.resolver.value(inst.url, inst.span.start, inst.functionName));
    if (v) return v;
  }
  return undefined;
}
