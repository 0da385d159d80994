// What went wrong when ssh could not connect, read from its own messages
// (stderr: with a remote pty, the remote program's output never goes there),
// turned into a sentence that says what happened and what to do.

export type SshFailureKind =
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'unresolved'
  | 'auth'
  | 'closed'
  | 'other';

export interface SshFailure {
  kind: SshFailureKind;
  message: string;
}

export interface FailureContext {
  /** The host as the notebook names it. */
  label: string;
  /** The SHA256 fingerprint the server offered, when known (from a `-v` probe). */
  fingerprint?: string;
  /** How to accept a new key in the program the user is in (the CLI flag, or the app's prompt). */
  acceptHint?: string;
  /** The host's ProxyJump (`none` or absent: direct) and its real address, to tell a jump host's failure from the host's own. */
  proxyJump?: string;
  hostname?: string;
  /** Who ssh logged in as and where (`ssh -G`), for authentication failures. */
  user?: string;
  port?: number;
  /** The `-F` file ssh was given, for the hint of a command to run by hand. */
  configFile?: string;
  /** Nobody could be asked for a password or passphrase (BatchMode: no terminal, no app). */
  batch?: boolean;
}

const lines = (stderr: string): string[] =>
  stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('debug') && !/^(Warning: Permanently added|Pseudo-terminal|Control socket connect)/.test(l));

/** The last thing ssh said that is not noise, for messages that need ssh's own words. */
export function lastSshWords(stderr: string): string {
  const l = lines(stderr);
  return l.slice(-2).join(' ') || 'ssh gave no reason';
}

/** The ssh command the user could run to see for themselves: with the `-F` file Modus was given. */
function byHand(ctx: FailureContext): string {
  return `ssh ${ctx.configFile !== undefined ? `-F ${ctx.configFile} ` : ''}${ctx.label}`;
}

