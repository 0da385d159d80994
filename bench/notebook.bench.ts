// `npm run bench:notebook`: the notebook core in one run (then `modus run`: its overhead, huge output, the scale of a run). Scanner and remark
// throughput on a generated 1 MB notebook with 5,000 blocks and on a 10 MB
// output-heavy one, the ratio between them, and the time to splice one
// result into each. Sections are exported so other sections (the `modus run`
// overhead) can join the same run.

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { scanNotebook } from '../main/notebook/scan.js';
import { spliceResults } from '../main/notebook/splice.js';
import { generateNotebook } from './notebook/generate-notebook.js';

const MB = 1024 * 1024;

export interface Timing {
  /** Median milliseconds over the runs. */
  ms: number;
  runs: number;
}

export function time(fn: () => void, minRuns = 5, budgetMs = 2000): Timing {
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < minRuns || (performance.now() - started < budgetMs && samples.length < 200)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
    if (samples.length >= minRuns && performance.now() - started > budgetMs) break;
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], runs: samples.length };
}

export interface ScannerFigures {
  name: string;
  bytes: number;
  blocks: number;
  scanMs: number;
  scanMBps: number;
  /** remark is measured on at most `remarkBytes` of the text (it is slow). */
  remarkBytes: number;
  remarkMs: number;
  remarkMBps: number;
  ratio: number;
  spliceMs: number;
  scanAndSpliceMs: number;
}

const remark = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm);

/** Scanner vs remark throughput and one splice on `text`. */
export function benchNotebook(name: string, text: string, remarkLimit = 1 * MB): ScannerFigures {
  const bytes = Buffer.byteLength(text);
  const nb = scanNotebook(text);
  const scan = time(() => scanNotebook(text));
  // remark on a prefix cut at a block boundary, so its throughput is comparable.
  let sample = text;
  if (text.length > remarkLimit) {
    const cut = text.indexOf('\n\n## ', remarkLimit);
    sample = text.slice(0, cut > 0 ? cut + 1 : remarkLimit);
  }
  const remarkBytes = Buffer.byteLength(sample);
  const parsed = time(() => remark.parse(sample), 1, 1);
  const middle = nb.blocks[Math.floor(nb.blocks.length / 2)];
  const entry = { attrs: [['host', 'r1'], ['status', 'pass']] as [string, string][], body: 'PING 192.0.2.1\n3 packets transmitted, 3 received, 0% packet loss\n' };
  const splice = time(() => spliceResults(nb, middle, [entry], 'replace'));
  const scanAndSplice = time(() => {
    const fresh = scanNotebook(text);
    spliceResults(fresh, fresh.blocks[middle.index], [entry], 'replace');
  });
  const scanMBps = bytes / MB / (scan.ms / 1000);
  const remarkMBps = remarkBytes / MB / (parsed.ms / 1000);
  return {
    name, bytes, blocks: nb.blocks.length, scanMs: scan.ms, scanMBps, remarkBytes, remarkMs: parsed.ms, remarkMBps,
    ratio: scanMBps / remarkMBps, spliceMs: splice.ms, scanAndSpliceMs: scanAndSplice.ms,
  };
}

export function formatNotebookFigures(f: ScannerFigures): string {
  const mb = (n: number): string => (n / MB).toFixed(2);
  return [
    `${f.name}: ${mb(f.bytes)} MB, ${f.blocks} code blocks`,
    `  scanner  ${f.scanMBps.toFixed(1)} MB/s (${f.scanMs.toFixed(1)} ms)`,
    `  remark   ${f.remarkMBps.toFixed(2)} MB/s (${f.remarkMs.toFixed(0)} ms on ${mb(f.remarkBytes)} MB)`,
    `  ratio    scanner is ${f.ratio.toFixed(0)}x remark`,
    `  splice one result: ${(f.spliceMs * 1000).toFixed(1)} µs; scan + splice: ${f.scanAndSpliceMs.toFixed(1)} ms`,
  ].join('\n');
}

/** The notebook-core section: the 1 MB / 5,000-block notebook and the 10 MB output-heavy one. */
export function benchNotebookCore(): ScannerFigures[] {
  const small = generateNotebook(5000, 0);
  const heavy = generateNotebook(2000, 64);
  return [
    benchNotebook('1 MB notebook', small),
    benchNotebook('10 MB output-heavy notebook', heavy),
  ];
}

export async function main(): Promise<number> {
  console.log('# notebook core');
  const figures = benchNotebookCore();
  for (const f of figures) console.log(formatNotebookFigures(f));
  const worst = Math.min(...figures.map((f) => f.ratio));
  console.log(`target: scanner >= 50x remark: ${worst >= 50 ? 'met' : 'NOT met'} (worst ${worst.toFixed(0)}x); ` +
    `1 MB scan < 100 ms: ${figures[0].scanMs < 100 ? 'met' : 'NOT met'} (${figures[0].scanMs.toFixed(1)} ms)`);

  // The `modus run` overhead section lives in run-overhead.ts (the engine's bench).
  try {
    const overhead = (await import('./run-overhead.js')) as typeof import('./run-overhead.js');
    console.log('\n# modus run overhead');
    console.log(overhead.formatRunOverhead(await overhead.measureRunOverhead()));
  } catch (e) {
    console.log(`\n# modus run overhead: not measured (${e instanceof Error ? e.message : String(e)})`);
  }

  // Huge output through `modus run` (bench/notebook/huge-output.ts): against node-pty alone, memory, journal.
  try {
    const huge = (await import('./notebook/huge-output.js')) as typeof import('./notebook/huge-output.js');
    console.log('\n# modus run on huge output (BENCH_NOTEBOOK_MB, BENCH_NOTEBOOK_LINES_MB scale it; BENCH_NOTEBOOK_RUNS=N keeps the best of N)');
    for (const c of huge.hugeOutputCases()) console.log(huge.formatHugeOutput(await huge.measureHugeOutput(c)));
  } catch (e) {
    console.log(`\n# modus run on huge output: not measured (${e instanceof Error ? e.message : String(e)})`);
  }

  // The scale of a run (bench/run-scale.ts): per-block time at the end of 20,000 blocks against the start.
  try {
    const scale = (await import('./run-scale.js')) as typeof import('./run-scale.js');
    console.log('\n# the scale of a run (BENCH_SCALE_BLOCKS sets the number of blocks)');
    console.log(scale.formatRunScale(await scale.measureRunScale()));
  } catch (e) {
    console.log(`\n# the scale of a run: not measured (${e instanceof Error ? e.message : String(e)})`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => process.exit(code), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
