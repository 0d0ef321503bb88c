'use strict';
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('runnerSelftest.hello', (name) => `hello ${name || 'world'} from ${__dirname}`),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
