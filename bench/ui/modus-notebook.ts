// Modus's side of the UI bench, driven as a user drives it: the Open
// notebook prompt (Ctrl+Shift+M, the path, Enter) in a window with a
// terminal, or `modus serve PATH.md`, which opens the notebook in the first
// tab by itself; trusting the notebook with its banner; starting the
// streaming blocks with their Run lenses; Stop.

import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';
import { startServe, waitForPrompt, type ModusServer } from '../../test/helpers/browser.js';
import type { BenchBrowser, BenchPage } from '../terminal/cdp.js';
import { clickLensAboveCursor, clickLineEnd, findText } from './editor-actions.js';
import { STREAMING_BLOCKS, TYPING_ANCHOR, streamMarker } from './notebook-fixture.js';
import { analysisFigures, LENSES_SHOWN, openFigures, STATUS_SHOWN, TEXT_SHOWN, typeFirstKey, type AnalysisFigures, type OpenFigures } from './open-figures.js';
import { armedKeyAt, armKey, installUiProbe, readAppearances, waitForAppearance, watchAppearances } from './page-probe.js';

/** A desktop window's worth: the editor shows about 30 lines above the output panel. */
export const VIEWPORT = { width: 1280, height: 800 } as const;
const OPEN_TIMEOUT_MS = 120_000;

export interface ModusSession {
  page: BenchPage;
  server: ModusServer;
  close(): Promise<void>;
}

interface DomGlobals {
  __modus?: ModusTestHook;
  document: {
    querySelector(selector: string): { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number; height: number }; getClientRects(): { length: number } } | null;
    querySelectorAll(selector: string): { length: number };
  };
}

async function session(browser: BenchBrowser, args: string[], watchAtLoad: Parameters<typeof installUiProbe>[1]): Promise<ModusSession> {
  const server = await startServe({ args });
  const page = await browser.newPage(VIEWPORT);
  await installUiProbe(page, watchAtLoad);
  await page.goto(server.url);
  return {
    page,
    server,
    close: async () => {
      await page.close();
      await server.stop();
    },
  };
}

export interface PromptOpen {
  session: ModusSession;
  /** Ctrl+Shift+M → the Open prompt on screen: the first time, Monaco's chunk is loaded then. */
  promptMs: number;
  open: OpenFigures;
  /** The editor's size in CSS pixels (the floor's editor is given the same). */
  editorSize: { width: number; height: number };
}

/** A Modus window with a terminal; the notebook opened through the Open prompt; one key typed as soon as the text shows. */
export async function openThroughPrompt(browser: BenchBrowser, path: string): Promise<PromptOpen> {
  const s = await session(browser, [], {});
  const { page } = s;
  try {
    await page.waitForFunction(() => (globalThis as unknown as DomGlobals).__modus?.ready() === true, undefined, { timeout: 60_000 });
    await waitForPrompt(page, 60_000);
    await watchAppearances(page, { prompt: { selector: '.open-prompt-input', text: false } });
    await armKey(page, 'M');
    await page.keyboard.press('Control+Shift+M');
    await waitForAppearance(page, 'prompt', OPEN_TIMEOUT_MS);
    const promptMs = (await readAppearances(page)).prompt!.shownAt! - (await armedKeyAt(page));
    await page.keyboard.type(path);
    await watchAppearances(page, { text: TEXT_SHOWN });
    await armKey(page, 'Enter');
    await page.keyboard.press('Enter');
    await waitForAppearance(page, 'text', OPEN_TIMEOUT_MS);
    const firstKey = await typeFirstKey(page);
    const open = await openFigures(page, await armedKeyAt(page), firstKey);
    const editorSize = await page.evaluate(() => {
      const box = (globalThis as unknown as DomGlobals).document.querySelector('.nb-view .nb-editor')!.getBoundingClientRect();
      return { width: Math.round(box.width), height: Math.round(box.height) };
    });
    return { session: s, promptMs, open, editorSize };
  } catch (e) {
    await s.close();
    throw e;
  }
}

/** `modus serve PATH.md`: the page opens the notebook by itself; nothing is typed, so the analysis drawn is the one of the text as opened. */
export async function openAtLoad(browser: BenchBrowser, path: string): Promise<{ session: ModusSession; open: AnalysisFigures }> {
  const s = await session(browser, [path], { text: TEXT_SHOWN, lenses: LENSES_SHOWN, statuses: STATUS_SHOWN });
  try {
    for (const name of ['text', 'lenses', 'statuses']) await waitForAppearance(s.page, name, OPEN_TIMEOUT_MS);
    // performance.now() counts from navigation start.
    return { session: s, open: await analysisFigures(s.page, 0) };
  } catch (e) {
    await s.close();
    throw e;
  }
}

/** Clicks the visible element matching `selector`. */
async function clickVisible(page: BenchPage, selector: string): Promise<void> {
  const point = await page.evaluate((sel: string) => {
    const el = (globalThis as unknown as DomGlobals).document.querySelector(sel);
    if (!el || el.getClientRects().length === 0) return null;
    const box = el.getBoundingClientRect();
    return { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
  }, selector);
  if (!point) throw new Error(`nothing visible matches ${selector}`);
  await page.mouse.click(point.x, point.y);
}

async function waitForCount(page: BenchPage, selector: string, test: (count: number) => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test(await page.evaluate((sel: string) => (globalThis as unknown as DomGlobals).document.querySelectorAll(sel).length, selector))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

/** "Trust and allow runs" in the banner; waits until the banner is gone. */
export async function trustNotebook(page: BenchPage): Promise<void> {
  await clickVisible(page, '.nb-view .nb-trust-button');
  await waitForCount(page, '.nb-view .nb-trust:not([hidden])', (n) => n === 0, 'the trust banner to go', 30_000);
}

/** Runs every streaming block with its own Run lens (found with Ctrl+F), so all of them stream at once; waits until each is running. */
export async function startStreams(page: BenchPage, say: (line: string) => void): Promise<void> {
  await page.keyboard.press('Control+Home');
  await clickLineEnd(page, TYPING_ANCHOR);
  for (let n = 1; n <= STREAMING_BLOCKS; n++) {
    // A lens redrawn under the pointer as the click lands misses: find and click again, a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      await findText(page, streamMarker(n));
      await clickLensAboveCursor(page, 'Run');
      try {
        await waitForCount(page, `.nb-output-entry[data-block="${n}"][data-status="running"]`, (c) => c === 1, `block ${n} to run`, 60_000);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        say(`  block ${n} did not start after its Run lens was clicked; again (attempt ${attempt + 1} of 3)`);
      }
    }
    if (n % 5 === 0) say(`  ${n} of ${STREAMING_BLOCKS} streaming blocks running`);
  }
  await page.keyboard.press('Control+Home');
}

/** How many blocks stream now (their output panel entries say running). */
export function runningStreams(page: BenchPage): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as DomGlobals).document.querySelectorAll('.nb-output-entry[data-status="running"]').length);
}

/** ■ Stop; waits until no block runs. */
export async function stopStreams(page: BenchPage): Promise<void> {
  await clickVisible(page, '.nb-view .nb-stop');
  await waitForCount(page, '.nb-output-entry[data-status="running"]', (n) => n === 0, 'the streaming blocks to stop', 120_000);
}
