// BENCH_LOAD=N: N busy loops (`yes > /dev/null`) on the cores for the whole
// bench, so its figures can be read on a loaded machine too. Flow control
// was once tuned on a loaded machine and failed on an idle one; the targets
// hold for both, and the README reports both columns.

import { spawn, type ChildProcess } from 'node:child_process';

/** The number of busy loops BENCH_LOAD asks for (0 when unset). */
export function benchLoad(): number {
  const raw = process.env.BENCH_LOAD;
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 16) throw new Error(`BENCH_LOAD must be a whole number of busy loops from 0 to 16, got "${raw}"`);
  return value;
}

/** Starts `count` busy loops; the returned function stops them (and they die with this process). */
export function startBusyLoops(count: number): () => void {
  const loops: ChildProcess[] = [];
  for (let i = 0; i < count; i++) loops.push(spawn('yes', [], { stdio: 'ignore' }));
  const stop = (): void => {
    for (const loop of loops) if (loop.exitCode === null && loop.signalCode === null) loop.kill('SIGKILL');
  };
  process.once('exit', stop);
  return stop;
}
