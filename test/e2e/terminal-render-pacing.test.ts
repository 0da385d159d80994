// Flood render pacing (renderer/src/render-pacer.ts, xterm-render-hooks.ts)
// in headless Chromium through the real `modus serve`: during a flood
// refreshes are held, the screen after it is drawn, typing after it is not
// held, and skipping xterm's selection redraws when nothing is selected does
// not break selecting. The hooks reach into
// xterm's private services: if an xterm upgrade moves them, the first test
// fails.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareModusPage, inspect, run, waitForBuffer, waitForPrompt } from '../helpers/browser.js';
import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';
import type { BenchPage } from '../../bench/terminal/cdp.js';
import { withFreshModusPage } from '../../bench/terminal/modus-page.js';

const shared = shareModusPage();

type Globals = {
  __modus: ModusTestHook;
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
    { timeout: 15_000 },
  );
}

// The pacing rule itself (at most one refresh per interval in a flood, what
// ends a flood) is tested on a manual clock in test/unit/renderer. Here: that
// the hooks engage on the real xterm in a real flood, that the screen after
// the flood is drawn, and that typing is never held. Every wait is for an
// event, so the verdict does not depend on how fast the machine parses.
test('in a flood refreshes are held, the prompt after Ctrl+C is drawn, and typing after it is not held', async () => {
  // Playwright slows every WebSocket frame down (it copies each one to its client), so much that the
  // page never falls behind and there is no flood to pace. This test uses the benchmark's Modus page,
  // in a Chromium driven over CDP without the Network domain (bench/terminal/cdp.ts).
  await withFreshModusPage({ settings: {} }, async (floodPage) => {
    const before = (await inspect(floodPage, 'renderPacing'))!;
    // Long lines parse fast per byte, so flow control lets the page fall far enough behind to be in a flood on any machine.
    await run(floodPage, `yes "$(printf '%0200d' 0)"`);
    await floodPage.waitForFunction(
      (held: number) => ((globalThis as unknown as Globals).__modus.renderPacing()?.deferred ?? 0) >= held,
      before.deferred + 5,
      { timeout: 60_000, polling: 50 },
    );
    await floodPage.keyboard.press('Control+C');
    await waitForPrompt(floodPage, 30_000);
    await floodPage.waitForFunction(() => (globalThis as unknown as Globals).__modus.renderPacing()?.holding === false, undefined, { timeout: 15_000 });
    await waitForDrawn(floodPage, '^C');
    const after = (await inspect(floodPage, 'renderPacing'))!;
    assert.ok(after.deferred >= before.deferred + 5, `refreshes were held during the flood (${JSON.stringify(after)})`);

    // Typing after the flood: every echo is drawn as it comes, none held.
    await floodPage.keyboard.type('echo typed');
    await waitForDrawn(floodPage, 'echo typed');
    const typed = (await inspect(floodPage, 'renderPacing'))!;
    assert.equal(typed.deferred, after.deferred, 'no keystroke echo was held back');
    assert.equal(typed.flooding, false, 'the flood is over');
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

  // The same line is still in the scrollback from above: wait for what only this command prints after its
  // `clear` (the command line's echo shows $((6*7)), not 42), or the drag can land before the clear does.
  await run(shared.page, 'clear; printf "alpha select-me omega\\n"; echo "cleared-$((6*7))"');
  await waitForBuffer(shared.page, /^cleared-42$/m);
  await waitForPrompt(shared.page);
  // After `clear` the line is the screen's first row: drag across columns 6..15 of it.
  const { screen } = await inspect(shared.page, 'screenBox');
  const { cellWidth, cellHeight } = await inspect(shared.page, 'font');
  const y = screen.top + cellHeight / 2;
  await shared.page.mouse.move(screen.left + cellWidth * 6.5, y);
  await shared.page.mouse.down();
  await shared.page.mouse.move(screen.left + cellWidth * 15.5, y, { steps: 5 });
  await shared.page.mouse.up();
  await selectionBoxes.first().waitFor({ timeout: 15_000 });
  assert.ok((await selectionBoxes.count()) > 0, 'the selection is drawn');

  // Clearing it must be drawn, although "nothing selected" is what the skipped redraws look like.
  await shared.page.mouse.click(screen.left + cellWidth * 2.5, screen.top + cellHeight * 4.5);
  const deadline = Date.now() + 15_000;
  while ((await selectionBoxes.count()) > 0) {
    assert.ok(Date.now() < deadline, 'the cleared selection is still drawn after 15 s');
    await shared.page.waitForTimeout(50);
  }
});
