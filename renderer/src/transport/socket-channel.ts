// The WebSocket to `modus serve`, read in a worker where the page can start
// one (socket-worker.ts says why), else on the page's main thread. Both
// deliver the same frames in the same order; the transport above cannot tell
// them apart except by `route`.

import type { SocketRoute } from './route.js';
import type { SocketCommand, SocketEvent } from './socket-worker-messages.js';

export interface SocketHandlers {
  /** A frame as received: text, or the bytes of a binary frame. */
  frame(data: string | ArrayBuffer): void;
  /** The socket closed (or never opened); `code` as in CloseEvent. */
  close(code: number, reason: string): void;
}

export interface SocketChannel {
  readonly route: SocketRoute;
  /** Sends a text frame. Frames sent before the socket opened go out, in order, when it opens. */
  send(text: string): void;
}

class MainThreadSocket implements SocketChannel {
  readonly route = 'websocket on the main thread';
  readonly #socket: WebSocket;
  readonly #queued: string[];

  constructor(url: string, handlers: SocketHandlers, queued: string[] = []) {
    this.#queued = queued;
    this.#socket = new WebSocket(url);
    this.#socket.binaryType = 'arraybuffer';
    this.#socket.addEventListener('open', () => {
      for (const text of this.#queued.splice(0)) this.#socket.send(text);
    });
    this.#socket.addEventListener('message', (ev: MessageEvent<string | ArrayBuffer>) => handlers.frame(ev.data));
    this.#socket.addEventListener('close', (ev) => handlers.close(ev.code, ev.reason));
  }

  send(text: string): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(text);
    else if (this.#socket.readyState === WebSocket.CONNECTING) this.#queued.push(text);
  }
}

class WorkerSocket implements SocketChannel {
  readonly route = 'websocket in a worker';
  readonly #worker: Worker;
  /** Until the socket opens, frames wait here, not in the worker: if the worker fails to start, none was sent. */
  #queued: string[] | null = [];
  #closed = false;

  /** `failed`: the worker could not start; it gets the frames sent so far, none of which left the page. */
  constructor(url: string, handlers: SocketHandlers, failed: (queued: string[], why: string) => void) {
    this.#worker = new Worker(new URL('./socket-worker.ts', import.meta.url), { type: 'module', name: 'modus-socket' });
    this.#worker.addEventListener('message', (ev: MessageEvent<SocketEvent>) => {
      const event = ev.data;
      if (typeof event === 'string' || event instanceof ArrayBuffer) {
        handlers.frame(event);
      } else if (event.type === 'open') {
        for (const text of this.#queued?.splice(0) ?? []) this.#post({ type: 'send', text });
        this.#queued = null;
      } else {
        this.#closed = true;
        handlers.close(event.code, event.reason);
      }
    });
    this.#worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      const why = ev.message || 'its script did not load';
      if (this.#queued !== null) {
        // Never connected: nothing reached the host, so the page can start over without the worker.
        this.#worker.terminate();
        const queued = this.#queued;
        this.#queued = null;
        this.#closed = true;
        failed(queued, why);
      } else if (!this.#closed) {
        this.#closed = true;
        this.#worker.terminate();
        handlers.close(1006, `the socket worker failed: ${why}`);
      }
    });
    this.#post({ type: 'connect', url });
  }

  send(text: string): void {
    if (this.#closed) return;
    if (this.#queued !== null) this.#queued.push(text);
    else this.#post({ type: 'send', text });
  }

  #post(command: SocketCommand): void {
    this.#worker.postMessage(command);
  }
}

/**
 * Opens the socket in a worker, or on the main thread when no worker can
 * run here (no Worker, a policy that forbids it, a script that fails to
 * load); the console says which and why.
 */
export function openSocketChannel(url: string, handlers: SocketHandlers): SocketChannel {
  const fallBack = (queued: string[], why: string): SocketChannel => {
    console.warn(`modus: reading the connection on the page's main thread, because the socket worker could not start (${why}); large outputs will be slower`);
    return new MainThreadSocket(url, handlers, queued);
  };
  if (typeof Worker !== 'function') return fallBack([], 'this browser has no Worker');
  let channel: SocketChannel;
  const proxy: SocketChannel = {
    get route() {
      return channel.route;
    },
    send: (text) => channel.send(text),
  };
  try {
    channel = new WorkerSocket(url, handlers, (queued, why) => {
      channel = fallBack(queued, why);
    });
  } catch (e) {
    return fallBack([], (e as Error).message);
  }
  return proxy;
}
