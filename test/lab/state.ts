// Where a lab keeps its files. Namespaces and the root veth are global to the
// machine, so there is one lab at a time; /run (cleared at boot, like
// /run/netns) records which directory belongs to it and holds the lock that
// says which process is using it.

import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const RUN_DIR = '/run/modus-lab';
export const LOCK_FILE = join(RUN_DIR, 'lock');
const CURRENT_FILE = join(RUN_DIR, 'current.json');
/** Present in every lab directory: only directories carrying it are ever deleted. */
const MARKER = '.modus-lab';

export function defaultLabDir(): string {
  return resolve(process.env.MODUS_LAB_DIR || '/tmp/modus-lab');
}

export interface CurrentLab {
  dir: string;
  hosts: number;
  pid: number;
  startedAt: string;
}

export async function readCurrent(): Promise<CurrentLab | null> {
  try {
    return JSON.parse(await readFile(CURRENT_FILE, 'utf8')) as CurrentLab;
  } catch {
    return null;
  }
}

/** Written before anything is created, so a crash at any later point still leads teardown to the directory. */
export async function writeCurrent(current: CurrentLab): Promise<void> {
  await mkdir(RUN_DIR, { recursive: true, mode: 0o700 });
  await writeFile(CURRENT_FILE, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
}

export async function forgetCurrent(): Promise<void> {
  await rm(CURRENT_FILE, { force: true });
}

/** Makes `dir` a lab directory, refusing one that holds anything else (MODUS_LAB_DIR=$HOME must not be wiped). */
export async function claimDir(dir: string): Promise<void> {
  if (existsSync(dir) && !existsSync(join(dir, MARKER)) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} exists and is not a lab directory (no ${MARKER}); choose another with MODUS_LAB_DIR or --dir`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, MARKER), 'made by test/lab; lab:down deletes this directory\n');
}

/** Deletes a lab directory; true when it existed and was one. */
export async function removeLabDir(dir: string): Promise<boolean> {
  if (!existsSync(join(dir, MARKER))) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}

/** Removes /run/modus-lab once nothing is left in it (the lock released, no lab recorded). */
export async function removeRunDirIfEmpty(): Promise<void> {
  // rmdir, not rm -r: it fails rather than delete a lock taken a moment ago.
  await rmdir(RUN_DIR).catch(() => undefined);
}
