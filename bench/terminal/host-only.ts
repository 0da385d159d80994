// The host side alone: a Node WebSocket client speaks Modus's protocol to
// `modus serve` (hello, term.create, term.input), acknowledges every batch
// the moment it arrives, and times `cat FILE; printf SENTINEL`. No browser,
// no xterm: this is the ceiling of pty → backend → WebSocket, which tells
// whether a gap to xterm's own rate lies in the host or in the page.

import WebSocket from 'ws';
import type { ModusServer } from '../../test/helpers/browser.js';

/** Binary term.data frames carry a 1-byte kind and a 4-byte terminal id before the pty bytes (main/protocol.ts). */
const FRAME_HEADER_BYTES = 5;
const TERMINAL_ID = 1;

/** The shell shows its prompt: the text ends in `$ ` or `# `, once the shell integration's marks (OSC 133) and other OSC sequences are left out. */
function atPrompt(tail: string): boolean {
  // eslint-disable-next-line no-control-regex -- OSC sequences are control bytes
  return /[$#] $/.test(tail.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, ''));
}

export interface HostOnlyResult {
  ms: number;
  /** Pty bytes received, including the prompt and sentinel. */
  bytes: number;
  batches: number;
}

interface TerminalSocket {
  /** Sends one protocol message. */
  send(msg: unknown): void;
  close(): void;
}

/**
 * Connects to `modus serve` as the page would (token, Origin), says hello,
 * creates terminal TERMINAL_ID and acknowledges every pty batch on arrival;
 * `onPayload` sees the pty bytes, `onError` a failed connection.
 */
function openTerminalSocket(
  server: ModusServer,
  shape: { cols: number; rows: number },
  onPayload: (payload: Buffer, socket: TerminalSocket) => void,
  onError: (error: Error) => void,
): TerminalSocket {
  const origin = new URL(server.origin);
  const ws = new WebSocket(`ws://${origin.host}/ws?token=${encodeURIComponent(server.token)}`, { headers: { origin: server.origin } });
  const socket: TerminalSocket = { send: (msg) => ws.send(JSON.stringify(msg)), close: () => ws.close() };
  ws.on('open', () => {
    socket.send({ type: 'hello', protocol: 1 });
    socket.send({ type: 'term.create', id: TERMINAL_ID, options: { cols: shape.cols, rows: shape.rows, cwd: null } });
  });
  ws.on('error', (e) => onError(new Error(`WebSocket to modus serve failed: ${e.message}`)));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const payload = data.subarray(FRAME_HEADER_BYTES);
    socket.send({ type: 'term.ack', id: TERMINAL_ID, bytes: payload.byteLength });
    onPayload(payload, socket);
  });
  return socket;
}

export function measureHostOnly(server: ModusServer, file: string, shape: { cols: number; rows: number }, timeoutMs: number): Promise<HostOnlyResult> {
  const sentinel = `BENCH-DONE-${Math.random().toString(36).slice(2, 10)}`;
  return new Promise<HostOnlyResult>((resolve, reject) => {
    let phase: 'prompt' | 'cat' = 'prompt';
    let started = 0;
    let bytes = 0;
    let batches = 0;
    let tail = '';
    const timer = setTimeout(() => finish(new Error(`no sentinel from modus serve within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | null, result?: HostOnlyResult): void => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(result!);
    };
    const socket = openTerminalSocket(
      server,
      shape,
      (payload) => {
        // Only the last few hundred bytes can hold the prompt or the sentinel; latin1 keeps this cheap and byte-exact for ASCII.
        tail = (tail + payload.toString('latin1')).slice(-400);
        if (phase === 'prompt') {
          if (atPrompt(tail)) {
            phase = 'cat';
            tail = '';
            started = performance.now();
            socket.send({ type: 'term.input', id: TERMINAL_ID, data: `cat '${file}'; printf 'BENCH-DONE-%s' ${sentinel.slice('BENCH-DONE-'.length)}\r` });
          }
          return;
        }
        bytes += payload.byteLength;
        batches++;
        if (tail.includes(sentinel)) finish(null, { ms: performance.now() - started, bytes, batches });
      },
      (error) => finish(error),
    );
  });
}

/**
 * Keystroke echo through the host alone: sends one character at a time to
 * `cat` in a fresh terminal and times until its echo arrives (milliseconds,
 * one per key). Shows what the host adds to the browser's echo latency.
 */
export function measureHostEcho(server: ModusServer, keys: number, timeoutMs: number): Promise<number[]> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return new Promise<number[]>((resolve, reject) => {
    let phase: 'prompt' | 'cat' | 'settling' | 'echo' = 'prompt';
    let tail = '';
    let sentAt = 0;
    const latencies: number[] = [];
    const timer = setTimeout(() => finish(new Error(`host echo: no answer within ${timeoutMs} ms (phase ${phase}, ${latencies.length} keys echoed)`)), timeoutMs);
    const finish = (error: Error | null): void => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(latencies);
    };
    const typeNext = (): void => {
      if (latencies.length >= keys) return finish(null);
      tail = '';
      sentAt = performance.now();
      socket.send({ type: 'term.input', id: TERMINAL_ID, data: letters[latencies.length % letters.length]! });
    };
    const socket = openTerminalSocket(
      server,
      { cols: 120, rows: 40 },
      (payload) => {
        tail = (tail + payload.toString('latin1')).slice(-400);
        if (phase === 'prompt' && atPrompt(tail)) {
          phase = 'cat';
          tail = '';
          socket.send({ type: 'term.input', id: TERMINAL_ID, data: 'cat\r' });
        } else if (phase === 'cat' && tail.includes('\n')) {
          // The Enter was echoed; bash may still switch bracketed paste off after it. Let that pass, then cat is reading.
          phase = 'settling';
          setTimeout(() => {
            phase = 'echo';
            typeNext();
          }, 300);
        } else if (phase === 'echo' && tail.length > 0) {
          // Line-buffered: cat's own output comes only after Enter, so every byte now is the tty's echo.
          latencies.push(performance.now() - sentAt);
          typeNext();
        }
      },
      (error) => finish(error),
    );
  });
}
