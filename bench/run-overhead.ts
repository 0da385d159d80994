// `modus run` overhead per block against `bash -c` of the same commands.
// Imported by bench/notebook.bench.ts (when present); runs on its own with
// `node dist/bench/run-overhead.js [BLOCKS]`.
//
// Both sides run the same N tiny blocks one after another. The baseline spawns
// `bash -c CODE` per block with pipes; Modus runs the notebook through the
// engine in this process (pty per block, headless-terminal capture, journal
// record with fsync, atomic notebook write with fsync) and, separately,
// through the CLI as a fresh process (adds Node start-up once).

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBlocks } from '../main/run/engine.js';
import { HostTargets } from '../main/run/host-targets.js';
import { NotebookFile } from '../main/run/notebook-file.js';
import { planRun } from '../main/run/plan.js';

export interface RunOverhead {
  blocks: number;
  bashMsPerBlock: number;
  modusMsPerBlock: number;
  overheadMsPerBlock: number;
  ratio: number;
  /** The whole `node bin/modus.js run` process, per block (Node start-up spread over the blocks). */
  cliMsPerBlock: number;
}

const code = (i: number): string => `echo "block ${i}"; printf 'x%.0s' 1 2 3; echo`;

function bashC(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

export async function measureRunOverhead(blocks = 40): Promise<RunOverhead> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-bench-run-'));
  try {
    const path = join(dir, 'bench.md');
    const source = Array.from({ length: blocks }, (_, i) => `\`\`\`sh\n${code(i)}\n\`\`\`\n`).join('\n');
    await writeFile(path, source);

    let t0 = performance.now();
    for (let i = 0; i < blocks; i++) await bashC(code(i));
    const bashMs = performance.now() - t0;

    const file = await NotebookFile.open(path);
    const plan = planRun(file.notebook, { file: path });
    t0 = performance.now();
    const summary = await runBlocks({ notebook: file, blocks: plan.blocks, resolver: new HostTargets({ notebookDir: dir }), signal: new AbortController().signal, confirm: async () => 'yes' });
    const modusMs = performance.now() - t0;
    if (!summary.ok) throw new Error(`bench notebook did not pass: ${JSON.stringify(summary.problems)}`);

    await writeFile(path, source);
    const bin = fileURLToPath(new URL('../../bin/modus.js', import.meta.url));
    t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'run', path], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('close', (c) => (c === 0 ? resolve() : reject(new Error(`modus run exited ${c}`))));
    });
    const cliMs = performance.now() - t0;

    const bashMsPerBlock = bashMs / blocks;
    const modusMsPerBlock = modusMs / blocks;
    return {
      blocks, bashMsPerBlock, modusMsPerBlock,
      overheadMsPerBlock: modusMsPerBlock - bashMsPerBlock,
      ratio: modusMsPerBlock / bashMsPerBlock,
      cliMsPerBlock: cliMs / blocks,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatRunOverhead(r: RunOverhead): string {
  const f = (n: number): string => n.toFixed(1);
  return [
    `modus run overhead (${r.blocks} blocks, one after another):`,
    `  bash -c per block      ${f(r.bashMsPerBlock)} ms`,
    `  modus engine per block ${f(r.modusMsPerBlock)} ms (overhead ${f(r.overheadMsPerBlock)} ms, ratio ${r.ratio.toFixed(2)}×; target < 20 ms)`,
    `  modus CLI per block    ${f(r.cliMsPerBlock)} ms (includes Node start-up once)`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 40);
  console.log(formatRunOverhead(await measureRunOverhead(n)));
}
