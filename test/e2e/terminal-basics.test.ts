// The everyday terminal in headless Chromium through the real `modus serve`:
// commands run, titles follow OSC 2, tabs and splits work, `yes` stops at
// Ctrl-C, and requests without the token are refused.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright-core';
import { startServe, launchChromium, openModus, inspect, run, waitForBuffer, waitForPrompt, waitForInspect, type ModusServer } from '../helpers/browser.js';

let server: ModusServer;
let browser: Browser;
let page: Page;
let pageLogs: string[];

before(async () => {
  server = await startServe();
  browser = await launchChromium();
  const opened = await openModus(browser, server);
  page = opened.page;
  pageLogs = opened.console;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a typed command runs in the shell and its output appears', async () => {
  await run(page, 'echo $((6*7))');
  await waitForBuffer(page, /^42$/m);
  await waitForPrompt(page);
  assert.deepEqual(pageLogs.filter((l) => l.startsWith('pageerror')), []);
});

test('OSC 2 sets the tab title and the window title follows the active tab', async () => {
  await run(page, "printf '\\033]2;%s\\007' title-from-osc2");
  await waitForInspect(page, 'tabTitles', (t) => t[0] === 'title-from-osc2', 'the tab title to change');
  assert.equal(await page.title(), 'title-from-osc2');
});

test('OSC 52 clipboard reads are refused: the shell gets no answer', async () => {
  await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }).navigator.clipboard.writeText('secret-on-the-clipboard'));
  // A terminal that answered would send ESC ] 52 ; c ; <base64> BEL within the 2 s read.
  await run(page, "printf '\\033]52;c;?\\007'; IFS= read -r -s -t 2 -d $'\\a' reply; echo \"osc52-reply=[${#reply}]\"");
  await waitForBuffer(page, /^osc52-reply=\[0\]$/m);
  await waitForPrompt(page);
});

