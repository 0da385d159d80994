// Private scratch directories (block scripts, spooled output) live under one
// per-user root, each named after the process that made it: a Modus killed
// with -9, or a machine that lost power, leaves directories behind, and the
// next Modus removes those whose process is gone. Before, they were
// `/tmp/modus-XXXXXX`, and twenty kills left nineteen of them.
//
// The root: $XDG_RUNTIME_DIR/modus (a per-user tmpfs, emptied at logout),
// else $XDG_CACHE_HOME/modus/scratch (~/.cache/modus/scratch). Both are the
// user's own; a root elsewhere must be owned by the user and closed to others.
// When that path is too long for the Unix sockets below it (ssh's
// ControlMasters), the root is $TMPDIR/modus-UID (or /tmp/modus-UID).

import { lstatSync, mkdirSync, mkdtempSync, type Stats } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';

/**
 * The longest root that leaves room for a ControlMaster socket below it: a
 * Unix socket's path holds 107 bytes, ssh appends 17 while it binds one, and
 * Modus names it `/PID-ssh-XXXXXX/SERIAL` (a 7-digit pid, a 6-digit serial).
 */
export const MAX_SOCKET_ROOT = 107 - 17 - '/1234567-ssh-XXXXXX/123456'.length;

export function scratchRoot(env: NodeJS.ProcessEnv = process.env): string {
  const preferred = preferredRoot(env);
  // A long home (a directory service's `/home/corp.example.com/first.last`) would leave ssh no room for its sockets.
  if (preferred !== null && preferred.length <= MAX_SOCKET_ROOT) return preferred;
  const tmp = tmpdir().length <= MAX_SOCKET_ROOT - 20 ? tmpdir() : '/tmp';
  return join(tmp, `modus-${process.getuid?.() ?? 'user'}`);
}

function preferredRoot(env: NodeJS.ProcessEnv): string | null {
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'modus');
  const cache = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : '');
  return cache ? join(cache, 'modus', 'scratch') : null;
}

const OWNED = /^(\d+)-/;
/**
 * Kinds whose leftovers need more than removal and are swept by their owner:
 * `ssh` directories hold ControlMaster sockets whose masters must be told to
 * exit first (targets/ssh/control-dir.ts).
 */
const SWEPT_BY_OWNER = /^\d+-ssh-/;

let ready: Promise<string> | null = null;

function checkRoot(root: string, st: Stats): void {
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new Error(`${root} must be a directory of this user's, closed to others (mode 700); remove it or set XDG_RUNTIME_DIR`);
  }
}

async function prepareRoot(): Promise<string> {
  const root = scratchRoot();
  await mkdir(root, { recursive: true, mode: 0o700 });
  checkRoot(root, await lstat(root));
  await sweepDeadScratch(root);
  return root;
}

/** Removes the scratch directories of processes that no longer exist. */
export async function sweepDeadScratch(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      if (SWEPT_BY_OWNER.test(name)) return;
      const pid = Number(OWNED.exec(name)?.[1]);
      if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) return;
      await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
    }),
  );
}

/** A new 0700 directory for this process's `kind` of scratch (the first call also sweeps what dead processes left). */
export async function createScratchDir(kind: string): Promise<string> {
  ready ??= prepareRoot().catch((e: unknown) => {
    ready = null;
    throw e;
  });
  const root = await ready;
  return mkdtemp(join(root, `${process.pid}-${kind}-`));
}

/**
 * The same, for callers that cannot wait (the output spool starts inside a
 * synchronous write); what dead processes left is swept by the next
 * createScratchDir, which every run makes before its first block.
 */
export function createScratchDirSync(kind: string): string {
  const root = scratchRoot();
  mkdirSync(root, { recursive: true, mode: 0o700 });
  checkRoot(root, lstatSync(root));
  return mkdtempSync(join(root, `${process.pid}-${kind}-`));
}
