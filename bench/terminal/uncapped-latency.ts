// Keystroke latency with Chromium's frame clock uncapped. Headless Chromium
// draws on a fixed 60 Hz clock that no display drives: a character that is
// ready waits for the next tick, 8 ms on average, whatever the page does, so
// even a plain page that echoes over a WebSocket needs about 13 ms there (the
// "floor" figure). With the clock uncapped a frame starts as soon as one is
// asked for, and what remains is the page's own cost: the figure a screen
// that refreshes far faster than 60 Hz would show. Both the Modus page and
// the floor page are measured in this second browser, the same way as at
// 60 Hz.

import { CHROMIUM_ARGS } from '../../test/helpers/browser.js';
import type { BenchPage } from './cdp.js';
import { measureEchoFloor } from './echo-floor.js';
import { VIEWPORT, withFreshModusPage } from './modus-page.js';
import type { EchoSample } from './probes.js';

/** Chromium flags: frames as soon as they are asked for, not at a 60 Hz tick. */
export const UNCAPPED_FRAME_ARGS: readonly string[] = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

export interface UncappedLatency {
  modus: EchoSample[];
  floor: number[];
}

export function measureUncappedLatency(
  settings: Record<string, unknown>,
  keys: number,
  typeIntoCat: (page: BenchPage) => Promise<EchoSample[]>,
): Promise<UncappedLatency> {
  return withFreshModusPage({ settings, browserArgs: [...CHROMIUM_ARGS, ...UNCAPPED_FRAME_ARGS] }, async (page, browser) => {
    const modus = await typeIntoCat(page);
    const floor = await measureEchoFloor(browser, keys, VIEWPORT);
    return { modus, floor };
  });
}
