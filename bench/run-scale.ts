// The scale of a run: `modus run --jobs 4` of a notebook of BLOCKS one-line
// blocks (default 20,000; `BENCH_SCALE_BLOCKS`), as a child process. The
// time per block must not grow with the notebook: the last 1,000 blocks'
// time against the first 1,000's (target within 1.3×), with the peak RSS of
// the process. Imported by bench/notebook.bench.ts; runs alone with
// `node dist/bench/run-scale.js [BLOCKS]`.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODUS = fileURLToPath(new URL('../../bin/modus.js', import.meta.url));
const WINDOW = 1000;

export interface RunScale {
  blocks: number;
  totalMs: number;
  /** Milliseconds per block over the first and the last WINDOW blocks to finish. */
  firstMsPerBlock: number;
  lastMsPerBlock: number;
  ratio: number;
  peakRssBytes: number | null;
}

function blocksFromEnv(): number {
  const raw = process.argv[2] ?? process.env.BENCH_SCALE_BLOCKS;
  if (raw === undefined || raw === '') return 20_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 * WINDOW) throw new Error(`BENCH_SCALE_BLOCKS must be a whole number of at least ${2 * WINDOW}, got "${raw}"`);
  return n;
}

/** The high-water mark of a process's resident memory, from /proc (Linux). */
function peakRss(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function measureRunScale(blocks = blocksFromEnv()): Promise<RunScale> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-bench-scale-'));
  try {
    const parts = ['# Many small blocks', ''];
    for (let i = 1; i <= blocks; i++) parts.push('```sh', `echo ${i}`, '```', '');
    const nb = join(dir, 'nb.md');
    await writeFile(nb, parts.join('\n'));
    const started = performance.now();
    const finished: number[] = [];
    let peak: number | null = null;
    const child = spawn(process.execPath, [MODUS, 'run', nb, '--jobs', '4', '--keep-going'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const poll = setInterval(() => {
      const now = peakRss(child.pid!);
      if (now !== null) peak = Math.max(peak ?? 0, now);
    }, 200);
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const at = performance.now();
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (/^\[\d+\] sh local … \w+/.test(line)) finished.push(at);
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(poll);
    if (code !== 0 || finished.length !== blocks) throw new Error(`modus run exited ${code} after ${finished.length} of ${blocks} blocks: ${stderr.slice(-500)}`);
    const firstMsPerBlock = (finished[WINDOW - 1]! - started) / WINDOW;
    const lastMsPerBlock = (finished[blocks - 1]! - finished[blocks - 1 - WINDOW]!) / WINDOW;
    return { blocks, totalMs: performance.now() - started, firstMsPerBlock, lastMsPerBlock, ratio: lastMsPerBlock / firstMsPerBlock, peakRssBytes: peak };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatRunScale(s: RunScale): string {
  const rss = s.peakRssBytes === null ? 'n/a' : `${(s.peakRssBytes / 1048576).toFixed(0)} MiB`;
  return [
    `${s.blocks} one-line blocks, --jobs 4: ${(s.totalMs / 1000).toFixed(1)} s, peak RSS ${rss}`,
    `  first ${WINDOW} blocks ${s.firstMsPerBlock.toFixed(1)} ms/block, last ${WINDOW} ${s.lastMsPerBlock.toFixed(1)} ms/block: ratio ${s.ratio.toFixed(2)} ` +
      `(target ≤ 1.3: ${s.ratio <= 1.3 ? 'met' : 'NOT met'})`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  measureRunScale().then(
    (s) => console.log(formatRunScale(s)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
