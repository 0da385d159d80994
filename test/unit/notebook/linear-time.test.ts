// Scanning, checking and the report take time linear in the notebook:
// each test times size N and 2N in the same process and asserts that 2N
// takes less than 4× as long (linear is 2×, quadratic 4×; the audit of
// 2026-12-03 measured 3.6× to 5.8×). Two paths each: what users get (the
// default limits, which refuse the deep part early) and the scanner with
// no nesting limit, which shows the mechanism itself is linear. The second
// keeps N levels of blocks alive at once, and the garbage collector copies
// them while its young generation grows (8N measured up to 21× N; 6× with
// node --min-semi-space-size=128), so it compares N with 8N: under 32×
// (linear is 8×, quadratic 64×; the code before the fix took 1000× longer
// than a flat notebook of the same size at N = 10k).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { renderReport } from '../../../main/notebook/report.js';
import { planRun } from '../../../main/run/plan.js';
import { checkNotebookText } from '../../../main/host/cli/commands/check.js';

const UNLIMITED = { maxNesting: Number.POSITIVE_INFINITY };

/** Garbage collections seen (start and duration, ms on performance.now()'s clock). */
const collections: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push({ start: e.startTime, duration: e.duration });
}).observe({ entryTypes: ['gc'] });

/**
 * Milliseconds per call of one round, the garbage collector's pauses left
 * out: the call repeated for at least 60 ms (timer noise averaged out). The
 * scanner's own work is what must be linear; how long the collector takes to
 * copy N live levels depends on how its heap has grown, which a busy machine
 * changes (N against 8N measured 34.5× with the pauses in, under load 16).
 */
async function round(f: () => unknown): Promise<number> {
  const start = performance.now();
  let calls = 0;
  do {
    await f();
    calls++;
  } while (performance.now() - start < 60);
  const end = performance.now();
  // The observer is told of collections asynchronously.
  await new Promise((resolve) => setImmediate(resolve));
  const paused = collections.filter((c) => c.start >= start && c.start < end).reduce((sum, c) => sum + c.duration, 0);
  collections.length = 0;
  return (end - start - paused) / calls;
}

/**
 * Asserts that size `factor`·n takes less than `bound` times as long as
 * size n. The two sizes take turns over five rounds and each keeps its best
 * round, so a machine busy with other work slows both alike.
 */
async function assertLinear(what: string, make: (n: number) => string, n: number, run: (text: string) => unknown, factor = 2, bound = 4): Promise<void> {
  const small = make(n);
  const large = make(factor * n);
  await run(small);
  await run(large);
  let t1 = Number.POSITIVE_INFINITY;
  let t2 = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 5; r++) {
    t1 = Math.min(t1, await round(() => run(small)));
    t2 = Math.min(t2, await round(() => run(large)));
  }
  assert.ok(t2 < bound * t1, `${what}: ${n} took ${t1.toFixed(2)} ms, ${factor * n} took ${t2.toFixed(2)} ms (${(t2 / t1).toFixed(1)}×, at most ${bound}×)`);
}

/** The unlimited-nesting variant: N against 8N, under 32×. */
const assertLinearDeep = (what: string, make: (n: number) => string, n: number, run: (text: string) => unknown): Promise<void> => assertLinear(what, make, n, run, 8, 32);

/** A code block inside n nested `- ` items: the audit's 600 KB file at n = 100k (185 s to check). */
function listWithCode(n: number): string {
  const pad = ' '.repeat(2 * n);
  return `${'- '.repeat(n)}\`\`\`sh\n${pad}echo deep\n${pad}\`\`\`\n`;
}

const nestedItems = (n: number): string => `${'- '.repeat(n)}x\n`;
const nestedQuotes = (n: number): string => `${'>'.repeat(n)} x\n`;

const check = (text: string): Promise<unknown> => checkNotebookText(text, '/nonexistent-modus-dir/nb.md', { displayName: 'nb.md', sshConfigPath: null });
const unlimitedCheck = (text: string): unknown => planRun(scanNotebook(text, 'nb.md', UNLIMITED), { file: 'nb.md' });

test('check of a code block inside nested list items is linear', async () => {
  assert.equal((await check(listWithCode(1000)) as { ruleId: string }[])[0]?.ruleId, 'nesting-too-deep');
  await assertLinear('modus check, default limits', listWithCode, 400_000, check);
  // Without a limit the block is found, with its 2n-column prefix, in linear time.
  const nb = scanNotebook(listWithCode(20_000), 'nb.md', UNLIMITED);
  assert.equal(nb.blocks[0]?.body, 'echo deep');
  assert.equal(nb.blocks[0]?.container.prefix.length, 40_000);
  await assertLinearDeep('check without a nesting limit', listWithCode, 5_000, unlimitedCheck);
});

test('check of nested list items alone is linear', async () => {
  await assertLinear('modus check, default limits', nestedItems, 400_000, check);
  await assertLinearDeep('check without a nesting limit', nestedItems, 5_000, unlimitedCheck);
});

test('export of nested block quotes is linear and refused before remark', async () => {
  const report = (text: string): unknown => renderReport({ text, fileName: 'nb.md', runs: null });
  const r = renderReport({ text: nestedQuotes(50_000), fileName: 'nb.md', runs: null });
  assert.deepEqual(r.problems.map((p) => [p.line, p.column, p.ruleId]), [[1, 101, 'nesting-too-deep']]);
  assert.ok(r.html.length < 20_000, `the refusal page is small (${r.html.length} characters)`);
  await assertLinear('modus export, default limits', nestedQuotes, 400_000, report);
  // Many lines of deep quotes: every line is read up to the limit, no further.
  await assertLinear('modus export, many deep lines', (n) => `${'>'.repeat(300)} x\n`.repeat(n / 100), 200_000, report);
  await assertLinearDeep('scan without a nesting limit', nestedQuotes, 10_000, (text) => scanNotebook(text, 'nb.md', UNLIMITED));
});
