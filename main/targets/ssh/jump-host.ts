// Hosts behind one jump host share one authenticated connection to it.
// OpenSSH's ProxyJump opens a new connection to the jump host for every
// host behind it: a fan-out to 50 hosts behind a bastion makes 50 key
// exchanges and logins on the bastion at once, which costs CPU on both
// ends and runs into sshd's MaxStartups (10:30:100 by default: past 10
// unauthenticated connections the bastion starts dropping new ones).
// Modus keeps a master to the jump host (an SshConnection like any other,
// same host-key and authentication rules) and gives each host behind it a
// ProxyCommand that opens its stream through that master (`ssh -W` as a
// multiplexing client). Chains (`ProxyJump a,b`) are left to OpenSSH.

import { destinationArgs, destinationProblem, type SshDestination } from './destination.js';

/** The jump host of a single-hop ProxyJump (`[user@]host[:port]` or `ssh://[user@]host[:port]`), or null (none, a chain, or not a plain host). */
export function parseJumpHop(proxyJump: string): SshDestination | null {
  if (proxyJump === 'none' || proxyJump === '' || proxyJump.includes(',')) return null;
  const uri = /^ssh:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(proxyJump);
  const plain = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:@]+)(?::(\d+))?$/.exec(proxyJump);
  const m = uri ?? plain;
  if (!m) return null;
  const hop: SshDestination = { host: m[2]! };
  if (m[1] !== undefined) hop.user = m[1];
  if (m[3] !== undefined) hop.port = Number(m[3]);
  return destinationProblem(hop) === null ? hop : null;
}

/** An argument any shell takes literally inside single quotes (sh, bash, zsh, fish, csh): no quote, backslash, `!` or control character. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const LITERAL = /^[^'\\!\x00-\x1f\x7f]*$/;

/**
 * The ProxyCommand that opens a stream to the target (ssh's `%h`/`%p`)
 * through the jump host's master: `ssh ARGS -W '[%h]:%p' -- HOP`. ssh runs
 * it with the user's $SHELL, so every word is single-quoted; `%` in a word
 * is doubled so ssh does not read it as a token. Null when an argument
 * cannot be quoted that way (then OpenSSH's own ProxyJump is used).
 */
export function jumpProxyCommand(ssh: string, args: string[], hop: SshDestination): string | null {
  const before = [ssh, ...args];
  const after = destinationArgs(hop);
  if (![...before, ...after].every((w) => LITERAL.test(w))) return null;
  const quote = (w: string): string => `'${w.replaceAll('%', '%%')}'`;
  return [...before.map(quote), '-W', "'[%h]:%p'", ...after.map(quote)].join(' ');
}
