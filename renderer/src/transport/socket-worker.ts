// Reads the WebSocket to `modus serve` off the page's main thread and hands
// each frame over whole (binary frames transferred, not copied).
//
// Why a worker: Chromium moves a received message into the page through a
// data pipe of about 128 KB, refilled only after the thread that owns the
// socket has read what is there. Owned by the page's main thread, a 2 MB
// batch sent while xterm.js parses the previous one stays in the network
// service until the parse ends, then crosses in about sixteen round trips
// between processes: measured at 36–64 ms per batch in a 100 MB `cat`, with
// the page idle all that time (in a flood it parses a batch in 50–70 ms).
// Here the worker's own thread empties the pipe while the page parses, and
// the next batch is waiting when the parse ends. The cost is one message hop
// each way: 0.2–0.3 ms p50 measured in the same headless Chromium.

import type { SocketCommand, SocketEvent } from './socket-worker-messages.js';

/** The part of a dedicated worker's global scope used here (the renderer is type-checked with the DOM library, whose `self` is a Window). */
interface SocketWorkerScope {
  postMessage(event: SocketEvent, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent<SocketCommand>) => void): void;
}
const scope = self as unknown as SocketWorkerScope;

let socket: WebSocket | null = null;

const post = (event: SocketEvent, transfer: Transferable[] = []): void => scope.postMessage(event, transfer);

function connect(url: string): void {
  if (socket) return;
  const ws = new WebSocket(url);
  socket = ws;
  ws.binaryType = 'arraybuffer';
  ws.addEventListener('open', () => post({ type: 'open' }));
  ws.addEventListener('message', (ev: MessageEvent<string | ArrayBuffer>) => {
    const data = ev.data;
    if (typeof data === 'string') post(data);
    else post(data, [data]);
  });
  ws.addEventListener('close', (ev) => post({ type: 'close', code: ev.code, reason: ev.reason }));
}

scope.addEventListener('message', (ev) => {
  const command = ev.data;
  if (command.type === 'connect') connect(command.url);
  // The page sends only after 'open', in order; a socket that has closed since drops them, as a WebSocket does.
  else if (socket?.readyState === WebSocket.OPEN) socket.send(command.text);
});
