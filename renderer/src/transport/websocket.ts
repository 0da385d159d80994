// The WebSocket transport to `modus serve`: JSON text frames, except
// term.data, which arrives as a binary frame so pty bytes reach xterm
// without any re-encoding. The socket itself is read in a worker
// (socket-channel.ts).

import type { ClientMessage, HostMessage } from '../../../main/protocol.js';
import { decodeBinaryFrame } from './frame.js';
import { openSocketChannel, type SocketChannel } from './socket-channel.js';
import type { TransportRoute } from './route.js';
import type { Transport } from './transport.js';

export class WebSocketTransport implements Transport {
  readonly kind = 'web';
  private readonly channel: SocketChannel;
  private listener: ((msg: HostMessage) => void) | null = null;
  private closeListener: ((reason: string) => void) | null = null;

  constructor(url: string) {
    this.channel = openSocketChannel(url, {
      frame: (data) => this.receive(data),
      close: (code, reason) => {
        const why = code === 1000 ? 'the host closed the connection' : `connection lost (code ${code}${reason ? `: ${reason}` : ''})`;
        this.closeListener?.(`Disconnected from the Modus host: ${why}. Restart \`modus serve\` and reload this page.`);
      },
    });
  }

  get route(): TransportRoute {
    return this.channel.route;
  }

  send(msg: ClientMessage): void {
    this.channel.send(JSON.stringify(msg));
  }

  onMessage(listener: (msg: HostMessage) => void): void {
    this.listener = listener;
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListener = listener;
  }

  /**
   * The browser is the user's own: a new tab, as any page's link would open.
   * noopener: the new page gets no handle on this one (window.opener is null);
   * noreferrer: it is not told which terminal page sent it.
   */
  openLink(url: string): void {
    window.open(url, '_blank', 'noopener,noreferrer');
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      const msg = decodeBinaryFrame(data);
      if (msg) this.listener?.(msg);
      else console.warn('modus: ignored a binary frame of an unknown kind');
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      console.warn('modus: ignored a text frame that is not JSON');
      return;
    }
    if (typeof msg === 'object' && msg !== null && typeof (msg as { type?: unknown }).type === 'string') this.listener?.(msg as HostMessage);
  }
}
