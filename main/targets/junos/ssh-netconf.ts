// The NETCONF channel: the user's ssh client running the `netconf`
// subsystem (`ssh -s … -- HOST netconf`), multiplexed over the host's
// ControlMaster (one per host and port: the master of port 830 is not the
// CLI's of port 22), so host keys, authentication and askpass are the SSH
// target's, and a refused subsystem is told apart from a refused connection.
// A multiplexed client says nothing when the subsystem is refused (it exits
// 255 in silence; the master keeps the words): then one plain connection,
// not multiplexed, asks again to learn why.

import type { ChildProcess } from 'node:child_process';
import { destinationArgs } from '../ssh/destination.js';
import type { ReadyConnection, SshConnection } from '../ssh/ssh-connection.js';
import { classifySshFailure, lastSshWords } from '../ssh/ssh-failure.js';
import { clientEnded, killSsh, runSsh, spawnSsh } from '../ssh/ssh-client.js';
import type { NetconfChannel } from './netconf-session.js';

const STDERR_LIMIT = 64 * 1024;

/** The ssh command line for the subsystem over a ready connection. */
export function netconfArgs(conn: SshConnection, ready: ReadyConnection): string[] {
  return [...ready.args, '-T', '-s', ...destinationArgs(conn.destination), 'netconf'];
}

export interface ChannelEnd {
  code: number | null;
  stderr: string;
  /** Whether the device sent anything at all. */
  heard: boolean;
  error?: Error;
}

/** Why the channel ended, in a sentence, from ssh's exit and stderr. */
export function channelEndReason(label: string, port: number, end: ChannelEnd): string {
  const { code, stderr, heard, error } = end;
  if (error) return `could not run ssh: ${error.message}`;
  const enable = 'enable NETCONF over SSH there (set system services netconf ssh) or give the inventory the right port';
  if (/subsystem request failed/i.test(stderr)) return `${label} refused the NETCONF subsystem on port ${port} (ssh said: subsystem request failed); ${enable}`;
  if (code === 255 && stderr.trim() !== '') return classifySshFailure(stderr, { label }).message;
  if (stderr.trim() !== '') return `ssh: ${lastSshWords(stderr)}`;
  // sshd does not pass on what a subsystem prints on stderr: a subsystem that quits at once is all there is to see.
  if (!heard && code !== null) return `the NETCONF subsystem of ${label} on port ${port} ended at once without a hello (ssh exited with status ${code}); ${enable}`;
  return code === null ? 'the ssh client was stopped' : `the ssh client exited with status ${code}`;
}

/** What a plain (not multiplexed) `ssh -s … netconf` says on stderr, for a silent failure of the multiplexed one. */
async function plainAttempt(conn: SshConnection, ready: ReadyConnection): Promise<string> {
  const cfg = await conn.config();
  const args = [...conn.baseArgs(cfg), '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-T', '-s', ...destinationArgs(conn.destination), 'netconf'];
  const r = await runSsh(args, { env: ready.env, timeoutMs: PROBE_TIMEOUT_MS, limit: STDERR_LIMIT }).catch(() => null);
  return r?.stderr ?? '';
}

const PROBE_TIMEOUT_MS = 20_000;

/** Starts the subsystem over the host's master; the channel's end carries the reason. */
export function sshNetconfChannel(conn: SshConnection, ready: ReadyConnection, port: number): NetconfChannel {
  return channelOver(conn, netconfArgs(conn, ready), ready.env, port, () => plainAttempt(conn, ready));
}

/**
 * The subsystem over a connection of its own (no master: ControlPath=none):
 * a new TCP connection, key exchange and login, as someone reaching the
 * device now would make. Proves the management path after a change.
 */
export async function freshNetconfChannel(conn: SshConnection, port: number): Promise<NetconfChannel> {
  const cfg = await conn.config();
  const env = await conn.env();
  const args = [...conn.baseArgs(cfg), '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-T', '-s', ...destinationArgs(conn.destination), 'netconf'];
  return channelOver(conn, args, env, port, null);
}

/** An ssh client running the subsystem; `diagnose` learns why when it failed in silence. */
function channelOver(conn: SshConnection, args: string[], env: Record<string, string>, port: number, diagnose: (() => Promise<string>) | null): NetconfChannel {
  const child: ChildProcess = spawnSsh({ args, env });
  let stderr = '';
  let heard = false;
  child.stderr!.on('data', (b: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += b.toString('utf8');
  });
  // A write after the device hung up must not throw out of the event loop; the end says what happened.
  child.stdin!.on('error', () => undefined);
  const ended = clientEnded(child);
  let destroyed = false;
  return {
    send: (bytes) => {
      if (child.stdin!.writable) child.stdin!.write(bytes);
    },
    listen: (h) => {
      child.stdout!.on('data', (b: Buffer) => {
        heard = true;
        h.data(b);
      });
      void ended.then(async (r) => {
        if (r.code === 255 && !heard && stderr.trim() === '' && !destroyed && diagnose) stderr = await diagnose();
        h.end(channelEndReason(conn.label, port, { code: r.code, stderr, heard, ...(r.error ? { error: r.error } : {}) }));
      });
    },
    destroy: () => {
      destroyed = true;
      child.stdin!.destroy();
      killSsh(child);
    },
  };
}
