// The interpreter the Python extension (ms-python.python) has selected for a resource, through its
// exported API: `environments.getActiveEnvironmentPath` + `resolveEnvironment` (current API), else
// the older `settings.getExecutionDetails(resource).execCommand`. Undefined when the extension is
// not installed, fails to activate, or has no interpreter selected: the caller falls back.
import * as vscode from 'vscode';

interface EnvironmentPath { id: string; path: string }
interface PythonExtensionApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath | undefined;
    resolveEnvironment(env: EnvironmentPath | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: { getExecutionDetails(resource?: vscode.Uri): { execCommand?: string[] } };
}

export const PYTHON_EXTENSION_ID = 'ms-python.python';

export async function pythonExtensionInterpreter(resource: vscode.Uri | undefined, log?: (m: string) => void): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    if (!api) return undefined;
    if (api.ready) await api.ready;
    if (api.environments?.getActiveEnvironmentPath) {
      const active = api.environments.getActiveEnvironmentPath(resource);
      if (active) {
        const resolved = await api.environments.resolveEnvironment(active);
        const exe = resolved?.executable?.uri?.fsPath;
        if (exe) return exe;
        if (active.path) return active.path;
      }
    }
    const cmd = api.settings?.getExecutionDetails?.(resource)?.execCommand;
    // execCommand can be a launcher with arguments (`conda run -n env python`): only a lone interpreter is usable here.
    if (cmd && cmd.length === 1 && cmd[0]) return cmd[0];
  } catch (err) {
    log?.(`the Python extension did not give an interpreter: ${(err as Error).message}`);
  }
  return undefined;
}
