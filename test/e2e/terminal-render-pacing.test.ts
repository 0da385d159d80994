// Flood render pacing (renderer/src/render-pacer.ts, xterm-render-hooks.ts)
// in headless Chromium through the real `modus serve`: during a flood the
// screen is redrawn at most ten times a second, the flood's last screen is
// drawn, typing after it is not held, and skipping xterm's selection redraws
// when nothing is selected does not break selecting. The hooks reach into
// xterm's private services: if an xterm upgrade moves them, the first test
// fails.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareModusPage, inspect, run, waitForBuffer, waitForPrompt } from '../helpers/browser.js';
import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';
import type { BenchPage } from '../../bench/terminal/cdp.js';
import { withFreshModusPage } from '../../bench/terminal/modus-page.js';

const shared = shareModusPage();

interface FloodRecord {
  /** Times of the frames drawn while the pane was in a flood. */
  renders: number[];
}
type Globals = {
  __modus: ModusTestHook;
  __flood?: FloodRecord;
  __floodStop?: () => void;
  document: { querySelector(selector: string): { textContent: string | null } | null };
};

test('the pacing hooks are installed on this xterm.js (they use its private services)', async () => {
  const pacing = await inspect(shared.page, 'renderPacing');
  assert.ok(pacing, `no render pacing: ${shared.console.join(' | ')}`);
  assert.equal(shared.console.some((l) => l.includes('flood render pacing is off')), false);
});

/** Waits until the DOM renderer's rows (what the user sees, not xterm's buffer) contain `text`. */
function waitForDrawn(page: BenchPage, text: string): Promise<unknown> {
  return page.waitForFunction(
    (t: string) => ((globalThis as unknown as Globals).document.querySelector('.tab-content:not([hidden]) .pane .xterm-rows')?.textContent ?? '').includes(t),
    text,
    { timeout: 5_000 },
  );
}

test('a flood is drawn at most ten times a second, its last screen is drawn, and typing after it is not held', async () => {
  // Playwright slows every WebSocket frame down (it copies each one to its client), so much that the
  // page never falls behind and there is no flood to pace. This test uses the benchmark's Modus page,
  // in a Chromium driven over CDP without the Network domain (bench/terminal/cdp.ts).
  await withFreshModusPage({ settings: {} }, async (floodPage) => {
    const before = (await inspect(floodPage, 'renderPacing'))!;
    // About 24 MB: a few seconds of flood. Frames are counted from Enter on, not while the command is typed.
    const command = 'seq 1 3200000; echo pacing-$((6*7))';
    await floodPage.keyboard.type(command);
    await floodPage.waitForFunction((c: string) => (globalThis as unknown as Globals).__modus.cursorLine().endsWith(c), command, { timeout: 10_000 });
    await floodPage.evaluate(() => {
      const g = globalThis as unknown as Globals;
      const record: FloodRecord = { renders: [] };
      g.__flood = record;
      // Frames outside a flood are not paced (the page keeps up; on a loaded machine output can come in light pieces).
      g.__floodStop = g.__modus.onRender(() => {
        if (g.__modus.renderPacing()?.flooding) record.renders.push(performance.now());
      });
    });
    await floodPage.keyboard.press('Enter');
    await waitForBuffer(floodPage, /^3200000\npacing-42$/m, 120_000);
    await waitForPrompt(floodPage, 30_000);
    const renders = await floodPage.evaluate(() => {
      const g = globalThis as unknown as Globals;
      g.__floodStop!();
      return g.__flood!.renders;
    });
    // The last batch carries the prompt; its screen comes when the interval ends.
    await floodPage.waitForFunction(() => (globalThis as unknown as Globals).__modus.renderPacing()?.holding === false, undefined, { timeout: 5_000 });
    await waitForDrawn(floodPage, 'pacing-42');
    const after = (await inspect(floodPage, 'renderPacing'))!;
    assert.ok(after.deferred > before.deferred, `refreshes were held during the flood (${JSON.stringify(after)})`);
    const spanMs = renders.at(-1)! - renders[0]!;
    assert.ok(spanMs > 1000, `the flood lasted ${spanMs.toFixed(0)} ms (too short to tell pacing)`);
    // In any one second of flood: ten paced frames, and a few that a light write let through just before.
    let busiest = 0;
    for (let i = 0, j = 0; i < renders.length; i++) {
      while (renders[i]! - renders[j]! > 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    assert.ok(busiest <= 14, `${busiest} frames drawn in a flood within one second (${renders.length} over ${spanMs.toFixed(0)} ms)`);

    // Typing after the flood: the first echo ends it, and every echo is drawn as it comes, none held.
    await floodPage.keyboard.type('echo typed');
    await waitForDrawn(floodPage, 'echo typed');
    const typed = (await inspect(floodPage, 'renderPacing'))!;
    assert.equal(typed.deferred, after.deferred, 'no keystroke echo was held back');
    assert.equal(typed.flooding, false, 'the echo ended the flood');
  });
});

test('with nothing selected, scrolling output asks for no selection redraws; selecting and clearing still show', async () => {
  const selectionBoxes = shared.page.locator('.tab-content:not([hidden]) .pane .xterm-selection div');
  await run(shared.page, 'clear; printf "alpha select-me omega\\n"');
  await waitForBuffer(shared.page, /^alpha select-me omega$/m);
  const before = (await inspect(shared.page, 'renderPacing'))!;
  await run(shared.page, 'seq 1 300');
  await waitForBuffer(shared.page, /^300$/m);
  await waitForPrompt(shared.page);
  const afterScroll = (await inspect(shared.page, 'renderPacing'))!;
  assert.ok(afterScroll.skippedSelectionRedraws > before.skippedSelectionRedraws, 'scrolling with no selection skipped the redraws');
  assert.equal(await selectionBoxes.count(), 0);

  await run(shared.page, 'clear; printf "alpha select-me omega\\n"');
  await waitForBuffer(shared.page, /^alpha select-me omega$/m);
  // After `clear` the line is the screen's first row: drag across columns 6..15 of it.
  const { screen } = await inspect(shared.page, 'screenBox');
  const { cellWidth, cellHeight } = await inspect(shared.page, 'font');
  const y = screen.top + cellHeight / 2;
  await shared.page.mouse.move(screen.left + cellWidth * 6.5, y);
  await shared.page.mouse.down();
  await shared.page.mouse.move(screen.left + cellWidth * 15.5, y, { steps: 5 });
  await shared.page.mouse.up();
  await selectionBoxes.first().waitFor({ timeout: 5_000 });
  assert.ok((await selectionBoxes.count()) > 0, 'the selection is drawn');

  // Clearing it must be drawn, although "nothing selected" is what the skipped redraws look like.
  await shared.page.mouse.click(screen.left + cellWidth * 2.5, screen.top + cellHeight * 4.5);
  const deadline = Date.now() + 5_000;
  while ((await selectionBoxes.count()) > 0) {
    assert.ok(Date.now() < deadline, 'the cleared selection is still drawn after 5 s');
    await shared.page.waitForTimeout(50);
  }
});
