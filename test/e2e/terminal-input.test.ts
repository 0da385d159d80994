// Input paths in headless Chromium through the real `modus serve`: a 1 MB
// paste arrives intact, a paste cannot break out of bracketed paste, Alt+/
// completes words seen in another tab, settings apply live, and a session
// comes back after the page is reopened.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServe, launchChromium, openModus, inspect, run, waitForBuffer, waitForPrompt, waitForInspect, type ModusPage, type ModusServer } from '../helpers/browser.js';

let server: ModusServer;
let browser: Browser;
let opened: ModusPage;
let page: Page;

before(async () => {
  server = await startServe();
  browser = await launchChromium();
  opened = await openModus(browser, server);
  page = opened.page;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Puts text on the clipboard from inside the page (permission granted by openModus). */
async function setClipboard(text: string): Promise<void> {
  await page.evaluate((t) => (globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }).navigator.clipboard.writeText(t), text);
}

/** About `bytes` of printable text with multi-byte characters, in lines short enough for the tty's canonical mode. */
function randomText(bytes: number): string {
  const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !"#%&\'()*+,-./:;<=>?@[]^_{|}~', 'ä', 'ß', 'ł', 'ж', 'ネ', '🐢', '€', '—'];
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line = '';
    const length = randomInt(1, 120);
    for (let i = 0; i < length; i++) line += alphabet[randomInt(alphabet.length)];
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return lines.join('\n') + '\n';
}

test('a 1 MB paste of unicode text arrives intact (sha256 computed by the shell)', async (t) => {
  const text = randomText(1024 * 1024);
  const bytes = Buffer.byteLength(text);
  const expected = createHash('sha256').update(text, 'utf8').digest('hex');
  // No echo (1 MB echoed back is not what is tested); head stops after exactly the pasted bytes.
  await run(page, `stty -echo; echo READY-$((1+1)); head -c ${bytes} | sha256sum; stty echo`);
  await waitForBuffer(page, /^READY-2$/m);
  await setClipboard(text);
  const started = Date.now();
  await page.keyboard.press('Control+Shift+V');
  const buffer = await waitForBuffer(page, /^[0-9a-f]{64} {2}-$/m, 60_000);
  t.diagnostic(`${bytes} bytes pasted and hashed in ${Date.now() - started} ms`);
  assert.equal(/^([0-9a-f]{64}) {2}-$/m.exec(buffer)![1], expected);
  await waitForPrompt(page);
});

test('a paste cannot end bracketed paste early: ESC inside is neutralised', async () => {
  // bash's readline turns bracketed paste on at its prompt.
  await setClipboard('echo safe\x1b[201~echo pwned-$((2+2))');
  await page.keyboard.press('Control+Shift+V');
  await waitForInspect(page, 'cursorLine', (l) => l.includes('pwned-$((2+2))'), 'the pasted text on the command line');
  await page.keyboard.press('Enter');
  // One command, printed whole: the fake end-of-paste became ␛ text instead of ending the paste.
  await waitForBuffer(page, /^safe␛\[201~echo pwned-4$/m);
});

test('Alt+/ completes a word seen in another tab, most recent first, and cycles', async () => {
  await run(page, 'echo zebracorn42 zebrafish7');
  await waitForBuffer(page, /^zebracorn42 zebrafish7$/m);
  await page.keyboard.press('Control+Shift+T');
  await waitForInspect(page, 'tabTitles', (titles) => titles.length === 2, 'a second tab');
  await waitForPrompt(page);
  await page.keyboard.type('echo zebr');
  // Completion reads the screen: wait for the shell to echo what was typed.
  await waitForInspect(page, 'cursorLine', (l) => l.endsWith('echo zebr'), 'the typed prefix on screen');
  await page.keyboard.press('Alt+Slash');
  await waitForInspect(page, 'cursorLine', (l) => l.endsWith('echo zebrafish7'), 'the most recent word (rightmost on the last line)');
  await page.keyboard.press('Alt+Slash');
  await waitForInspect(page, 'cursorLine', (l) => l.endsWith('echo zebracorn42'), 'the next candidate replacing the first');
  await page.keyboard.press('Enter');
  await waitForBuffer(page, /^zebracorn42$/m);
  await page.keyboard.press('Control+Shift+W');
  await waitForInspect(page, 'tabTitles', (titles) => titles.length === 1, 'the second tab to close');
});

test('settings apply live: font size in points, opacity, scrollback, keybindings; problems show in a banner', async () => {
  const settingsFile = join(server.configDir, 'settings.json');
  const [grid] = await inspect(page, 'panes');
  writeFileSync(settingsFile, JSON.stringify({ fontSize: 15, opacity: 0.5, scrollback: 100, keybindings: { newTab: 'Ctrl+Shift+Y' } }, null, 2));
  await waitForInspect(page, 'font', (f) => Math.abs(f.sizePx - 20) < 0.01, 'font size 15 pt = 20 px');
  const [smaller] = await waitForInspect(page, 'panes', (p) => p[0]!.cols < grid!.cols, 'the grid to re-fit to the larger font');
  assert.ok(smaller!.rows < grid!.rows);
  const background = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { style: { getPropertyValue(n: string): string } } } }).document.documentElement.style.getPropertyValue('--terminal-background'));
  assert.match(background, /^rgba\(\d+, \d+, \d+, 0\.5\)$/);

  await run(page, 'seq 1 3000');
  const text = await waitForBuffer(page, /^3000$/m);
  assert.ok(text.split('\n').length <= smaller!.rows + 100 + 2, `scrollback is capped at 100 lines: ${text.split('\n').length} lines`);

  await page.keyboard.press('Control+Shift+Y');
  await waitForInspect(page, 'tabTitles', (titles) => titles.length === 2, 'a tab opened by the remapped chord');
  await waitForPrompt(page);
  await page.keyboard.press('Control+Shift+W');
  await waitForInspect(page, 'tabTitles', (titles) => titles.length === 1, 'the tab to close');

  writeFileSync(settingsFile, '{\n  "fontSize": "huge"\n}\n');
  const banner = page.locator('.banner[data-topic="settings"]');
  await banner.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await banner.innerText(), /settings\.json:2:\d+: .*fontSize/);
  writeFileSync(settingsFile, '{}\n');
  await banner.waitFor({ state: 'detached', timeout: 10_000 });
});

