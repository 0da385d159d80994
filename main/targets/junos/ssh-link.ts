// How a Junos target reaches its device in real life: the SSH target's
// connection machinery (the user's OpenSSH, `ssh -G`, strict host keys,
// askpass, a ControlMaster in Modus's private socket directory), pointed at
// the NETCONF port, with the `netconf` subsystem on top.

import type { SshDestination } from '../ssh/destination.js';
import { SshConnection, type SshShared } from '../ssh/ssh-connection.js';
import type { JunosLink } from './junos-target.js';
import type { NetconfChannel } from './netconf-session.js';
import { sshNetconfChannel } from './ssh-netconf.js';

/** NETCONF over SSH's port (RFC 6242), used when the inventory gives none. */
export const NETCONF_PORT = 830;

export class SshNetconfLink implements JunosLink {
  readonly connection: SshConnection;
  readonly port: number;

  constructor(label: string, destination: SshDestination, shared: SshShared) {
    this.port = destination.port ?? NETCONF_PORT;
    this.connection = new SshConnection(label, { ...destination, port: this.port }, shared);
  }

  async open(_signal: AbortSignal): Promise<NetconfChannel | { failure: string }> {
    const ready = await this.connection.ready();
    if ('failure' in ready) return { failure: ready.failure.message };
    try {
      return sshNetconfChannel(this.connection, ready, this.port);
    } catch (e) {
      return { failure: (e as Error).message };
    }
  }

  async user(): Promise<string | null> {
    const cfg = await this.connection.config();
    return cfg.user === '' ? null : cfg.user;
  }
}
