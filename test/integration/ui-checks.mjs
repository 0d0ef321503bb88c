// Playwright checks against the live workbench, requested by the suite through ui-bridge.cjs
// (the extension host cannot see the workbench DOM itself).

/** Opens the Problems panel and returns the text of its DataFlow rows. */
export async function problemsPanel({ page, args }) {
  const codes = (args && args.codes) || [];
  if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } }).catch(() => {});
    await page.keyboard.press('Control+Shift+M');
  }
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 20000 });
  // Expand every file node so the markers are rendered.
  const deadline = Date.now() + 20000;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await rows.allInnerTexts();
    if (texts.some((t) => /DF00\d/.test(t)) && codes.every((c) => texts.some((t) => t.includes(c)))) break;
    await page.waitForTimeout(250);
  }
  return texts.filter((t) => /DF00\d|dataflow/.test(t)).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Puts the cursor on `line` (1-based) / `column` through the workbench's "Go to Line" quick input. */
async function goToLine(page, line, column) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/** Puts the cursor on `line` (1-based) / `column`, opens the quick-fix menu (Ctrl+.) and returns its entries. */
export async function quickFixMenu({ page, args }) {
  await goToLine(page, args.line, args.column);
  const lightbulb = page.locator('.lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb-autofix');
  const bulbVisible = await lightbulb.first().waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false);
  await page.keyboard.press('Control+.');
  const items = page.locator('.action-widget .monaco-list-row, .context-view .action-item');
  await items.first().waitFor({ state: 'visible', timeout: 15000 });
  const labels = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  return { bulbVisible, labels };
}

/** After the tests: the workbench is still on the page. */
export default async function afterTests({ page, exitCode }) {
  if ((await page.locator('.monaco-workbench').count()) !== 1) throw new Error('the workbench is not on the page');
  console.log(`[ui-check] workbench present after the tests (exit code ${exitCode})`);
}

/** The text of the DataFlow report webview (webviews are nested iframes in the workbench page). */
export async function reportWebview({ page }) {
  const deadline = Date.now() + 40000;
  let last = { frames: 0, text: '' };
  while (Date.now() < deadline) {
    const frames = page.frames();
    for (const f of frames) {
      try {
        const text = await f.evaluate(() => (document.body ? document.body.innerText : ''));
        if (/Performance report/.test(text)) return { frames: frames.length, text: text.slice(0, 4000), url: f.url().slice(0, 80) };
        last = { frames: frames.length, text: text.slice(0, 200) };
      } catch { /* frame gone */ }
    }
    await page.waitForTimeout(300);
  }
  return { ...last, notFound: true };
}

/** Waits for a quick pick / input box, reads its items, then dismisses it with Escape. */
export async function dismissQuickInput({ page }) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: 20000 });
  const items = (await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  await page.keyboard.press('Escape');
  return items;
}

/**
 * Puts the cursor on `line` (1-based) / `column`, types `text` as keystrokes, waits for the
 * suggest widget and returns its rows' text; the widget is left open (for a screenshot).
 */
export async function suggestWidget({ page, args }) {
  await goToLine(page, args.line, args.column);
  await page.keyboard.type(args.text, { delay: 50 });
  const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 20000 });
  const deadline = Date.now() + 10000;
  let labels = [];
  while (Date.now() < deadline) {
    labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
    if (labels.some((l) => /Node/.test(l))) break;
    await page.waitForTimeout(200);
  }
  return labels;
}

/** Puts the cursor on `line` (1-based) / `column`, shows the hover (Ctrl+K Ctrl+I) and returns its text; the hover stays open (for a screenshot). */
export async function hoverWidget({ page, args }) {
  await goToLine(page, args.line, args.column);
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)');
  const deadline = Date.now() + 20000;
  let text = '';
  while (Date.now() < deadline) {
    if (!(await hover.first().isVisible().catch(() => false))) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await page.waitForTimeout(500);
    }
    text = (await hover.first().innerText().catch(() => '')).trim();
    if (text) break;
  }
  return text;
}

/** Presses Escape in the workbench (closes a hover or widget a check left open). */
export async function escape({ page }) {
  await page.keyboard.press('Escape');
  return true;
}

/**
 * The active editor as rendered: the text of its visible lines (inlay hints are part of it) and its
 * code lenses' text, once a line holds `hint` and a lens holds `lens` (or after 20 s).
 */
