// How a Junos target reaches its device in real life: the SSH target's
// connection machinery (the user's OpenSSH, `ssh -G`, strict host keys,
// askpass, a ControlMaster in Modus's private socket directory), pointed at
// the NETCONF port (netconf-port.ts), with the `netconf` subsystem on top.
// The master is per host and port, so it is never the CLI's of port 22.

import type { SshDestination } from '../ssh/destination.js';
import { SshConnection, type SshShared } from '../ssh/ssh-connection.js';
import type { JunosLink } from './junos-target.js';
import type { NetconfChannel } from './netconf-session.js';
import { NETCONF_PORT, netconfPortFrom } from './netconf-port.js';
import { freshNetconfChannel, sshNetconfChannel } from './ssh-netconf.js';

export class SshNetconfLink implements JunosLink {
  private conn: Promise<SshConnection> | null = null;

  constructor(
    private readonly label: string,
    private readonly destination: SshDestination,
    private readonly shared: SshShared,
  ) {}

  /** The connection to the NETCONF port, once the port is known. */
  connection(): Promise<SshConnection> {
    this.conn ??= (async () => {
      const port = this.destination.port ?? netconfPortFrom(await this.shared.configs.get(this.destination));
      return new SshConnection(this.label, { ...this.destination, port }, this.shared);
    })().catch((e: Error) => {
      this.conn = null;
      throw e;
    });
    return this.conn;
  }

  async open(_signal: AbortSignal): Promise<NetconfChannel | { failure: string }> {
    let conn: SshConnection;
    try {
      conn = await this.connection();
    } catch (e) {
      return { failure: (e as Error).message };
    }
    const ready = await conn.ready();
    if ('failure' in ready) return { failure: ready.failure.message };
    try {
      return sshNetconfChannel(conn, ready, conn.destination.port ?? NETCONF_PORT);
    } catch (e) {
      return { failure: (e as Error).message };
    }
  }

  async openFresh(_signal: AbortSignal): Promise<NetconfChannel | { failure: string }> {
    try {
      const conn = await this.connection();
      return await freshNetconfChannel(conn, conn.destination.port ?? NETCONF_PORT);
    } catch (e) {
      return { failure: (e as Error).message };
    }
  }

  async user(): Promise<string | null> {
    const cfg = await (await this.connection()).config();
    return cfg.user === '' ? null : cfg.user;
  }
}
