// Looking at processes from tests, through /proc (Linux): whether one is
// still there, its parent, and waiting for a condition on them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** /proc/PID/stat, or '' when the process is gone. */
export function processStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

/** Running: there, and not a zombie waiting to be reaped (Modus's own reading of it). */
export { processRunning } from '../../main/files/process-alive.js';

export function parentPid(pid: number): number {
  const m = /^\d+ \(.*\) \S (\d+)/s.exec(processStat(pid));
  assert.ok(m, `process ${pid} is gone`);
  return Number(m[1]);
}

/** Polls `ok` until it holds; fails with `what` after `timeoutMs` (a limit, not a measurement). */
export async function waitUntil(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
}
