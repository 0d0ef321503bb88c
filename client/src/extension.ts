// The VS Code side: starts the DataFlow language server and registers the commands.
// Everything else (analysis, fixes) lives in the server so other editors get it too.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    synchronize: { configurationSection: 'dataflow' },
    outputChannel: output,
    initializationOptions: { settings: vscode.workspace.getConfiguration('dataflow') },
  };
  return new LanguageClient('dataflow', 'DataFlow Performance', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<{ client: () => LanguageClient | undefined }> {
  output = vscode.window.createOutputChannel('DataFlow Performance');
  context.subscriptions.push(output);
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('dataflow.restartServer', async () => {
      if (client) await client.restart();
    }),
    vscode.commands.registerCommand('dataflow.showLogs', () => output?.show(true)),
    vscode.commands.registerCommand('dataflow.analyzeWorkspace', async () => {
      const result = await client?.sendRequest<{ files: number; findings: number }>('dataflow/analyzeWorkspace');
      if (result) void vscode.window.showInformationMessage(`DataFlow: ${result.findings} finding(s) in ${result.files} Python file(s).`);
      return result;
    }),
    vscode.commands.registerCommand('dataflow.openRuleDocs', async (uri: string) => {
      const target = vscode.Uri.parse(uri);
      if (target.scheme === 'file') await vscode.commands.executeCommand('markdown.showPreview', target);
      else await vscode.env.openExternal(target);
    }),
  );
  await client.start();
  return { client: () => client };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
