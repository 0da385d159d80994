// One interface for both hosts: Electron IPC through the preload bridge
// (window.modus) or a WebSocket to `modus serve`. Picked once at startup.

import type { ClientMessage, HostMessage, ModusBridge } from '../../../main/protocol.js';
import { ElectronTransport } from './electron.js';
import type { TransportRoute } from './route.js';
import { WebSocketTransport } from './websocket.js';

export interface Transport {
  readonly kind: 'electron' | 'web';
  readonly route: TransportRoute;
  send(msg: ClientMessage): void;
  /** The one listener for host messages. */
  onMessage(listener: (msg: HostMessage) => void): void;
  /** Called once if the connection to the host is lost, with a reason a user can act on. */
  onClose(listener: (reason: string) => void): void;
  /**
   * Opens a web link the user activated, already checked by checkWebLink.
   * Electron: main confirms and hands it to the OS. Browser: a new tab.
   */
  openLink(url: string): void;
}

export function pickTransport(): Transport {
  const bridge = (window as unknown as { modus?: ModusBridge }).modus;
  if (bridge && typeof bridge.send === 'function' && typeof bridge.onMessage === 'function') return new ElectronTransport(bridge);
  return new WebSocketTransport(webSocketUrl(window.location));
}

/** ws(s)://host/ws; the token cookie set by the server authorises it, the token in the query is a fallback. */
export function webSocketUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  return `${scheme}//${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
