// Finding everything a terminal started, so closing the terminal ends it all.
// A shell with job control puts each job in its own process group, so the
// shell's group alone misses background jobs; the session (the shell is its
// leader, node-pty calls setsid) holds them all. Linux reads it from /proc;
// elsewhere only the shell's own group is reachable.

import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose session id is `sid` (Linux /proc), or [] when /proc is not there. */
export function sessionMembers(sid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // Fields after "(comm)": state ppid pgrp session ...; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sid) members.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** Sends `signal` to the whole session led by `leader` and to its process group; never throws. */
export function signalSession(leader: number, signal: NodeJS.Signals): void {
  const targets = new Set<number>([-leader, leader, ...sessionMembers(leader)]);
  for (const target of targets) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}