export async function editorView({ page, args }) {
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  const deadline = Date.now() + 20000;
  let lines = '';
  let lenses = [];
  while (Date.now() < deadline) {
    lines = await editor.locator('.view-lines').innerText().catch(() => '');
    lenses = (await editor.locator('.codelens-decoration').allInnerTexts().catch(() => [])).map((t) => t.replace(/\s+/g, ' ').trim());
    if ((!args.hint || lines.includes(args.hint)) && (!args.lens || lenses.some((l) => l.includes(args.lens)))) break;
    await page.waitForTimeout(250);
  }
  return { lines: lines.replace(/\u00a0/g, ' '), lenses };
}

/**
 * Answers the input boxes a command shows, one after the other: for each entry of `answers`, waits
 * for an input box (a new title after the first), reads its title, the value it offers and its
 * validation message, replaces the value when the answer is a string (null keeps the offered one)
 * and presses Enter. Returns what each box showed.
 */
export async function answerInputBoxes({ page, args }) {
  const shown = [];
  const input = page.locator('.quick-input-widget input');
  const title = page.locator('.quick-input-widget .quick-input-title');
  let lastTitle = '';
  for (const answer of args.answers) {
    const deadline = Date.now() + 30000;
    let t = '';
    while (Date.now() < deadline) {
      if (await input.isVisible().catch(() => false)) {
        t = (await title.innerText().catch(() => '')).trim();
        if (t && t !== lastTitle) break;
      }
      await page.waitForTimeout(100);
    }
    if (!t || t === lastTitle) throw new Error(`no input box after "${lastTitle}"`);
    lastTitle = t;
    const value = await input.inputValue();
    if (typeof answer === 'string') await input.fill(answer);
    // The message the box shows for the value about to be accepted (validation runs on the server).
    await page.waitForTimeout(400);
    const message = (await page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')).trim();
    shown.push({ title: t, value, message });
    await page.keyboard.press('Enter');
  }
  return shown;
}

/** The editor title's action buttons of the active editor group (their labels). */
export async function editorTitleActions({ page }) {
  await page.waitForTimeout(500);
  const items = page.locator('.editor-group-container.active .editor-actions .action-label');
  return (await items.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.getAttribute('title') || ''))).filter(Boolean);
}

/**
 * Types a character into the active editor and reports what happened: the first line afterwards and
 * the message the editor showed ("Cannot edit in read-only editor"), with the active tab's title.
 */
export async function typeIntoActiveEditor({ page }) {
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 15000 });
  await editor.locator('.view-lines').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('x');
  await page.waitForTimeout(400);
  const message = (await page.locator('.monaco-editor-overlaymessage').first().innerText().catch(() => '')).trim();
  const firstLine = (await editor.locator('.view-line').first().innerText().catch(() => '')).trim();
  const title = (await page.locator('.editor-group-container.active .tab.active').first().innerText().catch(() => '')).trim();
  return { message, firstLine, title };
}

/** Opens the Problems panel, clicks the code link (e.g. DF002) of the first row that shows it, and returns the link's text. */
export async function clickProblemCodeLink({ page, args }) {
  if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
  }
  // The list is virtualized: filter it down to the code first.
  const filter = page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
  const filtered = await filter.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false);
  if (filtered) { await filter.fill(args.code); await page.waitForTimeout(500); }
  const link = page.locator('.markers-panel .monaco-list-row a.monaco-link, .markers-panel .monaco-list-row a.code-link', { hasText: args.code }).first();
  const found = await link.waitFor({ state: 'visible', timeout: 20000 }).then(() => true, () => false);
  if (!found) {
    const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.slice(0, 6).map((e) => e.outerHTML.slice(0, 1500)));
    throw new Error(`no ${args.code} code link in the Problems panel; rows: ${rows.join('\n')}`);
  }
  const text = (await link.innerText()).trim();
  await link.click();
  if (filtered) await filter.fill('');
  return text;
}


/**
 * Scrolls the DataFlow report webview to the first section of args.ids it has, else to the first
 * table row holding args.rowText (centred); returns the id, or 'row', or null.
 */
export async function scrollReportTo({ page, args }) {
  for (const f of page.frames()) {
    try {
      const found = await f.evaluate(({ ids, rowText }) => {
        if (!document.body || !/Performance report/.test(document.body.innerText)) return undefined;
        for (const id of ids) {
          const el = document.getElementById(id);
          if (el) { el.scrollIntoView({ block: 'start' }); return id; }
        }
        const row = rowText ? [...document.querySelectorAll('tr')].find((r) => r.innerText.includes(rowText)) : undefined;
        if (row) { row.scrollIntoView({ block: 'center' }); return 'row'; }
        return null;
      }, { ids: args.ids ?? [], rowText: args.rowText });
      if (found !== undefined) return found;
    } catch { /* frame gone */ }
  }
  throw new Error('no report webview on the page');
}
