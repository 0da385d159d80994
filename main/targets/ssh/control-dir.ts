// Modus's own ControlMaster sockets: one private 0700 directory per Modus
// process under the scratch root (../../files/scratch-dir.ts), sockets named
// by a counter (short paths: a Unix socket path is limited to 108 bytes and
// ssh adds a 17-character suffix while it creates one). At exit every master
// is told to exit; after a crash the next Modus finds the directories of
// dead processes, tells their masters to exit and removes them. Masters are
// ended by signal where /proc finds them (master-pids.ts), by ssh -O exit
// elsewhere. Sockets of the user's own ControlPath are never touched: they
// live elsewhere.

import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { readdirSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createScratchDir, scratchRoot } from '../../files/scratch-dir.js';
import { processAlive, processRunning } from '../../files/process-alive.js';
import { masterPids } from './master-pids.js';
import { sshBinary } from './ssh-client.js';

export const CONTROL_KIND = 'ssh';
/** How long closing waits for masters to exit (a master behind a cut link never answers). */
const EXIT_WAIT_MS = 5000;
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

/**
 * Sends `ssh -O COMMAND` to the masters on `sockets` (the host argument is
 * ignored when ControlPath names a file): `exit` ends a master and its
 * sessions; `stop` makes it stop listening (its socket goes) and end once its
 * last session has. One sh starts them side by side: a run over 200 hosts
 * ends with one spawn from Modus, not 200, and the socket paths reach ssh as
 * argv, never as shell text.
 */
export async function controlMasters(sockets: string[], command: 'exit' | 'stop'): Promise<void> {
  const child = startControl(sockets, command);
  if (!child) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, EXIT_WAIT_MS);
    child.once('error', () => resolve());
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The sh that runs `ssh -O COMMAND` for each socket, side by side; null when there is nothing to do or no ssh. */
function startControl(sockets: string[], command: 'exit' | 'stop'): ChildProcess | null {
  if (sockets.length === 0) return null;
  let ssh: string;
  try {
    ssh = sshBinary();
  } catch {
    return null;
  }
  const script = `ssh=$1; shift; for s do "$ssh" -o "ControlPath=$s" -O ${command} modus-control >/dev/null 2>&1 & done; wait`;
  const child = spawn('/bin/sh', ['-c', script, 'sh', ssh, ...sockets], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  return child;
}

/**
 * Ends the masters on `sockets` (socket files, live or stale): those found
 * in /proc with SIGTERM (ssh removes its socket and closes the
 * connection), the live ones among the rest with ssh -O exit; waits until
 * they are gone, SIGKILL after EXIT_WAIT_MS. Only sockets no process was
 * found for are connected to: at the end of a run over 50 hosts, 50
 * connects to tell the live from the stale cost more than the /proc scan.
 */
export async function closeMasters(sockets: string[]): Promise<void> {
  const pids = masterPids(sockets);
  for (const pid of pids.values()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  const rest = await liveSockets(sockets.filter((s) => !pids.has(s)));
  await Promise.all([controlMasters(rest, 'exit'), waitGone([...pids.values()])]);
}

/** Polls until the processes are gone: every 5 ms at first (a master exits within milliseconds of SIGTERM), less often for one that takes its time. */
async function waitGone(pids: number[]): Promise<void> {
  const end = Date.now() + EXIT_WAIT_MS;
  let left = pids;
  let pause = 5;
  while ((left = left.filter(processRunning)).length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 100);
  }
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** The live masters among `paths`. */
async function liveSockets(paths: string[]): Promise<string[]> {
  const alive = await Promise.all(paths.map((p) => socketAlive(p)));
  return paths.filter((_, i) => alive[i]);
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
      await closeMasters(socketsAmong(dir, entries));
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }),
  );
}

/** The sockets among a control directory's entries (ControlDir.socketPath names them by a counter; the logs beside them are not). */
function socketsAmong(dir: string, entries: readonly string[]): string[] {
  return entries.filter((e) => /^\d+$/.test(e)).map((e) => join(dir, e));
}

/** The control directories of this process not yet closed: what stopMastersNow looks in. */
const openDirs = new Set<string>();

/**
 * For a Modus that quits at once (a second Ctrl-C): its masters stop taking
 * new sessions and end with their last one (`ssh -O stop`, started and not
 * waited for), so the stops of blocks still under way over them finish, and
 * no master idles on for ControlPersist's ten minutes. Their directories are
 * left to the next Modus's sweep of dead ones.
 */
export function stopMastersNow(): void {
  const sockets: string[] = [];
  for (const dir of openDirs) {
    try {
      sockets.push(...socketsAmong(dir, readdirSync(dir)));
    } catch {
      // removed meanwhile
    }
  }
  startControl(sockets, 'stop')?.unref();
}

export class ControlDir {
  private serial = 0;

  private constructor(readonly path: string) {
    openDirs.add(path);
  }

  static async create(): Promise<ControlDir> {
    await sweepDeadControlDirs();
    return new ControlDir(await createScratchDir(CONTROL_KIND));
  }

  /** A new socket path for one master. */
  socketPath(): string {
    return join(this.path, String(++this.serial));
  }

  /**
   * Tells every live master in the directory to exit, then removes it. The
   * masters in `lent` carry someone else's sessions (an SSH tab's): they stop
   * listening instead, and end with the last of those sessions.
   */
  async close(lent: ReadonlySet<string> = new Set()): Promise<void> {
    const entries = await readdir(this.path).catch(() => [] as string[]);
    const sockets = socketsAmong(this.path, entries);
    await Promise.all([closeMasters(sockets.filter((s) => !lent.has(s))), controlMasters(sockets.filter((s) => lent.has(s)), 'stop')]);
    await rm(this.path, { recursive: true, force: true });
    openDirs.delete(this.path);
  }
}
