// How busy a page's main thread was while something ran: CDP Performance
// metrics count the time spent in tasks (TaskDuration) against wall time
// (Timestamp). A page that streams terminal output but is mostly idle is
// waiting for bytes, so the bottleneck is upstream of it.

import type { BenchPage } from './cdp.js';

interface Metrics {
  metrics: { name: string; value: number }[];
}

function metric(result: Metrics, name: string): number {
  return result.metrics.find((m) => m.name === name)?.value ?? Number.NaN;
}

/** Runs `action` and returns its result with the share of wall time (0–1) the page's main thread spent in tasks. */
export async function withMainThreadLoad<T>(page: BenchPage, action: () => Promise<T>): Promise<{ result: T; busy: number }> {
  await page.cdp('Performance.enable');
  try {
    const before = (await page.cdp('Performance.getMetrics')) as unknown as Metrics;
    const result = await action();
    const after = (await page.cdp('Performance.getMetrics')) as unknown as Metrics;
    const busy = (metric(after, 'TaskDuration') - metric(before, 'TaskDuration')) / (metric(after, 'Timestamp') - metric(before, 'Timestamp'));
    return { result, busy };
  } finally {
    await page.cdp('Performance.disable');
  }
}
