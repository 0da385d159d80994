// How host messages reach the page. Types only (no DOM), so the test hook's
// types can name them for the Node-side tests.

/** The WebSocket to `modus serve` is read in a worker, or on the page's main thread where no worker can start. */
export type SocketRoute = 'websocket in a worker' | 'websocket on the main thread';

export type TransportRoute = 'electron ipc' | SocketRoute;
