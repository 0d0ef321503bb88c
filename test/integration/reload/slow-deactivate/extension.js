'use strict';
// The reload check's second extension (see package.json): VS Code waits up to 5 s for every
// extension's deactivate() before the extension host exits, so the host outlives DataFlow
// Performance's own deactivate() by this one's 1.5 s, as it does in a window with other extensions.
exports.activate = function activate() {};
exports.deactivate = function deactivate() {
  return new Promise((resolve) => setTimeout(resolve, 1500));
};
