// The floor's side of the UI bench: the plain Monaco page (bench/ui/floor/)
// opened the two ways Modus is: Enter in an input once Monaco is loaded
// (as the Open prompt), or at page load (as `modus serve PATH.md`).

import type { BenchBrowser, BenchPage } from '../terminal/cdp.js';
import type { FloorServer } from './floor-server.js';
import { VIEWPORT } from './modus-notebook.js';
import { analysisFigures, openFigures, TEXT_SHOWN, typeFirstKey, type AnalysisFigures, type OpenFigures } from './open-figures.js';
import { armedKeyAt, armKey, installUiProbe, waitForAppearance, watchAppearances } from './page-probe.js';

const OPEN_TIMEOUT_MS = 120_000;

export interface FloorSession {
  page: BenchPage;
  close(): Promise<void>;
}

interface FloorGlobals {
  __floorReady?: boolean;
  document: { getElementById(id: string): { focus(): void } | null };
}

async function floorPage(browser: BenchBrowser, server: FloorServer, query: string, editorSize: { width: number; height: number }, watchAtLoad: Parameters<typeof installUiProbe>[1]): Promise<FloorSession> {
  const page = await browser.newPage(VIEWPORT);
  await installUiProbe(page, watchAtLoad);
  await page.goto(`${server.origin}/?width=${editorSize.width}&height=${editorSize.height}${query}`);
  return { page, close: () => page.close() };
}

/** Enter in the floor's input (Monaco loaded): the text fetched and shown; one key typed as soon as it shows. */
export async function openFloorThroughInput(browser: BenchBrowser, server: FloorServer, editorSize: { width: number; height: number }): Promise<{ session: FloorSession; open: OpenFigures }> {
  const s = await floorPage(browser, server, '', editorSize, {});
  try {
    await s.page.waitForFunction(() => (globalThis as unknown as FloorGlobals).__floorReady === true, undefined, { timeout: 60_000 });
    await s.page.evaluate(() => (globalThis as unknown as FloorGlobals).document.getElementById('open')!.focus());
    await watchAppearances(s.page, { text: TEXT_SHOWN });
    await armKey(s.page, 'Enter');
    await s.page.keyboard.press('Enter');
    await waitForAppearance(s.page, 'text', OPEN_TIMEOUT_MS);
    const firstKey = await typeFirstKey(s.page);
    return { session: s, open: await openFigures(s.page, await armedKeyAt(s.page), firstKey) };
  } catch (e) {
    await s.close();
    throw e;
  }
}

/** The floor page opening the text at load, timed from navigation start. */
export async function openFloorAtLoad(browser: BenchBrowser, server: FloorServer, editorSize: { width: number; height: number }): Promise<{ session: FloorSession; open: AnalysisFigures }> {
  const s = await floorPage(browser, server, '&cold', editorSize, { text: TEXT_SHOWN });
  try {
    await waitForAppearance(s.page, 'text', OPEN_TIMEOUT_MS);
    return { session: s, open: await analysisFigures(s.page, 0) };
  } catch (e) {
    await s.close();
    throw e;
  }
}
