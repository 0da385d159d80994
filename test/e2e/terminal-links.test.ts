// Links in terminal output, in headless Chromium through the real `modus serve`:
// a web link the user clicks opens in a new browser tab that gets no handle on
// Modus (noopener) and no referrer; javascript: text and OSC 8 hyperlinks to
// non-web schemes open nothing; a web link carrying credentials is refused
// with a banner. Requests to example.invalid never reach the network: the
// context answers them itself. The serve page's own headers (COOP, no
// referrer) already cut the new tab off, so the test also records what
// Modus asked window.open for: the link's own noopener,noreferrer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServe, launchChromium, openModus, inspect, run, waitForBuffer, waitForInspect, waitForPrompt, type ModusPage, type ModusServer } from '../helpers/browser.js';

let server: ModusServer;
let browser: Browser;
let opened: ModusPage;
let page: Page;
/** What the in-page functions below read (this code compiles without the DOM library; the names are the page's own). */
interface InPage {
  document: {
    querySelector(selector: string): { getBoundingClientRect(): { left: number; top: number; width: number; height: number } } | null;
    referrer: string;
  };
  opener: unknown;
  location: { protocol: string };
  open(url?: string, target?: string, features?: string): unknown;
  openCalls: OpenCall[];
}

interface OpenCall {
  url: string;
  target: string | undefined;
  features: string | undefined;
}

/** Every page the browser opened besides Modus itself, in order. */
const popups: Page[] = [];
/** Dialogs (alert, confirm) any page raised: a javascript: link that ran would raise one. */
const dialogs: string[] = [];