/** Reads ssh's stderr after a failed connection. */
export function classifySshFailure(stderr: string, ctx: FailureContext): SshFailure {
  const l = lines(stderr);
  const text = l.join('\n');
  const who = ctx.label;
  const accept = ctx.acceptHint ?? 'run again with --accept-new-host-keys';

  const unknown = /No (\S+) host key is known for (\S+) and you have requested strict checking/.exec(text);
  if (unknown) {
    const fp = ctx.fingerprint ? `its ${unknown[1]} key has fingerprint ${ctx.fingerprint}` : `it offered an ${unknown[1]} key`;
    return {
      kind: 'host-key-unknown',
      message: `the host key of ${who} (${unknown[2]}) is not known, so Modus did not connect: ${fp}. Check that fingerprint with the host's owner (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${unknown[1]!.toLowerCase()}_key.pub), then accept it: ${accept}, or ${byHand(ctx)} once and answer yes`,
    };
  }
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for \S+ has changed/.test(text)) {
    const fp = /(SHA256:[A-Za-z0-9+/=]+)/.exec(text)?.[1] ?? ctx.fingerprint;
    const type = /fingerprint for the (\S+) key sent by the remote host/.exec(text)?.[1] ?? '';
    const offending = /Offending \S+ key in (\S+):(\d+)/.exec(text);
    const where = offending ? ` (line ${offending[2]} of ${offending[1]})` : '';
    const name = /Host key for (\S+) has changed/.exec(text)?.[1] ?? who;
    const remove = offending ? `ssh-keygen -R '${name}' -f ${offending[1]}` : `ssh-keygen -R '${name}'`;
    return {
      kind: 'host-key-changed',
      message: `the host key of ${who} has CHANGED: it now sends ${type ? `an ${type} key ` : 'a key '}with fingerprint ${fp ?? '(unknown)'}, not the one in known_hosts${where}. Someone may be intercepting the connection, or the host was reinstalled. Modus will not connect. If you know why it changed, remove the old key (${remove}) and accept the new one after checking its fingerprint`,
    };
  }
  if (/Host key verification failed/.test(text)) {
    return { kind: 'host-key-unknown', message: `the host key of ${who} could not be verified, so Modus did not connect (${lastSshWords(stderr)}); check known_hosts for this host` };
  }
  const connect = /connect to host (\S+) port (\d+): (.+)$/m.exec(text);
  if (connect) {
    const [, addr, port, why] = connect;
    const at = `${addr} port ${port}`;
    if (ctx.proxyJump && ctx.proxyJump !== 'none' && addr !== ctx.hostname) {
      return { kind: /timed out/i.test(why!) ? 'timeout' : /refused/i.test(why!) ? 'refused' : 'unreachable', message: `cannot reach ${who} through its ProxyJump ${ctx.proxyJump}: the jump host (${at}) could not be reached: ${why!.toLowerCase()}; is the bastion up?` };
    }
    if (/refused/i.test(why!)) return { kind: 'refused', message: `cannot connect to ${who} (${at}): connection refused; is sshd running there, and on that port?` };
    if (/timed out/i.test(why!)) return { kind: 'timeout', message: `cannot connect to ${who} (${at}): the connection timed out; is the host up, and is a firewall dropping port ${port}?` };
    if (/unreachable|no route/i.test(why!)) return { kind: 'unreachable', message: `cannot connect to ${who} (${at}): ${why!.toLowerCase()}; check the address and the route to it` };
    return { kind: 'other', message: `cannot connect to ${who} (${at}): ${why}` };
  }
  if (/Connection timed out during banner exchange|Operation timed out/.test(text)) {
    return { kind: 'timeout', message: `cannot connect to ${who}: the connection timed out before sshd answered; is the host overloaded, or a firewall in the way?` };
  }
  const unresolved = /Could not resolve hostname (\S+): (.+)$/m.exec(text);
  if (unresolved) {
    return { kind: 'unresolved', message: `cannot connect to ${who}: the name ${unresolved[1]!.replace(/:$/, '')} does not resolve (${unresolved[2]}); check the inventory or ~/.ssh/config` };
  }
  if (/Permission denied \(|Too many authentication failures|Authentication failed/.test(text)) {
    const methods = /Permission denied \(([^)]*)\)/.exec(text)?.[1];
    const as = ctx.user !== undefined && ctx.hostname !== undefined ? ` as ${ctx.user}@${ctx.hostname}${ctx.port !== undefined && ctx.port !== 22 ? ` port ${ctx.port}` : ''}` : '';
    const unasked = ctx.batch ? `; nobody could be asked for a password or passphrase (no terminal): run from a terminal, or load the key into ssh-agent (ssh-add) first` : '';
    return {
      kind: 'auth',
      message: `authentication to ${who}${as} failed${methods ? ` (the server accepts: ${methods})` : ''}: check the user, that your key is loaded (ssh-add -l) and in the host's authorized_keys, or that the password was right${unasked}`,
    };
  }
  if (/Connection closed by|Connection reset by|kex_exchange_identification|closed by remote host|Broken pipe|not responding/.test(text)) {
    if (ctx.proxyJump && ctx.proxyJump !== 'none' && /UNKNOWN port 65535/.test(text)) {
      return { kind: 'closed', message: `cannot reach ${who} through its ProxyJump ${ctx.proxyJump}: ${lastSshWords(stderr)}` };
    }
    return { kind: 'closed', message: `the connection to ${who} was closed: ${lastSshWords(stderr)}` };
  }
  return { kind: 'other', message: `ssh to ${who} failed: ${lastSshWords(stderr)}` };
}

/** The `Server host key: TYPE SHA256:…` fingerprints a `ssh -v` printed, in order. */
export function offeredFingerprints(stderr: string): string[] {
  return [...stderr.matchAll(/Server host key: \S+ (SHA256:[A-Za-z0-9+/=]+)/g)].map((m) => m[1]!);
}
