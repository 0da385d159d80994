// Crisp at any density: a devicePixelRatio change (emulated through CDP, as
// when a window moves between monitors) keeps the grid, re-rasterizes at the
// new density and keeps the whole grid inside its pane, at integer ratios
// with exactly the ratio-1 cell; the UI zoom scales the font; a lost WebGL
// context falls back to the DOM renderer and the terminal keeps working.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { Box, CanvasInfo } from '../../renderer/src/test-hook-types.js';
import { startServe, launchChromium, openModus, inspect, run, waitForBuffer, waitForInspect, type ModusServer } from '../helpers/browser.js';

const VIEWPORT = { width: 1000, height: 700 };
let server: ModusServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;

before(async () => {
  // WebGL is what these tests are about: "on" keeps it even on software GL (SwiftShader here).
  server = await startServe({ settings: { gpuAcceleration: 'on' } });
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

/** The grid lies wholly inside the pane (the pane clips what sticks out), give or take a hundredth of a pixel. */
function gridInsidePane(box: { pane: Box; screen: Box }): boolean {
  const { pane, screen } = box;
  const slack = 0.01;
  return screen.right > screen.left && screen.left >= pane.left - slack && screen.top >= pane.top - slack && screen.right <= pane.right + slack && screen.bottom <= pane.bottom + slack;
}

/**
 * How many pixels of the screenshot's right-most cell column (inside `screen`) differ from
 * the pane's background: ink there means the last column is drawn and not clipped.
 * Runs in the page (a string, as this file is compiled without DOM types).
 */
async function inkInLastColumn(box: { pane: Box; screen: Box }, cellWidth: number): Promise<number> {
  const clip = { x: box.pane.left, y: box.pane.top, width: box.pane.right - box.pane.left, height: box.pane.bottom - box.pane.top };
  const png = (await page.screenshot({ clip, type: 'png' })).toString('base64');
  const strip = { left: box.screen.right - cellWidth - box.pane.left, right: box.screen.right - box.pane.left, top: box.screen.top - box.pane.top, bottom: box.screen.bottom - box.pane.top };
  return (await page.evaluate(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${png}';
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const scale = image.width / ${clip.width};
    const strip = ${JSON.stringify(strip)};
    const x0 = Math.ceil(strip.left * scale), x1 = Math.floor(strip.right * scale);
    const y0 = Math.ceil(strip.top * scale), y1 = Math.floor(strip.bottom * scale);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const at = (x, y) => pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3);
    const background = at(image.width - 1, image.height - 1);
    let ink = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const p = at(x, y);
        if (Math.abs(p[0] - background[0]) + Math.abs(p[1] - background[1]) + Math.abs(p[2] - background[2]) > 96) ink++;
      }
    }
    return ink;
  })()`)) as number;
}

test('devicePixelRatio 1 → 2 → 3 → 1.25 → 1.5 → 1: the grid stays, fits its pane, and is drawn at the new density; at integer ratios the cell is exactly its ratio-1 size', async (t) => {
  const [before] = await inspect(page, 'panes');
  assert.equal(before!.renderer, 'webgl', 'SwiftShader gives headless Chromium a WebGL renderer');
  assert.ok(backingMatches(await inspect(page, 'canvases'), 1));
  await run(page, 'echo dpi-$((3*3))');
  await waitForBuffer(page, /^dpi-9$/m);
  // One line of '#' exactly as wide as the grid: its last character is in the right-most column.
  await run(page, `printf "%$(tput cols)s\\n" | tr ' ' '#'`);
  const fullRow = new RegExp(`^#{${before!.cols}}$`, 'm');
  await waitForBuffer(page, fullRow);
  const configured = (await inspect(page, 'font')).sizePx;
  let atOne: { cellWidth: number; cellHeight: number; screenHeight: number; screenWidth: number } | null = null;

  for (const ratio of [1, 2, 3, 1.25, 1.5, 1]) {
    await setRatio(ratio);
    const canvases = await waitForInspect(page, 'canvases', (c) => backingMatches(c, ratio), `canvases sized for ratio ${ratio}`);
    const box = await waitForInspect(page, 'screenBox', gridInsidePane, `the grid inside its pane at ratio ${ratio}`);
    const [now] = await inspect(page, 'panes');
    assert.equal(`${now!.cols}x${now!.rows}`, `${before!.cols}x${before!.rows}`, `the grid is unchanged at ratio ${ratio}`);
    const font = await inspect(page, 'font');
    assert.equal(font.sizePx, configured, 'the configured font size is untouched');
    // A fitting correction of a few device pixels per cell, never a different font.
    assert.ok(font.renderedSizePx <= configured && font.renderedSizePx >= configured * 0.85, `rendered at ${font.renderedSizePx}px for ${configured}px at ratio ${ratio}`);
    // Cells are measured again at the new density: about 0.6 em wide, never collapsed or doubled.
    assert.ok(font.cellWidth > font.sizePx * 0.45 && font.cellWidth < font.sizePx * 0.8, `cell width ${font.cellWidth} for ${font.sizePx}px at ratio ${ratio}`);
    const screenWidth = box.screen.right - box.screen.left;
    const screenHeight = box.screen.bottom - box.screen.top;
    if (ratio === 1) atOne ??= { cellWidth: font.cellWidth, cellHeight: font.cellHeight, screenWidth, screenHeight };
    if (Number.isInteger(ratio) && atOne) {
      // A HiDPI screen shows the same text at the same physical size, filling the pane as at ratio 1.
      assert.equal(font.renderedSizePx, configured, `the configured font itself at ratio ${ratio}`);
      assert.ok(Math.abs(font.cellWidth - atOne.cellWidth) < 0.001 && Math.abs(font.cellHeight - atOne.cellHeight) < 0.001, `cell ${font.cellWidth}x${font.cellHeight} at ratio ${ratio}, ${atOne.cellWidth}x${atOne.cellHeight} at 1`);
      assert.ok(Math.abs(screenWidth - atOne.screenWidth) < 0.01 && Math.abs(screenHeight - atOne.screenHeight) < 0.01, `screen ${screenWidth}x${screenHeight} at ratio ${ratio}, ${atOne.screenWidth}x${atOne.screenHeight} at 1`);
    }
    // The text is still there and drawn, up to the last column.
    assert.match(await inspect(page, 'bufferText'), fullRow);
    // The canvas is resized first and drawn on a later frame: look until the column has ink, or give up after 10 s.
    let ink = await inkInLastColumn(box, font.cellWidth);
    for (const deadline = Date.now() + 10_000; ink === 0 && Date.now() < deadline; ) ink = await inkInLastColumn(box, font.cellWidth);
    assert.ok(ink > 0, `the last column's '#' is drawn inside the pane at ratio ${ratio}`);
    t.diagnostic(
      `ratio ${ratio}: ${now!.cols}x${now!.rows}, font ${font.renderedSizePx}px (configured ${configured}px), cell ${font.cellWidth.toFixed(3)}x${font.cellHeight.toFixed(3)} CSS px, ` +
        `grid ${(box.screen.right - box.screen.left).toFixed(2)}x${(box.screen.bottom - box.screen.top).toFixed(2)} at +${(box.screen.left - box.pane.left).toFixed(2)},+${(box.screen.top - box.pane.top).toFixed(2)} in pane ${(box.pane.right - box.pane.left).toFixed(2)}x${(box.pane.bottom - box.pane.top).toFixed(2)}, ` +
        `canvas ${canvases[0]!.width}x${canvases[0]!.height} for ${canvases[0]!.cssWidth}x${canvases[0]!.cssHeight} CSS px, ${ink} ink px in the last column`,
    );
  }
  // Back at the ratio the grid was fitted at: the configured font again.
  assert.equal((await inspect(page, 'font')).renderedSizePx, configured);
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
  await waitForInspect(page, 'panes', (p) => p[0]!.renderer === 'dom', 'the DOM renderer', 30_000);
  await run(page, 'echo dom-$((4*4))');
  await waitForBuffer(page, /^dom-16$/m);
  // The DOM renderer shows the text as rows of spans, drawn on a later animation frame than the buffer holds it: wait for the drawing, with a deadline, as a busy machine draws late.
  const deadline = Date.now() + 30_000;
  let rows = await page.locator('.xterm-rows').first().innerText();
  while (!/dom-16/.test(rows) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    rows = await page.locator('.xterm-rows').first().innerText();
  }
  assert.match(rows, /dom-16/);
  const font = await inspect(page, 'font');
  assert.ok(font.cellWidth > font.sizePx * 0.45 && font.cellHeight > font.sizePx, `DOM cells measure sensibly: ${JSON.stringify(font)}`);
});
