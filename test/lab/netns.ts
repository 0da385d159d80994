// The few iproute2 operations the lab needs. Commands go through `ip -batch`
// (one process for hundreds of links) and `-n NS` (no shell, no
// `ip netns exec` where iproute2 can enter the namespace itself).

import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { runProgram } from '../helpers/sshd.js';
import type { ProgramResult } from '../helpers/sshd.js';
import { NS_PREFIX } from './topology.js';

const NETNS_DIR = '/run/netns';

export async function ipBatch(lines: readonly string[], o: { ns?: string; force?: boolean } = {}): Promise<ProgramResult> {
  const argv = ['ip', ...(o.ns ? ['-n', o.ns] : []), ...(o.force ? ['-force'] : []), '-batch', '-'];
  const r = await runProgram(argv, { input: `${lines.join('\n')}\n`, timeoutMs: 120_000 });
  if (r.code !== 0 && !o.force) throw new Error(`${argv.join(' ')} failed: ${r.stderr.trim()}`);
  return r;
}

/** What `ip netns list` lists, read where it reads it. */
export function labNamespaces(): string[] {
  try {
    return readdirSync(NETNS_DIR).filter((n) => n.startsWith(NS_PREFIX)).sort();
  } catch {
    return [];
  }
}

function netnsInode(link: string): number | null {
  const m = /^net:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

/**
 * Pids in each namespace, found as `ip netns pids` finds them (a process's
 * /proc/PID/ns/net against the namespace's file), in one pass over /proc
 * rather than one `ip` process per namespace.
 */
export function processesIn(namespaces: readonly string[]): number[] {
  const inodes = new Set<number>();
  for (const ns of namespaces) {
    try {
      inodes.add(statSync(`${NETNS_DIR}/${ns}`).ino);
    } catch {
      // deleted meanwhile
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const inode = netnsInode(readlinkSync(`/proc/${entry}/ns/net`));
      if (inode !== null && inodes.has(inode)) pids.push(Number(entry));
    } catch {
      // exited, or a kernel thread
    }
  }
  return pids;
}

export async function linkExists(name: string): Promise<boolean> {
  const r = await runProgram(['ip', 'link', 'show', 'dev', name], { timeoutMs: 30_000 });
  return r.code === 0;
}

/**
 * Runs `fn` on every item with at most `limit` running at once; results in
 * item order. After a failure no new item starts, and the first error is
 * thrown only once the running ones are done, so a teardown after it does not
 * race an sshd still starting.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: { err: unknown } | null = null;
  const worker = async () => {
    while (firstError === null && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (err) {
        firstError ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (firstError !== null) throw (firstError as { err: unknown }).err;
  return results;
}
