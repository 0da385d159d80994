// The user's OpenSSH client: where it is, and how Modus starts it. ssh runs
// without a controlling terminal (its own session, pipes for stdio), so it
// can never prompt on whatever terminal Modus was started from: passwords
// and passphrases go through SSH_ASKPASS (askpass.ts) or, when nobody can be
// asked, BatchMode makes ssh fail at once instead of waiting.

import type { ChildProcess, StdioOptions } from 'node:child_process';
import { findExecutable } from '../../files/find-executable.js';
import { spawnChecked } from '../../files/spawn-checked.js';

export class SshMissingError extends Error {
  constructor() {
    super(
      'the OpenSSH client (ssh) is not installed or not on PATH: install it (Debian/Ubuntu: apt-get install openssh-client; Fedora/RHEL: dnf install openssh-clients; macOS has it) and run again',
    );
    this.name = 'SshMissingError';
  }
}

let found: { path: string | null; for: string } | null = null;

/** Absolute path of ssh on PATH; SshMissingError when there is none. */
export function sshBinary(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.PATH ?? '';
  if (found === null || found.for !== key) found = { path: findExecutable('ssh', env), for: key };
  if (found.path === null) throw new SshMissingError();
  return found.path;
}

export interface SshSpawn {
  args: string[];
  /** A client that stops a block on its host: it finishes its work even when Modus quits at once (endSshClientsNow leaves it). */
  stopsABlock?: boolean;
  /** Extra environment (askpass variables); the user's own is kept (SSH_AUTH_SOCK, HOME…). */
  env?: Record<string, string>;
  stdio?: StdioOptions;
}

/** The ssh processes started and not yet ended: what endSshClientsNow stops. */
const running = new Set<ChildProcess>();

/** Starts ssh in its own session (no controlling terminal), stdio as asked (pipes by default); SpawnRefusedError when the system refuses the process. */
export function spawnSsh(spec: SshSpawn): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...spec.env };
  const child = spawnChecked('ssh', sshBinary(env), spec.args, { env, stdio: spec.stdio ?? ['pipe', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined && !spec.stopsABlock) {
    running.add(child);
    child.once('exit', () => running.delete(child));
  }
  return child;
}

/**
 * Ends the ssh clients this process started, at once and synchronously, for
 * a Modus that must quit without waiting for its orderly stop (a second
 * Ctrl-C): each runs in a session of its own, which no signal to Modus
 * reaches. The clients that stop blocks on their hosts are left to finish:
 * a block outlives its connection (remote-script.ts), so ending them would
 * leave the blocks they were stopping running.
 */
export function endSshClientsNow(): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  running.clear();
}

export interface SshResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs ssh to completion with stdin closed, collecting up to `limit` bytes of each stream. */
export function runSsh(args: string[], options: { env?: Record<string, string>; signal?: AbortSignal; limit?: number; timeoutMs?: number } = {}): Promise<SshResult> {
  const limit = options.limit ?? 1 << 20;
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnSsh({ args, ...(options.env ? { env: options.env } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      reject(e as Error);
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout!.on('data', (b: Buffer) => {
      if (outBytes < limit) out.push(b);
      outBytes += b.length;
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (errBytes < limit) err.push(b);
      errBytes += b.length;
    });
    const stop = (): void => killSsh(child);
    options.signal?.addEventListener('abort', stop, { once: true });
    const timer = options.timeoutMs !== undefined ? setTimeout(stop, options.timeoutMs) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Ends a local ssh process (and a ProxyJump child it started: same process group). */
export function killSsh(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}

/** Time after ssh exits for the rest of its output to be read before its pipes are closed, once nothing more is wanted from them. */
const DRAIN_AFTER_EXIT_MS = 1000;

export interface ClientEndOptions {
  /**
   * True while the caller still waits for something in the output (a run's
   * end marker): after ssh exits, its pipes are then left open until the
   * master closes them, however slowly the caller reads.
   */
  keepReading?: () => boolean;
}

/**
 * When a client process is over: its pipes closed, or it exited and its
 * pipes stayed open. A multiplexed client hands its stdio to the master, so a
 * remote process that keeps the session open (one that ignores SIGHUP, after
 * the client was stopped) keeps the pipes open after the client is gone:
 * a second after the exit they are closed. Not while the caller still waits
 * for the output (keepReading): the master writes all it holds before it
 * closes them, and a reader slowed down by flow control (200 hosts printing
 * at once) may be reading it long after the client's exit. Closing them a
 * second after it lost the end of the output and the run's end marker: blocks
 * that had ended well read as connections lost.
 */
export function clientEnded(child: ChildProcess, options: ClientEndOptions = {}): Promise<{ code: number | null; error?: Error }> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (r: { code: number | null; error?: Error }): void => {
      if (timer) clearTimeout(timer);
      resolve(r);
    };
    child.once('error', (error) => done({ code: null, error }));
    child.once('close', (code) => done({ code }));
    child.once('exit', (code) => {
      const check = (): void => {
        if (options.keepReading?.() === true) {
          timer = setTimeout(check, DRAIN_AFTER_EXIT_MS);
          return;
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.stdin?.destroy();
        done({ code });
      };
      timer = setTimeout(check, DRAIN_AFTER_EXIT_MS);
    });
  });
}
