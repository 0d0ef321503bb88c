// UI checks for the self-test, run by code-vscode.mjs with Playwright against the live workbench.
// Named exports are called on request from a test (ui-bridge.cjs); the default export runs once
// after the tests, before the browser closes.

/** Titles of the open editor tabs. */
export async function editorTabs({ page }) {
  return page.locator('.tabs-container .tab .label-name').allInnerTexts();
}

/** Opens the command palette, types text, returns the first matching entry's label, closes it. */
export async function commandPaletteFinds({ page, args }) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`>${args.text}`);
  const row = page.locator('.quick-input-list .monaco-list-row').first();
  await row.waitFor({ state: 'visible', timeout: 15000 });
  const label = (await row.getAttribute('aria-label')) || (await row.innerText());
  await page.keyboard.press('Escape');
  return label.split(',')[0].trim();
}

/** After the tests: the workbench is still up (extension host already stopped). */
export default async function afterTests({ page, exitCode }) {
  const workbench = await page.locator('.monaco-workbench').count();
  if (workbench !== 1) throw new Error('the workbench is not on the page');
  console.log(`[ui-check] workbench present after the tests (exit code ${exitCode})`);
}
