// `modus run` against the Junos simulator: one simulator per test file (its
// daemon in this process, so the tests see each device's state), notebooks
// written to a scratch directory, the real CLI as a child process (never a
// synchronous spawn: the daemon shares this event loop), and the results
// blocks read back from the file.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { startJunosSim, type JunosSim, type JunosSimOptions } from '../../junos-sim/harness.js';
import { startModusDetached, type Finished } from '../run/helpers.js';

export interface Results {
  /** Per code block (document order, 1-based as the CLI numbers them), its results blocks. */
  block(n: number): { attrs: Map<string, string>; body: string }[];
  text: string;
}

export interface SimRun {
  sim: JunosSim;
  dir: string;
  /** Writes `text` as NAME (default nb.md) and runs `modus run` on it with the simulator's ssh_config and inventory. */
  run(text: string, extra?: string[], name?: string): Promise<Finished & { results: Results }>;
  /** Starts the run; for tests that act while it runs. */
  start(text: string, extra?: string[], name?: string): Promise<{ done: Promise<Finished & { results: Results }>; child: ReturnType<typeof startModusDetached>['child'] }>;
  results(name?: string): Promise<Results>;
  close(): Promise<void>;
}

export function readResults(text: string): Results {
  const nb = scanNotebook(text);
  return {
    text,
    block: (n) => nb.blocks[n - 1]!.results.map((r) => ({ attrs: new Map(r.attrs), body: r.body })),
  };
}

export async function simRun(options: Omit<JunosSimOptions, 'dir'>): Promise<SimRun> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-junos-run-'));
  const sim = await startJunosSim({ ...options, dir: join(dir, 'sim') });
  const results = async (name = 'nb.md'): Promise<Results> => readResults(await readFile(join(dir, name), 'utf8'));
  const start: SimRun['start'] = async (text, extra = [], name = 'nb.md') => {
    await writeFile(join(dir, name), text);
    const { child, done } = startModusDetached(['run', name, '--ssh-config', sim.sshConfig, '--inventory', sim.inventory, ...extra], dir);
    return { child, done: done.then(async (f) => ({ ...f, results: await results(name) })) };
  };
  return {
    sim,
    dir,
    start,
    run: async (text, extra, name) => (await start(text, extra, name)).done,
    results,
    close: async () => {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fence line for a junos block on `host` with these header arguments. */
export const junos = (host: string, args = ''): string => `\`\`\`junos :host ${host}${args ? ` ${args}` : ''}`;