test('Ctrl+Shift+F finds text in the scrollback; Escape returns to the terminal', async () => {
  await run(page, 'echo needle-one; echo needle-two');
  await waitForBuffer(page, /^needle-two$/m);
  await page.keyboard.press('Control+Shift+F');
  const input = page.locator('.find-bar:not([hidden]) input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type('needle-');
  await page.keyboard.press('Enter');
  const status = page.locator('.find-bar:not([hidden]) .find-status');
  await page.waitForFunction(() => /^\d+\/[3-9]\d*$/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.find-bar .find-status')?.textContent ?? ''));
  assert.match(await status.innerText(), /^\d+\/\d+$/);
  await page.keyboard.press('Escape');
  await input.waitFor({ state: 'hidden' });
  await run(page, 'echo back-$((1+2))');
  await waitForBuffer(page, /^back-3$/m);
});

test('output does not move a viewport the user scrolled up; a keystroke scrolls to the bottom; typing hides the mouse', async () => {
  await run(page, 'seq 1 200');
  await waitForBuffer(page, /^200$/m);
  await waitForPrompt(page);
  // Output that arrives later, without any typing in between.
  await run(page, 'sleep 1; seq 1000 1100');
  const pane = page.locator('.tab-content:not([hidden]) .pane').first();
  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -600);
  const scrolled = await waitForInspect(page, 'viewport', (v) => v.viewportY < v.baseY, 'the viewport to scroll up');
  await waitForBuffer(page, /^1100$/m);
  const after = await inspect(page, 'viewport');
  assert.equal(after.viewportY, scrolled.viewportY, 'the viewport stayed where the user put it');
  assert.ok(after.baseY > scrolled.baseY, 'output did arrive below');
  await page.keyboard.type('x');
  await waitForInspect(page, 'viewport', (v) => v.viewportY === v.baseY, 'a keystroke to scroll to the bottom');
  const cursorOf = (): Promise<string> =>
    page.evaluate(() => {
      const g = globalThis as unknown as { document: { querySelector(s: string): object | null }; getComputedStyle(e: object): { cursor: string } };
      return g.getComputedStyle(g.document.querySelector('.tab-content:not([hidden]) .xterm-screen')!).cursor;
    });
  assert.equal(await cursorOf(), 'none', 'the mouse pointer is hidden while typing');
  await page.mouse.move(box.x + 20, box.y + 20);
  assert.notEqual(await cursorOf(), 'none', 'moving the mouse shows it again');
  await page.keyboard.press('Backspace');
});

test('tabs: a new tab starts in the home directory, switching and closing work, the window title follows', async () => {
  await page.keyboard.press('Control+Shift+T');
  await waitForInspect(page, 'tabTitles', (t) => t.length === 2, 'a second tab');
  assert.equal(await inspect(page, 'activeTab'), 1);
  await waitForPrompt(page);
  await run(page, 'pwd');
  await waitForBuffer(page, new RegExp(`^${server.home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  await run(page, "printf '\\033]0;%s\\007' second-tab");
  await waitForInspect(page, 'tabTitles', (t) => t[1] === 'second-tab', 'the second tab to be titled');
  assert.equal(await page.title(), 'second-tab');

  await page.keyboard.press('Control+PageUp');
  await waitForInspect(page, 'activeTab', (i) => i === 0, 'the first tab to be active');
  assert.equal(await page.title(), 'title-from-osc2');
  await page.keyboard.press('Control+PageDown');
  await waitForInspect(page, 'activeTab', (i) => i === 1, 'the second tab to be active');

  await page.keyboard.press('Control+Shift+W');
  await waitForInspect(page, 'tabTitles', (t) => t.length === 1, 'the second tab to close');
  assert.equal(await inspect(page, 'activeTab'), 0);
  assert.equal(await page.title(), 'title-from-osc2');
  // The remaining terminal still has keyboard focus and works.
  await run(page, 'echo still-$((40+2))');
  await waitForBuffer(page, /^still-42$/m);
});

test('splits right and down share the space; dragging a divider resizes and re-fits, and the shell learns the new size', async () => {
  const [whole] = await inspect(page, 'panes');
  await page.keyboard.press('Control+Shift+E');
  await waitForInspect(page, 'panes', (p) => p.length === 2, 'a split to the right');
  await waitForPrompt(page);
  const halves = await waitForInspect(page, 'panes', (p) => p.every((x) => x.cols < whole!.cols * 0.6), 'both panes to re-fit');
  assert.equal(halves[1]!.focused, true, 'the new pane has focus');
  assert.ok(Math.abs(halves[0]!.width - halves[1]!.width) <= 2, `equal widths: ${halves[0]!.width} vs ${halves[1]!.width}`);
  assert.equal(halves[0]!.rows, whole!.rows);

  await page.keyboard.press('Control+Shift+O');
  const three = await waitForInspect(page, 'panes', (p) => p.length === 3 && p[1]!.rows < whole!.rows * 0.6, 'a split downwards');
  assert.equal(three[2]!.focused, true);
  assert.equal(three[0]!.rows, whole!.rows, 'the left pane keeps its height');
  await waitForPrompt(page);

  // Drag the vertical divider 200 px to the left.
  const divider = page.locator('.tab-content:not([hidden]) .split-row > .divider').first();
  const box = await divider.boundingBox();
  assert.ok(box, 'the divider is visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x - 100, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x - 200, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  // Sizes are read once every pane has re-fitted to its new width (the fit runs a frame after the drag).
  const dragged = await waitForInspect(page, 'panes', (p) => p[0]!.width < three[0]!.width - 150 && p.every((x) => x.fitted), 'the left pane to shrink and every pane to re-fit');
  assert.ok(dragged[0]!.cols < three[0]!.cols - 15, `left pane re-fitted: ${three[0]!.cols} → ${dragged[0]!.cols} cols`);
  assert.ok(dragged[2]!.cols > three[2]!.cols + 15, `right panes re-fitted: ${three[2]!.cols} → ${dragged[2]!.cols} cols`);

  // The pty was resized too: ask the shell in the left pane.
  await page.locator('.tab-content:not([hidden]) .pane').first().click();
  await waitForInspect(page, 'panes', (p) => p[0]!.focused, 'the left pane to take focus');
  await run(page, 'stty size');
  await waitForBuffer(page, new RegExp(`^${dragged[0]!.rows} ${dragged[0]!.cols}$`, 'm'));

  // Closing a pane gives its space back to its sibling.
  await page.keyboard.press('Control+Shift+W');
  await waitForInspect(page, 'panes', (p) => p.length === 2, 'the pane to close');
});

test('yes, then Ctrl-C: the output stops and a prompt returns at once', async (t) => {
  await run(page, 'yes');
  await waitForBuffer(page, /(^y\n){200}/m);
  const started = Date.now();
  await page.keyboard.press('Control+C');
  await waitForPrompt(page, 5000);
  const promptAfterMs = Date.now() - started;
  t.diagnostic(`prompt back ${promptAfterMs} ms after Ctrl-C`);
  await run(page, 'echo done-$((1+1))');
  const text = await waitForBuffer(page, /^done-2\n.*[$#] ?$/m);
  // Nothing of `yes` came after the result: the stream really stopped.
  assert.doesNotMatch(text.slice(text.lastIndexOf('done-2')), /^y$/m);
  // Every byte the renderer received was acknowledged once xterm parsed it (nothing is left owing).
  const panes = await waitForInspect(page, 'panes', (p) => p.some((x) => x.focused && x.ackedBytes === x.receivedBytes), 'all received bytes to be acknowledged');
  t.diagnostic(`bytes received and acknowledged by the pane: ${panes.find((x) => x.focused)!.receivedBytes}`);
});

test('a request without the token is refused: page and WebSocket get 403', async () => {
  const page403 = await fetch(`${server.origin}/`);
  assert.equal(page403.status, 403);
  const wrong = await fetch(`${server.origin}/?token=not-the-token`);
  assert.equal(wrong.status, 403);
  const good = await fetch(server.url);
  assert.equal(good.status, 200);

  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`${server.origin.replace(/^http/, 'ws')}/ws`, { headers: { Origin: server.origin } });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the WebSocket opened without a token')));
    ws.on('error', () => undefined);
  });
  assert.equal(status, 403);
});
