import { readFileSync } from 'node:fs';

/** Whether a process with this pid exists on this machine (EPERM: it does, as another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process still runs: a zombie does not (it waits for whoever
 * adopted it to reap it, and a subreaper may take its time). Without /proc
 * (macOS) kill -0 is all there is.
 */
export function processRunning(pid: number): boolean {
  if (!processAlive(pid)) return false;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return processAlive(pid);
  }
  // `PID (COMM) STATE …`: COMM may hold spaces and parentheses, so the state follows the last `)`.
  return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
}