test('the session comes back: tabs, splits, working directory and scrollback', async () => {
  const sessionFile = join(server.configDir, 'session.json');
  await run(page, 'cd /tmp && echo restore-marker-$((5*5))');
  await waitForBuffer(page, /^restore-marker-25$/m);
  await waitForInspect(page, 'panes', (p) => p[0]!.cwd === '/tmp', 'the host to report the new working directory');
  await page.keyboard.press('Control+Shift+O');
  await waitForInspect(page, 'panes', (p) => p.length === 2, 'a split');
  await waitForPrompt(page);
  // The debounced save after the layout change carries the scrollback.
  const deadline = Date.now() + 15_000;
  while (!(existsSync(sessionFile) && /restore-marker-25[\s\S]*"second"/.test(readFileSync(sessionFile, 'utf8')))) {
    assert.ok(Date.now() < deadline, `session.json never held the split layout and the marker:\n${existsSync(sessionFile) ? readFileSync(sessionFile, 'utf8').slice(0, 500) : '(missing)'}`);
    await page.waitForTimeout(100);
  }
  await page.close({ runBeforeUnload: true });

  page = await opened.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => (globalThis as unknown as { __modus?: { ready(): boolean } }).__modus?.ready() === true, undefined, { timeout: 30_000 });
  const panes = await waitForInspect(page, 'panes', (p) => p.length === 2, 'the restored split');
  assert.equal(panes[1]!.focused || panes[0]!.focused, true);
  await page.locator('.tab-content:not([hidden]) .pane').first().click();
  await waitForBuffer(page, /restore-marker-25[\s\S]*restored from the previous session/);
  await waitForPrompt(page);
  await run(page, 'pwd');
  await waitForBuffer(page, /restored from the previous session[\s\S]*^\/tmp$/m);
});
