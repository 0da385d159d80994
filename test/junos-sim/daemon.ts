// The simulator daemon: holds every device's state and serves NETCONF
// sessions over a Unix socket, as a router's management daemon does behind
// sshd. Each connection comes from the `netconf` subsystem sshd started
// (netconf-connector.c, or netconf-subsystem.js) and begins with one JSON
// line naming the SSH server port the client reached (which device) and
// the user; the daemon answers with one JSON line ({"ok":true} or
// {"ok":false,"error":…}) and then the connection carries NETCONF both ways.

import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { SimDeviceRuntime } from './sim-device.js';

export interface SubsystemHello {
  port: number;
  user: string;
}

export type SubsystemAnswer = { ok: true } | { ok: false; error: string };

const MAX_HELLO_BYTES = 4096;

export class SimDaemon {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();

  constructor(
    readonly socketPath: string,
    private readonly deviceOnPort: (port: number) => SimDeviceRuntime | undefined,
    private readonly base11: boolean,
  ) {}

  /** Resolves once the socket accepts connections. */
  async listen(): Promise<void> {
    if (Buffer.byteLength(this.socketPath) > 107) throw new Error(`socket path too long for a Unix socket (max 107 bytes): ${this.socketPath}`);
    // A socket file left by a killed simulator would make listen fail with EADDRINUSE.
    if (existsSync(this.socketPath)) rmSync(this.socketPath, { force: true });
    const server = createServer((socket) => this.#accept(socket));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    const onData = (bytes: Buffer) => {
      pending = Buffer.concat([pending, bytes]);
      const newline = pending.indexOf(0x0a);
      if (newline < 0) {
        if (pending.length > MAX_HELLO_BYTES) socket.destroy();
        return;
      }
      socket.off('data', onData);
      this.#start(socket, pending.subarray(0, newline).toString('utf8'), pending.subarray(newline + 1));
    };
    socket.on('data', onData);
  }

  #start(socket: Socket, helloLine: string, rest: Buffer): void {
    const answer = (a: SubsystemAnswer) => socket.write(`${JSON.stringify(a)}\n`);
    let hello: SubsystemHello;
    try {
      hello = JSON.parse(helloLine) as SubsystemHello;
    } catch {
      answer({ ok: false, error: 'bad subsystem hello' });
      socket.end();
      return;
    }
    const device = this.deviceOnPort(Number(hello.port));
    if (!device) {
      answer({ ok: false, error: `no simulated device listens on port ${hello.port}` });
      socket.end();
      return;
    }
    if (device.activeFault('refuse-subsystem')) {
      device.refusedSessions += 1;
      answer({ ok: false, error: `error: netconf subsystem not enabled on ${device.name} (set system services netconf ssh)` });
      socket.end();
      return;
    }
    answer({ ok: true });
    const session = device.openSession(String(hello.user || 'root'), { write: (b) => socket.write(b), close: () => socket.end() }, this.base11);
    socket.on('data', (b: Buffer) => session.receive(b));
    socket.on('close', () => session.end());
    if (rest.length > 0) session.receive(rest);
  }

  /** Ends every connection and stops listening. */
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }
}
