// Typing into an editor the way a fast typist does, and timing every key in
// the page (page-probe.ts). Keys go out on a fixed schedule, one every
// `intervalMs`, whether or not the previous one is on screen yet (a typist
// does not wait for the screen; a key the page is slow to take simply waits
// in the browser, and that wait counts). A line ends with Enter every
// `perLine` keys, once its keys are all on screen, so no line grows long.
// Each line starts with a few unmeasured characters that make it unique
// (`q<n>x`), so the probe can tell it from any line typed before.

import { performance } from 'node:perf_hooks';
import type { BenchPage } from '../terminal/cdp.js';
import { beginLine, startMeasuring, takeKeySamples, waitForLineShown, type KeySample } from './page-probe.js';

export interface TypingPlan {
  keys: number;
  perLine: number;
  intervalMs: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** A key that never shows is a broken bench, not a slow page. */
const LINE_TIMEOUT_MS = 120_000;

/** Numbers the lines typed in a page, so each line's prefix is unique there. */
export class LineNumbers {
  #next = 1;
  next(): number {
    return this.#next++;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Types one line: its unique prefix, then `count` measured keys on the schedule. */
async function typeLine(page: BenchPage, lines: LineNumbers, count: number, intervalMs: number, offset: number): Promise<void> {
  await beginLine(page, false);
  for (const char of `q${lines.next()}x`) await page.keyboard.press(char);
  await waitForLineShown(page, LINE_TIMEOUT_MS);
  await startMeasuring(page);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + i * intervalMs - performance.now();
    if (due > 0) await sleep(due);
    await page.keyboard.press(LETTERS[(offset + i) % LETTERS.length]!);
  }
  await waitForLineShown(page, LINE_TIMEOUT_MS);
}

/**
 * Types `plan.keys` measured keys into the focused editor, whose cursor is on
 * an empty line; returns their samples (every one was shown, or this throws).
 */
export async function typeMeasured(page: BenchPage, plan: TypingPlan, lines: LineNumbers): Promise<KeySample[]> {
  for (let typed = 0; typed < plan.keys; typed += plan.perLine) {
    if (typed > 0) await page.keyboard.press('Enter');
    await typeLine(page, lines, Math.min(plan.perLine, plan.keys - typed), plan.intervalMs, typed);
  }
  return (await takeKeySamples(page)).filter((s) => s.measured);
}

/** Key → character on screen, ms. */
export function keyLatencies(samples: readonly KeySample[]): number[] {
  return samples.map((s) => s.shownAt! - s.sentAt);
}
