// Scanning, checking and the report take time linear in the notebook:
// each test measures size N and 2N in the same process and asserts that 2N
// takes less than 4× as long (linear is 2×, quadratic 4×; the audit of
// 2026-12-03 measured 3.6× to 5.8×). Two paths each: what users get (the
// default limits, which refuse the deep part early) and the scanner with
// no nesting limit, which shows the mechanism itself is linear. The second
// keeps N levels of blocks alive at once, so it compares N with 8N: under
// 32× (linear is 8×, quadratic 64×; the code before the fix took 1000×
// longer than a flat notebook of the same size at N = 10k). Its N is large
// enough that both sizes outgrow the CPU's caches: at N = 5k the small one
// fitted, and the ratio rose to 15–32× from caches and the garbage
// collector alone, where at N = 40k it is 8–13×, idle or busy.
//
// Time is the process's CPU time, not the clock's: on a machine busy with
// other work the clock also counts the time this process waits for a core,
// which moved wall-clock ratios of the same code from 4× to 32×.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { renderReport } from '../../../main/notebook/report.js';
import { planRun } from '../../../main/run/plan.js';
import { checkNotebookText } from '../../../main/host/cli/commands/check.js';

const UNLIMITED = { maxNesting: Number.POSITIVE_INFINITY };

/** CPU milliseconds this process has used (all its threads: the garbage collector's helpers work for the call too). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU milliseconds per call of one round: the call repeated for at least 60 ms of CPU (the counters' granularity averaged out). */
async function round(f: () => unknown): Promise<number> {
  const start = cpuMs();
  let calls = 0;
  do {
    await f();
    calls++;
  } while (cpuMs() - start < 60);
  return (cpuMs() - start) / calls;
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
  assert.ok(t2 < bound * t1, `${what}: ${n} took ${t1.toFixed(2)} ms of CPU, ${factor * n} took ${t2.toFixed(2)} ms (${(t2 / t1).toFixed(1)}×, at most ${bound}×)`);
}

/** Levels of nesting of the unlimited variant's small size (see the top: the caches). */
const DEEP = 40_000;

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
  await assertLinearDeep('check without a nesting limit', listWithCode, DEEP, unlimitedCheck);
});

test('check of nested list items alone is linear', async () => {
  await assertLinear('modus check, default limits', nestedItems, 400_000, check);
  await assertLinearDeep('check without a nesting limit', nestedItems, DEEP, unlimitedCheck);
});

test('export of nested block quotes is linear and refused before remark', async () => {
  const report = (text: string): unknown => renderReport({ text, fileName: 'nb.md', runs: null });
  const r = renderReport({ text: nestedQuotes(50_000), fileName: 'nb.md', runs: null });
  assert.deepEqual(r.problems.map((p) => [p.line, p.column, p.ruleId]), [[1, 101, 'nesting-too-deep']]);
  assert.ok(r.html.length < 20_000, `the refusal page is small (${r.html.length} characters)`);
  await assertLinear('modus export, default limits', nestedQuotes, 400_000, report);
  // Many lines of deep quotes: every line is read up to the limit, no further.
  await assertLinear('modus export, many deep lines', (n) => `${'>'.repeat(300)} x\n`.repeat(n / 100), 200_000, report);
  await assertLinearDeep('scan without a nesting limit', nestedQuotes, 2 * DEEP, (text) => scanNotebook(text, 'nb.md', UNLIMITED));
});
