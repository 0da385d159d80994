// Modus's own ControlMaster sockets: one private 0700 directory per Modus
// process under the scratch root (../../files/scratch-dir.ts), sockets named
// by a counter (short paths: a Unix socket path is limited to 108 bytes and
// ssh adds a 17-character suffix while it creates one). At exit every master
// is told to exit; after a crash the next Modus finds the directories of
// dead processes, tells their masters to exit and removes them. Sockets of
// the user's own ControlPath are never touched: they live elsewhere.

import { connect } from 'node:net';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createScratchDir, scratchRoot } from '../../files/scratch-dir.js';
import { processAlive } from '../../files/process-alive.js';
import { runSsh } from './ssh-client.js';

export const CONTROL_KIND = 'ssh';
const DEAD_DIR = new RegExp(`^(\\d+)-${CONTROL_KIND}-`);

/** True when a master answers on the socket (a stale socket file refuses). */
export function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Asks the master on `socket` to exit (the host argument is ignored when ControlPath names a file). */
export async function exitMaster(socket: string): Promise<void> {
  await runSsh(['-o', `ControlPath=${socket}`, '-O', 'exit', 'modus-control'], { timeoutMs: 5000 }).catch(() => undefined);
}

/** Control directories of Modus processes that are gone: their masters are told to exit, then the directory goes. */
export async function sweepDeadControlDirs(root = scratchRoot()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(DEAD_DIR.exec(name)?.[1]);
      if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) return;
      const dir = join(root, name);
      const entries = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(entries.filter((e) => /^\d+$/.test(e)).map(async (e) => {
        if (await socketAlive(join(dir, e))) await exitMaster(join(dir, e));
      }));
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }),
  );
}

export class ControlDir {
  private serial = 0;

  private constructor(readonly path: string) {}

  static async create(): Promise<ControlDir> {
    await sweepDeadControlDirs();
    return new ControlDir(await createScratchDir(CONTROL_KIND));
  }

  /** A new socket path for one master. */
  socketPath(): string {
    return join(this.path, String(++this.serial));
  }

  /** Tells every live master in the directory to exit, then removes it. */
  async close(): Promise<void> {
    const entries = await readdir(this.path).catch(() => [] as string[]);
    await Promise.all(entries.filter((e) => /^\d+$/.test(e)).map(async (e) => {
      const s = join(this.path, e);
      if (await socketAlive(s)) await exitMaster(s);
    }));
    await rm(this.path, { recursive: true, force: true });
  }
}
