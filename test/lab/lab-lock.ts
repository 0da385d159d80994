// The machine's one lab belongs to one process at a time: a lock file (with
// the owner's pid, so a crashed owner's lock is broken) in /run/modus-lab.

import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { acquireLock } from '../../main/files/file-lock.js';
import type { HeldLock } from '../../main/files/file-lock.js';
import { LOCK_FILE, removeRunDirIfEmpty, RUN_DIR } from './state.js';

/**
 * The lock of a parent that holds it and runs us (a test running lab-cli.js
 * as a child, which would otherwise wait for its own parent): honoured only
 * when the named pid is our parent and the lock file says it holds it.
 */
function inheritedLock(): HeldLock | null {
  const by = Number(process.env.MODUS_LAB_LOCK_HELD_BY);
  if (!Number.isInteger(by) || by <= 0 || by !== process.ppid) return null;
  let token: string;
  try {
    token = readFileSync(LOCK_FILE, 'utf8');
  } catch {
    return null;
  }
  return token.startsWith(`${by} `) ? { path: LOCK_FILE, token, release: async () => undefined } : null;
}

/** Takes the machine's lab lock, waiting while another live process uses the lab. */
export async function lockLab(o: { waitMs?: number } = {}): Promise<HeldLock> {
  const inherited = inheritedLock();
  if (inherited) return inherited;
  for (let attempt = 1; ; attempt += 1) {
    await mkdir(RUN_DIR, { recursive: true, mode: 0o700 });
    try {
      return await acquireLock(LOCK_FILE, { timeoutMs: o.waitMs ?? 240_000 });
    } catch (err) {
      // The last user removes the directory on its way out (see releaseLab); make it again.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 10) throw err;
    }
  }
}

/** Releases the lock and leaves no /run/modus-lab behind when nobody else is waiting in it. */
export async function releaseLab(lock: HeldLock): Promise<void> {
  await lock.release();
  await removeRunDirIfEmpty();
}
