// Memory of a page with the notebook open: the JS heap and DOM nodes as CDP
// Performance.getMetrics reports them after a garbage collection
// (terminal/memory.ts collects it and adds ArrayBuffers), and the resident size of the page's renderer process.
// Which renderer is the page's: the one that was not there before the page
// was made (each page has a browser context of its own, so a process of
// its own).

import type { BenchBrowser, BenchPage } from '../terminal/cdp.js';
import { browserProcesses, pageMemory, type ProcessMemory } from '../terminal/memory.js';

export interface UiMemory {
  /** JS heap in use after a garbage collection (Performance.getMetrics "JSHeapUsedSize"), bytes. */
  jsHeapUsed: number;
  /** ArrayBuffer backing stores, outside that heap (null when this Chromium does not say). */
  backingStores: number | null;
  /** DOM nodes (Performance.getMetrics "Nodes"). */
  nodes: number;
  /** The page's renderer process (RSS, PSS), null when it could not be told apart. */
  renderer: ProcessMemory | null;
}

interface Metrics {
  metrics: { name: string; value: number }[];
}

/** Renderer pids running now (call before making the page, to tell its renderer later). */
export async function rendererPids(browser: BenchBrowser): Promise<Set<number>> {
  return new Set((await browserProcesses(browser)).filter((p) => p.type === 'renderer').map((p) => p.pid));
}

export async function measureUiMemory(browser: BenchBrowser, page: BenchPage, before: Set<number>): Promise<UiMemory> {
  // pageMemory collects garbage first, so what follows is what is live.
  const heap = await pageMemory(page);
  await page.cdp('Performance.enable');
  let metrics: Metrics;
  try {
    metrics = (await page.cdp('Performance.getMetrics')) as unknown as Metrics;
  } finally {
    await page.cdp('Performance.disable');
  }
  const fresh = (await browserProcesses(browser)).filter((p) => p.type === 'renderer' && !before.has(p.pid));
  // A spare renderer Chromium starts for later use is small; the page's is the largest new one.
  const renderer = fresh.sort((a, b) => b.rss - a.rss)[0] ?? null;
  return {
    jsHeapUsed: metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? heap.jsHeapUsed,
    backingStores: heap.backingStores,
    nodes: metrics.metrics.find((m) => m.name === 'Nodes')?.value ?? Number.NaN,
    renderer,
  };
}
