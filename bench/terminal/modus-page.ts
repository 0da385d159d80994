// A Modus page for the bench: like the e2e helper's openModus, but in the
// network-blind browser (cdp.ts), with the WebSocket arrival recorder
// installed before the renderer's scripts run, a short prompt, and the bench
// probe in place.

import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';
import { inspect, run, waitForPrompt, type ModusServer } from '../../test/helpers/browser.js';
import type { BenchBrowser, BenchPage } from './cdp.js';
import { installProbe, recordBinaryFrameArrivals } from './probes.js';

export const VIEWPORT = { width: 1000, height: 700 } as const;

/** Sets a short prompt (so the sentinel and the prompt fit on one line) and waits for it. */
export async function shortPrompt(page: BenchPage): Promise<void> {
  await run(page, "PS1='$ '; clear");
  await waitForPrompt(page, 60_000);
}

/** The page's `logs` collect what it reports as errors and warnings. */
export async function openModusPage(browser: BenchBrowser, server: ModusServer): Promise<BenchPage> {
  const page = await browser.newPage(VIEWPORT);
  await recordBinaryFrameArrivals(page);
  await page.goto(server.url);
  await page.waitForFunction(() => (globalThis as unknown as { __modus?: ModusTestHook }).__modus?.ready() === true, undefined, { timeout: 60_000 });
  await waitForPrompt(page, 60_000);
  await shortPrompt(page);
  await installProbe(page, 'modus');
  return page;
}

/** Opens a new tab (the default key binding) and waits for its prompt. */
export async function newTab(page: BenchPage, expectedTabs: number): Promise<void> {
  await page.keyboard.press('Control+Shift+T');
  const deadline = Date.now() + 60_000;
  while ((await inspect(page, 'tabTitles')).length !== expectedTabs) {
    if (Date.now() > deadline) throw new Error(`Ctrl+Shift+T did not open tab ${expectedTabs} within 60 s`);
    await page.waitForTimeout(50);
  }
  await waitForPrompt(page, 60_000);
  await shortPrompt(page);
}
