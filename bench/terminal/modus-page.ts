// A Modus page for the bench: like the e2e helper's openModus, but in the
// network-blind browser (cdp.ts), with the WebSocket arrival recorder
// installed before the renderer's scripts run, a short prompt, and the bench
// probe in place.

import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';
import { CHROMIUM_ARGS, inspect, run, startServe, waitForPrompt, type ModusServer } from '../../test/helpers/browser.js';
import { BenchBrowser, type BenchPage } from './cdp.js';
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

export interface FreshModusOptions {
  settings: Record<string, unknown>;
  /** Chromium's flags (default: the e2e tests'). */
  browserArgs?: readonly string[];
  /** A taskset CPU list Chromium is kept to. */
  cpus?: string;
  /** Runs once `modus serve` is up, before the page opens a terminal. */
  onServe?: (server: ModusServer) => void;
}

/** A browser, a `modus serve` and a Modus page of their own for `action`; all three are closed after it. */
export async function withFreshModusPage<T>(options: FreshModusOptions, action: (page: BenchPage, browser: BenchBrowser) => Promise<T>): Promise<T> {
  const browser = await BenchBrowser.launch(options.browserArgs ?? CHROMIUM_ARGS, options.cpus);
  try {
    const server = await startServe({ settings: options.settings });
    try {
      options.onServe?.(server);
      const page = await openModusPage(browser, server);
      try {
        return await action(page, browser);
      } finally {
        await page.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await browser.close();
  }
}
