// PythonCodeNode's SafeCodeChecker (kailash/nodes/code/python.py) over the tree-sitter tree of the
// code string: imports of modules outside ALLOWED_MODULES, dangerous names imported from os /
// subprocess / builtins, calls of eval/exec/compile/system/popen/__import__ and of `.system` /
// `.popen` methods. Returns the SafetyViolationError message, or undefined when the code is safe.
import type { Node } from 'web-tree-sitter';

/** kailash.nodes.code.common.ALLOWED_MODULES (COMMON_ALLOWED_MODULES | SYNC_SPECIFIC_MODULES). */
export const ALLOWED_MODULES: readonly string[] = [
  'array', 'base64', 'cachetools', 'collections', 'copy', 'csv', 'dataclasses', 'datetime', 'enum', 'functools', 'glob',
  'hashlib', 'hmac', 'io', 'itertools', 'json', 'logging', 'math', 'matplotlib', 'mimetypes', 'msgpack', 'numpy', 'os',
  'pandas', 'pathlib', 'pickle', 'plotly', 'prometheus_client', 'random', 'ratelimit', 're', 'scipy', 'seaborn', 'secrets',
  'sklearn', 'statistics', 'string', 'structlog', 'tempfile', 'tenacity', 'time', 'toml', 'types', 'typing', 'uuid', 'xml', 'yaml',
];

const DANGEROUS_IMPORTS: Record<string, string[]> = {
  os: ['system', 'popen', 'execv', 'execl', 'spawn'],
  subprocess: ['run', 'call', 'check_call', 'Popen'],
  __builtin__: ['eval', 'exec', 'compile', '__import__'],
  builtins: ['eval', 'exec', 'compile', '__import__'],
};
const DANGEROUS_CALLS = ['eval', 'exec', 'compile', 'system', 'popen', '__import__'];

interface Violation {
  type: 'import' | 'import_from' | 'dangerous_import' | 'function_call' | 'method_call';
  module?: string;
  fn?: string;
  line: number;
  message: string;
}

function importedName(n: Node): string | undefined {
  const target = n.type === 'aliased_import' ? n.childForFieldName('name') : n;
  return target?.text.replace(/\s+/g, '');
}

function collect(root: Node): Violation[] {
  const out: Violation[] = [];
  const visit = (n: Node): void => {
    const line = n.startPosition.row + 1;
    if (n.type === 'import_statement') {
      for (const c of n.childrenForFieldName('name')) {
        const full = c ? importedName(c) : undefined;
        if (!full) continue;
        const module = full.split('.')[0];
        if (!ALLOWED_MODULES.includes(module)) out.push({ type: 'import', module, line, message: `Import of module '${module}' is not allowed` });
      }
    } else if (n.type === 'import_from_statement') {
      const m = n.childForFieldName('module_name');
      const dotted = m?.type === 'relative_import' ? m.namedChildren.find((c) => c?.type === 'dotted_name') : m;
      if (dotted) {
        const module = dotted.text.replace(/\s+/g, '').split('.')[0];
        if (!ALLOWED_MODULES.includes(module)) out.push({ type: 'import_from', module, line, message: `Import from module '${module}' is not allowed` });
        else if (DANGEROUS_IMPORTS[module]) {
          for (const c of n.childrenForFieldName('name')) {
            const name = c ? importedName(c) : undefined;
            if (name && DANGEROUS_IMPORTS[module].includes(name)) {
              out.push({ type: 'dangerous_import', module, fn: name, line, message: `Import of dangerous function '${name}' from module '${module}' is not allowed` });
            }
          }
        }
      }
    } else if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type === 'identifier' && DANGEROUS_CALLS.includes(f.text)) {
        out.push({ type: 'function_call', fn: f.text, line, message: `Call to '${f.text}' is not allowed` });
      } else if (f?.type === 'attribute') {
        const attr = f.childForFieldName('attribute')?.text;
        if (attr === 'system' || attr === 'popen') out.push({ type: 'method_call', fn: attr, line, message: `Call to method '${attr}' is not allowed` });
      }
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(root);
  return out;
}

export function codeSafetyViolations(root: Node): string | undefined {
  const violations = collect(root);
  if (!violations.length) return undefined;
  const parts: string[] = [];
  const suggestions: string[] = [];
  const modules = [...ALLOWED_MODULES].sort().join(', ');
  for (const v of violations) {
    parts.push(`Line ${v.line}: ${v.message}`);
    if (v.type === 'import' || v.type === 'import_from') {
      suggestions.push(`Module '${v.module}' is not allowed. Available modules: ${modules}`);
      if (v.module === 'subprocess') suggestions.push("For file operations, use 'os' or 'pathlib' modules instead");
      else if (v.module === 'requests') suggestions.push('For HTTP requests, use HTTPRequestNode instead of importing requests');
      else if (v.module === 'sqlite3' || v.module === 'psycopg2') suggestions.push('For database operations, use SQLDatabaseNode instead');
      else if (v.module === 'boto3') suggestions.push('For AWS operations, create a custom node or use existing cloud nodes');
    } else if (v.type === 'function_call') {
      if (v.fn === 'eval' || v.fn === 'exec') suggestions.push(`'${v.fn}' is dangerous. Write explicit code instead of dynamic execution`);
      else if (v.fn === 'compile') suggestions.push("'compile' is not allowed. Use standard Python code instead");
    }
  }
  let msg = 'Code safety violations found:\n' + parts.join('\n');
  if (suggestions.length) msg += '\n\nSuggestions:\n' + suggestions.map((s) => `- ${s}`).join('\n');
  return msg;
}
