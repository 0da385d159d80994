// Cross-process exclusion for writers of one file (journal appends, notebook
// writes): CLI processes, the web host and the app may all write at once.
//
// Node has no flock(), so the lock is a file created with O_CREAT|O_EXCL
// ("wx"): creation is atomic on every local filesystem, and exactly one
// process wins. The file holds "pid host time" so a lock left behind by a
// crashed process (same host, pid no longer alive) can be broken. Breaking
// renames the lock aside first and only deletes it if the renamed file is
// still the stale one we inspected, so two breakers cannot both win; the
// remaining window (a live lock renamed aside between our read and our
// rename) is restored with link(). Locks held by another host (shared
// network home) are never broken automatically: the error says which file to
// delete.
//
// Within one process, writers are already serialised by promise queues
// (journal.ts, notebook-file.ts); this lock only arbitrates between processes.

import { open, readFile, rename, unlink, link } from 'node:fs/promises';
import { hostname } from 'node:os';
import { processAlive } from './process-alive.js';

export interface HeldLock {
  path: string;
  token: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** Give up after this long (ms). A 100 MB record takes about a second to write. */
  timeoutMs?: number;
}

const POLL_START_MS = 2;
const POLL_MAX_MS = 50;

function parseOwner(text: string): { pid: number; host: string; since: number } | null {
  const m = /^(\d+) (\S+) (\d+)\n?$/.exec(text);
  if (!m) return null;
  return { pid: Number(m[1]), host: m[2]!, since: Number(m[3]) };
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Returns true when the stale lock was removed (by us or by someone else). */
async function breakIfStale(path: string, seen: string): Promise<boolean> {
  const owner = parseOwner(seen);
  // A lock file that is still being written (empty or partial) is not stale yet,
  // unless it stays unreadable: the caller's timeout handles that case.
  if (!owner || owner.host !== hostname() || processAlive(owner.pid)) return false;
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  const moved = await readOrNull(aside);
  if (moved === seen) {
    await unlink(aside).catch(() => undefined);
    return true;
  }
  // We moved a fresh lock that replaced the stale one meanwhile: put it back.
  try {
    await link(aside, path);
  } catch {
    // Someone already holds a newer lock; the displaced owner releases by token check.
  }
  await unlink(aside).catch(() => undefined);
  return false;
}

export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const token = `${process.pid} ${hostname()} ${Date.now()}\n`;
  const started = Date.now();
  let delay = POLL_START_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      return {
        path,
        token,
        async release() {
          // Only remove the lock if it is still ours (see breakIfStale).
          if ((await readOrNull(path)) === token) await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = await readOrNull(path);
    if (seen !== null && (await breakIfStale(path, seen))) continue;
    if (Date.now() - started > timeoutMs) {
      const owner = seen === null ? null : parseOwner(seen);
      const who = owner
        ? `process ${owner.pid} on ${owner.host} since ${new Date(owner.since).toISOString()}`
        : 'an unknown process';
      throw new Error(
        `could not lock ${path}: held by ${who} for more than ${Math.round(timeoutMs / 1000)}s. ` +
          'If no modus process is running, delete that lock file and run again.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(POLL_MAX_MS, delay * 2);
  }
}
