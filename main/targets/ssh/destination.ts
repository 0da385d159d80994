// Where an ssh connection goes: a host (alias, name or address), and the user
// and port when the notebook or inventory gives them. These reach ssh as argv
// only, options first and the host after `--`, so no shell ever reads them;
// they are still checked here, at the last step before ssh, because a host
// named `-oProxyCommand=…` or `r1;reboot` is an attack or a mistake whatever
// the layer above let through (OpenSSH 9.6 refuses such names too).

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

const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.:%-]*$/;
const BRACKETED = /^\[[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?\]$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;
const MAX = 255;

/** Why the destination cannot be used, or null. */
export function destinationProblem(d: SshDestination): string | null {
  const host = d.host;
  if (host === '') return 'empty host name';
  if (host.length > MAX) return `host name of ${host.length} characters is too long (at most ${MAX})`;
  if (host.startsWith('-')) return `host name ${JSON.stringify(host)} starts with "-", which ssh would read as an option`;
  if (!HOST.test(host) && !BRACKETED.test(host)) return `host name ${JSON.stringify(host)} has characters a host name cannot have (letters, digits, "." "-" "_" ":" "%" only)`;
  if (d.hostname !== undefined) {
    const problem = destinationProblem({ host: d.hostname });
    if (problem) return `address of ${host}: ${problem}`;
  }
  if (d.user !== undefined) {
    if (d.user === '') return 'empty user name';
    if (d.user.length > MAX) return `user name of ${d.user.length} characters is too long`;
    if (d.user.startsWith('-')) return `user ${JSON.stringify(d.user)} starts with "-", which ssh would read as an option`;
    if (!USER.test(d.user)) return `user ${JSON.stringify(d.user)} has characters a user name cannot have (letters, digits, "." "-" "_" "+" "@" only)`;
  }
  if (d.port !== undefined && (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535)) return `port ${d.port} is not a port number (1 to 65535)`;
  return null;
}

/** The host as ssh takes it: `[2001:db8::1]` unbracketed. */
export function sshHost(d: SshDestination): string {
  return BRACKETED.test(d.host) ? d.host.slice(1, -1) : d.host;
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
