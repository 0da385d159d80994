// The throughput comparison with the producer out of the browser's way. On a
// 2-core machine `cat`, the pty and `modus serve` run on the cores the
// browser's renderer and GPU process need, while the in-page baseline has
// its bytes in memory and no producer at all. Here Chromium (every process
// of it) is kept to CPU 0 and `modus serve` (with the shell and `cat` it
// starts) to CPU 1, so both sides get the same browser budget, one core, and
// Modus's producer a core of its own, as on a machine with cores to spare.
// A diagnostic beside the main figure, not a replacement for it.

import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { ModusServer } from '../../test/helpers/browser.js';
import { measureBaseline, type TerminalShape } from './baseline.js';
import { withFreshModusPage } from './modus-page.js';
import { timeCat } from './probes.js';

export interface PinnedFigures {
  modusMs: number[];
  baselineMs: number[];
}

export interface PinnedInput {
  settings: Record<string, unknown>;
  file: { path: string; ptyPath: string; ptyBytes: number };
  warmup: { path: string; ptyBytes: number };
  shape: TerminalShape;
  rounds: number;
  timeoutMs: number;
}

/** Why the pinned figures cannot be measured here, or null when they can. */
export function pinningUnavailable(): string | null {
  if (cpus().length < 2) return 'needs at least 2 CPUs';
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return 'needs taskset (util-linux)';
  }
  return null;
}

export async function measurePinned(input: PinnedInput): Promise<PinnedFigures> {
  const options = {
    settings: input.settings,
    cpus: '0',
    // Before any terminal exists: the shells node-pty forks inherit the mask.
    onServe: (server: ModusServer) => execFileSync('taskset', ['-a', '-p', '-c', '1', String(server.pid)], { stdio: 'ignore' }),
  };
  return withFreshModusPage(options, async (page, browser) => {
    await timeCat(page, input.warmup.path, input.timeoutMs);
    const figures: PinnedFigures = { modusMs: [], baselineMs: [] };
    for (let round = 0; round < input.rounds; round++) {
      const baseline = await measureBaseline(browser, input.file.ptyPath, input.file.ptyBytes, input.shape, input.warmup.ptyBytes, async (action) => ({ result: await action(), cpu: [] }));
      figures.baselineMs.push(baseline.ms);
      figures.modusMs.push(await timeCat(page, input.file.path, input.timeoutMs));
    }
    return figures;
  });
}
