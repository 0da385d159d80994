// Where an ssh connection goes: a host (alias, name or address), and the user
// and port when the notebook or inventory gives them. These reach ssh as argv
// only, options first and the host after `--`, so no shell ever reads them;
// they are still checked here, at the last step before ssh, because a host
// named `-oProxyCommand=…` or `r1;reboot` is an attack or a mistake whatever
// the layer above let through (OpenSSH 9.6 refuses such names too).

import { isBracketedAddress, sshHostReason, sshUserReason } from '../../inventory/names.js';

export interface SshDestination {
  /** An ssh config alias, a DNS name or an IPv4/IPv6 address (brackets allowed). */
  host: string;
  /**
   * The address to connect to when it is not what ssh config says for
   * `host` (an inventory's address): `-o HostName=…`, so the user's settings
   * for the name (identity, known hosts, ProxyJump) still apply.
   */
  hostname?: string;
  user?: string;
  port?: number;
}

/** Why the destination cannot be used, or null. */
export function destinationProblem(d: SshDestination): string | null {
  const host = sshHostReason(d.host);
  if (host) return host;
  if (d.hostname !== undefined) {
    const problem = sshHostReason(d.hostname);
    if (problem) return `address of ${d.host}: ${problem}`;
  }
  if (d.user !== undefined) {
    const user = sshUserReason(d.user);
    if (user) return user;
  }
  if (d.port !== undefined && (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535)) return `port ${d.port} is not a port number (1 to 65535)`;
  return null;
}

/** The host as ssh takes it: `[2001:db8::1]` unbracketed. */
export function sshHost(d: SshDestination): string {
  return isBracketedAddress(d.host) ? d.host.slice(1, -1) : d.host;
}

/** `-p PORT -l USER -- HOST`: the end of every ssh command line (options before it, the remote command after). */
export function destinationArgs(d: SshDestination): string[] {
  const problem = destinationProblem(d);
  if (problem) throw new Error(problem);
  const args: string[] = [];
  if (d.hostname !== undefined) args.push('-o', `HostName=${sshHost({ host: d.hostname })}`);
  if (d.port !== undefined) args.push('-p', String(d.port));
  if (d.user !== undefined) args.push('-l', d.user);
  args.push('--', sshHost(d));
  return args;
}

/** `user@host:port` as far as known, for messages. */
export function describeDestination(d: SshDestination): string {
  return `${d.user !== undefined ? `${d.user}@` : ''}${d.host}${d.hostname !== undefined ? ` (${d.hostname})` : ''}${d.port !== undefined ? `:${d.port}` : ''}`;
}
