// The sandboxed preload: exposes `window.modus` (ModusBridge in
// main/protocol.ts) with two named functions and nothing else.
//
// It is CommonJS (.cts → preload.cjs) because sandboxed preloads are, and it
// is self-contained because a sandboxed preload can require only 'electron'
// and a few Node built-ins, not our own modules: the channel names are
// repeated here and test/unit/electron/preload.test.ts checks they match
// IPC_CHANNEL.

import { contextBridge, ipcRenderer } from 'electron';
import type { ClientMessage, HostMessage, ModusBridge } from '../../protocol.js';

const TO_MAIN = 'modus:to-main';
const TO_RENDERER = 'modus:to-renderer';

/** Messages that arrive before the page registered its listener wait here (bounded). */
const MAX_EARLY_MESSAGES = 10_000;
const early: HostMessage[] = [];
let listener: ((msg: HostMessage) => void) | null = null;

// The IpcRendererEvent stays in here: it carries `sender` (ipcRenderer itself),
// which must never reach the page.
ipcRenderer.on(TO_RENDERER, (_event, msg: HostMessage) => {
  if (listener !== null) listener(msg);
  else if (early.length < MAX_EARLY_MESSAGES) early.push(msg);
});

const bridge: ModusBridge = {
  send(msg: ClientMessage): void {
    // Validation happens in main; structured clone already strips functions and prototypes.
    ipcRenderer.send(TO_MAIN, msg);
  },
  onMessage(next: (msg: HostMessage) => void): void {
    if (typeof next !== 'function') throw new TypeError('modus.onMessage expects a function');
    // One listener: a second call replaces the first (a page that re-initialises
    // must not get every message twice).
    listener = next;
    for (const msg of early.splice(0)) next(msg);
  },
};

contextBridge.exposeInMainWorld('modus', {
  send: (msg: ClientMessage): void => bridge.send(msg),
  onMessage: (next: (msg: HostMessage) => void): void => bridge.onMessage(next),
});
