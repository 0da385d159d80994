// A notebook's session taken over by hand, end to end: the real `modus
// serve`, headless Chromium, a real bash. The first `:session s` block
// runs (it changes directory); "Open session s in terminal" opens a tab on
// that very shell; what the user types there (a variable, a cd) is what
// the next block finds. While the tab holds the session, the block waits
// and says so on its fence line; "Hand back to notebook" lets it run.
// Closing the tab hands back too.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, run, startServe, waitForBuffer, waitForInspect, type ModusServer } from '../helpers/browser.js';
import type { NotebookInfo, PaneInfo } from '../../renderer/src/test-hook-types.js';
import { tempDir } from '../helpers/temp-dir.js';

let server: ModusServer;
let browser: Browser;

before(async () => {
  server = await startServe();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function waitNotebook(p: Page, path: string, ok: (n: NotebookInfo) => boolean, what: string, timeoutMs = 20_000): Promise<NotebookInfo> {
  return waitForInspect(p, 'notebooks', (all) => all.some((n) => n.path === path && ok(n)), what, timeoutMs).then((all) => all.find((n) => n.path === path)!);
}

/** The held pane of the active tab, once `ok` holds for it. */
function waitHeld(p: Page, ok: (h: NonNullable<PaneInfo['held']>) => boolean, what: string): Promise<NonNullable<PaneInfo['held']>> {
  return waitForInspect(p, 'panes', (ps) => ps[0]?.held != null && ok(ps[0].held), what, 20_000).then((ps) => ps[0]!.held!);
}

async function lens(p: Page, n: number, text: RegExp, reveal: string): Promise<void> {
  // Reveal the block with the editor's find (lenses are drawn for lines on screen).
  await p.locator('.nb-view:visible .monaco-editor .view-lines').click();
  await p.keyboard.press('Control+Home');
  await p.keyboard.press('Control+F');
  await p.keyboard.type(reveal);
  await p.keyboard.press('Escape');
  const link = p.locator(`.nb-view:visible .codelens-decoration a[title*="block ${n} "]`, { hasText: text }).first();
  await link.waitFor({ state: 'visible', timeout: 15_000 });
  await link.click();
}

async function showTab(p: Page, title: RegExp): Promise<void> {
  await p.locator('.tab .tab-title', { hasText: title }).click();
}

test('the session opened in a terminal is the notebook\'s shell: typed by hand, seen by the next block, which waits while the tab holds it; hand back, or close the tab', async () => {
  const dir = tempDir('modus-e2e-takeover-');
  const somewhere = join(dir, 'somewhere');
  mkdirSync(somewhere);
  const path = join(dir, 'takeover.md');
  writeFileSync(path, [
    '# Take over',
    '',
    '```bash :session s',
    'mkdir -p work && cd work && echo "in $PWD"',
    '```',
    '',
    '```bash :session s',
    'echo "HANDSET=${HANDSET:-unset} PWD=$PWD"',
    '```',
    '',
  ].join('\n'));
  const { page: p } = await openModus(browser, server);
  await p.keyboard.press('Control+Shift+M');
  await p.locator('.open-prompt-input').fill(path);
  await p.keyboard.press('Enter');
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'the notebook open');
  await p.locator('.nb-view:visible .nb-trust-button').click();
  await waitNotebook(p, path, (n) => n.trusted, 'trusted');

  await lens(p, 1, /^\s*Run\s*$/, 'mkdir -p work');
  await waitNotebook(p, path, (n) => n.blocks[0]!.results.includes('pass') && !n.dirty, 'block 1 ran');

  // Open its session in a terminal: the same shell, in the directory block 1 left it in.
  await lens(p, 1, /Open session s in terminal/, 'mkdir -p work');
  const held = await waitHeld(p, (h) => h.state === 'prompt', 'the session held at its prompt');
  assert.equal(held.title, 's · takeover.md');
  assert.ok((await inspect(p, 'tabTitles')).includes('⇄ s · takeover.md'));
  await waitForBuffer(p, /\(s\) \S*\/work \$ $/);
  await run(p, 'export HANDSET=42');
  await run(p, `cd ${somewhere}`);
  await waitForBuffer(p, new RegExp(`\\(s\\) ${somewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\$ $`));

  // The next block, run while the tab holds the session, waits and says so.
  await showTab(p, /^takeover\.md$/);
  await lens(p, 2, /^\s*Run\s*$/, 'HANDSET=');
  const waiting = await waitNotebook(p, path, (n) => n.blocks[1]!.run === 'waiting', 'block 2 waiting');
  assert.equal(waiting.blocks[1]!.status, 'waiting: session "s" is held in terminal tab "s · takeover.md"; the block runs when it is handed back');
  await p.locator('.nb-view:visible .nb-after.nb-status-waiting').first().waitFor({ state: 'visible' });
  // The editor draws the status after the fence in pieces; together they say it.
  const shown = (await p.locator('.nb-view:visible .nb-after.nb-status-waiting').allInnerTexts()).join('').replace(/\s+/g, ' ').trim();
  assert.equal(shown, waiting.blocks[1]!.status);

  // Hand back from the terminal tab: block 2 runs in that shell.
  await showTab(p, /s · takeover\.md/);
  await p.locator('.held-bar-hand-back:visible').click();
  const done = await waitNotebook(p, path, (n) => n.blocks[1]!.results.includes('pass') && !n.dirty, 'block 2 ran after the hand-back');
  assert.equal(done.active, true, 'the notebook is shown again');
  assert.match(readFileSync(path, 'utf8'), new RegExp(`:status pass[^\\n]*\\nHANDSET=42 PWD=${somewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\`\`\``));

  // Closing the tab instead hands back too.
  await lens(p, 2, /Open session s in terminal/, 'HANDSET=');
  await waitHeld(p, (h) => h.state === 'prompt', 'held again');
  assert.equal((await inspect(p, 'tabTitles')).filter((t) => t.startsWith('⇄')).length, 1, 'the tab that held it takes it over again');
  await run(p, 'export HANDSET=closed-tab');
  await waitForBuffer(p, /export HANDSET=closed-tab\n\(s\) [^\n]*\$ $/);
  await showTab(p, /^takeover\.md$/);
  await lens(p, 2, /^\s*Run\s*$/, 'HANDSET=');
  await waitNotebook(p, path, (n) => n.blocks[1]!.run === 'waiting', 'block 2 waiting again');
  await p.locator('.tab', { hasText: /s · takeover\.md/ }).locator('.tab-close').click();
  await waitNotebook(p, path, (n) => n.blocks[1]!.run === null && /HANDSET=closed-tab/.test(n.text) && !n.dirty, 'block 2 ran after the tab was closed');
  assert.match(readFileSync(path, 'utf8'), new RegExp(`\\nHANDSET=closed-tab PWD=${somewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\`\`\``));
  assert.ok(!(await inspect(p, 'tabTitles')).some((t) => t.startsWith('⇄')), 'the tab is gone');
  await p.close();
});
