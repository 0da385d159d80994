// What the page and its socket worker (socket-worker.ts) say to each other.
// Types only, so both bundles share them without sharing code.

/** Page → worker. */
export type SocketCommand = { type: 'connect'; url: string } | { type: 'send'; text: string };

/**
 * Worker → page: a frame exactly as the socket delivered it (a text frame as
 * a string, a binary one as its ArrayBuffer, transferred, not copied), or a
 * change of the socket's state.
 */
export type SocketEvent = string | ArrayBuffer | { type: 'open' } | { type: 'close'; code: number; reason: string };
