// Starting a process can be refused: too many open files (EMFILE, a low
// `ulimit -n`), too many processes (EAGAIN, `ulimit -u`), too little memory.
// Node then hands back a child without pipes and emits 'error' a tick later,
// so code that reads child.stdout throws, and an 'error' nobody listens to
// ends the process: a fan-out to many hosts under a low open-file limit
// crashed `modus run` and lost the results of the hosts that had run.
// spawnChecked throws at once instead, saying what happened and what to do.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';

export class SpawnRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpawnRefusedError';
  }
}

/** Files this process has open and may have open (the soft RLIMIT_NOFILE); null where /proc does not tell. */
export function openFiles(): { open: number; limit: number } | null {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (!m) return null;
    const limit = m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
    return { open: readdirSync('/proc/self/fd').length, limit };
  } catch {
    return null;
  }
}

/** Files a refused spawn is taken to have run out of: a child with three pipes needs six at the moment of spawning. */
const NEAR_LIMIT = 8;

/** Why starting `what` (the program `file`) was refused, and what to do. */
export function spawnRefusal(what: string, file: string): string {
  if (file.startsWith('/') && !existsSync(file)) return `cannot start ${what}: ${file} is not there (any more): install it again, or check PATH`;
  if (file.startsWith('/') && !executable(file)) return `cannot start ${what}: ${file} is not executable: check its permissions (chmod +x)`;
  const files = openFiles();
  if (files && files.open + NEAR_LIMIT >= files.limit) {
    return `cannot start ${what}: Modus has ${files.open} files open and may have at most ${files.limit} (the open-file limit, ulimit -n): run fewer hosts at once (:parallel, --jobs) or raise the limit (ulimit -n 65536 in the shell that starts Modus)`;
  }
  return `cannot start ${what}: the system refused a new process (too many processes for this user, ulimit -u, or too little memory): run fewer hosts at once (:parallel, --jobs) or free some`;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Spawns, or throws SpawnRefusedError when the system refused the process (the child's own 'error' is then silenced: this throw tells it). */
export function spawnChecked(what: string, file: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(file, args, options);
  if (child.pid !== undefined) return child;
  child.once('error', () => undefined);
  throw new SpawnRefusedError(spawnRefusal(what, file));
}
