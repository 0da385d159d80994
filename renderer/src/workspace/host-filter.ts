// The SSH host picker's matching, pure (unit-tested under node): what the
// user typed against the listed hosts, and whether a typed name is one ssh
// could be given at all.

import type { ListedHost } from '../../../main/protocol.js';

/** Is every character of `query` in `text`, in order ("e1r" in "edge1-rack")? */
function isSubsequence(query: string, text: string): boolean {
  let i = 0;
  for (const ch of text) if (ch === query[i] && ++i === query.length) return true;
  return query.length === 0;
}

/**
 * Lower is better; null = no match. Names first (prefix, anywhere, scattered),
 * then an inventory host's detail (its address, user); an alias's detail is
 * the ssh config's path, which would match nearly anything.
 */
function rank(host: ListedHost, query: string): number | null {
  if (query === '') return 0;
  const name = host.name.toLowerCase();
  if (name.startsWith(query)) return 0;
  if (name.includes(query)) return 1;
  if (isSubsequence(query, name)) return 2;
  if (host.source === 'inventory' && host.detail.toLowerCase().includes(query)) return 3;
  return null;
}

/** The hosts matching `query` (case-insensitive substring or subsequence), best first, listed order among equals. */
export function filterHosts(hosts: readonly ListedHost[], query: string): ListedHost[] {
  const q = query.trim().toLowerCase();
  return hosts
    .map((host, index) => ({ host, index, rank: rank(host, q) }))
    .filter((r): r is { host: ListedHost; index: number; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((r) => r.host);
}

const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.:%-]*$/;
const BRACKETED = /^\[[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?\]$/;
const MAX_HOST_LENGTH = 255;

/**
 * Why a typed name cannot be an SSH tab's host, or null. The same rule as
 * main/targets/ssh/destination.ts (which the host applies again): an ssh
 * config alias, a DNS name or an address; no user@ (ssh config sets users).
 */
export function hostNameProblem(name: string): string | null {
  if (name === '') return 'type a host name';
  if (name.length > MAX_HOST_LENGTH) return `a host name has at most ${MAX_HOST_LENGTH} characters`;
  if (name.startsWith('-')) return 'a host name cannot start with "-"';
  if (name.includes('@')) return 'no user@ here: set the user in the ssh config or the inventory';
  if (!HOST.test(name) && !BRACKETED.test(name)) return 'letters, digits, "." "-" "_" ":" "%" only';
  return null;
}
