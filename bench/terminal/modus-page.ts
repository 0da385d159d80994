// A Modus page for the bench: like the e2e helper's openModus, but with the
// WebSocket arrival recorder installed before the renderer's scripts run,
// a short prompt, and the bench probe in place.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';
import { inspect, run, waitForPrompt, type ModusServer } from '../../test/helpers/browser.js';
import { installProbe, recordBinaryFrameArrivals } from './probes.js';

export const VIEWPORT = { width: 1000, height: 700 } as const;

export interface BenchPage {
  context: BrowserContext;
  page: Page;
  /** Errors and warnings the page logged. */
  logs: string[];
}

/** Sets a short prompt (so the sentinel and the prompt fit on one line) and waits for it. */
export async function shortPrompt(page: Page): Promise<void> {
  await run(page, "PS1='$ '; clear");
  await waitForPrompt(page, 60_000);
}

export async function openModusPage(browser: Browser, server: ModusServer): Promise<BenchPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') logs.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await recordBinaryFrameArrivals(page);
  await page.goto(server.url);
  await page.waitForFunction(() => (globalThis as unknown as { __modus?: ModusTestHook }).__modus?.ready() === true, undefined, { timeout: 60_000 });
  await waitForPrompt(page, 60_000);
  await shortPrompt(page);
  await installProbe(page, 'modus');
  return { context, page, logs };
}

/** Opens a new tab (the default key binding) and waits for its prompt. */
export async function newTab(page: Page, expectedTabs: number): Promise<void> {
  await page.keyboard.press('Control+Shift+T');
  const deadline = Date.now() + 60_000;
  while ((await inspect(page, 'tabTitles')).length !== expectedTabs) {
    if (Date.now() > deadline) throw new Error(`Ctrl+Shift+T did not open tab ${expectedTabs} within 60 s`);
    await page.waitForTimeout(50);
  }
  await waitForPrompt(page, 60_000);
  await shortPrompt(page);
}
