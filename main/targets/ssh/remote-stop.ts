// Stopping a block on its host (a fresh run's or a session's): the kill
// command of remote-script.ts over a second client, bounded, since a dead
// link or a frozen sshd never answers, and an honest answer: null once the
// kill command said nothing is left, otherwise why that is not known (the
// verdict then says the block may still run there, and how to end it).
// The kill client survives a Modus that quits at once (ssh-client.ts).

import type { ChildProcess } from 'node:child_process';
import type { ScriptOutcome } from '../target.js';
import { destinationArgs } from './destination.js';
import { KILL_LEFT_STATUS, remoteKillCommand } from './remote-script.js';
import type { ReadyConnection, SshConnection } from './ssh-connection.js';
import { lastSshWords } from './ssh-failure.js';
import { clientEnded, killSsh, spawnSsh } from './ssh-client.js';

/** How long stopping waits for the remote kill before ending the local client anyway (a cut link never answers). */
export const REMOTE_KILL_WAIT_MS = 5000;
/** After the deadline's SIGTERM, how long the kill client gets before SIGKILL. */
const KILL_GRACE_MS = 1000;
/** Bytes of ssh's complaints kept. */
const STDERR_LIMIT = 64 * 1024;

/**
 * Kills a block's session and process group on the host over a second
 * client; bounded, since a dead link (or a frozen sshd) never answers. Null
 * once the kill command said nothing is left; otherwise why that is not known.
 */
export async function stopOnHost(conn: Pick<SshConnection, 'label' | 'destination'>, ready: ReadyConnection, pid: number, dir: string | null): Promise<string | null> {
  const label = conn.label;
  const r = await runKill([...ready.args, '-T', ...destinationArgs(conn.destination), remoteKillCommand(pid, dir)], ready.env);
  if ('error' in r) return `could not run ssh to stop it on ${label} (${r.error})`;
  if (r.code === 0) return null;
  // The deadline ended the client with a signal.
  if (r.code === null) return `could not reach ${label} to stop it (no answer within ${REMOTE_KILL_WAIT_MS / 1000}s)`;
  if (r.code === 255) return `could not reach ${label} to stop it (${lastSshWords(r.stderr)})`;
  if (r.code === KILL_LEFT_STATUS) return `some of its processes on ${label} were still there after SIGKILL (another user's, or stuck in the kernel)`;
  return `stopping it on ${label} failed (the kill command exited with ${r.code})`;
}

/**
 * Runs the kill client: its exit status, or null once the deadline ended it.
 * Over a master, the client hands its pipes to the master, which keeps them
 * while the host does not answer: its end is its exit (clientEnded), not
 * the pipes closing.
 */
async function runKill(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string } | { error: string }> {
  let child: ChildProcess;
  try {
    child = spawnSsh({ args, env, stdio: ['ignore', 'ignore', 'pipe'], stopsABlock: true });
  } catch (e) {
    return { error: (e as Error).message };
  }
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += b.toString('utf8');
  });
  const term = setTimeout(() => killSsh(child), REMOTE_KILL_WAIT_MS);
  const kill = setTimeout(() => killSsh(child, 'SIGKILL'), REMOTE_KILL_WAIT_MS + KILL_GRACE_MS);
  const exit = await clientEnded(child);
  clearTimeout(term);
  clearTimeout(kill);
  return exit.error ? { error: exit.error.message } : { code: exit.code, stderr };
}

/**
 * The outcome of a stopped block: plain `aborted` when nothing of it runs on
 * the host any more; otherwise what may be left and how to end it by hand,
 * said after "timed out…" or "cancelled".
 */
export function abortedOutcome(label: string, pid: number, notStopped: string | null): ScriptOutcome {
  if (notStopped === null) return { kind: 'aborted' };
  const message = `${notStopped}, so the block may still be running there (process group and session ${pid}: run \`pkill -s ${pid}\` on ${label}, or \`kill -- -${pid}\` where there is no pkill)`;
  return { kind: 'aborted', details: { stopped: false, message } };
}

/** What a block whose connection was lost says: it runs on to its end there (remote-script.ts), and how to see or end it by hand. */
export function connectionLost(label: string, pid: number, why: string): string {
  return `the connection to ${label} was lost while the block ran (${why}); the block may still be running there (process group and session ${pid}: run \`pgrep -s ${pid}\` on ${label} to see what is left, \`pkill -s ${pid}\` to stop it)`;
}
