// The streaming blocks' programs run outside any UI, output discarded: while
// the floor page is typed into, the machine runs the same twenty python3
// loops as while Modus streams them, so the floor's loaded figure differs
// from Modus's only by what Modus does with their output.

import { spawn, type ChildProcess } from 'node:child_process';
import { STREAMING_BLOCKS, streamScript } from './notebook-fixture.js';

/** Starts the programs; the returned function ends them (they also die with this process). */
export function startBackgroundStreams(): () => void {
  const children: ChildProcess[] = [];
  for (let n = 1; n <= STREAMING_BLOCKS; n++) children.push(spawn('python3', ['-c', streamScript(n)], { stdio: 'ignore' }));
  const stop = (): void => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', stop);
  return stop;
}