before(async () => {
  server = await startServe();
  browser = await launchChromium();
  opened = await openModus(browser, server);
  page = opened.page;
  await opened.context.route(/^https?:\/\/([^/]*@)?example\.invalid\//, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>example.invalid</title><p>stand-in page' }),
  );
  opened.context.on('page', (p) => {
    popups.push(p);
    p.on('dialog', (d) => void d.dismiss());
  });
  // Recorded, then passed on: the real window.open still opens the tab.
  await page.evaluate(() => {
    const own = globalThis as unknown as InPage;
    const open = own.open.bind(own);
    own.openCalls = [];
    own.open = (url, target, features) => {
      own.openCalls.push({ url: String(url), target, features });
      return open(url, target, features);
    };
  });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // The printed text is assembled by printf, so the echoed command line holds no link itself.
  await run(
    page,
    "printf 'web %s://example.invalid/x\\nscript %s:alert(1)\\nosc8 \\033]8;;%s://example.invalid/osc8\\033\\\\docs\\033]8;;\\033\\\\\\nosc8js \\033]8;;%s:alert(2)\\033\\\\run-me\\033]8;;\\033\\\\\\nauth %s://admin:pw@example.invalid/\\n' https javascript https javascript https",
  );
  await waitForBuffer(page, /^auth https:\/\/admin:pw@example\.invalid\/$/m);
  await waitForPrompt(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The viewport pixel at the middle of `text` on the last line that starts with `label` (line and column from the buffer, size from the grid). */
async function pointAt(label: string, text: string): Promise<{ x: number; y: number }> {
  // A banner coming or going resizes the pane; positions are only meaningful once the grid has re-fitted.
  await waitForInspect(page, 'panes', (p) => p.every((x) => x.fitted), 'the pane to re-fit');
  const lines = (await inspect(page, 'bufferText')).split('\n');
  const line = lines.findLastIndex((l) => l.startsWith(`${label} `));
  assert.ok(line !== -1, `a line starting with "${label} " in the terminal`);
  const column = lines[line]!.indexOf(text);
  assert.ok(column !== -1, `"${text}" on the line "${lines[line]}"`);
  const { viewportY } = await inspect(page, 'viewport');
  const screen = await page.evaluate(() => {
    const element = (globalThis as unknown as InPage).document.querySelector('.tab-content:not([hidden]) .pane .xterm-screen')!;
    const r = element.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const [pane] = await inspect(page, 'panes');
  const row = line - viewportY;
  assert.ok(row >= 0 && row < pane!.rows, `line ${line} is on screen (viewport starts at ${viewportY})`);
  const cellWidth = screen.width / pane!.cols;
  const cellHeight = screen.height / pane!.rows;
  return { x: screen.left + (column + text.length / 2) * cellWidth, y: screen.top + (row + 0.5) * cellHeight };
}

/** xterm shows the link pointer exactly while it has found a link under the mouse. */
async function waitForPointer(isLink: boolean, what: string): Promise<void> {
  try {
    await page.waitForFunction((want) => ((globalThis as unknown as InPage).document.querySelector('.tab-content:not([hidden]) .pane .xterm-cursor-pointer') !== null) === want, isLink, { timeout: 15_000, polling: 20 });
  } catch (e) {
    throw new Error(`${what}: the mouse pointer never ${isLink ? 'became' : 'stopped being'} a link pointer: ${(e as Error).message}`);
  }
}

/** Moves the mouse onto `text`, waits until xterm has decided whether it is a link, then clicks there. */
async function clickText(label: string, text: string, isLink: boolean): Promise<void> {
  const { x, y } = await pointAt(label, text);
  // Park the mouse on the known link first, so "not a link" is a change we can wait for too.
  if (!isLink) {
    const web = await pointAt('web', 'https://example.invalid/x');
    await page.mouse.move(web.x, web.y);
    await waitForPointer(true, 'over the web link');
  }
  await page.mouse.move(x, y);
  await waitForPointer(isLink, `over "${text}"`);
  await page.mouse.down();
  await page.mouse.up();
}

async function waitForPopups(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (popups.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} new pages, got ${popups.length}: ${popups.map((p) => p.url()).join(', ')}; page log: ${opened.console.join(' | ')}`);
    await page.waitForTimeout(20);
  }
}

/** Where the newest popup went, and whether it could reach Modus or learn where it came from. */
async function describePopup(index: number): Promise<{ url: string; opener: boolean; referrer: string }> {
  const popup = popups[index]!;
  await popup.waitForLoadState('domcontentloaded');
  return {
    url: popup.url(),
    ...(await popup.evaluate(() => {
      const own = globalThis as unknown as InPage;
      return { opener: own.opener !== null, referrer: own.document.referrer };
    })),
  };
}

/** The window.open calls Modus made so far, as recorded in the page. */
function openCalls(): Promise<OpenCall[]> {
  return page.evaluate(() => (globalThis as unknown as InPage).openCalls);
}

test('clicking a web link opens it in a new tab, without opener or referrer', async () => {
  await clickText('web', 'https://example.invalid/x', true);
  await waitForPopups(1);
  assert.deepEqual(await describePopup(0), { url: 'https://example.invalid/x', opener: false, referrer: '' });
  const [call] = await openCalls();
  assert.ok(call, 'Modus called window.open');
  assert.equal(call.url, 'https://example.invalid/x');
  assert.equal(call.target, '_blank', 'a new tab, not this one');
  assert.deepEqual(call.features?.split(',').map((f) => f.trim()).sort(), ['noopener', 'noreferrer']);
  assert.deepEqual(dialogs, []);
});

test('an OSC 8 hyperlink to a web page opens like a detected link', async () => {
  await clickText('osc8', 'docs', true);
  await waitForPopups(2);
  assert.deepEqual(await describePopup(1), { url: 'https://example.invalid/osc8', opener: false, referrer: '' });
});

test('javascript: text and an OSC 8 javascript: hyperlink are not links: clicking them opens and runs nothing', async () => {
  const before = popups.length;
  await clickText('script', 'javascript:alert(1)', false);
  await clickText('osc8js', 'run-me', false);
  // A click on a real link afterwards: its tab is the next one, so the clicks before opened none.
  await clickText('web', 'https://example.invalid/x', true);
  await waitForPopups(before + 1);
  assert.equal((await describePopup(before)).url, 'https://example.invalid/x');
  assert.equal(popups.length, before + 1, 'exactly one new tab');
  assert.deepEqual((await openCalls()).slice(before).map((c) => c.url), ['https://example.invalid/x'], 'window.open was asked for the web link only');
  assert.deepEqual(dialogs, [], 'no script ran');
  assert.equal(await page.evaluate(() => (globalThis as unknown as InPage).location.protocol), 'http:', 'Modus itself did not navigate');
});

test('a web link with a user name and password is refused, and a banner says why', async () => {
  const before = popups.length;
  await clickText('auth', 'https://admin:pw@example.invalid/', true);
  const banner = page.locator('.banner[data-topic="link"]');
  await banner.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await banner.innerText(), /A link was not opened[\s\S]*"https:\/\/admin:pw@example\.invalid\/" carries a user name or password; such links are not opened/);
  // The next good link opens, and is the only tab since: the refused one opened nothing.
  await clickText('web', 'https://example.invalid/x', true);
  await waitForPopups(before + 1);
  assert.equal((await describePopup(before)).url, 'https://example.invalid/x');
  assert.equal(popups.length, before + 1);
  assert.deepEqual((await openCalls()).slice(before).map((c) => c.url), ['https://example.invalid/x'], 'window.open was not asked for the refused link');
  await banner.waitFor({ state: 'detached', timeout: 10_000 });
});
