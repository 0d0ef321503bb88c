// When "Profile with Python" may run, and what it tells the user first. Everything else in the
// extension reads the user's code without running it; this command runs it in a real interpreter.
// So: never in an untrusted workspace, only on an explicit command, and the first time only after
// a modal confirmation that says so. Pure (no `vscode` import), so the rules are unit-tested.

/** globalState key: the user has confirmed once that Profile with Python runs their code. */
export const PYTHON_CONFIRMED_KEY = 'dataflow.python.confirmedRunsUserCode';

/** The confirmation dialog's accept button (the only way past the first-time confirmation). */
export const CONFIRM_BUTTON = 'Run with Python';

export type InterpreterSource = 'python-extension' | 'setting' | 'path';

export interface InterpreterCandidate {
  /** A path or a command on PATH. */
  python: string;
  source: InterpreterSource;
}

const SOURCE_LABEL: Record<InterpreterSource, string> = {
  'python-extension': 'the interpreter selected in the Python extension',
  setting: 'the `dataflow.python.path` setting',
  path: '`python3` on PATH',
};

export function describeSource(s: InterpreterSource): string {
  return SOURCE_LABEL[s];
}

/**
 * The interpreters to try, in order: the Python extension's selected one, else the
 * `dataflow.python.path` setting, else `python3` on PATH. Blank and repeated entries are dropped.
 */
export function interpreterCandidates(found: { extension?: string; setting?: string }): InterpreterCandidate[] {
  const out: InterpreterCandidate[] = [];
  const add = (python: string | undefined, source: InterpreterSource) => {
    const p = python?.trim();
    if (p && !out.some((c) => c.python === p)) out.push({ python: p, source });
  };
  add(found.extension, 'python-extension');
  add(found.setting, 'setting');
  add('python3', 'path');
  return out;
}

/**
 * A `dataflow.python.path` value as a path: `${workspaceFolder}` (the file's workspace folder) and
 * a leading `~` expanded, like the Python extension's own `python.defaultInterpreterPath`.
 */
export function expandInterpreterPath(p: string, workspaceFolder: string | undefined, home: string): string {
  let out = p.trim();
  if (workspaceFolder) out = out.split('${workspaceFolder}').join(workspaceFolder);
  if (out === '~' || out.startsWith('~/')) out = home + out.slice(1);
  return out;
}

export type GateStep =
  | { kind: 'refuse'; message: string }
  | { kind: 'confirm'; message: string; detail: string; button: string }
  | { kind: 'run' };

export interface GateInput {
  /** vscode.workspace.isTrusted, read when the command runs. */
  trusted: boolean;
  /** The first-time confirmation was accepted before (globalState). */
  confirmed: boolean;
  /** The file to run (for the message). */
  file: string;
  /** The interpreter that will be tried first. */
  first: InterpreterCandidate;
  /** What the command does: profile, or compare the engines. */
  action: 'profile' | 'compare';
}

export const UNTRUSTED_MESSAGE = 'DataFlow: Profile with Python runs this workspace\'s code, so it is available only in a trusted workspace. Use "Profile Workflow" (it never runs your code), or trust the workspace first.';

/** The refusal when the workspace is not trusted (checked first, before any prompt or interpreter lookup). */
export function trustGate(trusted: boolean): GateStep | undefined {
  return trusted ? undefined : { kind: 'refuse', message: UNTRUSTED_MESSAGE };
}

/** The next step before the run: refuse (untrusted), ask (first time), or run. */
export function pythonGate(g: GateInput): GateStep {
  const refused = trustGate(g.trusted);
  if (refused) return refused;
  if (g.confirmed) return { kind: 'run' };
  const name = g.file.split(/[\\/]/).pop() || g.file;
  return {
    kind: 'confirm',
    message: `Run ${name} with Python? This executes your project's own Python code.`,
    detail:
      `Profile with Python ${g.action === 'compare' ? 'runs the entry point in both the embedded runtime and ' : 'runs the entry point in '}` +
      `the project's Python interpreter (first tried: ${g.first.python}, ${describeSource(g.first.source)}), ` +
      'with the real DataFlow and a tracer shipped with this extension; its DataFlow(...) connections go to the database chosen for runs. ' +
      'Unlike everything else in this extension, which only reads your code, this executes it: imports, module-level code and the entry point, with your user\'s permissions. ' +
      'You are asked once; it runs only when you start it.',
    button: CONFIRM_BUTTON,
  };
}

/** Keeps only string values (the `dataflow.python.env` setting is user input). */
export function envFromSetting(raw: unknown): Record<string, string> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}
