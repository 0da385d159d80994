// The Electron transport: the preload's named functions, messages as objects.

import type { ClientMessage, HostMessage, ModusBridge } from '../../../main/protocol.js';
import type { Transport } from './transport.js';

export class ElectronTransport implements Transport {
  readonly kind = 'electron';
  readonly route = 'electron ipc';

  constructor(private readonly bridge: ModusBridge) {}

  send(msg: ClientMessage): void {
    this.bridge.send(msg);
  }

  onMessage(listener: (msg: HostMessage) => void): void {
    this.bridge.onMessage(listener);
  }

  /** Main asks the user, checks the URL again and calls shell.openExternal. */
  openLink(url: string): void {
    this.bridge.send({ type: 'link.open', url });
  }

  onClose(_listener: (reason: string) => void): void {
    // The IPC channel lives as long as the window does.
  }
}
