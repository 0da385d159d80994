// Crisp at any density: a devicePixelRatio change (emulated through CDP, as
// when a window moves between monitors) keeps the grid and re-rasterizes at
// the new density; the UI zoom scales the font; a lost WebGL context falls
// back to the DOM renderer and the terminal keeps working.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { CanvasInfo } from '../../renderer/src/test-hook-types.js';
import { startServe, launchChromium, openModus, inspect, run, waitForBuffer, waitForInspect, type ModusServer } from '../helpers/browser.js';

const VIEWPORT = { width: 1000, height: 700 };
let server: ModusServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;

before(async () => {
  server = await startServe();
  browser = await launchChromium();
  const opened = await openModus(browser, server, VIEWPORT);
  page = opened.page;
  cdp = await opened.context.newCDPSession(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The backing store of every renderer canvas is its CSS size × ratio, give or take a pixel of rounding. */
function backingMatches(canvases: CanvasInfo[], ratio: number): boolean {
  return canvases.length > 0 && canvases.every((c) => Math.abs(c.width - c.cssWidth * ratio) <= 1 && Math.abs(c.height - c.cssHeight * ratio) <= 1);
}

async function setRatio(ratio: number): Promise<void> {
  await cdp.send('Emulation.setDeviceMetricsOverride', { ...VIEWPORT, deviceScaleFactor: ratio, mobile: false });
  await waitForInspect(page, 'devicePixelRatio', (r) => r === ratio, `devicePixelRatio ${ratio}`);
}

test('devicePixelRatio 1 → 2 → 1.25: the grid stays, the canvas backing store follows the ratio', async (t) => {
  const [before] = await inspect(page, 'panes');
  assert.equal(before!.renderer, 'webgl', 'SwiftShader gives headless Chromium a WebGL renderer');
  assert.ok(backingMatches(await inspect(page, 'canvases'), 1));
  await run(page, 'echo dpi-$((3*3))');
  await waitForBuffer(page, /^dpi-9$/m);

  for (const ratio of [2, 1.25, 1]) {
    await setRatio(ratio);
    const canvases = await waitForInspect(page, 'canvases', (c) => backingMatches(c, ratio), `canvases sized for ratio ${ratio}`);
    const [now] = await inspect(page, 'panes');
    assert.equal(`${now!.cols}x${now!.rows}`, `${before!.cols}x${before!.rows}`, `the grid is unchanged at ratio ${ratio}`);
    const font = await inspect(page, 'font');
    // Cells are measured again at the new density: about 0.6 em wide, never collapsed or doubled.
    assert.ok(font.cellWidth > font.sizePx * 0.45 && font.cellWidth < font.sizePx * 0.8, `cell width ${font.cellWidth} for ${font.sizePx}px at ratio ${ratio}`);
    t.diagnostic(`ratio ${ratio}: ${now!.cols}x${now!.rows}, canvas ${canvases[0]!.width}x${canvases[0]!.height} for ${canvases[0]!.cssWidth}x${canvases[0]!.cssHeight} CSS px`);
  }
  // The shell still answers and its text is in the buffer.
  await run(page, 'echo after-$((2*5))');
  await waitForBuffer(page, /^after-10$/m);
});

test('Ctrl+= / Ctrl+- / Ctrl+0 zoom the terminal font by 1.1 per step and re-fit the grid', async () => {
  const base = await inspect(page, 'font');
  const [grid] = await inspect(page, 'panes');
  await page.keyboard.press('Control+Equal');
  const bigger = await waitForInspect(page, 'font', (f) => f.sizePx > base.sizePx, 'a larger font');
  assert.ok(Math.abs(bigger.sizePx - base.sizePx * 1.1) < 0.02, `${base.sizePx} × 1.1 ≈ ${bigger.sizePx}`);
  const [zoomed] = await waitForInspect(page, 'panes', (p) => p[0]!.cols < grid!.cols, 'fewer columns after zooming in');
  assert.ok(zoomed!.rows < grid!.rows);
  await page.keyboard.press('Control+Minus');
  await page.keyboard.press('Control+Minus');
  await waitForInspect(page, 'font', (f) => f.sizePx < base.sizePx, 'a smaller font');
  await page.keyboard.press('Control+0');
  await waitForInspect(page, 'font', (f) => f.sizePx === base.sizePx, 'the settings font size again');
  await waitForInspect(page, 'panes', (p) => p[0]!.cols === grid!.cols && p[0]!.rows === grid!.rows, 'the original grid again');
});

test('a lost WebGL context falls back to the DOM renderer and the terminal keeps working', async () => {
  // Runs in the page (a string, as this file is compiled without DOM types): lose the WebGL context as a GPU reset would.
  const lost = await page.evaluate(`(() => {
    for (const canvas of document.querySelectorAll('.xterm-screen canvas')) {
      const extension = canvas.getContext('webgl2')?.getExtension('WEBGL_lose_context');
      if (extension) {
        extension.loseContext();
        return true;
      }
    }
    return false;
  })()`);
  assert.ok(lost, 'found the WebGL canvas');
  // xterm waits 3 s for the context to come back before giving up on it.
  await waitForInspect(page, 'panes', (p) => p[0]!.renderer === 'dom', 'the DOM renderer', 10_000);
  await run(page, 'echo dom-$((4*4))');
  await waitForBuffer(page, /^dom-16$/m);
  // The DOM renderer shows the text as rows of spans.
  const rows = await page.locator('.xterm-rows').first().innerText();
  assert.match(rows, /dom-16/);
  const font = await inspect(page, 'font');
  assert.ok(font.cellWidth > font.sizePx * 0.45 && font.cellHeight > font.sizePx, `DOM cells measure sensibly: ${JSON.stringify(font)}`);
});
